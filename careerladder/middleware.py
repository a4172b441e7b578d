from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class HtmxSignInMiddleware:
    """When a session has expired, an HTMX request would get the sign-in page swapped into a
    fragment. Tell htmx to load the sign-in page instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login = resolve_url(settings.LOGIN_URL)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.get("Location", "").startswith(login)
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class PrivatePagesMiddleware:
    """Keep personal pages out of every cache, and keep a fragment from standing in for its page.

    `Cache-Control: no-store` (with Django's other never-cache headers) goes on every response to
    a signed-in person (pages, HTMX fragments, downloads, redirects, error pages), on the sign-in
    and password pages (a reset link carries its key in the URL), and on any response whose view
    needs a signed-in person or that no view answered. Otherwise a shared machine keeps private
    entries in the browser's disk cache after sign-out. What is left alone is a public view
    (`login_not_required`) answering a stranger: `/healthz/`, the favicon redirect. Static files
    never get here (whitenoise answers them first).

    `Vary: HX-Request` goes on every HTML response. Many views answer the same URL with a page
    or, for htmx, a fragment; listing them one by one would miss the next one, and the header
    costs nothing on a view that does not vary. Non-HTML answers (exports, JSON, CSV, plain
    text) are the same whoever asks, so they are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_private(request):
            add_never_cache_headers(response)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["HX-Request"])
        return response


# The sign-in flow: allauth's views (sign-in, sign-out, sign-up, password reset and change,
# MFA), known by their module or, when the project wraps one, by allauth's URL names; and the
# admin's login, which hands over to allauth.
SIGN_IN_MODULES = ("allauth.", "django.contrib.admin.")
SIGN_IN_URL_NAMES = ("account_", "mfa_")


def _is_private(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        # No view matched (a 404) or a middleware answered first: the page may still show who
        # is signed in.
        return True
    view = match.func
    if getattr(view, "login_required", True):
        return True
    if view.__module__.startswith(SIGN_IN_MODULES) or (match.url_name or "").startswith(
        SIGN_IN_URL_NAMES
    ):
        return True
    # A public view. SessionTimeoutMiddleware has already asked who this is, so this reads
    # nothing more from the session.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
