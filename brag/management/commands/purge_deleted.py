from typing import Any

from django.core.management.base import BaseCommand

from brag.models import UNDO_DAYS, purge_deleted


class Command(BaseCommand):
    help = f"Remove brag entries and goals deleted more than {UNDO_DAYS} days ago, for good."

    def handle(self, *args: Any, **options: Any) -> None:
        entries, goals = purge_deleted()
        self.stdout.write(
            f"Purged {entries} entr{'y' if entries == 1 else 'ies'} and {goals} goal(s)."
        )
