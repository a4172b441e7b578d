"""Signing in with allauth, by email; sign-up closed; password reset by email."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.signals import user_login_failed
from django.core import mail

from people.models import User

from ..factories import PASSWORD, UserFactory
from .signin_helpers import reauthenticate, sign_in

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

    assert response.status_code == 404
    assert client.get("/accounts/signup/").status_code == 404
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
    client.logout()
    assert "Sign up" in client.get("/accounts/login/").text


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


# Only the allauth pages the product needs are routed: email management (a person could add
# someone else's address), confirmation, login by code and the "inactive" page are not.
UNROUTED = [
    "/accounts/email/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/some-key/",
    "/accounts/inactive/",
    "/accounts/login/code/",
    "/accounts/login/code/confirm/",
    "/accounts/3rdparty/",
    "/accounts/sessions/",
    "/accounts/2fa/webauthn/",
    "/accounts/2fa/trust/",
]


@pytest.mark.parametrize("url", UNROUTED)
@pytest.mark.parametrize("signed_in", [False, True])
def test_allauth_pages_the_product_does_not_need_are_not_there(client, cast, url, signed_in):
    if signed_in:
        client.force_login(cast.owner)

    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "owner@example.org", "action_add": ""}).status_code == 404


def test_no_one_can_add_an_address_through_allauth(client, cast):
    client.force_login(cast.owner)

    client.post("/accounts/email/", {"email": "manager@example.org", "action_add": ""})

    assert not EmailAddress.objects.filter(email__iexact="manager@example.org").exists()


ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_the_sign_in_pages_render_for_anyone(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "Skip to content" in response.text  # in the app's own layout


def test_a_broken_reset_link_says_so(client, db):
    response = client.get("/accounts/password/reset/key/1-nonsense/", follow=True)

    assert response.status_code == 200
    assert "The password reset link was invalid" in response.text


SIGNED_IN_PAGES = [
    "/accounts/logout/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
]


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_the_account_pages_render_for_a_signed_in_person(client, cast, url):
    sign_in(client, "owner@example.org")
    reauthenticate(client)

    response = client.get(url)

    assert response.status_code == 200
    assert "Skip to content" in response.text


@pytest.mark.parametrize("url", SIGNED_IN_PAGES[1:])
def test_the_account_pages_need_a_signed_in_person(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_setting_a_password_is_only_for_those_without_one(client, cast):
    client.force_login(cast.owner)
    assert client.get("/accounts/password/set/")["Location"] == "/accounts/password/change/"

    cast.teammate.set_unusable_password()
    cast.teammate.save()
    client.force_login(cast.teammate)
    assert client.get("/accounts/password/change/")["Location"] == "/accounts/password/set/"
    assert client.get("/accounts/password/set/").status_code == 200


def test_changing_the_password_works_and_keeps_the_person_signed_in(client, cast):
    client.force_login(cast.owner)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another long secret",
            "password2": "another long secret",
        },
    )

    assert response.status_code == 302
    cast.owner.refresh_from_db()
    assert cast.owner.check_password("another long secret")
    assert client.get("/").status_code == 200


def test_a_wrong_current_password_changes_nothing(client, cast):
    client.force_login(cast.owner)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "wrong",
            "password1": "another long secret",
            "password2": "another long secret",
        },
    )

    assert response.context["form"].errors["oldpassword"] == ["Please type your current password."]
    cast.owner.refresh_from_db()
    assert cast.owner.check_password(PASSWORD)


# A deactivated account: the right password gets the same answer as a wrong one.


def visible_errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', response.text, re.S)


def test_a_deactivated_account_gets_the_wrong_password_answer(client, cast):
    cast.owner.is_active = False
    cast.owner.save()

    deactivated = sign_in(client, "owner@example.org", PASSWORD)
    wrong = sign_in(client, "teammate@example.org", "not the password")

    assert deactivated.status_code == wrong.status_code == 200
    assert "Location" not in deactivated
    assert visible_errors(deactivated) == visible_errors(wrong)
    assert "The email address and/or password you specified are not correct." in deactivated.text
    assert "inactive" not in deactivated.text.lower()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_with_a_wrong_password_gets_the_same_answer_too(client, cast):
    cast.owner.is_active = False
    cast.owner.save()

    right = sign_in(client, "owner@example.org", PASSWORD)
    wrong = sign_in(client, "owner@example.org", "not the password")

    assert (right.status_code, visible_errors(right)) == (wrong.status_code, visible_errors(wrong))


def test_a_failed_sign_in_of_a_deactivated_account_is_reported_as_failed(client, cast):
    """The audit trail logs failed sign-ins from Django's user_login_failed signal."""
    cast.owner.is_active = False
    cast.owner.save()
    failed: list[dict] = []

    def record(sender, credentials, **kwargs):
        failed.append(credentials)

    user_login_failed.connect(record)
    try:
        sign_in(client, "owner@example.org", PASSWORD)
    finally:
        user_login_failed.disconnect(record)

    assert len(failed) == 1
