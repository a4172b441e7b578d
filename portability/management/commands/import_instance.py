from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from portability.instance import ImportRefused, import_instance


class Command(BaseCommand):
    help = (
        "Load an instance export (made by export_instance) into a new, migrated, empty "
        "database: all of it in one transaction, or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, file: Path, database: str, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        try:
            with file.open("rb") as stream:
                rows = import_instance(stream, using=database)
        except ImportRefused as refusal:
            raise CommandError(f"Nothing was imported. {refusal}") from refusal
        self.stdout.write(self.style.SUCCESS(f"Imported {rows} rows from {file}."))
