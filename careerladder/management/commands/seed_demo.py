from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from brag.demo import seed_brag
from people.demo import DEMO_PASSWORD, demo_engineers, seed_people
from people.models import User
from reviews.demo import seed_reviews


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
        for email, role in accounts:
            self.stdout.write(f"  {email:<{width}}  {role}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(f"{entries} brag entries across the last four quarters.")
        self.stdout.write(f"{assessments} assessments in two review cycles.")
