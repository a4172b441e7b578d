from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from brag.reminders import send_reminders, worker_sends


class Command(BaseCommand):
    help = (
        "Queue the Friday reminder for those who logged nothing this week (in their time zone); "
        "the task worker (manage.py db_worker) sends it. Run it every hour from cron; it never "
        "queues anyone two in one week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="The app's address for links in the email, e.g. https://careers.example.com",
        )

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        run = send_reminders(base_url=base_url)
        # Say what happened: with the queue, nothing is sent until the worker runs.
        done = "queued for the worker" if worker_sends() else "sent"
        for email in run.sent:
            self.stdout.write(f"Reminder for {email} {done}")
        self.stdout.write(f"{len(run.sent)} reminder(s) {done}, {run.skipped} not due.")
