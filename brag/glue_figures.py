"""The team's glue-work figures: who logs what, by kind and by quarter, and the guide's signals.

Every figure the team page and its CSV show is computed here, in a fixed number of queries however
many people the team has, and the privacy rules live here only:

- the team's managers see per-person figures counting entries visible to managers (shared with
  managers or with the team);
- the team's engineers see team aggregates counting only entries shared with the team, and an
  aggregate is hidden from them when fewer than MIN_PEOPLE distinct engineers contributed an entry
  to it (it would reveal one person's numbers); beside those, an engineer sees their own figures,
  counting all their own entries, private ones included, which nobody else sees;
- a private entry never counts in a figure anyone but its owner sees.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import ExtractQuarter, ExtractYear

from people.models import Membership, Team, User

from .models import BragEntry, Category, GlueKind, GlueRecognition, Visibility
from .quarters import Quarter

MIN_PEOPLE = 3
MANAGER_AUDIENCE = (Visibility.MANAGERS, Visibility.TEAM)
TEAM_AUDIENCE = (Visibility.TEAM,)

# The guide's advice ("Being Glue"), shown beside each signal.
ADVICE = {
    "carrying": "Distribute it: don't let one person be the only one doing glue work. Create "
    "systems (onboarding docs, runbooks, templates) so the work scales beyond them.",
    "balance": "Balance it: make sure they also have visible technical projects. The ratio "
    "shifts over a career: early on more code, at staff level more organisational work.",
    "unrecognised": "Get it recognised: talk about it explicitly and frame it as organisational "
    "impact. Make it visible: unacknowledged glue work is lost at promotion time.",
}


def team_and_role(viewer: User, team_id: int) -> tuple[Team, str] | None:
    """The team and the viewer's role in it, or None when the viewer is not a member (staff
    included: being staff gives no right to anyone's figures). One query."""
    if not viewer.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("team").filter(team_id=team_id, user=viewer).first()
    )
    return (membership.team, membership.role) if membership else None


@dataclass
class Counts:
    """Entries of one person or of the team, in one quarter or a range."""

    entries: int = 0
    glue: int = 0
    projects: int = 0  # non-glue entries in the Projects category
    by_kind: Counter[str] = field(default_factory=Counter)
    people: set[int] = field(default_factory=set)  # who contributed an entry
    glue_people: set[int] = field(default_factory=set)  # who contributed a glue entry

    @property
    def other(self) -> int:
        return self.entries - self.glue

    @property
    def glue_percent(self) -> int | None:
        return round(100 * self.glue / self.entries) if self.entries else None

    def add(self, owner: int, kind: str, count: int, projects: int) -> None:
        self.entries += count
        self.people.add(owner)
        if kind:
            self.glue += count
            self.by_kind[kind] += count
            self.glue_people.add(owner)
        else:
            self.projects += projects

    def merge(self, other: Counts) -> None:
        self.entries += other.entries
        self.glue += other.glue
        self.projects += other.projects
        self.by_kind.update(other.by_kind)
        self.people |= other.people
        self.glue_people |= other.glue_people


@dataclass
class Figure:
    """One number as a teammate may see it: None, with `hidden`, under MIN_PEOPLE people."""

    value: int | None
    people: int

    @property
    def hidden(self) -> bool:
        return self.value is None


def _teammate_figure(value: int, people: set[int]) -> Figure:
    return Figure(value if len(people) >= MIN_PEOPLE else None, len(people))


@dataclass
class Signal:
    kind: str  # carrying, balance, unrecognised
    title: str
    person: User
    detail: str
    quarter: Quarter | None = None

    @property
    def advice(self) -> str:
        return ADVICE[self.kind]


@dataclass
class MemberRow:
    person: User
    role: str
    # Entries this quarter by the viewer's rule; None when the viewer may not see that figure.
    entries_this_quarter: int | None
    is_viewer: bool


@dataclass
class TeamFigures:
    team: Team
    viewer: User
    is_manager: bool
    quarters: list[Quarter]
    current: Quarter
    members: list[MemberRow]
    engineers: list[User]
    # Managers only: per engineer, per quarter (the range's and the current one).
    per_person: dict[int, dict[Quarter, Counts]]
    # Team aggregates by the viewer's rule (manager: manager-visible; engineer: team-visible).
    team_by_quarter: dict[Quarter, Counts]
    team_range: Counts
    # Engineers only: their own entries, private included.
    own: dict[Quarter, Counts]
    signals: list[Signal]

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return list(GlueKind.choices)

    def person_range(self, person_id: int) -> Counts:
        total = Counts()
        for quarter in self.quarters:
            total.merge(self.per_person.get(person_id, {}).get(quarter, Counts()))
        return total

    def own_range(self) -> Counts:
        total = Counts()
        for quarter in self.quarters:
            total.merge(self.own.get(quarter, Counts()))
        return total

    # What the page shows, already filtered by the rules above.

    def glue_by_kind(self) -> list[tuple[str, Figure]]:
        """The team's glue entries in the range, per kind."""
        rows = []
        for kind, label in GlueKind.choices:
            count = self.team_range.by_kind.get(kind, 0)
            if self.is_manager:
                rows.append((label, Figure(count, 0)))
            else:
                owners = self._kind_people.get(kind, set())
                rows.append((label, _teammate_figure(count, owners)))
        return rows

    def team_quarters(self) -> list[tuple[Quarter, Figure, Figure]]:
        """Per quarter of the range: the team's entries and glue entries."""
        rows = []
        for quarter in self.quarters:
            counts = self.team_by_quarter.get(quarter, Counts())
            if self.is_manager:
                rows.append((quarter, Figure(counts.entries, 0), Figure(counts.glue, 0)))
            else:
                rows.append(
                    (
                        quarter,
                        _teammate_figure(counts.entries, counts.people),
                        _teammate_figure(counts.glue, counts.glue_people),
                    )
                )
        return rows

    def carriers(self) -> list[tuple[User, int, int | None]]:
        """Managers only: who carries the glue in the range, most first: (person, glue
        entries, percent of the team's glue entries)."""
        if not self.is_manager:
            return []
        total = self.team_range.glue
        rows = []
        for person in self.engineers:
            glue = self.person_range(person.pk).glue
            rows.append((person, glue, round(100 * glue / total) if total else None))
        return sorted(rows, key=lambda row: (-row[1], row[0].display_name.casefold()))

    def carried_by(self) -> Figure:
        """Teammates: how many people logged the team's visible glue work in the range."""
        people = self.team_range.glue_people
        return _teammate_figure(len(people), people)

    def chart_series(self) -> list[tuple[str, list[tuple[Quarter, int, int]]]]:
        """Bars to draw: (label, [(quarter, glue, other)]), by the viewer's rule."""
        series = []
        if self.is_manager:
            for person in self.engineers:
                by_quarter = self.per_person.get(person.pk, {})
                bars = []
                for quarter in self.quarters:
                    counts = by_quarter.get(quarter, Counts())
                    bars.append((quarter, counts.glue, counts.other))
                series.append((person.display_name, bars))
            return series
        team_bars = []
        for quarter, entries, glue in self.team_quarters():
            if entries.hidden or glue.hidden:
                continue
            team_bars.append((quarter, glue.value or 0, (entries.value or 0) - (glue.value or 0)))
        if team_bars:
            series.append(("Team (shared with the team)", team_bars))
        own = [
            (q, self.own.get(q, Counts()).glue, self.own.get(q, Counts()).other)
            for q in self.quarters
        ]
        series.append(("You (all your entries)", own))
        return series

    def csv_rows(self) -> list[list[str | int]]:
        """Managers only: per person per quarter, entries, glue entries, glue by kind."""
        if not self.is_manager:
            return []
        rows: list[list[str | int]] = []
        for person in self.engineers:
            by_quarter = self.per_person.get(person.pk, {})
            for quarter in self.quarters:
                counts = by_quarter.get(quarter, Counts())
                row: list[str | int] = [
                    person.display_name,
                    person.email,
                    quarter.key,
                    counts.entries,
                    counts.glue,
                ]
                row.extend(counts.by_kind.get(kind, 0) for kind, _ in GlueKind.choices)
                rows.append(row)
        return rows

    _kind_people: dict[str, set[int]] = field(default_factory=dict)


def _grouped(entries: Any) -> list[dict[str, Any]]:
    return list(
        entries.order_by()
        .annotate(year=ExtractYear("date"), number=ExtractQuarter("date"))
        .values("owner", "year", "number", "glue_kind")
        .annotate(
            count=Count("pk"),
            projects=Count("pk", filter=Q(category=Category.PROJECTS)),
        )
    )


def _in_quarters(quarters: set[Quarter]) -> Q:
    return reduce(or_, (Q(date__gte=q.start, date__lte=q.end) for q in quarters))


def team_figures(
    viewer: User, team: Team, role: str, quarters: list[Quarter], today: dt.date
) -> TeamFigures:
    """Everything the team page shows the viewer: four queries for a manager (members,
    entries, unrecognised glue, plus none else), three for an engineer."""
    is_manager = role == Membership.Role.MANAGER
    current = Quarter.of(today)
    quarters = sorted(set(quarters))
    wanted = set(quarters) | {current}

    memberships = list(
        Membership.objects.filter(team=team)
        .select_related("user__current_level")
        .order_by("role", "user__name", "user__email")
    )
    engineers = [m.user for m in memberships if m.role == Membership.Role.ENGINEER]
    engineer_ids = [person.pk for person in engineers]

    audience = MANAGER_AUDIENCE if is_manager else TEAM_AUDIENCE
    # Through visible_to, the one place that decides who reads which entry, then narrowed to
    # the audience of the figure: for an engineer this drops their own private entries too.
    shared = BragEntry.objects.visible_to(viewer).filter(
        _in_quarters(wanted), owner__in=engineer_ids, visibility__in=audience
    )
    per_person: dict[int, dict[Quarter, Counts]] = {}
    team_by_quarter: dict[Quarter, Counts] = {}
    kind_people: dict[str, set[int]] = {}
    range_set = set(quarters)
    for row in _grouped(shared):
        quarter = Quarter(row["year"], row["number"])
        args = (row["owner"], row["glue_kind"], row["count"], row["projects"])
        per_person.setdefault(row["owner"], {}).setdefault(quarter, Counts()).add(*args)
        team_by_quarter.setdefault(quarter, Counts()).add(*args)
        if quarter in range_set and row["glue_kind"]:
            kind_people.setdefault(row["glue_kind"], set()).add(row["owner"])
    team_range = Counts()
    for quarter in quarters:
        team_range.merge(team_by_quarter.get(quarter, Counts()))

    own: dict[Quarter, Counts] = {}
    if not is_manager:
        mine = BragEntry.objects.visible_to(viewer).filter(_in_quarters(wanted), owner=viewer)
        for row in _grouped(mine):
            own.setdefault(Quarter(row["year"], row["number"]), Counts()).add(
                row["owner"], row["glue_kind"], row["count"], row["projects"]
            )

    members = []
    for membership in memberships:
        person = membership.user
        is_viewer = person.pk == viewer.pk
        count: int | None = None
        if membership.role == Membership.Role.ENGINEER:
            if is_manager:
                count = per_person.get(person.pk, {}).get(current, Counts()).entries
            elif is_viewer:
                count = own.get(current, Counts()).entries
        members.append(MemberRow(person, membership.get_role_display(), count, is_viewer))

    figures = TeamFigures(
        team=team,
        viewer=viewer,
        is_manager=is_manager,
        quarters=quarters,
        current=current,
        members=members,
        engineers=engineers,
        # Per-person figures are for managers only; an engineer's view keeps none.
        per_person=per_person if is_manager else {},
        team_by_quarter=team_by_quarter,
        team_range=team_range,
        own=own,
        signals=[],
        _kind_people=kind_people,
    )
    if is_manager:
        figures.signals = _signals(figures, viewer, team, today)
    return figures


def _signals(figures: TeamFigures, viewer: User, team: Team, today: dt.date) -> list[Signal]:
    """The guide's three signals, for the team's managers, on manager-visible entries."""
    signals = []
    people = {person.pk: person for person in figures.engineers}
    for quarter in figures.quarters:
        total = figures.team_by_quarter.get(quarter, Counts()).glue
        for person in figures.engineers:
            counts = figures.per_person.get(person.pk, {}).get(quarter)
            if counts is None:
                continue
            # Carrying the glue: strictly more than the team's limit, as a share of glue entries.
            if total and counts.glue * 100 > team.glue_share_limit * total:
                signals.append(
                    Signal(
                        "carrying",
                        "Carrying the glue",
                        person,
                        f"{counts.glue} of the team's {total} glue entries in {quarter} "
                        f"(more than {team.glue_share_limit}%).",
                        quarter,
                    )
                )
            # Out of balance: mostly glue (more than half) and no visible project.
            if counts.glue * 2 > counts.entries and counts.projects == 0:
                signals.append(
                    Signal(
                        "balance",
                        "Out of balance",
                        person,
                        f"{counts.glue} of {counts.entries} entries in {quarter} are glue work, "
                        "and none is a project.",
                        quarter,
                    )
                )
    cutoff = today - dt.timedelta(days=team.unrecognised_after_days)
    unrecognised = (
        BragEntry.objects.visible_to(viewer)
        .filter(
            owner__in=list(people),
            visibility__in=MANAGER_AUDIENCE,
            date__lt=cutoff,
        )
        # NOT EXISTS, not a LEFT JOIN on recognitions: the join made PostgreSQL read every
        # recognition of the organisation; this asks the (entry, manager) index per entry.
        .filter(~Exists(GlueRecognition.objects.filter(entry=OuterRef("pk"))))
        .exclude(glue_kind="")
        .order_by()
        .values("owner")
        .annotate(count=Count("pk"), oldest=Min("date"))
    )
    for row in unrecognised:
        signals.append(
            Signal(
                "unrecognised",
                "Unrecognised",
                people[row["owner"]],
                f"{row['count']} glue entr{'y' if row['count'] == 1 else 'ies'} older than "
                f"{team.unrecognised_after_days} days that no manager has acknowledged "
                f"(oldest {row['oldest']:%d %b %Y}).",
            )
        )
    order = {"carrying": 0, "balance": 1, "unrecognised": 2}
    return sorted(signals, key=lambda s: (order[s.kind], s.person.display_name.casefold()))
