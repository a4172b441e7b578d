"""The promotion round: what its deciders read side by side, and the decision they record.
Views call these; nothing else writes a decision or moves a level for a promotion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
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

# A page of the round: the committee reads a few cards side by side on a wide screen and
# scrolls through ten, then pages on; the counts above them are the whole round's. A page of
# every packet (seventy and more) took a second to render.
PACKETS_PER_PAGE = 10


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
    # The levels the packet asks to move between, as its version names them.
    from_label: str
    to_label: str
    url: str
    decide_url: str
    # A decision can be recorded on it by the viewer: the card offers its form.
    decidable: bool = False
    # The form itself, only on the card opened to decide (loaded on demand, not on every card).
    form: DecisionForm | None = None
    decision: PromotionDecision | None = None
    # Why a refused decision was refused, when the card shows no form to carry it (the packet
    # was decided meanwhile).
    problems: list[str] = field(default_factory=list)

    @property
    def glue_percent(self) -> int | None:
        return round(100 * self.glue / self.entries) if self.entries else None


@dataclass
class RoundOrder:
    """The whole round in reading order, as packet keys: what the page counts and pages through,
    without loading any packet's content."""

    keys: list[int]
    waiting: int

    def packets(self, keys: Iterable[int]) -> list[PromotionPacket]:
        """The packets of `keys` (a page of this order) with what their cards show, in this
        order. Keys outside the order are left out: the order is what the viewer may read."""
        position = {pk: n for n, pk in enumerate(self.keys)}
        wanted = [pk for pk in keys if pk in position]
        packets = _with_card_data(PromotionPacket.objects.filter(pk__in=wanted))
        return sorted(packets, key=lambda packet: position[packet.pk])

    def page(self, number: int | str | None) -> Page[int]:
        """A page of keys; a missing or wrong number gives the first or the last page."""
        return Paginator(self.keys, PACKETS_PER_PAGE).get_page(number)

    def page_of(self, pk: int) -> int | None:
        """The page number holding the packet, or None when it is not in the round."""
        try:
            return self.keys.index(pk) // PACKETS_PER_PAGE + 1
        except ValueError:
            return None


def _with_card_data(packets: QuerySet[PromotionPacket]) -> QuerySet[PromotionPacket]:
    return packets.select_related("subject", "ladder_version", "decision__decided_by").defer(
        # The version's content is parsed once per process (LadderVersion.spec); decoding its
        # JSON on every row would cost more than the rest of the row.
        "ladder_version__content",
        "ladder_version__counts",
    )


def round_order(user: User, cycle: ReviewCycle) -> RoundOrder:
    """The round's packets, those waiting for a decision first, then by subject."""
    # Plain values, not packets: the whole round is counted and ordered on every page.
    rows = (
        round_packets(user)
        .filter(cycle=cycle)
        .order_by()
        .values_list("pk", "status", "subject__name", "subject__email")
    )
    waiting_first: dict[str, int] = {PacketStatus.SUBMITTED: 0, PacketStatus.DECIDED: 1}

    def reading_order(row: tuple[int, str, str, str]) -> tuple[int, str, int]:
        pk, status, name, email = row
        shown = User(name=name, email=email).display_name  # the one rule, on plain values
        return waiting_first.get(status, 2), shown.casefold(), pk

    ordered = sorted(rows, key=reading_order)
    waiting = sum(1 for row in ordered if row[1] == PacketStatus.SUBMITTED)
    return RoundOrder([row[0] for row in ordered], waiting)


def packet_of_round(user: User, pk: int) -> PromotionPacket | None:
    return _with_card_data(round_packets(user)).select_related("cycle").filter(pk=pk).first()


def _latest_assessments(cycle_id: int, subject_ids: list[int]) -> dict[tuple[int, str], Assessment]:
    """The latest submitted self and manager assessment of each subject in the cycle.
    Deciders are not in the assessments' reading rules: the round reads only the level each
    rating names (its label in the version it was submitted against), never a comment or the
    evidence, which are not even loaded."""
    assessments = (
        Assessment.objects.filter(cycle_id=cycle_id, subject__in=subject_ids)
        .filter(state=State.SUBMITTED)
        .select_related("author", "track", "ladder_version")
        # What the labels and the card read, no more: a page holds two assessments a packet.
        # The version's content is parsed once per process (see _with_card_data).
        .only(
            *("pk", "subject_id", "kind", "state", "submitted_at", "track_key", "track__key"),
            *("author__name", "author__email", "ladder_version__content_hash"),
        )
        .order_by("submitted_at", "pk")
    )
    latest: dict[tuple[int, str], Assessment] = {}
    for assessment in assessments:
        latest[(assessment.subject_id, assessment.kind)] = assessment  # later ones win
    return latest


Labels = dict[str, tuple[str, str]]


def _level_labels(assessments: Iterable[Assessment]) -> dict[int, Labels]:
    """Per assessment, the (short, long) label of the level each dimension is rated at, by
    dimension key. Read from plain rows: a page holds hundreds of ratings naming a handful of
    levels, so each distinct level is labelled once, by the assessment's own rule."""
    by_pk = {assessment.pk: assessment for assessment in assessments}
    if not by_pk:
        return {}
    rows = list(
        Rating.objects.filter(assessment__in=list(by_pk))
        .order_by()
        .values_list("assessment_id", "dimension_key", "level_code", "below_first_level", "level")
    )
    # Live levels are read only by assessments submitted before versions were kept.
    live_ids = {row[4] for row in rows if row[4] and by_pk[row[0]].frozen_track is None}
    live = Level.objects.only("pk", "code", "name").in_bulk(live_ids) if live_ids else {}
    labels: dict[int, Labels] = {pk: {} for pk in by_pk}
    named: dict[tuple[object, ...], tuple[str, str]] = {}
    for assessment_id, key, code, below, level_id in rows:
        assessment = by_pk[assessment_id]
        # What the label depends on: the version and track it was submitted against, the
        # rating's level code, and the live level where no version was recorded.
        which = (assessment.ladder_version_id, assessment.track_key, assessment.track_id)
        memo = (*which, code, below, level_id)
        if memo not in named:
            rating = Rating(level_code=code, below_first_level=below, level=live.get(level_id))
            named[memo] = (
                assessment.rating_label(rating, short=True),
                assessment.rating_label(rating),
            )
        labels[assessment_id][key] = named[memo]
    return labels


def _matrices(packet_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each packet's matrix: dimension key -> status ("" while nobody set it)."""
    matrices: dict[int, dict[str, str]] = {pk: {} for pk in packet_ids}
    rows = (
        MatrixRow.objects.filter(packet__in=packet_ids)
        .order_by("pk")
        .values_list("packet_id", "dimension_key", "status")
    )
    for packet_id, key, status in rows:
        matrices[packet_id][key] = status
    return matrices


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


NOT_SUBMITTED = ("—", "Not submitted")
NOT_RATED = ("—", "Not rated")


def cards(
    packets: list[PromotionPacket],
    viewer: User,
    forms: Mapping[int, DecisionForm] | None = None,
    opened: Collection[int] = (),
) -> list[Card]:
    """One card per packet, in four queries whatever their number: matrix rows, assessments,
    their ratings, glue counts. The packets of `opened` and
    of `forms` (refused forms, with their errors) show their decision form; the others offer
    to open it."""
    if not packets:
        return []
    forms = forms or {}
    subject_ids = sorted({packet.subject_id for packet in packets})
    matrices = _matrices([packet.pk for packet in packets])
    latest = _latest_assessments(packets[0].cycle_id, subject_ids)
    levels = _level_labels(latest.values())
    glue = _glue_counts(subject_ids)
    labels = dict(MatrixStatus.choices)
    result = []
    for packet in packets:
        matrix = matrices[packet.pk]
        statuses = list(matrix.values())
        mine = latest.get((packet.subject_id, Kind.SELF))
        theirs = latest.get((packet.subject_id, Kind.MANAGER))
        self_labels = levels[mine.pk] if mine else {}
        manager_labels = levels[theirs.pk] if theirs else {}
        self_missing = NOT_SUBMITTED if mine is None else NOT_RATED
        manager_missing = NOT_SUBMITTED if theirs is None else NOT_RATED
        rows = []
        for dimension in packet.ladder_version.spec.dimensions:
            status = matrix.get(dimension.key, "")
            self_code, self_label = self_labels.get(dimension.key, self_missing)
            manager_code, manager_label = manager_labels.get(dimension.key, manager_missing)
            rows.append(
                LevelRow(
                    dimension,
                    status,
                    labels.get(status, ""),
                    self_code,
                    self_label,
                    manager_code,
                    manager_label,
                )
            )
        decision = getattr(packet, "decision", None)
        own = packet.subject_id == viewer.pk
        decidable = decision is None and not own and packet.status == PacketStatus.SUBMITTED
        given = forms.get(packet.pk)
        form, problems = None, list[str]()
        if decidable and (given is not None or packet.pk in opened):
            form = given or DecisionForm(packet=packet, matrix=matrix)
        elif given is not None:
            problems = [str(problem) for problem in given.non_field_errors()]
        glue_count, entries = glue.get(packet.subject_id, (0, 0))
        current, target = packet.current, packet.target
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
                from_label=current.label if current else packet.current_level_code or "—",
                to_label=target.label if target else packet.target_level_code,
                url=packet.get_absolute_url(),
                decide_url=reverse("reviews:packet_decide", args=[packet.pk]),
                decidable=decidable,
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
