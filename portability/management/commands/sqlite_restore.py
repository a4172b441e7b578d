from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portability.sqlite_copy import CopyRefused, restore


class Command(BaseCommand):
    help = (
        "Replace the SQLite database's content with a backup made by sqlite_backup (or "
        "bin/backup). Stop the app first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            target = restore(file)
        except CopyRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Restored {target} from {file}.")
