"""The demo's notes, packets and promotion rounds: private and shared notes with versions, one
packet in each state, and a decided round, so that every manager page has something real."""

from __future__ import annotations

from brag.models import BragEntry
from brag.recognition import recognise
from ladder.models import Level
from people.models import User

from .models import ReviewCycle
from .note_services import create_note, edit_note, share_note
from .packet_models import MatrixRow, MatrixStatus, PromotionPacket, PromotionRound, Recommendation
from .packet_sections import section_digest, stored_row_digest
from .packet_services import (
    draft_from_evidence,
    save_matrix_row,
    save_section,
    share_summary,
    start_packet,
    submit_packet,
)
from .round_services import decide


def seed_notes(people: dict[str, User]) -> int:
    maya, priya, leo, sam, grace = (people[k] for k in ("maya", "priya", "leo", "sam", "grace"))
    note = create_note(
        priya,
        maya,
        title="Calibration prep",
        body="Strong quarter on **scope**: the migration landed.\n\nAsk about cross-team work.",
    )
    edit_note(
        note,
        maya,
        note.version,
        title="Calibration prep",
        body="Strong quarter on **scope**: the migration landed two weeks early.\n\n"
        "Ask about cross-team work, and who she mentors.",
        cycle=None,
    )
    shared = create_note(
        priya,
        maya,
        title="What I will say in calibration",
        body="Ready for Staff on scope and technical depth; influence beyond Platform is the gap.",
    )
    share_note(shared, maya)
    create_note(leo, maya, title="1:1 themes", body="- wants more design work\n- on-call load")
    create_note(grace, sam, title="Promotion case", body="Principal case: org-wide incident work.")
    # One glue entry recognised, so that the team page and the brag document show both kinds.
    glue = (
        BragEntry.objects.visible_to(maya)
        .filter(owner=priya)
        .exclude(glue_kind="")
        .order_by("-date", "-pk")
        .first()
    )
    if glue is not None:
        recognise(glue, maya, "Thank you: the team runs smoother for it.")
    return 4


def seed_packets(people: dict[str, User], past: ReviewCycle, current: ReviewCycle) -> int:
    """Last quarter's round decided (Jonas promoted, Tomás not yet); this quarter Priya's packet
    is submitted and waiting, Leo's is a draft. Sam decides both rounds, Maya this one too."""
    maya, sam = people["maya"], people["sam"]
    PromotionRound.objects.create(cycle=past).deciders.add(sam)
    PromotionRound.objects.create(cycle=current).deciders.add(sam, maya)

    jonas = _ready(people["jonas"], past, sam, Recommendation.PROMOTE)
    decide(jonas, sam, "promoted", "Operates at Staff scope across Payments.", [])
    tomas = _ready(people["tomas"], past, sam, Recommendation.NOT_YET)
    gap = next(iter(tomas.ladder_version.spec.dimensions))
    decide(
        tomas,
        sam,
        "not_yet",
        "Solid Mid engineer; not yet owning a whole service.",
        [
            {
                "dimension_key": gap.key,
                "to_close": "Own the payouts service end to end for a quarter.",
            }
        ],
    )
    _ready(people["priya"], current, maya, Recommendation.PROMOTE)
    draft = start_packet(people["leo"], current, maya)
    draft_from_evidence(draft, people["leo"])
    return 4


def _ready(
    subject: User, cycle: ReviewCycle, manager: User, recommendation: str
) -> PromotionPacket:
    """A packet drafted from evidence, with the manager's case shared, the matrix filled and
    submitted, through the same services the pages use."""
    current = subject.current_level
    assert current is not None  # the demo's subjects all have a level
    target = (
        subject.target_level
        or Level.objects.filter(track=subject.track, order__gt=current.order).first()
    )
    packet = start_packet(subject, cycle, manager, target_level=target)
    draft_from_evidence(packet, subject)
    packet = PromotionPacket.objects.get(pk=packet.pk)
    packet = save_section(
        packet,
        "summary",
        manager,
        version=packet.version,
        base=section_digest(packet, "summary"),
        summary=f"{subject.get_short_name()} has the projects and the feedback for this level.",
        recommendation=recommendation,
    )
    share_summary(packet, manager)
    first = packet.ladder_version.spec.dimensions[0].key
    for row in MatrixRow.objects.filter(packet=packet).prefetch_related("evidence"):
        packet = PromotionPacket.objects.get(pk=packet.pk)
        # "Not yet" names the first dimension as the gap; the round's decision says so too.
        met = recommendation == Recommendation.PROMOTE or row.dimension_key != first
        save_matrix_row(
            packet,
            row.dimension_key,
            manager,
            status=MatrixStatus.MET if met else MatrixStatus.GAP,
            reason="" if met else "Owns features, not yet a whole service.",
            evidence=list(row.evidence.all() & BragEntry.objects.visible_to(manager)),
            version=packet.version,
            base=stored_row_digest(row.pk),
        )
    return submit_packet(PromotionPacket.objects.get(pk=packet.pk), manager)
