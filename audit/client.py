"""Who is asking, as the logs name them: the client's address, found the way allauth finds it for
its rate limits (ALLAUTH_TRUSTED_PROXY_COUNT, or a trusted client-address header)."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str:
    """The address, or "unknown": a log line must never turn into an error page. allauth refuses
    (PermissionDenied) when there is none, and a forwarded-for header shorter than the trusted
    proxy count is a misconfiguration it reports by raising."""
    if request is None:
        return "unknown"
    try:
        return get_adapter(request).get_client_ip(request) or "unknown"
    except (PermissionDenied, ImproperlyConfigured):
        return "unknown"
