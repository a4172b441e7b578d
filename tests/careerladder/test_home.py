"""The home page: where I stand, my teams and my managers."""

from ..factories import UserFactory


def test_an_engineer_sees_their_place_and_a_link_to_what_changes_next(client, cast):
    client.force_login(cast.owner)

    response = client.get("/")

    assert response.status_code == 200
    assert "Mid (L3)" in response.text
    assert "Senior (L4)" in response.text
    link = '/ladder/engineering/ic/diff/?from_level=L3&amp;to_level=L4">What changes from L3 to L4'
    assert f'href="{link}' in response.text
    assert "Your manager: Manager" in response.text
    assert f'Your teammates: <a href="/brag/people/{cast.teammate.pk}/">Teammate</a>' in (
        response.text
    )
    assert "Platform" in response.text


def test_a_manager_sees_whom_they_manage(client, cast):
    client.force_login(cast.manager)

    response = client.get("/")

    assert (
        f'You manage: <a href="/brag/people/{cast.owner.pk}/">Owner</a>, '
        f'<a href="/brag/people/{cast.teammate.pk}/">Teammate</a>'
    ) in response.text
    assert "not placed on a track yet" in response.text


def test_the_outsider_sees_no_one_from_the_other_team(client, cast):
    client.force_login(cast.outsider)

    response = client.get("/")

    assert "Owner" not in response.text
    assert "Teammate" not in response.text
    assert "Payments" in response.text


def test_someone_in_no_team_is_told_so(client, db):
    client.force_login(UserFactory())

    response = client.get("/")

    assert "You are not in a team yet." in response.text


def test_the_home_page_query_count_does_not_grow_with_teams(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.manager)
    with django_assert_max_num_queries(12):
        client.get("/")
