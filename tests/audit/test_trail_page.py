"""The audit trail page: staff read who changed which fields of what, and when; never a value of
a review record; everyone else finds nothing there (404)."""

import pytest
from django.urls import reverse

from ladder.models import Level
from people.models import Membership
from reviews.models import Kind
from reviews.note_services import create_note
from reviews.services import start_assessment

from ..factories import MembershipFactory, TeamFactory

URL = reverse("audit:trail")
COMMENT = "Planted comment: never on the trail page"
NOTE_TITLE = "Planted note title about the owner"
NOTE_BODY = "Planted note body about the owner"


@pytest.fixture
def reviewed(cast, cycle):
    """A rating with a level and a comment, and a note: what staff must never read."""
    assessment = start_assessment(cycle, cast.owner, cast.owner, Kind.SELF)
    rating = assessment.ratings.first()
    rating.level = Level.objects.get(track=assessment.track, code="L4")
    rating.comment = COMMENT
    rating._history_user = cast.owner
    rating.save()
    create_note(cast.owner, cast.manager, title=NOTE_TITLE, body=NOTE_BODY)
    return rating


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_only_staff_find_the_page(client, cast, role):
    client.force_login(getattr(cast, role))

    assert client.get(URL).status_code == 404


def test_staff_who_must_use_two_factor_sign_in_set_it_up_first(client, cast, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(cast.staff)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    settings.MFA_REQUIRED_FOR_STAFF = False
    assert client.get(URL).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_read_who_changed_which_fields_never_the_text(client, cast, reviewed):
    client.force_login(cast.staff)

    response = client.get(URL)

    assert response.status_code == 200
    text = response.text
    for private in (COMMENT, NOTE_TITLE, NOTE_BODY, "L4", "Senior"):
        assert private not in text
    assert f"Rating #{reviewed.pk}" in text
    assert "level that fits best" not in text  # a form label, not the field's name
    assert "comment" in text and "level" in text
    assert "Owner (owner@example.org)" in text  # who changed the rating
    assert "Manager (manager@example.org)" in text  # who wrote the note
    assert "note" in text and "title" in text


def test_a_review_record_does_not_name_the_person_it_is_about(client, cast, reviewed):
    client.force_login(cast.staff)

    response = client.get(URL, {"model": "reviews.reviewnote"})

    rows = response.context["rows"]
    assert [row.what for row in rows] == ["Review note"]
    assert rows[0].concerns == ""
    assert rows[0].who == "Manager (manager@example.org)"


def test_a_membership_names_the_person_it_is_about(client, cast):
    MembershipFactory(team=TeamFactory(name="Search"), user=cast.outsider)
    client.force_login(cast.staff)

    rows = client.get(URL, {"model": "people.membership"}).context["rows"]

    assert rows[0].concerns == "Outsider (outsider@example.org)"
    assert rows[0].kind == "created"
    assert rows[0].who == "the system"


def test_filter_by_person_shows_their_changes_and_changes_about_them(client, cast, reviewed):
    MembershipFactory(team=TeamFactory(name="Search"), user=cast.outsider)
    client.force_login(cast.staff)

    owner_rows = client.get(URL, {"person": cast.owner.pk}).context["rows"]
    outsider_rows = client.get(URL, {"person": cast.outsider.pk}).context["rows"]

    assert {row.what for row in owner_rows} >= {"Rating"}
    assert all("Manager" not in row.who for row in owner_rows)  # the note about them: not listed
    assert {row.what for row in outsider_rows} >= {"Membership"}
    assert all(row.what != "Rating" for row in outsider_rows)


def test_filter_by_model(client, cast, reviewed):
    client.force_login(cast.staff)

    rows = client.get(URL, {"model": "reviews.rating"}).context["rows"]

    assert rows and {row.what for row in rows} == {"Rating"}
    assert rows[0].kind == "changed"
    assert set(rows[0].fields) == {"level", "level code", "comment"}


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"model": "brag.bragentry"}, "model", "Select a valid choice"),
        ({"person": "999999"}, "person", "Select a valid choice"),
        ({"person": "not-a-number"}, "person", "Select a valid choice"),
    ],
)
def test_a_bad_filter_is_named_on_its_field_and_filters_nothing(
    client, cast, reviewed, query, field, message
):
    client.force_login(cast.staff)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert message in " ".join(response.context["filters"].errors[field])
    assert message in response.text
    assert {row.what for row in response.context["rows"]} >= {"Rating", "Review note"}


def test_a_filter_from_htmx_answers_the_list_only(client, cast, reviewed):
    client.force_login(cast.staff)

    response = client.get(URL, {"model": "reviews.rating"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<section id="changes"')
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]


def test_pages_of_changes(client, cast):
    team = TeamFactory(name="Search")
    for _ in range(55):
        membership = MembershipFactory(team=team)
        membership.delete()
    client.force_login(cast.staff)

    first = client.get(URL, {"model": "people.membership"})
    second = client.get(URL, {"model": "people.membership", "page": 2})

    assert len(first.context["rows"]) == 50
    assert "page=2" in first.text and "model=people.membership" in first.text
    assert first.context["rows"][0].kind == "deleted"
    assert second.context["page"].number == 2


def _memberships(count: int) -> None:
    team = TeamFactory()
    for _ in range(count):
        membership = MembershipFactory(team=team)
        membership.role = Membership.Role.MANAGER
        membership.save()


@pytest.mark.parametrize("count", [5, 30])
def test_the_query_count_does_not_grow_with_rows(
    client, cast, reviewed, count, django_assert_max_num_queries
):
    _memberships(count)
    client.force_login(cast.staff)

    with django_assert_max_num_queries(10):
        response = client.get(URL)

    assert len(response.context["rows"]) >= min(count, 50)


def test_filter_values_do_not_change_the_query_count(
    client, cast, reviewed, django_assert_max_num_queries
):
    _memberships(30)
    client.force_login(cast.staff)

    with django_assert_max_num_queries(10):
        client.get(URL, {"person": cast.owner.pk, "model": "people.user"})
