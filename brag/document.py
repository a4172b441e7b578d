"""A brag document as people read it: grouped by quarter and week, with this quarter's tally."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.utils import timezone

from people.models import User

from .models import BragEntry
from .quantify import is_quantified
from .quarters import Quarter, week_start


@dataclass
class Week:
    start: dt.date
    entries: list[BragEntry] = field(default_factory=list)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)


@dataclass
class QuarterGroup:
    quarter: Quarter
    weeks: list[Week]


def group_entries(entries: Iterable[BragEntry]) -> list[QuarterGroup]:
    """Entries (newest first) grouped by quarter, then by the week of the work."""
    groups = []
    for quarter, in_quarter in groupby(entries, key=lambda e: Quarter.of(e.date)):
        weeks = [
            Week(start, list(in_week))
            for start, in_week in groupby(in_quarter, key=lambda e: week_start(e.date))
        ]
        groups.append(QuarterGroup(quarter, weeks))
    return groups


@dataclass
class QuarterTally:
    quarter: Quarter
    total: int
    quantified: int


def quarter_tally(owner: User) -> QuarterTally:
    """How many of this quarter's entries say how much, in one query."""
    quarter = Quarter.of(owner.local_today())
    impacts = list(
        BragEntry.objects.alive()
        .filter(owner=owner)
        .in_quarter(quarter)
        .values_list("impact", flat=True)
    )
    return QuarterTally(quarter, len(impacts), sum(1 for text in impacts if is_quantified(text)))


def local_week_start(user: User, now: dt.datetime | None = None) -> dt.datetime:
    """Monday 00:00 of the user's current week, in their time zone."""
    local = timezone.localtime(now or timezone.now(), user.zone)
    monday = week_start(local.date())
    return dt.datetime.combine(monday, dt.time.min, tzinfo=user.zone)


def logged_this_week(user: User, now: dt.datetime | None = None) -> bool:
    """Whether the person added an entry since Monday, their time."""
    return (
        BragEntry.objects.alive()
        .filter(owner=user, created__gte=local_week_start(user, now))
        .exists()
    )
