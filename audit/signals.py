"""Sign-ins, sign-outs and failed sign-ins, logged to "careerladder.audit" with who and from
where. Never a password: Django hands failed credentials over with the password masked, and
only the address typed is logged from them."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from .client import client_address

logger = logging.getLogger("careerladder.audit")

# What a person typed is logged with %r, so that a newline cannot forge a log line; and cut
# short, so that a megabyte of junk in the email field stays out of the logs.
ATTEMPT_MAX = 254


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    logger.info("sign-in user=%s email=%r address=%s", user.pk, user.email, client_address(request))


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # signing out without a session: nobody to name
        logger.info("sign-out user=- address=%s", client_address(request))
        return
    logger.info(
        "sign-out user=%s email=%r address=%s", user.pk, user.email, client_address(request)
    )


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    attempted = credentials.get("email") or credentials.get("username") or ""
    logger.warning(
        "sign-in failed email=%r address=%s",
        str(attempted)[:ATTEMPT_MAX],
        client_address(request),
    )


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="audit.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="audit.signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit.sign_in_failed")
