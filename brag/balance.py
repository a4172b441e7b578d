"""My balance: my share of glue work per quarter, read against the guide's advice that the
ratio shifts over a career (early on more code; at staff level more organisational work)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from people.models import Membership, Team, User

from .models import BragEntry, Category
from .quarters import Quarter, recent_quarters

QUARTERS = 4
STAFF_WORDS = ("staff", "principal", "distinguished", "fellow", "architect")
SENIOR_WORDS = ("senior", "lead")


class Stage(StrEnum):
    UNPLACED = "unplaced"
    EARLY = "early"
    SENIOR = "senior"
    STAFF = "staff"


# The guide's advice, worded for where the person is in their career.
ADVICE = {
    Stage.UNPLACED: "The guide’s advice: the ratio should shift over your career: early on, more "
    "code; at staff level, more organisational work. Set your level in your profile to read "
    "it for yours.",
    Stage.EARLY: "Early in your career, the guide’s advice is more code: keep visible technical "
    "projects in every quarter, and keep the glue work visible in your brag document too.",
    Stage.SENIOR: "At your level, glue work is part of the job, and so is a visible technical "
    "project in each quarter; talk to your manager about how the glue work is valued.",
    Stage.STAFF: "At staff level, the ratio shifts to more organisational work: glue work is "
    "much of the job. Frame it as organisational impact, and still keep a visible technical "
    "thread.",
}


@dataclass
class QuarterBalance:
    quarter: Quarter
    total: int
    glue: int
    projects: int

    @property
    def share(self) -> int | None:
        """Glue entries as a whole percentage of the quarter's entries; None with none."""
        return round(100 * self.glue / self.total) if self.total else None

    @property
    def mostly_glue_without_project(self) -> bool:
        """More than half glue work and no visible project: the team's "out of balance"."""
        return 2 * self.glue > self.total and not self.projects


@dataclass
class Balance:
    stage: Stage
    level_label: str
    advice: str
    quarters: list[QuarterBalance]
    teams: list[Team]

    @property
    def any_entries(self) -> bool:
        return any(row.total for row in self.quarters)


def stage_of(person: User) -> Stage:
    """Where a person is on the guide's arc, from their current level: by its name (Staff,
    Principal…; Senior), else by its place in the track (the top two levels read as staff)."""
    level = person.current_level
    if level is None:
        return Stage.UNPLACED
    words = f"{level.name} {level.code}".lower()
    if any(word in words for word in STAFF_WORDS):
        return Stage.STAFF
    if any(word in words for word in SENIOR_WORDS):
        return Stage.SENIOR
    orders = sorted(level.track.levels.values_list("order", flat=True))
    place = orders.index(level.order) if level.order in orders else 0
    if len(orders) >= 4 and place >= len(orders) - 2:
        return Stage.STAFF
    return Stage.SENIOR if place >= len(orders) // 2 else Stage.EARLY


def balance_of(person: User) -> Balance:
    """The person's own last four quarters, every entry of theirs counted (it is their page):
    one query for the entries, one for their teams, one or two for their level."""
    quarters = list(reversed(recent_quarters(person.local_today(), QUARTERS)))
    rows = {quarter: QuarterBalance(quarter, 0, 0, 0) for quarter in quarters}
    entries = (
        BragEntry.objects.alive()
        .filter(owner=person, date__gte=quarters[0].start, date__lte=quarters[-1].end)
        .values_list("date", "glue_kind", "category")
    )
    for date, glue_kind, category in entries:
        row = rows[Quarter.of(date)]
        row.total += 1
        if glue_kind:
            row.glue += 1
        elif category == Category.PROJECTS:
            row.projects += 1
    stage = stage_of(person)
    level = person.current_level
    teams = list(
        Team.objects.filter(
            memberships__user=person, memberships__role=Membership.Role.ENGINEER
        ).order_by("name")
    )
    return Balance(
        stage=stage,
        level_label=f"{level.name} ({level.code})" if level else "",
        advice=ADVICE[stage],
        quarters=list(rows.values()),
        teams=teams,
    )
