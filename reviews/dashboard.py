"""The manager's dashboard: one row per report, with where they are in the open cycle. Built in
a fixed number of queries, however many reports, entries, assessments or packets there are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from brag.models import BragEntry
from people.models import User

from .models import Assessment, Kind, ReviewCycle, State
from .packet_models import MatrixRow, MatrixStatus, PacketStatus, PromotionPacket

DEFAULT_SORT = "name"


@dataclass
class ReportRow:
    person: User
    last_entry: dt.date | None
    # Whether the self-assessment is submitted; a draft is the person's alone, so it reads as
    # "not submitted", exactly like no self-assessment at all.
    self_submitted: bool
    mine: Assessment | None  # the signed-in manager's own assessment of this person
    packet: PromotionPacket | None

    @property
    def gaps(self) -> int | None:
        return self.packet.gap_count if self.packet is not None else None  # type: ignore[attr-defined]

    @property
    def manager_state(self) -> str:
        if self.mine is None:
            return "Not started"
        if self.mine.is_submitted and self.mine.shared_at:
            return "Submitted, shared"
        return self.mine.get_state_display()

    @property
    def packet_state(self) -> str:
        if self.packet is None:
            return "None"
        decision = getattr(self.packet, "decision", None)
        if decision is not None:
            return f"Decided: {decision.get_outcome_display()}"
        return self.packet.get_status_display()


def _level_rank(row: ReportRow) -> tuple[int, int] | None:
    person = row.person
    if person.current_level is None:
        return None
    target = person.target_level.order if person.target_level else -1
    return (person.current_level.order, target)


def _manager_rank(row: ReportRow) -> int:
    if row.mine is None:
        return 0
    if not row.mine.is_submitted:
        return 1
    return 3 if row.mine.shared_at else 2


_PACKET_RANK: dict[str, int] = {
    PacketStatus.DRAFT: 1,
    PacketStatus.SUBMITTED: 2,
    PacketStatus.DECIDED: 3,
}

# sort key -> (column heading, the value sorted on; None sorts last in both directions)
COLUMNS: dict[str, tuple[str, Callable[[ReportRow], Any]]] = {
    "name": ("Person", lambda row: row.person.display_name.casefold()),
    "level": ("Level", _level_rank),
    "last_entry": ("Last entry", lambda row: row.last_entry),
    "self": ("Self-assessment", lambda row: int(row.self_submitted)),
    "manager": ("My assessment", _manager_rank),
    "packet": ("Packet", lambda row: _PACKET_RANK.get(row.packet.status) if row.packet else 0),
    "gaps": ("Gaps", lambda row: row.gaps),
}


def parse_sort(value: str | None) -> tuple[str, bool]:
    """`?sort=gaps` or `?sort=-gaps` → ("gaps", descending); anything else sorts by name."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value[1:] if descending else value
    if key not in COLUMNS:
        return DEFAULT_SORT, False
    return key, descending


def sort_rows(rows: list[ReportRow], key: str, descending: bool) -> list[ReportRow]:
    """Sorted by one column, ties by name; rows without a value for it come last either way."""
    by_name = sorted(rows, key=lambda row: (row.person.display_name.casefold(), row.person.pk))
    value = COLUMNS[key][1]
    present = [row for row in by_name if value(row) is not None]
    missing = [row for row in by_name if value(row) is None]
    return sorted(present, key=value, reverse=descending) + missing


def open_cycle() -> ReviewCycle | None:
    """The open cycle the dashboard follows: the latest to start."""
    return ReviewCycle.objects.filter(is_open=True).order_by("-start", "-pk").first()


def report_rows(manager: User, cycle: ReviewCycle | None) -> list[ReportRow]:
    """One row per report of `manager`, in five queries (four without an open cycle)."""
    reports = list(User.objects.reports_of(manager).select_related("current_level", "target_level"))
    if not reports:
        return []
    ids = [person.pk for person in reports]
    # Only what the manager may read: a private entry never counts, nor its date.
    last_entries = dict(
        BragEntry.objects.visible_to(manager)
        .filter(owner__in=ids)
        .order_by()
        .values("owner")
        .annotate(last=Max("date"))
        .values_list("owner", "last")
    )
    self_submitted: set[int] = set()
    mine: dict[int, Assessment] = {}
    packets: dict[int, PromotionPacket] = {}
    if cycle is not None:
        assessments = Assessment.objects.filter(cycle=cycle, subject__in=ids).filter(
            Q(kind=Kind.SELF, state=State.SUBMITTED) | Q(kind=Kind.MANAGER, author=manager)
        )
        for assessment in assessments.order_by().only(
            "pk", "subject_id", "kind", "state", "shared_at", "author_id"
        ):
            if assessment.kind == Kind.SELF:
                self_submitted.add(assessment.subject_id)
            else:
                mine[assessment.subject_id] = assessment
        gap_rows = (
            MatrixRow.objects.filter(packet=OuterRef("pk"), status=MatrixStatus.GAP)
            .order_by()
            .values("packet")
            .annotate(count=Count("pk"))
            .values("count")
        )
        visible = PromotionPacket.objects.visible_to(manager).filter(cycle=cycle, subject__in=ids)
        packets = {
            packet.subject_id: packet
            # Through the keys: the rows themselves need no DISTINCT.
            for packet in PromotionPacket.objects.filter(pk__in=visible.values("pk"))
            .only("pk", "subject_id", "status", "decision__outcome")
            .select_related("decision")
            .annotate(gap_count=Coalesce(Subquery(gap_rows, output_field=IntegerField()), Value(0)))
        }
    return [
        ReportRow(
            person=person,
            last_entry=last_entries.get(person.pk),
            self_submitted=person.pk in self_submitted,
            mine=mine.get(person.pk),
            packet=packets.get(person.pk),
        )
        for person in reports
    ]
