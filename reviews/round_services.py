"""The promotion round: what its deciders read side by side, and the decision they record.
Views call these; nothing else writes a decision or moves a level for a promotion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from brag.models import BragEntry, Visibility
from careerladder.editing import saved_by_update
from ladder.models import Level
from ladder.spec import DimensionSpec
from people.models import LevelChange, User

from .models import Assessment, Kind, Rating, ReviewCycle, State
from .packet_models import (
    MatrixRow,
    MatrixStatus,
    Outcome,
    PacketStatus,
    PromotionDecision,
    PromotionPacket,
    PromotionRound,
)
from .round_forms import DecisionForm


class DecisionError(Exception):
    """A decision the rules refuse; the message says why. Nothing was written."""


# Who reads the round -------------------------------------------------------------------------


def rounds_decided_by(user: User) -> QuerySet[PromotionRound]:
    """The rounds `user` is a decider of: staff and managers only when given the role."""
    if not user.is_authenticated:
        return PromotionRound.objects.none()
    return PromotionRound.objects.filter(deciders=user)


def round_packets(user: User) -> QuerySet[PromotionPacket]:
    """The packets a decider finds in their rounds: submitted and decided ones, never drafts,
    even of people the decider also manages. The packets' own access rule decides."""
    visible = (
        PromotionPacket.objects.visible_to(user)
        .filter(
            status__in=[PacketStatus.SUBMITTED, PacketStatus.DECIDED],
            cycle__in=rounds_decided_by(user).values("cycle"),
        )
        # A decider's own packet is not theirs to read as a decider: it would show the
        # manager's unshared case. They read it, and its decision, on the packet page.
        .exclude(subject=user)
    )
    # Through the keys, so that the rows read below need no DISTINCT over their JSON.
    return PromotionPacket.objects.filter(pk__in=visible.values("pk"))


# What the round shows ------------------------------------------------------------------------


@dataclass
class LevelRow:
    dimension: DimensionSpec
    matrix: str  # the matrix status, or "" while nobody set it
    matrix_label: str
    self_code: str
    self_label: str
    manager_code: str
    manager_label: str


@dataclass
class Card:
    packet: PromotionPacket
    rows: list[LevelRow]
    met: int
    gaps: int
    not_applicable: int
    open_rows: int
    self_assessment: Assessment | None
    manager_assessment: Assessment | None
    glue: int
    entries: int
    own: bool
    form: DecisionForm | None = None
    decision: PromotionDecision | None = None
    # Why a refused decision was refused, when the card shows no form to carry it (the packet
    # was decided meanwhile).
    problems: list[str] = field(default_factory=list)

    @property
    def glue_percent(self) -> int | None:
        return round(100 * self.glue / self.entries) if self.entries else None


def _with_card_data(packets: QuerySet[PromotionPacket]) -> QuerySet[PromotionPacket]:
    return packets.select_related(
        "subject", "cycle", "ladder_version", "decision__decided_by"
    ).prefetch_related(
        Prefetch(
            "matrix",
            queryset=MatrixRow.objects.only("pk", "packet_id", "dimension_key", "status").order_by(
                "pk"
            ),
        )
    )


def packets_of_round(user: User, cycle: ReviewCycle) -> list[PromotionPacket]:
    """The round's packets, those waiting for a decision first, then by subject."""
    packets = list(_with_card_data(round_packets(user).filter(cycle=cycle)))
    waiting: dict[str, int] = {PacketStatus.SUBMITTED: 0, PacketStatus.DECIDED: 1}
    packets.sort(key=lambda p: (waiting.get(p.status, 2), p.subject.display_name.casefold(), p.pk))
    return packets


def packet_of_round(user: User, pk: int) -> PromotionPacket | None:
    return _with_card_data(round_packets(user)).filter(pk=pk).first()


def _latest_assessments(cycle_id: int, subject_ids: list[int]) -> dict[tuple[int, str], Assessment]:
    """The latest submitted self and manager assessment of each subject in the cycle.
    Deciders are not in the assessments' reading rules: the round reads only the level each
    rating names (its label in the version it was submitted against), never a comment or the
    evidence, which are not even loaded."""
    ratings = Rating.objects.only(
        "pk", "assessment_id", "dimension_key", "level_code", "level", "below_first_level"
    ).select_related("level")
    assessments = (
        Assessment.objects.filter(cycle_id=cycle_id, subject__in=subject_ids)
        .filter(state=State.SUBMITTED)
        .select_related("author", "track", "ladder_version")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("submitted_at", "pk")
    )
    latest: dict[tuple[int, str], Assessment] = {}
    for assessment in assessments:
        latest[(assessment.subject_id, assessment.kind)] = assessment  # later ones win
    return latest


def _glue_counts(subject_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(glue entries, all entries) per subject, of the entries shared with managers or the
    team: a private entry counts nowhere, so the round cannot learn that it exists."""
    rows = (
        BragEntry.objects.alive()
        .filter(owner__in=subject_ids, visibility__in=[Visibility.MANAGERS, Visibility.TEAM])
        .order_by()
        .values("owner")
        .annotate(total=Count("pk"), glue=Count("pk", filter=~Q(glue_kind="")))
    )
    return {row["owner"]: (row["glue"], row["total"]) for row in rows}


def _labels(assessment: Assessment | None, key: str) -> tuple[str, str]:
    if assessment is None:
        return "—", "Not submitted"
    rating = next((r for r in assessment.ratings.all() if r.dimension_key == key), None)
    if rating is None:
        return "—", "Not rated"
    return assessment.rating_label(rating, short=True), assessment.rating_label(rating)


def cards(
    packets: list[PromotionPacket], viewer: User, forms: Mapping[int, DecisionForm] | None = None
) -> list[Card]:
    """One card per packet, in three queries whatever their number (the packets come with
    their matrix rows): assessments, their ratings, glue counts."""
    if not packets:
        return []
    forms = forms or {}
    subject_ids = sorted({packet.subject_id for packet in packets})
    latest = _latest_assessments(packets[0].cycle_id, subject_ids)
    glue = _glue_counts(subject_ids)
    labels = dict(MatrixStatus.choices)
    result = []
    for packet in packets:
        matrix = {row.dimension_key: row.status for row in packet.matrix.all()}
        statuses = list(matrix.values())
        mine = latest.get((packet.subject_id, Kind.SELF))
        theirs = latest.get((packet.subject_id, Kind.MANAGER))
        rows = []
        for dimension in packet.ladder_version.spec.dimensions:
            self_code, self_label = _labels(mine, dimension.key)
            manager_code, manager_label = _labels(theirs, dimension.key)
            rows.append(
                LevelRow(
                    dimension,
                    matrix.get(dimension.key, ""),
                    labels.get(matrix.get(dimension.key, ""), ""),
                    self_code,
                    self_label,
                    manager_code,
                    manager_label,
                )
            )
        decision = getattr(packet, "decision", None)
        own = packet.subject_id == viewer.pk
        given = forms.get(packet.pk)
        form, problems = None, list[str]()
        if decision is None and not own and packet.status == PacketStatus.SUBMITTED:
            form = given or DecisionForm(packet=packet, matrix=matrix)
        elif given is not None:
            problems = [str(problem) for problem in given.non_field_errors()]
        glue_count, entries = glue.get(packet.subject_id, (0, 0))
        result.append(
            Card(
                packet=packet,
                rows=rows,
                met=statuses.count(MatrixStatus.MET),
                gaps=statuses.count(MatrixStatus.GAP),
                not_applicable=statuses.count(MatrixStatus.NOT_APPLICABLE),
                open_rows=statuses.count(""),
                self_assessment=mine,
                manager_assessment=theirs,
                glue=glue_count,
                entries=entries,
                own=own,
                form=form,
                decision=decision,
                problems=problems,
            )
        )
    return result


# Deciding ------------------------------------------------------------------------------------


def _named_gaps(packet: PromotionPacket, gaps: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    dimensions = {d.key: d for d in packet.ladder_version.spec.dimensions}
    named: dict[str, dict[str, str]] = {}
    for gap in gaps:
        key = str(gap.get("dimension_key", ""))
        to_close = str(gap.get("to_close", "") or "").strip()
        if key not in dimensions:
            raise DecisionError(f"“{key}” is not a dimension of this packet's ladder.")
        if not to_close:
            raise DecisionError(f"Say what would close the gap in {dimensions[key].name}.")
        named[key] = {
            "dimension_key": key,
            "dimension_name": dimensions[key].name,
            "to_close": to_close,
        }
    return list(named.values())


def _promote(packet: PromotionPacket, effective: dt.date) -> None:
    """The subject's current level becomes the packet's target, from `effective`, and their
    level history says so. Refused when that level has left the live ladder."""
    subject = (
        User.objects.select_for_update(of=("self",))
        .select_related("track", "current_level", "target_level")
        .get(pk=packet.subject_id)
    )
    name = subject.display_name
    frozen = packet.target
    wanted = frozen.label if frozen else packet.target_level_code
    target = (
        Level.objects.filter(pk=packet.target_level_id).first() if packet.target_level_id else None
    )
    if target is None:
        raise DecisionError(
            f"{wanted} is no longer on the ladder, so {name}'s level cannot move to it. "
            "Nothing was recorded: ask staff to restore the level, or decide “not yet”."
        )
    if target.track_id != subject.track_id:
        raise DecisionError(
            f"{name} has moved to another track since this packet was written; "
            f"{target.label} is not a level of it. Nothing was recorded."
        )
    current = subject.current_level
    if current is not None and current.order >= target.order:
        raise DecisionError(f"{name} is at {current.label} already. Nothing was recorded.")
    LevelChange.objects.create(
        person=subject,
        track=subject.track,
        from_level=current,
        to_level=target,
        from_label=current.label if current else "",
        to_label=target.label,
        effective=effective,
        reason=f"Promoted in {packet.cycle.name}"[:250],
    )
    subject.current_level = target
    # Reached: the target goes (and one below the new level could not stay either).
    if subject.target_level is not None and subject.target_level.order <= target.order:
        subject.target_level = None
    subject.save(update_fields=["current_level", "target_level"])


def decide(
    packet: PromotionPacket,
    by: User,
    outcome: str,
    reason: str,
    gaps: Iterable[Mapping[str, Any]],
    effective: dt.date | None = None,
) -> PromotionDecision:
    """Record the round's decision on a submitted packet. `gaps`: for "not yet", at least one
    {"dimension_key", "to_close"} naming a dimension of the packet's version. "Promoted" moves
    the subject's current level to the target from `effective` (the decider's today by
    default). Raises PermissionDenied for anyone but the cycle's deciders and DecisionError
    for anything else refused; either way nothing is written."""
    reason = (reason or "").strip()
    if outcome not in Outcome.values:
        raise DecisionError("Pick an outcome: promoted or not yet.")
    if not reason:
        raise DecisionError("Give the reason for the decision.")
    named = _named_gaps(packet, gaps) if outcome == Outcome.NOT_YET else []
    if outcome == Outcome.NOT_YET and not named:
        raise DecisionError("“Not yet” names at least one dimension that is a gap.")
    effective = effective or by.local_today()
    try:
        with transaction.atomic():
            if not PromotionPacket.objects.decidable_by(by).filter(pk=packet.pk).exists():
                if (
                    PromotionPacket.objects.filter(
                        pk=packet.pk, status=PacketStatus.DECIDED
                    ).exists()
                    and rounds_decided_by(by).filter(cycle=packet.cycle_id).exists()
                ):
                    raise DecisionError("This packet is decided already. Nothing changed.")
                raise PermissionDenied
            if packet.subject_id == by.pk:
                raise DecisionError("Someone else decides on your own packet.")
            # The check and the write in one UPDATE: a second decision (another tab, another
            # decider) finds nothing left to update.
            moved = PromotionPacket.objects.filter(
                pk=packet.pk, status=PacketStatus.SUBMITTED
            ).update(status=PacketStatus.DECIDED, version=F("version") + 1, updated=timezone.now())
            if not moved:
                raise DecisionError("This packet is decided already. Nothing changed.")
            packet.status = PacketStatus.DECIDED
            saved_by_update.send(sender=PromotionPacket, instance=packet, changed=["status"], by=by)
            if outcome == Outcome.PROMOTED:
                _promote(packet, effective)
            decision = PromotionDecision.objects.create(
                packet=packet,
                outcome=outcome,
                reason=reason,
                gaps=named,
                decided_by=by,
                effective=effective,
            )
    except IntegrityError:  # a second decision raced the update above
        raise DecisionError("This packet is decided already. Nothing changed.") from None
    packet.status = PacketStatus.DECIDED
    return decision
