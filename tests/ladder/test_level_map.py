"""The level map page: every signed-in person reads it; nobody else does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from ladder.models import Expectation

from ..factories import DimensionFactory, ExpectationFactory, LevelFactory, TrackFactory

MAP = "/ladder/"


def test_anonymous_visitors_are_sent_to_sign_in(client, default_ladder):
    response = client.get(MAP)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/ladder/"


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider", "staff"])
def test_everyone_signed_in_reads_the_whole_level_map(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.get("/ladder/engineering/ic/")

    assert response.status_code == 200
    summaries = Expectation.objects.filter(level__track__key="ic").values_list("summary", flat=True)
    assert len(summaries) == 30
    for summary in summaries:
        assert escape(summary) in response.text
    for heading in ["Junior", "Mid", "Senior", "Staff", "Principal", "L1-L2", "L6+"]:
        assert heading in response.text
    for row in ["Scope", "Autonomy", "Influence", "Technical Depth", "Ambiguity", "Failure Impact"]:
        assert f'<th scope="row">\n                {row}' in response.text


@pytest.mark.parametrize("role", ["owner", "teammate", "outsider", "staff"])
def test_the_navigation_opens_an_engineers_own_track(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.get(MAP)

    assert 'aria-current="page">Individual contributor</a>' in response.text


def test_the_navigation_opens_the_management_track_for_a_manager(client, cast):
    client.force_login(cast.manager)

    response = client.get(MAP)

    assert 'aria-current="page">Management</a>' in response.text
    assert "Tech Lead Manager" in response.text


def test_the_map_has_thirty_cells_labelled_for_phones(client, cast):
    client.force_login(cast.owner)

    response = client.get(MAP)

    assert response.text.count('data-label="') == 30
    assert 'data-label="Senior (L4)"' in response.text


def test_the_persons_own_level_is_marked(client, cast):
    client.force_login(cast.owner)  # on L3

    response = client.get(MAP)

    assert response.text.count('class="is-current"') == 1 + 6  # the heading and six cells


def test_the_track_switcher_opens_the_management_track(client, cast):
    client.force_login(cast.owner)

    response = client.get(reverse("ladder:map", args=["engineering", "management"]))

    assert response.status_code == 200
    assert "Tech Lead Manager" in response.text
    # The guide names the management levels but sets no expectations for them.
    assert "This track's levels have no expectations on the ladder's dimensions yet." in (
        response.text
    )
    assert "<table" not in response.text
    assert 'href="/ladder/engineering/ic/"' in response.text
    assert 'aria-current="page">Management</a>' in response.text


def test_an_unknown_track_or_ladder_is_not_found(client, cast):
    client.force_login(cast.owner)

    assert client.get("/ladder/engineering/astronauts/").status_code == 404
    assert client.get("/ladder/nope/").status_code == 404


def test_with_no_ladder_at_all_the_map_is_not_found(client, db):
    from ..factories import UserFactory

    client.force_login(UserFactory())

    assert client.get(MAP).status_code == 404


def test_the_query_count_does_not_grow_with_the_ladder(client, cast, django_assert_num_queries):
    client.force_login(cast.owner)
    track = TrackFactory(key="growing")
    url = reverse("ladder:map", args=[track.ladder.slug, track.key])

    def grow(levels: int, dimensions: int) -> None:
        new_dimensions = [DimensionFactory(ladder=track.ladder) for _ in range(dimensions)]
        for _ in range(levels):
            level = LevelFactory(track=track)
            for dimension in new_dimensions:
                ExpectationFactory(level=level, dimension=dimension)

    grow(levels=2, dimensions=2)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(url)

    grow(levels=10, dimensions=10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.text.count('data-label="') == 12 * 12
    assert (
        response.text.count('<span class="muted">—</span>') == 2 * 10 + 10 * 2
    )  # old levels lack new dimensions, new levels the old ones
