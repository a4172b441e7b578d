"""My brag document, and someone else's as far as I may read it."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brag.models import Visibility
from brag.views import PAGE_SIZE
from ladder.models import Dimension

from ..factories import BragEntryFactory

LIST = "/brag/"


def person_url(user) -> str:
    return f"/brag/people/{user.pk}/"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(LIST)["Location"] == "/accounts/login/?next=/brag/"


def test_the_owner_sees_every_entry_of_their_own(client, cast):
    for visibility in Visibility:
        BragEntryFactory(owner=cast.owner, visibility=visibility, title=f"Mine, {visibility}")
    BragEntryFactory(owner=cast.teammate, visibility=Visibility.TEAM, title="Not mine")
    client.force_login(cast.owner)

    response = client.get(LIST)

    assert response.status_code == 200
    for visibility in Visibility:
        assert f"Mine, {visibility}" in response.text
    assert "Not mine" not in response.text
    assert "Log a win" in response.text


def test_the_manager_reads_only_what_is_shared_with_managers(client, cast):
    BragEntryFactory(owner=cast.owner, visibility=Visibility.PRIVATE, title="Private win")
    BragEntryFactory(owner=cast.owner, visibility=Visibility.MANAGERS, title="For managers")
    BragEntryFactory(owner=cast.owner, visibility=Visibility.TEAM, title="For the team")
    client.force_login(cast.manager)

    response = client.get(person_url(cast.owner))

    assert response.status_code == 200
    assert "For managers" in response.text
    assert "For the team" in response.text
    assert "Private win" not in response.text
    assert "Log a win" not in response.text
    assert "/edit/" not in response.text


def test_a_teammate_reads_only_what_is_shared_with_the_team(client, cast):
    BragEntryFactory(owner=cast.owner, visibility=Visibility.MANAGERS, title="For managers")
    BragEntryFactory(owner=cast.owner, visibility=Visibility.TEAM, title="For the team")
    client.force_login(cast.teammate)

    response = client.get(person_url(cast.owner))

    assert "For the team" in response.text
    assert "For managers" not in response.text


def test_an_outsider_gets_a_404(client, cast):
    BragEntryFactory(owner=cast.owner, visibility=Visibility.TEAM)
    client.force_login(cast.outsider)

    assert client.get(person_url(cast.owner)).status_code == 404


def test_my_own_person_page_is_my_document(client, cast):
    client.force_login(cast.owner)

    assert client.get(person_url(cast.owner))["Location"] == LIST


def test_entries_are_grouped_by_quarter_and_week_newest_first(client, cast):
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 9, 30), title="Late Q3")
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 7, 2), title="Early Q3")
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 10, 5), title="October win")
    client.force_login(cast.owner)

    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        text = client.get(LIST).text

    assert text.index("Q4 2026") < text.index("Q3 2026")
    assert text.index("October win") < text.index("Late Q3") < text.index("Early Q3")
    assert "Week of 28 Sep – 4 Oct 2026" in text
    assert "Week of 29 Jun – 5 Jul 2026" in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("quarter=2026-Q3", "Summer", "Autumn"),
        ("category=mentoring", "Autumn", "Summer"),
        ("glue=any", "Autumn", "Summer"),
        ("glue=onboarding", "Autumn", "Summer"),
        ("dimension=influence", "Summer", "Autumn"),
        ("q=latency", "Summer", "Autumn"),
    ],
)
def test_filters_are_kept_in_the_url(client, cast, query, shown, hidden):
    influence = Dimension.objects.get(key="influence")
    BragEntryFactory(
        owner=cast.owner,
        date=dt.date(2026, 8, 1),
        title="Summer",
        impact="p99 latency from 800 to 200 ms",
        dimensions=[influence],
    )
    BragEntryFactory(
        owner=cast.owner,
        date=dt.date(2026, 10, 2),
        title="Autumn",
        category="mentoring",
        glue_kind="onboarding",
    )
    client.force_login(cast.owner)

    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        response = client.get(f"{LIST}?{query}")

    assert shown in response.text
    assert hidden not in response.text


def test_a_filter_with_htmx_returns_only_the_entries(client, cast):
    BragEntryFactory(owner=cast.owner, title="Only this")
    client.force_login(cast.owner)

    response = client.get(LIST, headers={"HX-Request": "true", "HX-Target": "entries"})

    assert response.text.lstrip().startswith('<section id="entries"')
    assert "Only this" in response.text
    assert "<html" not in response.text


def test_no_match_says_so(client, cast):
    BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    response = client.get(f"{LIST}?q=nothing-like-this")

    assert "No entries match these filters." in response.text


def test_past_a_page_of_entries_the_list_is_paginated(client, cast):
    for number in range(PAGE_SIZE + 5):
        BragEntryFactory(owner=cast.owner, title=f"Entry {number:02d}", date=dt.date(2026, 1, 1))
    client.force_login(cast.owner)

    first = client.get(LIST).text
    second = client.get(f"{LIST}?page=2").text

    assert first.count('<article id="entry-') == PAGE_SIZE == 20
    assert "Page 1 of 2" in first
    assert second.count('<article id="entry-') == 5


def test_each_entrys_buttons_go_to_its_own_edit_and_delete(client, cast):
    entry = BragEntryFactory(owner=cast.owner, date=dt.date(2026, 11, 20))
    client.force_login(cast.owner)

    text = client.get(LIST).text

    assert f'href="{reverse("brag:edit", args=[entry.pk])}"' in text
    assert f'hx-post="{reverse("brag:delete", args=[entry.pk])}"' in text
    assert '<time datetime="2026-11-20">Fri 20 Nov 2026</time>' in text


def test_this_quarters_quantified_entries_are_counted(client, cast):
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        BragEntryFactory(owner=cast.owner, impact="Saved 3 hours a week")
        BragEntryFactory(owner=cast.owner, impact="Made it better")
        BragEntryFactory(owner=cast.owner, impact="Old", date=dt.date(2026, 5, 1))
        client.force_login(cast.owner)
        response = client.get(LIST)

    text = " ".join(response.text.split())
    assert "This quarter: <strong>2</strong> entries, <strong>1</strong> quantified (50%)." in text
    assert response.text.count("No number yet") == 2


def test_the_friday_nudge_shows_until_something_is_logged_this_week(client, cast):
    client.force_login(cast.owner)
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        assert "Nothing logged this week yet." in client.get(LIST).text
        assert "Nothing in your brag document this week yet" in client.get("/").text
        BragEntryFactory(owner=cast.owner)
        assert "Nothing logged this week yet." not in client.get(LIST).text
        assert "Nothing in your brag document this week yet" not in client.get("/").text


def test_the_query_count_is_the_same_for_5_and_200_entries(client, cast):
    dimensions = list(Dimension.objects.filter(key__in=["scope", "influence"]))
    client.force_login(cast.owner)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries.captured_queries)

    for _ in range(5):
        BragEntryFactory(owner=cast.owner, dimensions=dimensions, links=["https://a.example"])
    client.get(LIST)
    with_five = count_queries()
    for _ in range(195):
        BragEntryFactory(owner=cast.owner, dimensions=dimensions, glue_kind="documentation")

    assert count_queries() == with_five


def test_the_managers_view_query_count_does_not_grow(client, cast):
    client.force_login(cast.manager)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(person_url(cast.owner))
        return len(queries.captured_queries)

    for _ in range(5):
        BragEntryFactory(owner=cast.owner)
    client.get(person_url(cast.owner))
    with_five = count_queries()
    for _ in range(100):
        BragEntryFactory(owner=cast.owner)

    assert count_queries() == with_five


def test_going_back_restores_the_whole_page_and_caches_apart(client, cast):
    client.force_login(cast.owner)

    response = client.get(
        LIST,
        {"glue": "any"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.text
    assert "HX-Request" in response["Vary"]


def test_a_quarter_outside_the_menu_still_filters_with_the_rest(client, cast):
    BragEntryFactory(
        owner=cast.owner, date=dt.date(2020, 2, 1), title="Old design", category="design"
    )
    BragEntryFactory(owner=cast.owner, date=dt.date(2020, 2, 2), title="Old project")
    client.force_login(cast.owner)

    response = client.get(f"{LIST}?quarter=2020-Q1&category=design")

    assert "Old design" in response.text
    assert "Old project" not in response.text
    assert '<option value="2020-Q1" selected>' in response.text


def test_an_invalid_filter_is_named_and_the_others_still_apply(client, cast):
    BragEntryFactory(owner=cast.owner, title="A design", category="design")
    BragEntryFactory(owner=cast.owner, title="A project")
    client.force_login(cast.owner)

    response = client.get(f"{LIST}?quarter=someday&category=design")

    assert "A design" in response.text
    assert "A project" not in response.text
    assert "Quarter: Select a valid choice." in response.text
