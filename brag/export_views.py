from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from careerladder.text import form_errors_text
from careerladder.typing import AuthenticatedRequest
from people.models import User

from .export import BragDocument, build_document, to_markdown
from .forms import ExportForm
from .models import brag_owners_visible_to


def _document(request: AuthenticatedRequest, person_id: int | None) -> BragDocument | str:
    """The document asked for, or the reason the request cannot be answered."""
    if person_id is None:
        person: User = request.user
    else:
        person = get_object_or_404(brag_owners_visible_to(request.user), pk=person_id)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return form_errors_text(form)
    data = form.cleaned_data
    return build_document(
        request.user, person, quarter=data["quarter"], start=data["start"], end=data["end"]
    )


@require_GET
def export_markdown(request: AuthenticatedRequest, person_id: int | None = None) -> HttpResponse:
    document = _document(request, person_id)
    if isinstance(document, str):
        return HttpResponseBadRequest(document, content_type="text/plain; charset=utf-8")
    response = HttpResponse(to_markdown(document), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@require_GET
def print_page(request: AuthenticatedRequest, person_id: int | None = None) -> HttpResponse:
    document = _document(request, person_id)
    if isinstance(document, str):
        return HttpResponseBadRequest(document, content_type="text/plain; charset=utf-8")
    return render(request, "brag/print.html", {"document": document})
