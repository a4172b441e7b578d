"""My settings: name, time zone, and the Friday reminder opt-out."""

import pytest

from people.models import User

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
