"""Placeholder: being written. Every view answers 404 until then."""

from django.http import Http404, HttpRequest, HttpResponse


def recognise(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
