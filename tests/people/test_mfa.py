"""Two-factor sign-in through allauth's MFA: an authenticator app (TOTP) and recovery codes,
for everyone; required of staff before they use the admin when MFA_REQUIRED_FOR_STAFF is on."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator

from .signin_helpers import activate_totp, reauthenticate, recovery_codes, sign_in, totp_code

START = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    # tick=False: codes are computed and checked at the same instant, whatever the test's speed.
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def set_up_totp(client, person, clock) -> str:
    sign_in(client, person.email)
    secret = activate_totp(client)
    client.post("/accounts/logout/")
    # A code is accepted once; the next sign-in is in the next 30-second step, as in life.
    clock.shift(dt.timedelta(seconds=31))
    return secret


def test_a_person_turns_on_the_authenticator_app_with_a_code_from_it(client, cast, clock):
    sign_in(client, "owner@example.org")

    secret = activate_totp(client)

    assert Authenticator.objects.filter(user=cast.owner, type="totp").exists()
    assert len(recovery_codes(cast.owner)) == 10
    settings_page = client.get("/settings/").text
    assert "Turn off the authenticator app" in settings_page
    assert len(secret) == 32


def test_a_wrong_code_does_not_turn_it_on(client, cast, clock):
    sign_in(client, "owner@example.org")
    reauthenticate(client)
    client.get("/accounts/2fa/totp/activate/")

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert not Authenticator.objects.filter(user=cast.owner).exists()


def test_signing_in_then_asks_for_the_code(client, cast, clock):
    secret = set_up_totp(client, cast.owner, clock)

    after_password = sign_in(client, "owner@example.org")

    assert after_password["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # not signed in yet
    stage = client.get("/accounts/2fa/authenticate/")
    assert stage.status_code == 200
    assert client.get("/")["Location"].startswith("/accounts/login/")

    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert done["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_at_sign_in_is_refused(client, cast, clock):
    set_up_totp(client, cast.owner, clock)
    sign_in(client, "owner@example.org")

    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert "_auth_user_id" not in client.session


def test_the_password_alone_never_opens_a_page(client, cast, clock):
    set_up_totp(client, cast.owner, clock)
    sign_in(client, "owner@example.org")

    for url in ["/", "/settings/", "/brag/", "/accounts/2fa/"]:
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_a_recovery_code_signs_in_once(client, cast, clock):
    set_up_totp(client, cast.owner, clock)
    code = recovery_codes(cast.owner)[0]

    sign_in(client, "owner@example.org")
    first = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert first["Location"] == "/"
    client.post("/accounts/logout/")

    sign_in(client, "owner@example.org")
    again = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert again.status_code == 200
    assert again.context["form"].errors["code"] == ["Incorrect code."]
    assert "_auth_user_id" not in client.session
    assert code not in recovery_codes(cast.owner)


def test_the_recovery_codes_and_the_switch_off_pages_render(client, cast, clock):
    set_up_totp(client, cast.owner, clock)
    sign_in(client, "owner@example.org")
    client.post("/accounts/2fa/authenticate/", {"code": recovery_codes(cast.owner)[0]})
    reauthenticate(client)

    codes = client.get("/accounts/2fa/recovery-codes/")
    switch_off = client.get("/accounts/2fa/totp/deactivate/")

    assert codes.status_code == 200
    assert recovery_codes(cast.owner)[0] in codes.text
    assert switch_off.status_code == 200
    assert client.get("/accounts/2fa/reauthenticate/").status_code == 200


def test_turning_it_off_asks_for_the_password_again(client, cast, clock):
    set_up_totp(client, cast.owner, clock)
    sign_in(client, "owner@example.org")
    client.post("/accounts/2fa/authenticate/", {"code": recovery_codes(cast.owner)[0]})

    asked = client.get("/accounts/2fa/totp/deactivate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client)
    client.post("/accounts/2fa/totp/deactivate/")

    assert not Authenticator.objects.filter(user=cast.owner, type="totp").exists()


def test_the_settings_page_links_to_two_factor_set_up(client, cast):
    client.force_login(cast.owner)

    page = client.get("/settings/").text

    assert "Two-factor sign-in" in page
    assert 'href="/accounts/2fa/totp/activate/"' in page


# Staff and the admin.


def test_without_the_setting_staff_use_the_admin_without_mfa(client, cast, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(cast.staff)

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/people/user/", "/admin/people/user/add/", "/admin/login/"]
)
def test_with_the_setting_staff_without_mfa_are_sent_to_set_it_up(client, cast, settings, url):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(cast.staff)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_with_the_setting_staff_cannot_change_anything_in_the_admin(client, cast, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(cast.staff)

    response = client.post(
        f"/admin/people/user/{cast.owner.pk}/change/", {"email": "x@example.org", "name": "X"}
    )

    assert response["Location"] == "/accounts/2fa/totp/activate/"
    cast.owner.refresh_from_db()
    assert cast.owner.email == "owner@example.org"


def test_with_the_setting_staff_with_an_authenticator_use_the_admin(client, cast, settings, clock):
    settings.MFA_REQUIRED_FOR_STAFF = True
    secret = set_up_totp(client, cast.staff, clock)

    sign_in(client, "staff@example.org")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # stage pending
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert client.get("/admin/").status_code == 200


def test_the_setting_does_not_touch_people_who_are_not_staff(client, cast, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(cast.owner)

    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_secret_and_the_recovery_seed_are_stored_encrypted(client, cast, clock):
    sign_in(client, "owner@example.org")
    secret = activate_totp(client)
    codes = recovery_codes(cast.owner)

    stored = {a.type: a.data for a in Authenticator.objects.filter(user=cast.owner)}

    assert secret not in str(stored["totp"])
    assert stored["totp"]["secret"] != secret
    assert not any(code in str(stored["recovery_codes"]) for code in codes)
    # And it still reads back: the next sign-in takes a code made from the secret.
    client.post("/accounts/logout/")
    clock.shift(dt.timedelta(seconds=31))
    sign_in(client, "owner@example.org")
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done.status_code == 302
    assert client.get("/").status_code == 200


def test_a_secret_this_key_cannot_read_refuses_every_code(client, cast, clock, settings):
    """After SECRET_KEY changes (or an import from another server) the stored secret cannot be
    decrypted: no code opens the account, not even one made from an empty key."""
    secret = set_up_totp(client, cast.owner, clock)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    sign_in(client, "owner@example.org")
    for key in (secret, ""):
        refused = client.post("/accounts/2fa/authenticate/", {"code": totp_code(key)})
        assert refused.status_code == 200  # the form again, with its error
    assert client.get("/").status_code == 302  # still not signed in
