"""The manager's dashboard: my reports, their levels, last entry, states in the open cycle,
packet and gaps; sortable; a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brag.models import Visibility
from ladder.models import Level
from people.models import Membership
from reviews.models import Kind, MatrixRow, PromotionPacket
from reviews.packet_services import start_packet
from reviews.services import share, start_assessment, submit

from ..factories import BragEntryFactory, MembershipFactory, UserFactory
from .conftest import rate_all

URL = "/reviews/team/"


def names_in_order(text: str) -> list[str]:
    return re.findall(r'<tr id="report-\d+">\s*<th scope="row">([^<]+)</th>', text)


def row_of(text: str, person) -> str:
    return text.split(f'<tr id="report-{person.pk}">')[1].split("</tr>")[0]


def submit_packet(packet: PromotionPacket, **statuses: str) -> None:
    PromotionPacket.objects.filter(pk=packet.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    for key, status in statuses.items():
        MatrixRow.objects.filter(packet=packet, dimension_key=key).update(status=status)


# Who sees what


@pytest.mark.parametrize("role", ["owner", "teammate", "outsider", "staff"])
def test_someone_who_manages_nobody_gets_an_empty_state(client, cast, cycle, role):
    client.force_login(getattr(cast, role))

    response = client.get(URL)

    assert response.status_code == 200
    assert "You manage nobody yet" in response.text
    assert 'id="report-' not in response.text


def test_a_decider_manages_nobody_but_finds_their_round(client, cast, decider, cycle):
    client.force_login(decider)

    text = client.get(URL).text

    assert "You manage nobody yet" in text
    assert f'href="/reviews/cycles/{cycle.pk}/round/"' in text
    assert cast.owner.display_name not in text


def test_anonymous_is_sent_to_sign_in(client, cast):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["manager", "second_manager"])
def test_each_manager_sees_every_report_with_links(client, cast, cycle, second_manager, role):
    manager = second_manager if role == "second_manager" else cast.manager
    client.force_login(manager)

    text = client.get(URL).text

    assert names_in_order(text) == ["Owner", "Teammate"]
    assert cast.outsider.display_name not in text
    owner = row_of(text, cast.owner)
    assert "Mid (L3)" in owner and "Senior (L4)" in owner
    assert f'href="/reviews/people/{cast.owner.pk}/?cycle={cycle.pk}"' in owner
    assert f'href="/reviews/people/{cast.owner.pk}/notes/"' in owner
    assert f'action="/reviews/people/{cast.owner.pk}/packets/new/"' in owner
    assert f'name="cycle" value="{cycle.pk}"' in owner


def test_the_packet_link_replaces_the_start_form(client, cast, packet):
    client.force_login(cast.manager)

    owner = row_of(client.get(URL).text, cast.owner)

    assert f'href="/reviews/packets/{packet.pk}/"' in owner
    assert "packets/new/" not in owner
    assert "Draft" in owner


# Last entry: only what the manager may read


def test_the_last_entry_is_the_latest_the_manager_can_read(client, cast, cycle):
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 3, 1), visibility=Visibility.MANAGERS)
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 2, 1), visibility=Visibility.TEAM)
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 5, 1), visibility=Visibility.PRIVATE)
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 6, 1)).soft_delete()
    client.force_login(cast.manager)

    text = client.get(URL).text

    owner = row_of(text, cast.owner)
    assert "1 Mar 2026" in owner
    assert "May" not in owner and "Jun" not in owner
    assert "None shared" in row_of(text, cast.teammate)


def test_only_private_entries_read_as_none(client, cast, cycle):
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 5, 1), visibility=Visibility.PRIVATE)
    client.force_login(cast.manager)

    assert "None shared" in row_of(client.get(URL).text, cast.owner)


# States in the open cycle


def test_states_in_the_open_cycle(client, cast, submitted_self, manager_assessment):
    start_assessment(submitted_self.cycle, cast.teammate, cast.teammate, Kind.SELF)  # a draft
    client.force_login(cast.manager)

    text = client.get(URL).text

    owner, teammate = row_of(text, cast.owner), row_of(text, cast.teammate)
    assert "Submitted" in owner
    assert f'href="/reviews/assessments/{manager_assessment.pk}/">Draft</a>' in owner
    # A draft self-assessment is its author's alone: it reads like none at all.
    assert "Not submitted" in teammate and "Draft" not in teammate
    assert "Not started" in teammate


def test_my_assessment_is_mine_not_another_managers(
    client, cast, submitted_manager, second_manager
):
    share(submitted_manager)
    client.force_login(cast.manager)
    assert "Submitted, shared" in row_of(client.get(URL).text, cast.owner)

    client.force_login(second_manager)
    assert "Not started" in row_of(client.get(URL).text, cast.owner)


def test_packet_status_and_gaps(client, cast, packet):
    submit_packet(packet, scope="gap", autonomy="gap", influence="met")
    client.force_login(cast.manager)

    owner = row_of(client.get(URL).text, cast.owner)

    assert "Submitted" in owner
    assert "2 gaps" in owner


def test_a_decided_packet_says_the_outcome(client, cast, packet, decider):
    from reviews.round_services import decide

    submit_packet(packet, scope="gap")
    decide(
        packet,
        decider,
        "not_yet",
        "Scope is not there yet",
        [{"dimension_key": "scope", "to_close": "Lead a cross-team project"}],
    )
    client.force_login(cast.manager)

    assert "Decided: Not yet" in row_of(client.get(URL).text, cast.owner)


def test_the_latest_open_cycle_is_followed(client, cast, cycle, packet):
    from reviews.models import ReviewCycle

    later = ReviewCycle.objects.create(
        name="Review Q1 2027", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31)
    )
    client.force_login(cast.manager)

    text = client.get(URL).text

    assert "Review Q1 2027" in text
    owner = row_of(text, cast.owner)
    assert f"/reviews/packets/{packet.pk}/" not in owner  # that packet is of the older cycle
    assert f'name="cycle" value="{later.pk}"' in owner


def test_without_an_open_cycle_it_says_so(client, cast, cycle, packet):
    cycle.is_open = False
    cycle.save()
    client.force_login(cast.manager)

    response = client.get(URL)

    assert response.status_code == 200
    assert "No review cycle is open" in response.text
    assert names_in_order(response.text) == ["Owner", "Teammate"]
    assert "packets/new/" not in response.text


# Sorting


@pytest.fixture
def three_reports(cast, cycle):
    """Owner (L3, entry in March, packet with 1 gap), Teammate (L4, no entry, no packet) and
    Abigail (L1-L2, entry in May, packet with 3 gaps)."""
    levels = {level.code: level for level in Level.objects.filter(track=cast.owner.track)}
    abigail = UserFactory(
        name="abigail",
        track=cast.owner.track,
        current_level=levels["L1-L2"],
        target_level=levels["L3"],
    )
    team = cast.manager.memberships.get().team
    MembershipFactory(team=team, user=abigail, role=Membership.Role.ENGINEER)
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 3, 1))
    BragEntryFactory(owner=abigail, date=dt.date(2026, 5, 1))
    submit_packet(start_packet(cast.owner, cycle, cast.manager), scope="gap")
    draft = start_packet(abigail, cycle, cast.manager)
    MatrixRow.objects.filter(
        packet=draft, dimension_key__in=["scope", "autonomy", "influence"]
    ).update(status="gap")
    return abigail


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", ["abigail", "Owner", "Teammate"]),
        ("name", ["abigail", "Owner", "Teammate"]),
        ("-name", ["Teammate", "Owner", "abigail"]),
        ("level", ["abigail", "Owner", "Teammate"]),
        ("-level", ["Teammate", "Owner", "abigail"]),
        ("last_entry", ["Owner", "abigail", "Teammate"]),
        ("-last_entry", ["abigail", "Owner", "Teammate"]),  # nothing last either way
        ("packet", ["Teammate", "abigail", "Owner"]),
        ("-packet", ["Owner", "abigail", "Teammate"]),
        ("gaps", ["Owner", "abigail", "Teammate"]),
        ("-gaps", ["abigail", "Owner", "Teammate"]),
        ("self", ["abigail", "Owner", "Teammate"]),
        ("manager", ["abigail", "Owner", "Teammate"]),
        ("nonsense", ["abigail", "Owner", "Teammate"]),
        ("-", ["abigail", "Owner", "Teammate"]),
        ("--gaps", ["abigail", "Owner", "Teammate"]),
    ],
)
def test_every_column_sorts_and_a_bad_key_sorts_by_name(client, cast, three_reports, sort, order):
    client.force_login(cast.manager)

    response = client.get(URL, {"sort": sort})

    assert response.status_code == 200
    assert names_in_order(response.text) == order


def test_sorting_by_self_and_manager_states(client, cast, cycle, three_reports):
    submit(rate_all(start_assessment(cycle, cast.teammate, cast.teammate, Kind.SELF), "L4"))
    submit(rate_all(start_assessment(cycle, cast.owner, cast.manager, Kind.MANAGER)))
    client.force_login(cast.manager)

    by_self = names_in_order(client.get(URL, {"sort": "-self"}).text)
    by_manager = names_in_order(client.get(URL, {"sort": "-manager"}).text)

    assert by_self == ["Teammate", "abigail", "Owner"]
    assert by_manager == ["Owner", "abigail", "Teammate"]


def test_the_headings_link_to_bookmarkable_sorts(client, cast, three_reports):
    client.force_login(cast.manager)

    text = client.get(URL, {"sort": "gaps"}).text

    assert 'aria-sort="ascending"' in text
    assert 'href="?sort=-gaps"' in text  # the sorted column turns around
    assert 'href="?sort=last_entry"' in text
    text = client.get(URL, {"sort": "-gaps"}).text
    assert 'aria-sort="descending"' in text and 'href="?sort=gaps"' in text


def test_htmx_sorting_answers_the_table_only(client, cast, three_reports):
    client.force_login(cast.manager)

    response = client.get(
        URL, {"sort": "-name"}, headers={"HX-Request": "true", "HX-Target": "reports"}
    )

    assert "<html" not in response.text
    assert response.text.strip().startswith('<section id="reports"')
    assert names_in_order(response.text) == ["Teammate", "Owner", "abigail"]
    assert "HX-Request" in response["Vary"]


# Queries


def add_reports(cast, cycle, decider, count: int) -> None:
    """Reports of the manager, each with entries, a submitted self-assessment, the manager's
    draft and a packet with a gap, every other one decided."""
    from reviews.round_services import decide

    team = cast.manager.memberships.get().team
    levels = {level.code: level for level in Level.objects.filter(track=cast.owner.track)}
    for n in range(count):
        person = UserFactory(
            track=cast.owner.track, current_level=levels["L3"], target_level=levels["L4"]
        )
        MembershipFactory(team=team, user=person, role=Membership.Role.ENGINEER)
        for visibility in (Visibility.MANAGERS, Visibility.TEAM, Visibility.PRIVATE):
            BragEntryFactory(owner=person, visibility=visibility)
        submit(rate_all(start_assessment(cycle, person, person, Kind.SELF)))
        start_assessment(cycle, person, cast.manager, Kind.MANAGER)
        packet = start_packet(person, cycle, cast.manager)
        submit_packet(packet, scope="gap", ambiguity="met")
        if n % 2:
            decide(
                packet,
                decider,
                "not_yet",
                "Not yet.",
                [{"dimension_key": "scope", "to_close": "Lead a larger project."}],
            )


def test_the_query_count_does_not_grow_with_reports(client, cast, cycle, decider):
    client.force_login(cast.manager)
    add_reports(cast, cycle, decider, 2)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        small = client.get(URL, {"sort": "-gaps"})
    add_reports(cast, cycle, decider, 10)
    with CaptureQueriesContext(connection) as many:
        large = client.get(URL, {"sort": "-gaps"})

    assert len(names_in_order(small.text)) == 4  # two added, with Owner and Teammate
    assert len(names_in_order(large.text)) == 14
    assert large.text.count("1 gap<") == 12
    assert large.text.count("Decided: Not yet") == 6
    assert len(many.captured_queries) == len(few.captured_queries)
    print(f"dashboard: {len(many.captured_queries)} queries for 14 reports")
