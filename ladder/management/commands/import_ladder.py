from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladder.ladder_file import LadderFileError
from ladder.models import Level
from ladder.services import import_ladder_text


class Command(BaseCommand):
    help = "Import a ladder from a careerladder/v1 YAML file (see docs/ladder-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update the ladder with the same slug in place, instead of refusing.",
        )

    def handle(self, *args: Any, file: Path, replace: bool, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read the file ({error})") from None
        try:
            ladder = import_ladder_text(text, str(file), replace=replace)
        except LadderFileError as error:
            raise CommandError(str(error)) from None
        levels = Level.objects.filter(track__ladder=ladder).count()
        dimensions, tracks = ladder.dimensions.count(), ladder.tracks.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {ladder.name!r} ({ladder.slug}): {dimensions} dimensions, "
                f"{tracks} tracks, {levels} levels."
            )
        )
