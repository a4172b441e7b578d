from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from brag.demo import seed_brag
from people.demo import DEMO_PASSWORD, demo_engineers, seed_people
from people.models import User
from reviews.demo import seed_reviews
from reviews.models import PromotionRound


class Command(BaseCommand):
    help = (
        "Create a demo organisation: two teams, a manager each, engineers at several levels, "
        "and a year of brag entries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people in it.",
        )

    def handle(self, *args: Any, if_empty: bool, **options: Any) -> None:
        if if_empty and User.objects.exists():
            self.stdout.write("People exist already; no demo data added.")
            return
        with transaction.atomic():
            accounts = seed_people()
            entries = seed_brag(demo_engineers())
            assessments = seed_reviews(demo_engineers())
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Sign in with:"))
        width = max(len(email) for email, _ in accounts)
        # Levels as they are after the demo's promotion round.
        levels = {
            user.email: user.current_level.label
            for user in User.objects.filter(current_level__isnull=False).select_related(
                "current_level"
            )
        }
        for email, role in accounts:
            if role.startswith("engineer") and email in levels:
                role = f"{role.rsplit(', ', 1)[0]}, {levels[email]}"
            self.stdout.write(f"  {email:<{width}}  {role}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"{entries} brag entries across the last four quarters.")
        self.stdout.write(f"{assessments} assessments, notes and packets in two review cycles.")
        decided = PromotionRound.objects.filter(cycle__is_open=False).first()
        if decided:
            deciders = ", ".join(u.email for u in decided.deciders.all())
            self.stdout.write(f"The promotion round of {decided.cycle} is decided ({deciders}).")
