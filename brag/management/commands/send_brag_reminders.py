from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from brag.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email the Friday reminder to those who logged nothing this week (in their time zone). "
        "Run it every hour from cron; it never sends anyone two in one week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="The app's address for links in the email, e.g. https://careers.example.com",
        )

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        run = send_reminders(base_url=base_url)
        for email in run.sent:
            self.stdout.write(f"Reminded {email}")
        self.stdout.write(f"{len(run.sent)} reminder(s) sent, {run.skipped} not due.")
