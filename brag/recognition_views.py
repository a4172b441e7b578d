"""A manager acknowledges a report's glue entry, from that person's brag page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from careerladder.feedback import announce
from careerladder.text import RefuseBidiControls
from careerladder.typing import AuthenticatedRequest

from .models import BragEntry, GlueRecognition
from .recognition import NotGlueWork, recognisable_by, with_recognitions
from .recognition import recognise as recognise_entry

ENTRY = "brag/list.html#entry"


class RecognitionForm(RefuseBidiControls, forms.ModelForm):
    class Meta:
        model = GlueRecognition
        fields = ["comment"]
        labels = {"comment": "Comment (optional)"}


def _entry(request: AuthenticatedRequest, pk: int) -> BragEntry:
    return get_object_or_404(
        with_recognitions(recognisable_by(request.user).with_tags(), request.user), pk=pk
    )


@require_POST
def recognise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Not readable or not a report's: 404. Not glue work, or a comment too long: refused with
    a message, nothing saved. Twice: the first recognition stands."""
    entry = _entry(request, pk)
    form = RecognitionForm(request.POST)
    error, created = None, False
    if form.is_valid():
        try:
            _, created = recognise_entry(entry, request.user, form.cleaned_data["comment"])
        except NotGlueWork as refusal:
            error = str(refusal)
    else:
        error = "; ".join(str(e) for e in form.errors["comment"])
    if error is None:
        notice = "Recognised." if created else "You had already recognised this entry."
        if not request.htmx:
            messages.success(request, f"{notice} “{entry.title}”")
            return redirect("brag:person", entry.owner_id)
        context = {
            "entry": _entry(request, pk),
            "can_recognise": True,
            "recognise_notice": notice,
            # The Acknowledge form is gone: focus the entry, which now says who recognised it.
            "focus_entry_id": pk,
        }
        said = "Recognised" if created else "You had already recognised"
        return announce(render(request, ENTRY, context), f"{said} “{entry.title}”.")
    if not request.htmx:
        messages.error(request, error)
        return redirect("brag:person", entry.owner_id)
    context = {
        "entry": entry,
        "can_recognise": True,
        "recognise_form": form,
        "recognise_error": error,
        "focus_entry_id": None if entry.glue_kind else pk,
    }
    return announce(render(request, ENTRY, context, status=422), f"Not recognised: {error}")
