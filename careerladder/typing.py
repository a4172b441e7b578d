"""Request types for views, so that `request.user` is a real User and `request.htmx` exists."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from people.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    user: User  # type: ignore[assignment]
