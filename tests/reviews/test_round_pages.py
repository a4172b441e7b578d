"""The promotion round a page at a time, with the whole round's counts, and the decision form
opened on the card a decider decides (htmx swaps the card; without it, the page holding it)."""

import pytest
from django.utils import timezone

from reviews import round_services
from reviews.models import PromotionDecision, PromotionPacket
from reviews.packet_services import start_packet
from reviews.round_services import decide

from ..factories import MembershipFactory, UserFactory

HTMX = {"HX-Request": "true"}
PROMOTED = {"outcome": "promoted", "reason": "Operates at Senior on every dimension."}


def round_url(cycle) -> str:
    return f"/reviews/cycles/{cycle.pk}/round/"


def decide_url(packet) -> str:
    return f"/reviews/packets/{packet.pk}/decide/"


def submitted_packet(subject, cycle, manager) -> PromotionPacket:
    packet = start_packet(subject, cycle, manager)
    PromotionPacket.objects.filter(pk=packet.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    return PromotionPacket.objects.get(pk=packet.pk)


@pytest.fixture
def one_a_page(monkeypatch):
    monkeypatch.setattr(round_services, "PACKETS_PER_PAGE", 1)


@pytest.fixture
def three(cast, cycle, decider) -> list[PromotionPacket]:
    """Three submitted packets, in the round's reading order: Ann, Ben, then Owner."""
    team = cast.manager.memberships.get().team
    packets = []
    for name in ("Ann Early", "Ben Middle"):
        person = UserFactory(
            name=name,
            track=cast.owner.track,
            current_level=cast.owner.current_level,
            target_level=cast.owner.target_level,
        )
        MembershipFactory(team=team, user=person)
        packets.append(submitted_packet(person, cycle, cast.manager))
    packets.append(submitted_packet(cast.owner, cycle, cast.manager))
    return packets


def card_ids(text: str) -> list[str]:
    return [part.split('"')[0] for part in text.split('<article id="packet-')[1:]]


# A page at a time


def test_each_page_holds_its_packets_and_the_whole_rounds_counts(
    client, decider, three, one_a_page
):
    client.force_login(decider)

    for number, packet in enumerate(three, start=1):
        text = client.get(round_url(packet.cycle), {"page": number}).text
        assert card_ids(text) == [str(packet.pk)]
        assert "3 waiting for a decision, 3 in all" in text
        assert f"Page {number} of 3" in text


def test_the_pages_link_to_each_other(client, decider, three, one_a_page):
    client.force_login(decider)

    first = client.get(round_url(three[0].cycle)).text
    middle = client.get(round_url(three[0].cycle), {"page": 2}).text

    url = round_url(three[0].cycle)
    assert f'href="{url}?page=2">Next packets' in first and "Previous packets" not in first
    assert f'href="{url}?page=1">← Previous packets' in middle
    assert f'href="{url}?page=3">Next packets' in middle


@pytest.mark.parametrize("asked", ["0", "99", "two", "-1"])
def test_a_wrong_page_number_shows_a_page(client, decider, three, one_a_page, asked):
    client.force_login(decider)

    response = client.get(round_url(three[0].cycle), {"page": asked})

    assert response.status_code == 200
    assert len(card_ids(response.text)) == 1


def test_a_round_of_one_page_shows_no_page_links(client, decider, three):
    client.force_login(decider)

    text = client.get(round_url(three[0].cycle)).text

    assert card_ids(text) == [str(packet.pk) for packet in three]
    assert "Page 1 of" not in text


def test_pages_show_only_what_the_decider_reads(client, cast, cycle, decider, three, one_a_page):
    draft = start_packet(cast.teammate, cycle, cast.manager)
    client.force_login(decider)

    shown = []
    for number in (1, 2, 3, 4):
        shown += card_ids(client.get(round_url(cycle), {"page": number}).text)

    assert str(draft.pk) not in shown
    assert sorted(set(shown)) == sorted(str(packet.pk) for packet in three)


# The decision form, on demand


def test_the_page_offers_the_form_without_loading_it(client, decider, three):
    client.force_login(decider)

    text = client.get(round_url(three[0].cycle)).text

    assert 'class="form decision-form"' not in text
    for packet in three:
        assert f'hx-get="{decide_url(packet)}"' in text


def test_htmx_opens_the_form_on_the_card_alone(client, decider, three):
    client.force_login(decider)

    response = client.get(decide_url(three[1]), headers=HTMX)

    assert response.status_code == 200
    assert response.text.strip().startswith(f'<article id="packet-{three[1].pk}"')
    assert "<html" not in response.text
    assert 'class="form decision-form"' in response.text
    assert f'id="decide{three[1].pk}-reason"' in response.text
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_page_holding_the_card_opens_its_form(client, decider, three, one_a_page):
    client.force_login(decider)

    text = client.get(decide_url(three[2])).text

    assert card_ids(text) == [str(three[2].pk)]
    assert "Page 3 of 3" in text
    assert text.count('class="form decision-form"') == 1
    # Its page links lead back to the round, not to this form's address.
    assert f'href="{round_url(three[2].cycle)}?page=2">← Previous packets' in text


def test_a_decided_packet_opens_on_its_decision(client, decider, three):
    decide(three[0], decider, "promoted", "Ready.", [])
    client.force_login(decider)

    text = client.get(decide_url(three[0]), headers=HTMX).text

    assert "Decision: Promoted" in text
    assert "decision-form" not in text


@pytest.mark.parametrize(
    "role", ["owner", "manager", "second_manager", "teammate", "outsider", "staff"]
)
def test_only_deciders_open_the_form(client, cast, second_manager, decider, three, role):
    person = second_manager if role == "second_manager" else getattr(cast, role)
    client.force_login(person)

    for headers in (HTMX, {}):
        assert client.get(decide_url(three[0]), headers=headers).status_code == 404


def test_a_draft_opens_no_form(client, cast, cycle, decider):
    draft = start_packet(cast.owner, cycle, cast.manager)
    client.force_login(decider)

    assert client.get(decide_url(draft), headers=HTMX).status_code == 404


def test_a_decision_sends_the_decider_back_to_the_page_holding_the_card(
    client, decider, three, one_a_page
):
    client.force_login(decider)

    response = client.post(decide_url(three[0]), PROMOTED)

    # Decided, Ann's packet now comes after the two still waiting.
    assert response["Location"] == f"{round_url(three[0].cycle)}?page=3#packet-{three[0].pk}"
    assert PromotionDecision.objects.filter(packet=three[0]).exists()
    text = client.get(response["Location"]).text
    assert card_ids(text) == [str(three[0].pk)]
    assert "2 waiting for a decision, 3 in all" in text


def test_a_refused_decision_shows_the_page_holding_the_card(client, decider, three, one_a_page):
    client.force_login(decider)

    response = client.post(decide_url(three[1]), {"outcome": "promoted", "reason": ""})

    assert response.status_code == 400
    assert card_ids(response.text) == [str(three[1].pk)]
    assert "Give the reason for the decision." in response.text
    assert not PromotionDecision.objects.exists()


def test_opening_the_form_runs_as_many_queries_whatever_the_rounds_size(
    client, cast, cycle, decider, three
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(decider)
    client.get(decide_url(three[0]))

    def counts() -> list[int]:
        found = []
        for headers in (HTMX, {}):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(decide_url(three[0]), headers=headers).status_code == 200
            found.append(len(queries))
        return found

    small = counts()
    team = cast.manager.memberships.get().team
    for n in range(4):
        person = UserFactory(
            name=f"Later {n}",
            track=cast.owner.track,
            current_level=cast.owner.current_level,
            target_level=cast.owner.target_level,
        )
        MembershipFactory(team=team, user=person)
        submitted_packet(person, cycle, cast.manager)

    assert counts() == small
    assert max(small) <= 15
    print(f"opening the form: {small} queries (htmx, page)")
