"""Placeholder: being written. Every view answers 404 until then."""

from django.http import Http404, HttpRequest, HttpResponse


def packet_start(request: HttpRequest, person_id: object) -> HttpResponse:
    raise Http404


def packet_page(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def packet_section(request: HttpRequest, pk: object, section: object) -> HttpResponse:
    raise Http404


def packet_projects(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def packet_matrix_row(request: HttpRequest, pk: object, dimension_key: object) -> HttpResponse:
    raise Http404


def packet_draft(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def packet_share(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def packet_submit(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def packet_export(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404


def packet_print(request: HttpRequest, pk: object) -> HttpResponse:
    raise Http404
