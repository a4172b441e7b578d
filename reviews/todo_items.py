"""The to-do list's sentences: each item says what waits, in the product's words, and links to
the page (or posts to the URL) where it is done. Plain functions over the rows todo.py reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import dateformat

from people.models import Team, User

from .models import Kind, ReviewCycle, State
from .packet_models import MIN_PROJECTS, PacketStatus, PromotionRound
from .packet_sections import SECTIONS

# A decision stays on its subject's list this long: long enough to be read after a holiday.
DECISION_NEWS_DAYS = 30
# A manager's list of assessments is cut here; the Reviews page lists them all.
MAX_ASSESSMENTS = 8
# Staff are told to open a closed cycle this many days before it starts.
OPEN_AHEAD_DAYS = 14
# The packet sections the subject writes, beside the projects, in the page's order.
SUBJECT_TEXT_SECTIONS = ("influence", "mentoring", "glue", "growth")


@dataclass(frozen=True)
class Item:
    """One thing to do: the sentence, and the action's label and URL. `post` holds the form's
    hidden fields when the action is a POST (starting an assessment); None for a link."""

    text: str
    action: str
    url: str
    post: tuple[tuple[str, str], ...] | None = None


@dataclass
class Group:
    key: str  # engineer, manager, decider, staff
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class TodoList:
    groups: list[Group]

    @property
    def is_empty(self) -> bool:
        return not any(group.items for group in self.groups)


@dataclass(frozen=True)
class StaffPermissions:
    people: bool = False
    teams: bool = False
    cycles: bool = False


def day(date: dt.date) -> str:
    return dateformat.format(date, "j M Y")


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def name_of(row: Mapping[str, Any], prefix: str) -> str:
    """A person's display name from a row's plain values (the one rule, without the row)."""
    return User(name=row[f"{prefix}__name"], email=row[f"{prefix}__email"]).display_name


# The engineer ---------------------------------------------------------------------------------


def engineer_items(
    user: User,
    logged: bool,
    open_cycles: list[ReviewCycle],
    assessments: list[Mapping[str, Any]],
    packets: list[Mapping[str, Any]],
) -> list[Item]:
    items = []
    if not logged:
        items.append(
            Item(
                "Nothing in your brag document this week yet: two minutes is enough.",
                "Log a win",
                reverse("brag:list"),
            )
        )
    about_me = [a for a in assessments if a["subject_id"] == user.pk]
    own = {a["cycle_id"]: a for a in about_me if a["kind"] == Kind.SELF}
    for cycle in open_cycles:
        mine = own.get(cycle.pk)
        # Without a track there is nothing to rate against: starting would only fail.
        if mine is None and user.track_id is not None:
            items.append(
                Item(
                    f"{cycle.name} is open until {day(cycle.end)}: your self-assessment is "
                    "not started.",
                    "Start my self-assessment",
                    reverse("reviews:start", args=[cycle.pk]),
                    post=(),
                )
            )
        elif mine is not None and mine["state"] == State.DRAFT:
            items.append(_draft_item(mine, f"Your self-assessment for {cycle.name}"))
        compare = f"{reverse('reviews:standing', args=[user.pk])}?cycle={cycle.pk}"
        for shared in about_me:
            if shared["kind"] == Kind.MANAGER and shared["cycle_id"] == cycle.pk:
                items.append(
                    Item(
                        f"{name_of(shared, 'author')} shared their assessment of you for "
                        f"{cycle.name}.",
                        "Compare it with yours",
                        compare,
                    )
                )
    for packet in packets:
        if packet["subject_id"] == user.pk:
            items.extend(_my_packet_items(packet))
    return items


def _draft_item(assessment: Mapping[str, Any], what: str) -> Item:
    rated, total = assessment["rated"], assessment["total"]
    url = reverse("reviews:assessment", args=[assessment["pk"]])
    if total and rated == total:
        return Item(f"{what} has every dimension rated: submit it.", "Review and submit", url)
    return Item(f"{what} is a draft: {rated} of {total} dimensions rated.", "Continue it", url)


def _my_packet_items(packet: Mapping[str, Any]) -> list[Item]:
    url = reverse("reviews:packet", args=[packet["pk"]])
    cycle = packet["cycle__name"]
    if packet["status"] == PacketStatus.DECIDED:
        return [
            Item(
                f"The promotion round has decided on your packet for {cycle}.",
                "Read the decision",
                url,
            )
        ]
    missing, first = [], ""
    if packet["project_count"] < MIN_PROJECTS:
        missing.append(f"projects ({packet['project_count']} of {MIN_PROJECTS} picked)")
        first = "projects"
    for key in SUBJECT_TEXT_SECTIONS:
        section = SECTIONS[key]
        if not packet[f"{section.fields[0]}_length"]:
            missing.append(section.title[0].lower() + section.title[1:])
            first = first or key
    if not missing:
        return []
    return [
        Item(
            f"Your promotion packet for {cycle} waits on your sections: {', '.join(missing)}.",
            "Write them",
            f"{url}#section-{first}",
        )
    ]


# The manager ----------------------------------------------------------------------------------


def manager_assessment_items(
    user: User,
    open_cycles: list[ReviewCycle],
    reports: list[User],
    assessments: list[Mapping[str, Any]],
) -> list[Item]:
    """Per open cycle and report: an assessment to start, finish or share; those whose
    self-assessment is in and waits for mine first."""
    report_ids = {report.pk for report in reports}
    mine = {
        (a["cycle_id"], a["subject_id"]): a
        for a in assessments
        if a["kind"] == Kind.MANAGER and a["author_id"] == user.pk
    }
    waiting = {
        (a["cycle_id"], a["subject_id"])
        for a in assessments
        if a["kind"] == Kind.SELF
        and a["state"] == State.SUBMITTED
        and a["subject_id"] in report_ids
    }
    ranked: list[tuple[int, Item]] = []
    people = sorted(reports, key=lambda person: (person.display_name.casefold(), person.pk))
    for cycle in open_cycles:
        for person in people:
            key = (cycle.pk, person.pk)
            ranked.extend(_report_item(cycle, person, mine.get(key), key in waiting))
    items = [item for _, item in sorted(ranked, key=lambda pair: pair[0])]
    if len(items) > MAX_ASSESSMENTS:
        rest = len(items) - (MAX_ASSESSMENTS - 1)
        items = items[: MAX_ASSESSMENTS - 1]
        items.append(
            Item(
                f"{plural(rest, 'more assessment waits', 'more assessments wait')} on you.",
                "See them all",
                reverse("reviews:home"),
            )
        )
    return items


def _report_item(
    cycle: ReviewCycle, person: User, mine: Mapping[str, Any] | None, waiting: bool
) -> list[tuple[int, Item]]:
    """(rank, item) for one report in one cycle: nothing when there is nothing to do."""
    name = person.display_name
    if mine is None:
        if person.track_id is None:  # starting would fail: an admin places them first
            return []
        text = (
            f"{name} submitted their self-assessment for {cycle.name}: it waits for yours."
            if waiting
            else f"{name} is still to assess for {cycle.name}."
        )
        start = reverse("reviews:start", args=[cycle.pk])
        item = Item(
            text, f"Assess {person.get_short_name()}", start, (("subject", str(person.pk)),)
        )
        return [(0 if waiting else 2, item)]
    if mine["state"] == State.DRAFT:
        item = _draft_item(mine, f"Your assessment of {name} for {cycle.name}")
        if waiting:
            item = Item(f"{item.text} Their self-assessment is in.", item.action, item.url)
        return [(1 if waiting else 2, item)]
    if mine["shared_at"] is None:
        url = reverse("reviews:assessment", args=[mine["pk"]])
        text = f"Your assessment of {name} for {cycle.name} is submitted but not shared with them."
        return [(3, Item(text, "Share it", url))]
    return []


def manager_packet_items(user: User, packets: list[Mapping[str, Any]]) -> list[Item]:
    """My reports' draft packets: my sections to write, what stands before submitting, or
    that it is ready to submit."""
    items = []
    for packet in packets:
        if packet["subject_id"] == user.pk:
            continue
        url = reverse("reviews:packet", args=[packet["pk"]])
        whose = f"{name_of(packet, 'subject')}’s promotion packet for {packet['cycle__name']}"
        if not packet["summary_length"] or not packet["recommendation"]:
            items.append(Item(f"{whose} needs your summary and recommendation.", "Write them", url))
            continue
        problems = []
        if packet["project_count"] < MIN_PROJECTS:
            problems.append(f"{packet['project_count']} of {MIN_PROJECTS} projects picked")
        if packet["open_rows"]:
            rows = plural(packet["open_rows"], "row", "rows")
            problems.append(f"{rows} of the evidence matrix still open")
        if problems:
            text = f"{whose} is not ready to submit: {'; '.join(problems)}."
            items.append(Item(text, "Open the packet", url))
        else:
            items.append(Item(f"{whose} is ready to submit.", "Submit it", f"{url}#submit-bar"))
    return items


def glue_items(
    teams: list[Team], oldest: Iterable[tuple[int, dt.date]], today: dt.date
) -> list[Item]:
    """Per team I manage: how many engineers have glue work nobody acknowledged for longer
    than the team allows (the team page's "Unrecognised" signal)."""
    items = []
    for team in sorted(teams, key=lambda team: team.name.casefold()):
        cutoff = today - dt.timedelta(days=team.unrecognised_after_days)
        count = sum(1 for team_id, date in oldest if team_id == team.pk and date < cutoff)
        if count:
            who = plural(count, "person has", "people have")
            items.append(
                Item(
                    f"In {team.name}, {who} glue work that no manager has acknowledged for "
                    f"more than {team.unrecognised_after_days} days.",
                    "See the signals",
                    f"{reverse('teams:team', args=[team.pk])}#signals",
                )
            )
    return items


# The decider and staff ------------------------------------------------------------------------


def decider_items(rounds: list[PromotionRound]) -> list[Item]:
    return [
        Item(
            f"{plural(r.waiting, 'packet waits', 'packets wait')} for your decision in the "  # type: ignore[attr-defined]
            f"promotion round of {r.cycle.name}.",
            "Read the packets",
            reverse("reviews:round", args=[r.cycle_id]),
        )
        for r in rounds
        if r.waiting  # type: ignore[attr-defined]
    ]


def staff_items(
    may: StaffPermissions, people: Mapping[str, int], cycles: list[ReviewCycle], today: dt.date
) -> list[Item]:
    """People out of place and cycles to open or close. "To close": open and past its end.
    "To open": closed, not yet over, and starting within OPEN_AHEAD_DAYS (or started)."""
    items = []
    if may.people and people.get("no_track"):
        items.append(
            Item(
                f"{plural(people['no_track'], 'person has', 'people have')} no track yet: "
                "nobody can assess them.",
                "Place them on a track",
                f"{reverse('admin:people_user_changelist')}"
                "?is_active__exact=1&is_staff__exact=0&track__isnull=True",
            )
        )
    if may.teams and people.get("no_team"):
        items.append(
            Item(
                f"{plural(people['no_team'], 'person is', 'people are')} in no team yet: "
                "nobody manages them.",
                "Add them to a team",
                reverse("admin:people_team_changelist"),
            )
        )
    if not may.cycles:
        return items
    to_open = False
    for cycle in cycles:
        change = reverse("admin:reviews_reviewcycle_change", args=[cycle.pk])
        if cycle.is_open and cycle.end < today:
            items.append(
                Item(
                    f"{cycle.name} ended on {day(cycle.end)} and is still open: close it so "
                    "that assessments stop changing.",
                    f"Close {cycle.name}",
                    change,
                )
            )
        elif not cycle.is_open and cycle.start <= today + dt.timedelta(days=OPEN_AHEAD_DAYS):
            when = "started" if cycle.start <= today else "starts"
            to_open = True
            items.append(
                Item(
                    f"{cycle.name} {when} on {day(cycle.start)} but is closed: open it so "
                    "that people can assess.",
                    f"Open {cycle.name}",
                    change,
                )
            )
    if not to_open and not any(c.is_open and c.end >= today for c in cycles):
        items.append(
            Item(
                "No review cycle is open: nobody can assess.",
                "Add a cycle",
                reverse("admin:reviews_reviewcycle_add"),
            )
        )
    return items
