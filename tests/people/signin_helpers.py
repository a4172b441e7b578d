"""Signing in as a person would, through the real forms, and computing TOTP codes from a secret
with allauth's own helpers (so a code is what an authenticator app would show)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from people.models import User

from ..factories import PASSWORD


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret (30-second steps)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: object):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def reauthenticate(client: Client, password: str = PASSWORD) -> None:
    """Confirm the password again, as allauth asks before two-factor settings change."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response


def activate_totp(client: Client) -> str:
    """Turn on the authenticator app for the signed-in person; return its secret."""
    reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page
    secret = page.context["form"].secret
    done = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert done.status_code == 302, done.context["form"].errors if done.context else done
    return secret


def recovery_codes(user: User) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(authenticator).get_unused_codes()
