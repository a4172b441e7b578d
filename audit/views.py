"""The audit trail page: staff only; anyone else is told it is not there (404)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from careerladder.staff import require_staff_mfa
from careerladder.typing import AuthenticatedRequest

from .forms import TrailFilterForm
from .trail import changes, describe

PAGE_SIZE = 50


@require_GET
@vary_on_headers("HX-Request")
@require_staff_mfa
def trail(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    filters = TrailFilterForm(request.GET or None)
    label, person = filters.selection()
    page = Paginator(changes(label, person), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "rows": describe(list(page.object_list))}
    fragment = request.htmx and not request.htmx.history_restore_request
    return render(request, "audit/trail.html#changes" if fragment else "audit/trail.html", context)
