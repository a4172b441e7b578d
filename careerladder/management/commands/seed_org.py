import argparse
import datetime as dt
import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from careerladder.orgseed import DEFAULT_PASSWORD, DOMAIN, OrgSize, SeedError, build_org

# What the summary counts, in the order a reader thinks of them.
COUNTED = [
    ("people", "User"),
    ("people", "Team"),
    ("people", "Membership"),
    ("people", "LevelChange"),
    ("ladder", "LadderVersion"),
    ("brag", "BragEntry"),
    ("brag", "GlueRecognition"),
    ("brag", "Goal"),
    ("reviews", "ReviewCycle"),
    ("reviews", "Assessment"),
    ("reviews", "Rating"),
    ("reviews", "ReviewNote"),
    ("reviews", "ReviewNoteVersion"),
    ("reviews", "PromotionRound"),
    ("reviews", "PromotionPacket"),
    ("reviews", "PacketProject"),
    ("reviews", "MatrixRow"),
    ("reviews", "PacketEdit"),
    ("reviews", "PromotionDecision"),
]
THROUGH = [
    ("brag", "BragEntry", "dimensions", "dimension tags"),
    ("reviews", "Rating", "evidence", "rating evidence"),
    ("reviews", "MatrixRow", "evidence", "matrix evidence"),
]


def at_least_one(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def a_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2026-05-01, got {value!r}"
        ) from None


class Command(BaseCommand):
    help = (
        "Build a deterministic, realistic engineering organisation in an empty database: teams, "
        "managers, engineers with years of brag entries, two review cycles with assessments, "
        "notes, packets and a decided promotion round. For load tests and query plans."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--teams", type=at_least_one, default=10)
        parser.add_argument("--engineers", type=at_least_one, default=100)
        parser.add_argument("--entries-per-engineer", dest="entries", type=at_least_one, default=50)
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed builds the same organisation."
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"The password of every account (default {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--today",
            type=a_day,
            default=None,
            help="The day every date is counted back from (default: today). Pin it to build "
            "the very same organisation on another day.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the people, teams, brag documents, reviews and the engineering "
            "ladder first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["teams"] > options["engineers"]:
            raise CommandError(
                f"--teams {options['teams']} is more than --engineers {options['engineers']}: "
                "every team needs at least one engineer."
            )
        size = OrgSize(
            teams=options["teams"],
            engineers=options["engineers"],
            entries_per_engineer=options["entries"],
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
            password=options["password"],
        )
        started = time.perf_counter()

        def report(phase: str, seconds: float) -> None:
            self.stdout.write(f"  {seconds:7.1f} s  {phase}")

        self.stdout.write(
            f"Seeding {size.teams} teams, {size.engineers} engineers × {size.entries_per_engineer}"
            f" entries (seed {size.seed}, dates back from {size.today}):"
        )
        try:
            build_org(size, replace=options["replace"], report=report)
        except SeedError as error:
            raise CommandError(str(error)) from None
        total = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"  {total:7.1f} s  in all"))
        self.stdout.write("Rows:")
        for app, name in COUNTED:
            model = apps.get_model(app, name)
            self.stdout.write(f"  {model.objects.count():>9,}  {model._meta.verbose_name_plural}")
        for app, name, field, label in THROUGH:
            through = getattr(apps.get_model(app, name), field).through
            self.stdout.write(f"  {through.objects.count():>9,}  {label}")
        self.stdout.write(
            f"Sign in as engineer-0001@{DOMAIN}, manager-001@{DOMAIN}, decider-1@{DOMAIN} or "
            f"staff@{DOMAIN} with the password {size.password!r}."
        )
