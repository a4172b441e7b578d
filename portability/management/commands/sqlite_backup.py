from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portability.sqlite_copy import CopyRefused, backup


class Command(BaseCommand):
    help = "Copy the SQLite database to FILE with SQLite's online backup (safe while it runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            source = backup(file)
        except CopyRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Backed up {source} to {file}.")
