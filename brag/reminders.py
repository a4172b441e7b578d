"""The Friday nudge: an email to those who logged nothing this week, in their own time zone,
never twice in one week."""

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
            transaction.on_commit(partial(send_brag_reminder.enqueue, user.pk, base_url))
        sent.append(user.email)
    return ReminderRun(sent, skipped)


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
