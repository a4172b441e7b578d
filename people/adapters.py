from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


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
