from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladder.importers import FORMATS
from ladder.models import VersionSource
from ladder.services import import_ladder_text
from ladder.spec import LadderFileError


class Command(BaseCommand):
    help = (
        "Import a ladder file: careerladder/v1 YAML, Monzo framework Markdown or Financial Times "
        "job-family YAML, detected from the content (see docs/ladder-format.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update the ladder with the same slug in place (a new version), instead of "
            "refusing.",
        )
        parser.add_argument(
            "--format",
            choices=list(FORMATS),
            help="Read the file in this format instead of detecting it.",
        )

    def handle(
        self, *args: Any, file: Path, replace: bool, format: str | None, **options: Any
    ) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read the file ({error})") from None
        try:
            imported = import_ladder_text(
                text, str(file), replace=replace, format=format, via=VersionSource.IMPORT
            )
        except LadderFileError as error:
            raise CommandError(str(error)) from None
        ladder, version = imported.ladder, imported.version
        shown = version or ladder.versions.order_by("-number").first()
        # No new version means the content matched the latest one, so there is one.
        assert shown is not None
        counts = shown.counts
        what = (
            f"version {version.number}"
            if version
            else "no new version: the content is the same as the latest"
        )
        figures = ", ".join(
            f"{counts[key]} {key if counts[key] != 1 else key.removesuffix('s')}"
            for key in ("dimensions", "tracks", "levels", "expectations")
        )
        criteria = f"{counts['criteria']} criteri{'on' if counts['criteria'] == 1 else 'a'}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {ladder.name!r} ({ladder.slug}) from {FORMATS[imported.format][0]}: "
                f"{figures}, {criteria}; {what}."
            )
        )
