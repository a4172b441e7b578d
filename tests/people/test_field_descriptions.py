"""Settings and sign-in: each field's help and errors are the elements its aria-describedby
names, with the form fresh and with errors on it; no id twice."""

import pytest

from ..factories import PASSWORD
from .html_ids import id_problems, references

SETTINGS = "/settings/"
SIGN_IN = "/accounts/login/"


def test_the_settings_page_names_only_elements_it_has(client, cast):
    client.force_login(cast.owner)

    html = client.get(SETTINGS).text

    assert id_problems(html) == []
    assert set(references(html, "aria-describedby")) == {
        "id_time_zone_helptext",
        "id_weekly_reminder_helptext",
        "id_new_email_helptext",
    }


def test_with_errors_on_the_settings_form_its_fields_name_their_errors(client, cast):
    client.force_login(cast.owner)

    response = client.post(SETTINGS, {"name": "", "time_zone": "Mars/Olympus"})

    assert response.status_code == 422
    assert id_problems(response.text) == []
    described = references(response.text, "aria-describedby")
    assert {"id_time_zone_helptext", "id_time_zone_error"} <= set(described)


def test_with_errors_on_the_email_form_its_fields_name_their_errors(client, cast):
    client.force_login(cast.owner)

    response = client.post(
        SETTINGS, {"form": "email", "password": "not it", "new_email": "not an address"}
    )

    assert response.status_code == 422
    assert id_problems(response.text) == []
    described = references(response.text, "aria-describedby")
    assert {"id_password_error", "id_new_email_helptext", "id_new_email_error"} <= set(described)


def test_the_sign_in_page_names_only_elements_it_has(client, db):
    html = client.get(SIGN_IN).text

    assert id_problems(html) == []
    # allauth's help for the password is the way to reset it.
    assert references(html, "aria-describedby") == ["id_password_helptext"]
    assert html.count(">Forgot your password?</a>") == 1


@pytest.mark.parametrize(
    "data",
    [{"login": "owner@example.org", "password": "wrong"}, {"login": "", "password": ""}],
    ids=["wrong password", "empty"],
)
def test_a_refused_sign_in_names_only_elements_it_has(client, cast, data):
    response = client.post(SIGN_IN, data)

    assert "errorlist" in response.text
    assert id_problems(response.text) == []


def test_signing_in_still_works_from_the_reworked_form(client, cast):
    response = client.post(SIGN_IN, {"login": "owner@example.org", "password": PASSWORD})

    assert response.status_code == 302
