"""A ladder's history of versions, and what changed between any two of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from careerladder.typing import AuthenticatedRequest

from .models import Ladder, LadderVersion
from .version_diff import compare_versions


class VersionPairForm(forms.Form):
    """Two version numbers to compare, as `?from=N&to=M`. Any number parses; whether it is a
    version of the ladder is the view's question (a 404, not a form error). Without either
    number in the URL it starts from the latest version and the one before."""

    def __init__(self, data: Any = None, *, numbers: list[int]) -> None:
        if data is not None and not ({"from", "to"} & set(data.keys())):
            data = None
        if data is None and len(numbers) >= 2:
            data = {"from": numbers[1], "to": numbers[0]}
        super().__init__(data)
        choices = [(n, f"Version {n}") for n in numbers]
        # "from" is a Python keyword, so the fields cannot be declared on the class.
        for name, label in (("from", "From"), ("to", "To")):
            widget = forms.Select(choices=choices)
            self.fields[name] = forms.IntegerField(label=label, widget=widget)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from") is not None and data.get("from") == data.get("to"):
            self.add_error("to", "Pick a version other than the one you compare it with.")
        return data


@dataclass
class HistoryRow:
    version: LadderVersion
    # The number of the version before it, for "what changed"; None for the first.
    previous: int | None


@require_GET
def ladder_history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    ladder = get_object_or_404(Ladder, slug=slug)
    # Content is the whole ladder per version: the table needs only its figures (`counts`).
    versions = list(
        ladder.versions.defer("content").select_related("created_by").order_by("-number")
    )
    rows = [
        HistoryRow(version, versions[n + 1].number if n + 1 < len(versions) else None)
        for n, version in enumerate(versions)
    ]
    numbers = [version.number for version in versions]
    return render(
        request,
        "ladder/history.html",
        {"ladder": ladder, "rows": rows, "form": VersionPairForm(numbers=numbers)},
    )


@require_GET
@vary_on_headers("HX-Request")
def version_diff(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    ladder = get_object_or_404(Ladder, slug=slug)
    numbers = list(ladder.versions.order_by("-number").values_list("number", flat=True))
    form = VersionPairForm(request.GET or None, numbers=numbers)
    before = after = diff = None
    if form.is_valid():
        wanted = [form.cleaned_data["from"], form.cleaned_data["to"]]
        # Looked up among the numbers already read: an out-of-range integer never reaches SQL.
        if any(number not in numbers for number in wanted):
            raise Http404("No such version of this ladder.")
        found = ladder.versions.select_related("created_by").filter(number__in=wanted)
        by_number = {version.number: version for version in found}
        before, after = by_number[wanted[0]], by_number[wanted[1]]
        diff = compare_versions(before.spec, after.spec)
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "ladder/version_diff.html#diff" if fragment else "ladder/version_diff.html"
    # htmx swaps a 422 (the house rule for a form with errors); a page load gets a plain 400.
    status = (422 if fragment else 400) if form.errors else 200
    context = {"ladder": ladder, "form": form, "before": before, "after": after, "diff": diff}
    return render(request, template, context, status=status)
