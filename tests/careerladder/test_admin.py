"""The Django admin: ladders with expectations inline, and teams with their members."""

import pytest

from ladder.models import Expectation, Level
from people.models import Team


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_people_who_are_not_staff_cannot_open_the_admin(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_edit_a_level_with_its_expectations_inline(admin_client, cast):
    level = Level.objects.get(code="L4")

    response = admin_client.get(f"/admin/ladder/level/{level.pk}/change/")

    assert response.status_code == 200
    assert "Entire system / service" in response.text
    assert "expectations-TOTAL_FORMS" in response.text


def test_staff_change_an_expectation_through_the_inline(admin_client, cast):
    level = Level.objects.get(code="L4")
    expectations = list(level.expectations.order_by("pk"))
    data = {
        "track": level.track_id,
        "code": "L4",
        "name": "Senior",
        "order": level.order,
        "summary": level.summary,
        "signals": '["One signal"]',
        "holds_back": "[]",
        "expectations-TOTAL_FORMS": len(expectations),
        "expectations-INITIAL_FORMS": len(expectations),
        "expectations-MIN_NUM_FORMS": 0,
        "expectations-MAX_NUM_FORMS": 1000,
    }
    for index, expectation in enumerate(expectations):
        data[f"expectations-{index}-id"] = expectation.pk
        data[f"expectations-{index}-level"] = level.pk
        data[f"expectations-{index}-dimension"] = expectation.dimension_id
        data[f"expectations-{index}-summary"] = expectation.summary
    data["expectations-0-summary"] = "Owns a whole service"

    response = admin_client.post(f"/admin/ladder/level/{level.pk}/change/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Expectation.objects.get(pk=expectations[0].pk).summary == "Owns a whole service"
    level.refresh_from_db()
    assert level.signals == ["One signal"]


def test_staff_see_teams_with_their_members(admin_client, cast):
    team = Team.objects.get(name="Platform")

    response = admin_client.get(f"/admin/people/team/{team.pk}/change/")

    assert response.status_code == 200
    assert "memberships-TOTAL_FORMS" in response.text
    assert "owner@example.org" in response.text or "Owner" in response.text


def test_the_level_page_lists_the_dimensions_once(
    admin_client, cast, django_assert_max_num_queries
):
    level = Level.objects.get(code="L4")
    admin_client.get(f"/admin/ladder/level/{level.pk}/change/")

    with django_assert_max_num_queries(15):
        admin_client.get(f"/admin/ladder/level/{level.pk}/change/")


def test_the_people_list_does_not_query_per_person(
    admin_client, cast, django_assert_max_num_queries
):
    admin_client.get("/admin/people/user/")

    with django_assert_max_num_queries(10):
        admin_client.get("/admin/people/user/")


def test_the_admin_has_no_sign_in_form_of_its_own(client, cast):
    """Its own form would get around allauth's rate limits: signed-in non-staff are refused,
    and everyone else is sent to allauth's sign-in."""
    client.force_login(cast.owner)  # signed in, but not staff

    refused = client.post("/admin/login/", {"username": "staff@example.org", "password": "x"})

    assert refused.status_code == 403
    client.logout()
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/accounts/login/")


def test_a_saved_track_level_or_expectation_stays_under_its_parent(admin_client, cast):
    level = Level.objects.get(code="L4")
    expectation = level.expectations.first()

    track_page = admin_client.get(f"/admin/ladder/track/{level.track_id}/change/").text
    level_page = admin_client.get(f"/admin/ladder/level/{level.pk}/change/").text
    expectation_page = admin_client.get(f"/admin/ladder/expectation/{expectation.pk}/change/").text

    assert 'name="ladder"' not in track_page
    assert 'name="track"' not in level_page
    assert 'name="level"' not in expectation_page
