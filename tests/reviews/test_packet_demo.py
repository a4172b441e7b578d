"""The demo has notes, a packet in each state and a decided round, made through the services."""

from django.core.management import call_command

from people.models import LevelChange, User
from reviews.models import PromotionDecision, PromotionPacket, ReviewNote, ReviewNoteVersion


def test_the_demo_has_notes_packets_in_every_state_and_a_decided_round(db):
    call_command("seed_demo")

    assert ReviewNote.objects.filter(shared_at__isnull=True).exists()
    assert ReviewNote.objects.filter(shared_at__isnull=False).exists()
    assert ReviewNoteVersion.objects.values("note").distinct().count() == ReviewNote.objects.count()
    assert ReviewNoteVersion.objects.filter(number=2).exists()
    states = set(PromotionPacket.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "decided"}
    outcomes = set(PromotionDecision.objects.values_list("outcome", flat=True))
    assert outcomes == {"promoted", "not_yet"}
    not_yet = PromotionDecision.objects.get(outcome="not_yet")
    assert not_yet.gaps and not_yet.gaps[0]["to_close"]
    promoted = PromotionDecision.objects.get(outcome="promoted").packet.subject
    assert User.objects.get(pk=promoted.pk).current_level.code == "L5"
    assert LevelChange.objects.get(person=promoted).to_label == "Staff (L5)"
