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


def test_a_demo_team_shows_each_glue_signal_and_a_recognition(db):
    from django.utils import timezone

    from brag.glue_figures import team_figures
    from brag.models import GlueRecognition
    from brag.quarters import Quarter
    from people.models import Team

    call_command("seed_demo")
    today = timezone.localdate()
    maya = User.objects.get(email="maya@example.com")

    quarters = [Quarter.of(today)]
    for _ in range(3):
        quarters.append(quarters[-1].previous())
    figures = team_figures(maya, Team.objects.get(slug="platform"), "manager", quarters, today)

    assert {signal.kind for signal in figures.signals} == {"carrying", "balance", "unrecognised"}
    assert GlueRecognition.objects.filter(by=maya).exists()
