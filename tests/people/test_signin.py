"""Signing in with allauth, by email; sign-up closed; password reset by email."""

import re

import pytest
from django.core import mail

from people.models import User

from ..factories import PASSWORD, UserFactory

PAGES_THAT_NEED_SIGN_IN = [
    "/",
    "/ladder/",
    "/ladder/engineering/ic/",
    "/ladder/engineering/ic/diff/",
    "/ladder/import/",
    "/ladder/engineering/export.yaml",
    "/accounts/password/change/",
]


@pytest.mark.parametrize("url", PAGES_THAT_NEED_SIGN_IN)
def test_every_page_but_sign_in_needs_a_signed_in_person(client, default_ladder, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_sign_in_page_asks_for_email_and_password(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert 'type="email"' in response.text
    assert 'type="password"' in response.text
    assert "Forgot your password?" in response.text
    assert "Sign up" not in response.text


def test_signing_in_by_email_opens_the_home_page(client, cast):
    response = client.post(
        "/accounts/login/", {"login": "OWNER@example.org", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1] == ("/", 302)
    assert "Hello, Owner" in response.text
    assert response.context["user"] == cast.owner


def test_a_wrong_password_is_refused_with_a_message(client, cast):
    response = client.post("/accounts/login/", {"login": "owner@example.org", "password": "nope"})

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert "_auth_user_id" not in client.session


def test_an_empty_form_says_what_is_missing(client, db):
    response = client.post("/accounts/login/", {"login": "", "password": ""})

    assert response.context["form"].errors["login"] == ["This field is required."]
    assert response.context["form"].errors["password"] == ["This field is required."]


def test_sign_up_is_closed_by_default(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a fine long pass",
            "password2": "a fine long pass",
        },
    )

    assert "Sign Up Closed" in response.text
    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_up_opens_with_the_setting(client, db, settings):
    settings.ACCOUNT_ALLOW_SIGNUP = True

    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a fine long pass",
            "password2": "a fine long pass",
        },
    )

    assert User.objects.filter(email="new@example.org").exists()


def test_password_reset_sends_a_link_that_sets_a_new_password(client, db):
    user = UserFactory(email="forgetful@example.org")

    client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["forgetful@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "a brand new secret", "password2": "a brand new secret"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new secret")


def test_password_reset_for_an_unknown_email_sends_nothing_that_reveals_it(client, db):
    response = client.post("/accounts/password/reset/", {"email": "stranger@example.org"})

    assert response.status_code == 302
    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)


def test_signing_out_needs_a_post_and_ends_the_session(client, cast):
    client.force_login(cast.owner)

    client.post("/accounts/logout/")

    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_the_admin_sign_in_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
