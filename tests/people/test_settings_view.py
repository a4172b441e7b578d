"""My settings: name, time zone, and the Friday reminder opt-out."""

import pytest
from django.core import mail

from people.models import User

from ..factories import PASSWORD

URL = "/settings/"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(URL)["Location"] == "/accounts/login/?next=/settings/"


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_everyone_edits_only_their_own_settings(client, cast, role):
    person = getattr(cast, role)
    client.force_login(person)

    response = client.post(
        URL, {"name": "New Name", "time_zone": "Europe/Lisbon", "weekly_reminder": ""}
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.time_zone, person.weekly_reminder) == (
        "New Name",
        "Europe/Lisbon",
        False,
    )
    others = User.objects.exclude(pk=person.pk)
    assert not others.filter(name="New Name").exists()


def test_an_unknown_time_zone_is_refused_on_the_field(client, cast):
    client.force_login(cast.owner)

    response = client.post(
        URL, {"name": "Owner", "time_zone": "Mars/Olympus", "weekly_reminder": "on"}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["time_zone"] == [
        "Select a valid choice. Mars/Olympus is not one of the available choices."
    ]
    cast.owner.refresh_from_db()
    assert cast.owner.time_zone == "UTC"


def test_the_page_shows_the_current_settings(client, cast):
    client.force_login(cast.owner)

    response = client.get(URL)

    assert 'id="id_weekly_reminder" checked>' in response.text
    assert '<option value="UTC" selected>' in response.text


def test_the_page_offers_an_address_change_and_two_factor_sign_in(client, cast):
    client.force_login(cast.owner)

    page = client.get(URL).text

    assert "You sign in as <strong>owner@example.org</strong>" in page
    assert 'name="new_email"' in page
    assert "Two-factor sign-in" in page
    assert 'href="/accounts/2fa/totp/activate/"' in page
    assert 'href="/accounts/password/change/"' in page


def test_saving_settings_leaves_the_address_alone(client, cast):
    client.force_login(cast.owner)

    client.post(
        URL,
        {
            "name": "Owner",
            "time_zone": "UTC",
            "weekly_reminder": "on",
            "new_email": "x@example.org",
        },
    )

    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"
    assert not mail.outbox


def test_asking_for_a_new_address_leaves_the_other_settings_alone(client, cast):
    client.force_login(cast.owner)

    client.post(
        URL,
        {"form": "email", "password": PASSWORD, "new_email": "new@example.org", "name": "Changed"},
    )

    cast.owner.refresh_from_db()
    assert cast.owner.name == "Owner"
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_an_empty_post_is_refused_on_the_fields_and_changes_nothing(client, cast):
    client.force_login(cast.owner)
    before = User.objects.values().get(pk=cast.owner.pk)

    response = client.post(URL, {})

    assert response.status_code == 422
    assert response.context["form"].errors["time_zone"] == ["This field is required."]
    assert User.objects.values().get(pk=cast.owner.pk) == before


def test_the_page_offers_the_download_of_all_your_data(client, cast):
    client.force_login(cast.owner)

    response = client.get(URL)

    assert 'href="/settings/data/my-data.json"' in response.text
