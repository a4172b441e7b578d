from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladder.ladder_file import spec_to_yaml
from ladder.models import Ladder
from ladder.services import export_ladder_yaml


class Command(BaseCommand):
    help = "Write a ladder as a careerladder/v1 YAML file (to standard output without -o)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", type=Path, help="File to write.")
        parser.add_argument(
            "--ladder-version",
            dest="number",
            type=int,
            help="Write this version instead of the latest.",
        )

    def handle(
        self, *args: Any, slug: str, output: Path | None, number: int | None, **options: Any
    ) -> None:
        ladder = Ladder.objects.filter(slug=slug).first()
        if ladder is None:
            known = ", ".join(Ladder.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No ladder with slug {slug!r} (ladders: {known}).")
        if number is None:
            text = export_ladder_yaml(ladder)
        else:
            version = ladder.versions.filter(number=number).first()
            if version is None:
                known = ", ".join(str(n) for n in ladder.versions.values_list("number", flat=True))
                raise CommandError(f"{slug} has no version {number} (versions: {known}).")
            text = spec_to_yaml(version.spec)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {ladder.name!r} to {output}.")
