from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladder.models import Ladder
from ladder.services import export_ladder_yaml


class Command(BaseCommand):
    help = "Write a ladder as a careerladder/v1 YAML file (to standard output without -o)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", type=Path, help="File to write.")

    def handle(self, *args: Any, slug: str, output: Path | None, **options: Any) -> None:
        ladder = Ladder.objects.filter(slug=slug).first()
        if ladder is None:
            known = ", ".join(Ladder.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No ladder with slug {slug!r} (ladders: {known}).")
        text = export_ladder_yaml(ladder)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {ladder.name!r} to {output}.")
