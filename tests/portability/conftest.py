import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from brag.models import BragEntry, GlueKind, Goal, Visibility
from brag.recognition import recognise
from ladder.models import Dimension, Level
from people.models import LevelChange
from reviews.models import Assessment, Kind, PromotionPacket, ReviewCycle, ReviewNote
from reviews.note_services import create_note, share_note
from reviews.packet_services import start_packet
from reviews.services import start_assessment, submit

from ..factories import BragEntryFactory, GoalFactory


@pytest.fixture
def cycle(db) -> ReviewCycle:
    return ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )


@dataclass
class World:
    """The owner's data, and planted private text of others that must never leak into it."""

    private_entry: BragEntry
    deleted_entry: BragEntry
    glue_entry: BragEntry
    self_assessment: Assessment
    manager_assessment: Assessment
    shared_note: ReviewNote
    private_note: ReviewNote
    packet: PromotionPacket
    teammate_packet: PromotionPacket


def _rate(assessment: Assessment, code: str, comment: str) -> None:
    level = Level.objects.get(track=assessment.track, code=code)
    assessment.ratings.update(level=level, comment=comment)


@pytest.fixture
def world(cast, cycle) -> World:
    dimension = Dimension.objects.get(ladder__slug="engineering", key="scope")
    private_entry = BragEntryFactory(
        owner=cast.owner,
        title="Owner private win",
        visibility=Visibility.PRIVATE,
        dimensions=[dimension],
    )
    deleted_entry = BragEntryFactory(owner=cast.owner, title="Owner deleted win")
    deleted_entry.soft_delete()
    glue_entry = BragEntryFactory(
        owner=cast.owner, title="Owner onboarding", glue_kind=GlueKind.ONBOARDING
    )
    recognise(glue_entry, cast.manager, "Seen, thank you")
    GoalFactory(owner=cast.owner, text="Owner goal: lead the migration")
    dropped = GoalFactory(owner=cast.owner, text="Owner dropped goal")
    Goal.objects.filter(pk=dropped.pk).update(deleted_at=timezone.now())
    # What belongs to others, each with a planted text that must not leak.
    BragEntryFactory(owner=cast.teammate, title="planted-teammate-private", visibility="private")
    BragEntryFactory(owner=cast.teammate, title="planted-teammate-team", visibility="team")
    BragEntryFactory(owner=cast.outsider, title="planted-outsider-entry", visibility="team")
    GoalFactory(owner=cast.teammate, text="planted-teammate-goal")

    self_assessment = start_assessment(cycle, cast.owner, cast.owner, Kind.SELF)
    _rate(self_assessment, "L4", "Owner self comment")
    self_assessment.ratings.first().evidence.add(private_entry)
    manager_assessment = start_assessment(cycle, cast.owner, cast.manager, Kind.MANAGER)
    _rate(manager_assessment, "L3", "planted-manager-assessment-comment")
    submit(manager_assessment)
    teammate_self = start_assessment(cycle, cast.teammate, cast.teammate, Kind.SELF)
    _rate(teammate_self, "L4", "planted-teammate-self-comment")

    shared_note = create_note(cast.owner, cast.manager, title="Shared note", body="Shared body")
    share_note(shared_note, cast.manager)
    private_note = create_note(
        cast.owner, cast.manager, title="planted-private-note", body="planted-private-body"
    )
    create_note(cast.teammate, cast.manager, title="planted-teammate-note", body="x")

    packet = start_packet(cast.owner, cycle, cast.manager)
    PromotionPacket.objects.filter(pk=packet.pk).update(
        influence="Owner influence", summary="planted-unshared-summary", recommendation="promote"
    )
    teammate_packet = start_packet(cast.teammate, cycle, cast.manager)
    PromotionPacket.objects.filter(pk=teammate_packet.pk).update(
        influence="planted-teammate-packet"
    )
    LevelChange.objects.create(
        person=cast.owner,
        track=cast.owner.track,
        from_label="Junior (L2)",
        to_label="Mid (L3)",
        effective=dt.date(2026, 4, 1),
        reason="Promoted in the spring round",
    )
    return World(
        private_entry=private_entry,
        deleted_entry=deleted_entry,
        glue_entry=glue_entry,
        self_assessment=self_assessment,
        manager_assessment=Assessment.objects.get(pk=manager_assessment.pk),
        shared_note=shared_note,
        private_note=private_note,
        packet=PromotionPacket.objects.get(pk=packet.pk),
        teammate_packet=teammate_packet,
    )
