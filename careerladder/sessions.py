"""Session timeouts: a session ends after SESSION_IDLE_MINUTES without a request, and
SESSION_MAX_HOURS after sign-in whatever happens.

Both times live in the session itself (seconds since the epoch), so every worker agrees and
nothing is kept in process memory. The last-seen time is written at most once a minute: writing
it on every request would save the session on every request, which the database session store
would feel. The idle limit is therefore exact to within a minute.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "careerladder.signed_in_at"
LAST_SEEN_AT = "careerladder.last_seen_at"
LAST_SEEN_RESOLUTION = 60  # seconds between two writes of the last-seen time

IDLE_MESSAGE = "You were signed out after a while without activity. Sign in again to go on."
MAX_AGE_MESSAGE = "Your session has reached its time limit. Sign in again to go on."


@receiver(user_logged_in, dispatch_uid="careerladder.sessions.start_clock")
def start_clock(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A new sign-in starts both clocks again (the session may carry times from before)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def timed_out(session: Any, now: int) -> str | None:
    """Why this session has ended, or None while it is still good."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is not None and now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
        return MAX_AGE_MESSAGE
    if last_seen_at is not None and now - last_seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return IDLE_MESSAGE
    return None


class SessionTimeoutMiddleware:
    """Runs after authentication, before any view: a timed-out person is signed out here, so
    LoginRequiredMiddleware sends them to sign in (and HtmxSignInMiddleware turns that into an
    HX-Redirect for a fragment request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        reason = timed_out(session, now)
        if reason:
            logout(request)  # flushes the session; request.user becomes anonymous
            messages.info(request, reason)
            return
        # Sessions from before this middleware, or made without the sign-in signal, start now.
        if session.get(SIGNED_IN_AT) is None:
            session[SIGNED_IN_AT] = now
        last_seen_at = session.get(LAST_SEEN_AT)
        if last_seen_at is None or now - last_seen_at >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now
