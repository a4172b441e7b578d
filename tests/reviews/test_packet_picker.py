"""The evidence picker's "Other entries": loaded when opened, one matrix row at a time, for those
who edit the packet; the page itself no longer renders a checkbox per entry in every row."""

import pytest
from django.urls import reverse

from brag.models import Visibility
from ladder.models import Dimension
from reviews.packet_services import submit_packet

from ..factories import BragEntryFactory
from .test_packet import fresh, make_ready

HTMX = {"HX-Request": "true"}


def picker(packet, key: str = "scope") -> str:
    return f"{reverse('reviews:packet', args=[packet.pk])}?picker={key}"


@pytest.fixture
def entries(cast, packet):
    scope = Dimension.objects.get(ladder=packet.track.ladder, key="scope")
    tagged = BragEntryFactory(owner=cast.owner, title="Tagged with scope")
    tagged.dimensions.add(scope)
    return {
        "tagged": tagged,
        "other": BragEntryFactory(owner=cast.owner, title="Untagged win"),
        "private": BragEntryFactory(
            owner=cast.owner, title="Private draft", visibility=Visibility.PRIVATE
        ),
        "attached": BragEntryFactory(owner=cast.owner, title="Already attached"),
        "teammates": BragEntryFactory(
            owner=cast.teammate, title="Teammate's win", visibility=Visibility.TEAM
        ),
    }


def test_the_page_loads_other_entries_on_demand(client, cast, packet, entries):
    client.force_login(cast.manager)
    page = client.get(reverse("reviews:packet", args=[packet.pk])).text
    row = page.split('id="section-matrix-scope"')[1].split('id="section-matrix-')[0]
    assert "Tagged with scope" in row  # suggested, in the page
    assert "Untagged win" not in row  # in the picker, loaded when opened
    assert f'hx-get="{picker(packet)}"' in row and "Other entries (2)" in row


def test_the_manager_reads_the_rows_other_entries(client, cast, packet, entries):
    packet.matrix.get(dimension_key="scope").evidence.add(entries["attached"])
    client.force_login(cast.manager)
    response = client.get(picker(packet), headers=HTMX)
    assert response.status_code == 200
    assert "Untagged win" in response.text and 'name="evidence"' in response.text
    # Attached and suggested entries are in the row already; private ones and other
    # people's entries are never offered.
    for title in ("Already attached", "Tagged with scope", "Private draft", "Teammate"):
        assert title not in response.text
    assert "<html" not in response.text


def test_the_subject_reads_their_private_entries_there(client, cast, packet, entries):
    client.force_login(cast.owner)
    response = client.get(picker(packet), headers=HTMX)
    assert "Private draft" in response.text and "only you" in response.text


@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_others_are_refused(client, cast, packet, entries, who):
    client.force_login(getattr(cast, who))
    assert client.get(picker(packet), headers=HTMX).status_code == 404


def test_an_unknown_row_is_a_404(client, cast, packet, entries):
    client.force_login(cast.manager)
    assert client.get(picker(packet, "nope"), headers=HTMX).status_code == 404


def test_a_submitted_packet_offers_no_picker(client, cast, packet, entries):
    make_ready(packet, cast.owner)
    submit_packet(fresh(packet), cast.manager)
    client.force_login(cast.manager)
    assert client.get(picker(packet), headers=HTMX).status_code == 404


def test_without_htmx_the_parameter_shows_the_page(client, cast, packet, entries):
    client.force_login(cast.manager)
    response = client.get(picker(packet))
    assert response.status_code == 200 and "<html" in response.text
