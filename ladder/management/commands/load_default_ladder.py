from typing import Any

from django.core.management.base import BaseCommand

from ladder.services import correct_default_ladder, load_default_ladder


class Command(BaseCommand):
    help = (
        "Load the default ladder (the guide's level map) unless it is there already; bring the "
        "default ladder's corrected texts to one loaded before them, as a new version."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ladder = load_default_ladder()
        if ladder is None:
            version = correct_default_ladder()
            if version is None:
                self.stdout.write("The default ladder is loaded already; nothing to do.")
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Corrected the default ladder's texts: version {version.number}."
                    )
                )
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded the default ladder {ladder.name!r}."))
