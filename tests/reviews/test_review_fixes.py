"""Found in review: odd ids never give a 500, a decider never reads their own packet in the
round, and a draft never copies private entries into text others read."""

import pytest
from django.utils import timezone

from brag.models import Visibility
from reviews.packet_models import PacketStatus, PromotionPacket, PromotionRound
from reviews.packet_services import draft_from_evidence

from ..factories import BragEntryFactory


@pytest.mark.parametrize("value", ["²", "١", "9" * 20, "-1", "0"])
def test_odd_ids_are_refused_not_crashed(client, cast, packet, value):
    client.force_login(cast.owner)
    notes = client.get(f"/reviews/people/{cast.owner.pk}/notes/?undo={value}")
    projects = client.post(f"/reviews/packets/{packet.pk}/projects/", {"entry": [value]})
    client.force_login(cast.manager)
    row = client.post(
        f"/reviews/packets/{packet.pk}/matrix/scope/",
        {"status": "met", "evidence": [value], "version": packet.version},
    )

    assert notes.status_code == 200
    assert projects.status_code in (400, 422)
    assert row.status_code in (400, 422)


def test_a_huge_cycle_id_in_the_round_url_is_not_found(client, cast):
    client.force_login(cast.manager)

    assert client.get(f"/reviews/cycles/{'9' * 20}/round/").status_code == 404


def test_a_decider_never_reads_their_own_packet_in_the_round(client, cast, packet):
    PromotionPacket.objects.filter(pk=packet.pk).update(
        status=PacketStatus.SUBMITTED, submitted_at=timezone.now(), summary="SECRET-SUMMARY"
    )
    PromotionRound.objects.create(cycle=packet.cycle).deciders.add(cast.owner)
    client.force_login(cast.owner)

    page = client.get(f"/reviews/cycles/{packet.cycle_id}/round/").text

    assert "SECRET-SUMMARY" not in page


def test_a_draft_never_copies_a_private_entry(cast, packet):
    BragEntryFactory(
        owner=cast.owner, title="PRIVATE-TITLE", category="learning", visibility=Visibility.PRIVATE
    )
    for n in range(3):
        BragEntryFactory(owner=cast.owner, title=f"Shared {n}", category="learning")

    draft_from_evidence(packet, cast.owner)

    packet = PromotionPacket.objects.get(pk=packet.pk)
    written = " ".join([packet.influence, packet.mentoring, packet.growth, packet.glue_notes])
    assert "PRIVATE-TITLE" not in written
    assert "Shared 0" in written
    assert not packet.projects.filter(entry__visibility=Visibility.PRIVATE).exists()
