"""Placeholder: being written. Every view answers 404 until then."""

from django.http import Http404, HttpRequest, HttpResponse


def note_list(request: HttpRequest, person_id: object) -> HttpResponse:
    raise Http404


def note_page(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def note_share(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def note_delete(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def note_undo(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def note_history(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404
