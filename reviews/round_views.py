"""Placeholder: being written. Every view answers 404 until then."""

from django.http import Http404, HttpRequest, HttpResponse


def round_page(request: HttpRequest, cycle_id: object) -> HttpResponse:
    raise Http404


def packet_decide(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404
