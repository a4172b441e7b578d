"""Placeholder: being written. Every view answers 404 until then."""

from django.http import Http404, HttpRequest, HttpResponse


def team_page(request: HttpRequest, team_id: int) -> HttpResponse:
    raise Http404


def team_csv(request: HttpRequest, team_id: int) -> HttpResponse:
    raise Http404
