"""Staff pages and two-factor sign-in: with MFA_REQUIRED_FOR_STAFF, staff without an
authenticator use no staff page (the admin, the audit trail) until they set one up. Imports no
app."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

STAFF_NEED_MFA = "Set up two-factor sign-in before you use the admin."


def staff_without_required_mfa(request: HttpRequest) -> bool:
    """Staff who must use two-factor sign-in (MFA_REQUIRED_FOR_STAFF) and have no authenticator
    yet. Read per request, so the setting takes effect without a restart of the URL conf."""
    user = request.user
    return bool(
        settings.MFA_REQUIRED_FOR_STAFF
        and user.is_authenticated
        and user.is_staff
        and not is_mfa_enabled(user)
    )


def require_staff_mfa(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send staff who must use MFA and have none to the authenticator setup, whatever staff
    page they asked for: these pages hold people's accounts and who did what, so a stolen
    password alone must not open them."""

    @wraps(view)
    def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if staff_without_required_mfa(request):
            messages.warning(request, STAFF_NEED_MFA)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return view(request, *args, **kwargs)

    return gated
