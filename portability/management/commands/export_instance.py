from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS

from portability.instance import export_instance


class Command(BaseCommand):
    help = (
        "Write the whole instance (people, teams, ladders and their versions, brag entries, "
        "reviews) as JSON with natural keys, to standard output without --output. The file "
        "holds everyone's private data and password hashes: keep it like a backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="File to write.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, output: Path | None, database: str, **options: Any) -> None:
        if output is None:
            # The serializer writes in pieces; no newline may be added between them.
            self.stdout.ending = None  # type: ignore[assignment]
            export_instance(self.stdout, using=database)  # type: ignore[arg-type]
            return
        # Written beside the target and renamed at the end: a failed export leaves no
        # half-written file that could pass for a whole one.
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as stream:
                rows = export_instance(stream, using=database)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        self.stderr.write(f"Wrote {rows} rows to {output}.")
