"""The audit tables hold no private text: not while the records live, and not after a purge or
the end of an undo window has removed them for good."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from brag.models import BragEntry, purge_deleted
from ladder.models import Level
from people.models import LevelChange
from reviews.models import Kind, PromotionDecision, PromotionPacket, Rating, ReviewNote
from reviews.note_services import create_note, delete_note
from reviews.services import start_assessment

from ..factories import BragEntryFactory

PLANTED = {
    "comment": "PLANTED-rating-comment",
    "note_title": "PLANTED-note-title",
    "note_body": "PLANTED-note-body",
    "influence": "PLANTED-packet-influence",
    "summary": "PLANTED-packet-summary",
    "reason": "PLANTED-decision-reason",
    "gap": "PLANTED-decision-gap",
    "level_reason": "PLANTED-level-change-reason",
    "entry": "PLANTED-brag-entry-title",
}


def audit_table_text() -> str:
    """Every value of every row of every audit table, as the database holds it."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("audit").get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def leaked(text: str) -> list[str]:
    return [value for value in PLANTED.values() if value in text]


@pytest.fixture
def private_records(cast, cycle, packet, decider):
    """Each kind of private text the trail follows, written and changed through save()."""
    entry = BragEntryFactory(owner=cast.owner, title=PLANTED["entry"])
    assessment = start_assessment(cycle, cast.owner, cast.owner, Kind.SELF)
    rating = assessment.ratings.first()
    rating.comment = PLANTED["comment"]
    rating.save()
    rating.evidence.add(entry)
    note = create_note(
        cast.owner, cast.manager, title=PLANTED["note_title"], body=PLANTED["note_body"]
    )
    packet.influence = PLANTED["influence"]
    packet.summary = PLANTED["summary"]
    packet.save()
    PromotionDecision.objects.create(
        packet=packet,
        outcome="not_yet",
        reason=PLANTED["reason"],
        gaps=[{"dimension_key": "scope", "dimension_name": "Scope", "to_close": PLANTED["gap"]}],
        decided_by=decider,
        effective=dt.date(2026, 12, 1),
    )
    LevelChange.objects.create(
        person=cast.owner,
        track=cast.owner.track,
        from_level=cast.owner.current_level,
        to_level=Level.objects.get(track=cast.owner.track, code="L4"),
        to_label="Senior",
        effective=dt.date(2026, 12, 1),
        reason=PLANTED["level_reason"],
    )
    return {"entry": entry, "rating": rating, "note": note}


def test_the_history_of_private_records_holds_no_private_text(private_records):
    # The trail did record all of them: the test looks at real rows.
    for model in (Rating, ReviewNote, PromotionPacket, PromotionDecision, LevelChange):
        assert model.history.exists(), model

    assert leaked(audit_table_text()) == []


def test_after_purges_no_private_text_survives_in_any_audit_table(cast, private_records):
    long_ago = timezone.now() - dt.timedelta(days=90)
    delete_note(private_records["note"], cast.manager)
    ReviewNote.objects.filter(pk=private_records["note"].pk).update(deleted_at=long_ago)
    BragEntry.objects.filter(pk=private_records["entry"].pk).update(deleted_at=long_ago)

    # The brag purge, a note purge (deleted notes past their undo window go for good), and
    # the person's removal, which takes every review record about them.
    purge_deleted()
    ReviewNote.objects.filter(deleted_at__lt=timezone.now() - dt.timedelta(days=30)).delete()
    cast.owner.delete()

    assert not ReviewNote.objects.exists() and not Rating.objects.exists()
    assert ReviewNote.history.filter(history_type="-").exists()
    assert leaked(audit_table_text()) == []


def test_the_scan_finds_text_where_there_is_some(private_records):
    """The scan itself works: text copied into an audit column is found."""
    history = Rating.history.first()
    history.history_change_reason = PLANTED["comment"]
    history.save()

    assert leaked(audit_table_text()) == [PLANTED["comment"]]
