"""Changing one's sign-in address from the settings page: a link to the new address, the change
made only when it is followed (signed in as the same person), the old address told."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail

from people.email_change import make_token
from people.models import User

from ..factories import PASSWORD, UserFactory
from .signin_helpers import sign_in

URL = "/settings/"
UNAVAILABLE = "This address can&#x27;t be used for your account. Choose another one."


def ask_for(client, new_email: str):
    return client.post(URL, {"form": "email", "password": PASSWORD, "new_email": new_email})


def link_in(message) -> str:
    found = re.search(r"http://testserver(/settings/email/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_a_link_goes_to_the_new_address_and_nothing_changes_yet(client, cast):
    client.force_login(cast.owner)

    response = ask_for(client, "Owner.New@Example.org")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner.new@example.org"]
    assert "Confirm your new email address" in mail.outbox[0].subject
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"
    assert not EmailAddress.objects.filter(email__iexact="owner.new@example.org").exists()
    assert "We sent a link to owner.new@example.org" in client.get(URL).text


def test_following_the_link_changes_the_address_everywhere(client, cast):
    EmailAddress.objects.create(
        user=cast.owner, email="owner@example.org", primary=True, verified=True
    )
    client.force_login(cast.owner)
    ask_for(client, "owner.new@example.org")
    link = link_in(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "owner.new@example.org" in page.text
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"  # a GET changes nothing

    response = client.post(link)

    assert response["Location"] == URL
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner.new@example.org"
    rows = list(
        EmailAddress.objects.filter(user=cast.owner).values_list("email", "primary", "verified")
    )
    assert rows == [("owner.new@example.org", True, True)]
    notice = mail.outbox[-1]
    assert notice.to == ["owner@example.org"]
    assert "was changed from owner@example.org to" in notice.body


def test_after_the_change_the_person_signs_in_with_the_new_address_only(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "owner.new@example.org")
    client.post(link_in(mail.outbox[0]))
    client.logout()

    assert "_auth_user_id" not in sign_in(client, "owner@example.org").wsgi_request.session
    assert sign_in(client, "owner.new@example.org")["Location"] == "/"


def test_a_password_reset_then_goes_to_the_new_address(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "owner.new@example.org")
    client.post(link_in(mail.outbox[0]))
    client.logout()
    mail.outbox.clear()

    client.post("/accounts/password/reset/", {"email": "owner@example.org"})
    client.post("/accounts/password/reset/", {"email": "owner.new@example.org"})

    assert [m.to for m in mail.outbox if "/accounts/password/reset/key/" in m.body] == [
        ["owner.new@example.org"]
    ]


@pytest.mark.parametrize(
    "taken", ["manager@example.org", "MANAGER@example.org", "claimed@example.org"]
)
def test_an_address_that_belongs_to_someone_else_is_refused_on_the_field(client, cast, taken):
    EmailAddress.objects.create(user=cast.teammate, email="Claimed@Example.org", verified=False)
    client.force_login(cast.owner)

    response = ask_for(client, taken)

    assert response.status_code == 422
    assert response.context["email_form"].errors["new_email"] == [
        "This address can't be used for your account. Choose another one."
    ]
    assert UNAVAILABLE in response.text
    assert "manager" not in response.context["email_form"].errors["new_email"][0]
    assert mail.outbox == []
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field is required."),
        ("not an address", "Enter a valid email address."),
        ("owner@example.org", "This is already your address."),
        ("OWNER@example.org", "This is already your address."),
        # Longer than User.email holds: refused here, not a database error at confirmation.
        ("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".org", "at most 254"),
        (
            "evil\u202egro.elpmaxe@example.org",
            "Remove the invisible characters that change the text's direction (such as "
            "U+202E): they can make it read differently from what it says.",
        ),
    ],
)
def test_bad_input_is_refused_on_the_field_and_nothing_is_sent(client, cast, value, message):
    client.force_login(cast.owner)

    response = ask_for(client, value)

    assert response.status_code == 422
    assert any(message in error for error in response.context["email_form"].errors["new_email"])
    assert mail.outbox == []


@pytest.mark.parametrize("password", ["", "not my password"])
def test_without_the_current_password_nothing_is_sent(client, cast, password):
    client.force_login(cast.owner)

    response = client.post(
        URL, {"form": "email", "password": password, "new_email": "new@example.org"}
    )

    assert response.status_code == 422
    assert response.context["email_form"].errors["password"] == [
        "This field is required." if not password else "That is not your password."
    ]
    assert mail.outbox == []
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"


def test_a_name_with_a_direction_override_is_refused_too(client, cast):
    client.force_login(cast.owner)

    response = client.post(URL, {"name": "Ann\u202eeve", "time_zone": "UTC", "weekly_reminder": ""})

    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    cast.owner.refresh_from_db()
    assert cast.owner.name == "Owner"


def test_an_address_taken_after_the_link_was_sent_is_refused_at_confirmation(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "wanted@example.org")
    UserFactory(email="wanted@example.org")

    response = client.post(link_in(mail.outbox[0]))

    assert response.status_code == 400
    assert "This address can no longer be used for your account." in response.text
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"
    assert len(mail.outbox) == 1  # no notice: nothing changed


def test_the_link_works_only_for_the_person_who_asked(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "owner.new@example.org")
    link = link_in(mail.outbox[0])
    client.force_login(cast.manager)

    response = client.post(link)

    assert response.status_code == 400
    for person in (cast.owner, cast.manager):
        before = person.email
        person.refresh_from_db()
        assert person.email == before
    assert not User.objects.filter(email="owner.new@example.org").exists()


def test_the_link_needs_a_signed_in_person(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "owner.new@example.org")
    link = link_in(mail.outbox[0])
    client.logout()

    response = client.get(link)

    assert response["Location"].startswith("/accounts/login/?next=/settings/email/")


def test_the_link_works_once(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "owner.new@example.org")
    link = link_in(mail.outbox[0])
    client.post(link)

    again = client.post(link)

    assert again.status_code == 400
    assert "already been used" in again.text


def test_an_old_link_cannot_switch_the_address_back(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "first@example.org")
    first = link_in(mail.outbox[-1])
    client.post(first)
    ask_for(client, "second@example.org")
    client.post(link_in(mail.outbox[-1]))

    response = client.post(first)

    assert response.status_code == 400
    cast.owner.refresh_from_db()
    assert cast.owner.email == "second@example.org"


def test_the_link_expires_after_three_days(client, cast):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(cast.owner)
        ask_for(client, "owner.new@example.org")
        link = link_in(mail.outbox[0])
        clock.shift(dt.timedelta(days=3, minutes=1))
        client.force_login(cast.owner)  # a fresh session: the old one has long been idle

        response = client.post(link)

    assert response.status_code == 400
    assert "This link has expired." in response.text
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"


def test_a_forged_link_is_refused(client, cast):
    client.force_login(cast.owner)
    token = make_token(cast.owner, "owner.new@example.org")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = client.post(f"/settings/email/{forged}/")

    assert response.status_code == 400
    assert "This link is not valid." in response.text


def test_asking_again_and_again_for_one_address_is_limited(client, cast):
    client.force_login(cast.owner)
    ask_for(client, "owner.new@example.org")

    response = ask_for(client, "owner.new@example.org")

    assert response.status_code == 422
    assert response.context["email_form"].errors["new_email"] == [
        "Too many requests for a new address. Wait a few minutes and try again."
    ]
    assert len(mail.outbox) == 1


def test_an_unverified_address_of_ones_own_may_be_verified(client, db):
    """People who signed up (verification off) have an unverified address, which allauth wants
    verified before two-factor set-up: sending the link to it verifies it."""
    person = UserFactory(email="self@example.org")
    EmailAddress.objects.create(user=person, email="self@example.org", primary=True, verified=False)
    client.post("/accounts/login/", {"login": "self@example.org", "password": PASSWORD})

    ask_for(client, "self@example.org")
    client.post(link_in(mail.outbox[0]))

    assert EmailAddress.objects.get(user=person).verified
