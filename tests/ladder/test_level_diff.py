"""What changes from one level to another: a page, an HTMX fragment, and a bookmarkable URL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import DimensionFactory, ExpectationFactory, LevelFactory, TrackFactory

DIFF = "/ladder/engineering/ic/diff/"


def test_anonymous_visitors_are_sent_to_sign_in(client, default_ladder):
    response = client.get(DIFF + "?from_level=L3&to_level=L4")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_the_diff_shows_both_levels_side_by_side_then_signals(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.get(DIFF, {"from_level": "L3", "to_level": "L4"})

    assert response.status_code == 200
    text = response.text
    assert "What changes\n          from Mid (L3) to Senior (L4)" in text
    assert '<td data-label="L3">Feature / small project</td>' in text
    assert '<td data-label="L4">Entire system / service</td>' in text
    assert "Concrete signals you have made the transition to L4" in text
    assert "You write the design doc before you write the code" in text
    assert "Optimizing for code elegance over system reliability" in text
    # The signals of other levels stay out.
    assert "You break down tasks yourself before starting" not in text
    assert text.count('class="is-changed"') == 6


def test_without_a_choice_it_starts_from_my_level_towards_my_target(client, cast):
    client.force_login(cast.owner)  # L3, aiming for L4

    response = client.get(DIFF)

    assert "from Mid (L3) to Senior (L4)" in response.text
    assert '<option value="L3" selected>' in response.text


def test_someone_not_on_the_track_starts_from_the_first_two_levels(client, cast):
    client.force_login(cast.manager)

    response = client.get(DIFF)

    assert "from Junior (L1-L2) to Mid (L3)" in response.text


def test_an_htmx_request_gets_only_the_fragment(client, cast):
    client.force_login(cast.owner)

    response = client.get(
        DIFF, {"from_level": "L4", "to_level": "L5"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="diff"')
    assert "<html" not in response.text
    assert "from Senior (L4) to Staff (L5)" in response.text


def test_the_url_is_bookmarkable(client, cast):
    client.force_login(cast.teammate)

    response = client.get(DIFF + "?from_level=L5&to_level=L6%2B")

    assert "from Staff (L5) to Principal (L6+)" in response.text
    assert "<title>From L5 to L6+ · Individual contributor · Careerladder</title>" in response.text


def test_looking_back_down_is_labelled_as_such(client, cast):
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from_level": "L4", "to_level": "L3"})

    assert "Looking back\n          from Senior (L4) to Mid (L3)" in response.text


def test_an_unknown_level_gets_a_message_on_the_field(client, cast):
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from_level": "L3", "to_level": "L99"})

    assert response.status_code == 200
    assert "To: Select a valid choice. That choice is not one of the available choices." in (
        response.text
    )
    assert "Concrete signals" not in response.text


def test_a_level_of_another_track_is_refused(client, cast):
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from_level": "L3", "to_level": "EM"})

    assert "To: Select a valid choice." in response.text


def test_the_same_level_twice_is_refused(client, cast):
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from_level": "L4", "to_level": "L4"})

    assert "Pick a level other than the one you compare it with." in response.text


def test_a_track_with_one_level_says_there_is_nothing_to_compare(client, cast):
    track = TrackFactory()
    LevelFactory(track=track)
    client.force_login(cast.owner)

    response = client.get(reverse("ladder:diff", args=[track.ladder.slug, track.key]))

    assert "This track needs at least two levels to compare." in response.text


def test_the_query_count_does_not_grow_with_the_ladder(client, cast, django_assert_num_queries):
    client.force_login(cast.owner)
    track = TrackFactory()
    low, high = LevelFactory(track=track, code="A"), LevelFactory(track=track, code="B")
    url = reverse("ladder:diff", args=[track.ladder.slug, track.key]) + "?from_level=A&to_level=B"

    def grow(dimensions: int) -> None:
        for _ in range(dimensions):
            dimension = DimensionFactory(ladder=track.ladder)
            ExpectationFactory(level=low, dimension=dimension)
            ExpectationFactory(level=high, dimension=dimension)

    grow(2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(20)
    for _ in range(10):
        LevelFactory(track=track)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.text.count('class="is-changed"') == 22


def test_the_page_and_its_fragment_are_cached_apart(client, cast):
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from_level": "L3", "to_level": "L4"})

    assert "HX-Request" in response["Vary"]


def test_going_back_restores_the_whole_page(client, cast):
    client.force_login(cast.owner)

    response = client.get(
        DIFF,
        {"from_level": "L3", "to_level": "L4"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.text
    assert "from Mid (L3) to Senior (L4)" in response.text
