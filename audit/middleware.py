"""Every 403 and 404 answer, logged to "careerladder.audit": someone asked for what they may not
see, or for what is not there (which, for a denied object, is the same answer)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .client import client_address

logger = logging.getLogger("careerladder.audit")

DENIED = frozenset({403, 404})


class DeniedRequestLogMiddleware:
    """Last in MIDDLEWARE, so it sees the answer of the view, of URL resolution and of the CSRF
    check alike. The path is logged without its query string, which can hold tokens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in DENIED:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else "-"
            logger.warning(
                "denied status=%s method=%s path=%r user=%s address=%s",
                response.status_code,
                request.method,
                request.path,
                user_id,
                client_address(request),
            )
        return response
