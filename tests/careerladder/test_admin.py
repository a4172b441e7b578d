"""The Django admin: ladders with expectations inline, and teams with their members."""

import pytest
from django.utils.html import escape

from careerladder.text import BIDI_MESSAGE
from ladder.models import Expectation, LadderVersion, Level
from people.models import Team, User
from reviews.models import ReviewCycle


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


# Names refuse the bidirectional controls that make text read differently from what it says.

BIDI_NAME = "Platform \u202eweivrevo"


def test_a_team_name_with_a_direction_override_is_refused(admin_client, cast):
    response = admin_client.post(
        "/admin/people/team/add/",
        {
            "name": BIDI_NAME,
            "slug": "platform-2",
            "glue_share_limit": 40,
            "unrecognised_after_days": 30,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [BIDI_MESSAGE]
    assert escape(BIDI_MESSAGE) in response.text
    assert not Team.objects.filter(slug="platform-2").exists()


def test_a_cycle_name_with_a_direction_override_is_refused(admin_client, cast):
    response = admin_client.post(
        "/admin/reviews/reviewcycle/add/",
        {"name": BIDI_NAME, "start": "2026-10-01", "end": "2026-12-31", "is_open": "on"},
    )

    assert response.context["adminform"].form.errors["name"] == [BIDI_MESSAGE]
    assert not ReviewCycle.objects.exists()


def test_a_person_name_with_a_direction_override_is_refused(admin_client, cast):
    owner = cast.owner
    response = admin_client.post(
        f"/admin/people/user/{owner.pk}/change/",
        {
            "email": owner.email,
            "name": BIDI_NAME,
            "time_zone": "UTC",
            "track": owner.track_id,
            "current_level": owner.current_level_id,
            "target_level": owner.target_level_id,
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )

    assert response.context["adminform"].form.errors["name"] == [BIDI_MESSAGE]
    owner.refresh_from_db()
    assert owner.name == "Owner"


def test_a_new_person_email_with_a_direction_override_is_refused(admin_client, cast):
    response = admin_client.post(
        "/admin/people/user/add/",
        {"email": "new\u202e@example.org", "usable_password": "false"},
    )

    assert "email" in response.context["adminform"].form.errors
    assert not User.objects.filter(email__startswith="new").exists()


def test_a_level_name_in_a_track_with_a_direction_override_is_refused(admin_client, cast):
    track = Level.objects.get(code="L4").track
    levels = list(track.levels.order_by("pk"))
    data = {
        "key": track.key,
        "name": track.name,
        "description": track.description,
        "order": track.order,
        "levels-TOTAL_FORMS": len(levels),
        "levels-INITIAL_FORMS": len(levels),
        "levels-MIN_NUM_FORMS": 0,
        "levels-MAX_NUM_FORMS": 1000,
    }
    for index, level in enumerate(levels):
        data |= {
            f"levels-{index}-id": level.pk,
            f"levels-{index}-track": track.pk,
            f"levels-{index}-code": level.code,
            f"levels-{index}-name": level.name,
            f"levels-{index}-order": level.order,
        }
    data["levels-0-name"] = BIDI_NAME
    versions = LadderVersion.objects.count()

    response = admin_client.post(f"/admin/ladder/track/{track.pk}/change/", data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors[0]["name"] == [BIDI_MESSAGE]
    assert Level.objects.get(pk=levels[0].pk).name == levels[0].name
    assert LadderVersion.objects.count() == versions


def test_a_track_name_with_a_direction_override_is_refused(admin_client, cast):
    track = Level.objects.get(code="L4").track

    response = admin_client.post(
        f"/admin/ladder/track/{track.pk}/change/",
        {
            "key": track.key,
            "name": BIDI_NAME,
            "order": track.order,
            "levels-TOTAL_FORMS": 0,
            "levels-INITIAL_FORMS": 0,
            "levels-MIN_NUM_FORMS": 0,
            "levels-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.context["adminform"].form.errors["name"] == [BIDI_MESSAGE]
    track.refresh_from_db()
    assert "\u202e" not in track.name
