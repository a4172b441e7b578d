"""The Friday nudge: an email to those who logged nothing this week, in their own time zone,
never twice in one week.

Cron runs `send_reminders` every hour: it claims the week for each person due and queues their
email; the task worker sends it (brag/tasks.py). A person is claimed once a week whatever the
number of cron runs, and each claim queues one task, which the worker runs once: nobody gets two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from people.models import User

from .document import local_week_start, logged_this_week
from .tasks import send_brag_reminder

FRIDAY = 4
# From this local hour on Friday, a reminder is due; cron runs the command every hour.
SEND_FROM_HOUR = 14


@dataclass
class ReminderRun:
    sent: list[str]
    skipped: int


def is_due(user: User, now: dt.datetime) -> bool:
    local = timezone.localtime(now, user.zone)
    if local.weekday() != FRIDAY or local.hour < SEND_FROM_HOUR:
        return False
    if (
        user.last_reminded_on is not None
        and user.last_reminded_on >= local_week_start(user, now).date()
    ):
        return False  # already reminded this week
    return not logged_this_week(user, now)


def send_reminders(now: dt.datetime | None = None, base_url: str = "") -> ReminderRun:
    now = now or timezone.now()
    candidates = User.objects.filter(is_active=True, weekly_reminder=True).exclude(email="")
    sent, skipped = [], 0
    for user in candidates.iterator():
        if not is_due(user, now):
            skipped += 1
            continue
        with transaction.atomic():
            # Claim this week first, so that two overlapping runs cannot both send.
            local_today = timezone.localtime(now, user.zone).date()
            claimed = (
                User.objects.filter(pk=user.pk, weekly_reminder=True)
                .exclude(last_reminded_on__gte=local_week_start(user, now).date())
                .update(last_reminded_on=local_today)
            )
            if not claimed:
                skipped += 1
                continue
            queue_reminder(user.pk, base_url)
        sent.append(user.email)
    return ReminderRun(sent, skipped)


def worker_sends() -> bool:
    """True when reminders are queued in the database for the worker, False when the task
    backend sends them at once (TASKS_BACKEND=immediate)."""
    return isinstance(send_brag_reminder.get_backend(), DatabaseBackend)


def queue_reminder(user_id: int, base_url: str) -> None:
    """Queue one reminder, inside the transaction that claimed the week."""
    if worker_sends():
        # The queue is a table in the same database: the claim and the queued email commit
        # together or not at all, so a cron job that dies halfway loses no reminder.
        send_brag_reminder.enqueue(user_id, base_url)
    else:
        # A backend that runs the task at once must wait for the claim to be committed, or a
        # rolled-back claim would have sent an email that the next run sends again.
        transaction.on_commit(partial(send_brag_reminder.enqueue, user_id, base_url))


def send_reminder(user: User, base_url: str = "") -> None:
    context = {
        "user": user,
        "brag_url": base_url.rstrip("/") + reverse("brag:list"),
        "settings_url": base_url.rstrip("/") + reverse("settings"),
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] Two minutes for your brag document",
        message=render_to_string("brag/reminder_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
