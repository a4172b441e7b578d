import base64
import hashlib
import logging
import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Closed unless ALLOW_SIGNUP=1: staff add people, who then set a password by reset."""
        return settings.ACCOUNT_ALLOW_SIGNUP

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """allauth's own version, less one thing: when the password is right but the account is
        deactivated, allauth's backend keeps the user aside and allauth sends them to an
        "account inactive" page, which tells anyone holding a guessed password that it is right.
        Here that user is dropped, so a deactivated account gets exactly the wrong-password
        answer, counts against the failed sign-in limits the same way, and Django's
        user_login_failed signal (which the audit trail listens to) has already fired."""
        self.pre_authenticate(request, **credentials)
        AuthenticationBackend.unstash_authenticated_user()
        user: AbstractBaseUser | None = authenticate(request, **credentials)
        # Empty the stash whatever it holds: a deactivated user must not leak into the next try.
        AuthenticationBackend.unstash_authenticated_user()
        if user is not None and not user.is_active:  # any backend that skips the check
            user = None
        if user is not None:
            # A success gives back the failed-attempt slot it took, as allauth does, instead of
            # clearing the counters (which would let an attacker interleave good sign-ins).
            self._rollback_login_failed_rl_usage()
        else:
            self.authentication_failed(request, **credentials)
        return user

    def respond_user_inactive(self, request: HttpRequest, user: AbstractBaseUser) -> HttpResponse:
        # Reached only by flows other than the sign-in form (a reset link sent before the account
        # was deactivated): there is no "inactive" page, so back to sign-in, which refuses them.
        return redirect("account_login")


def _mfa_fernet() -> Fernet:
    """A key for two-factor secrets, derived from SECRET_KEY: a copy of the database alone does
    not hold anyone's authenticator secret or recovery-code seed."""
    digest = hashlib.sha256(b"careerladder.mfa-secrets:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MFAAdapter(DefaultMFAAdapter):
    """allauth stores the TOTP secret and the recovery-code seed as given; this encrypts them.
    Changing SECRET_KEY makes them unreadable: people then sign in with a recovery code or
    staff delete their authenticator (docs/sign-in.md)."""

    def encrypt(self, text: str) -> str:
        return _mfa_fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _mfa_fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            # Not encrypted by this key (SECRET_KEY changed, an import from another server, a
            # secret stored before encryption): answer a random secret, so that every code is
            # refused. An empty one would not do: codes made from an empty key are guessable.
            logger.warning("A two-factor secret could not be decrypted: every code is refused.")
            return base64.b32encode(secrets.token_bytes(20)).decode()
