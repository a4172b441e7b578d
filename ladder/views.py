from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from careerladder.typing import HtmxRequest

from .forms import LadderUploadForm, LevelDiffForm
from .ladder_file import LadderFileError
from .level_map import compare_levels, level_map_rows
from .models import Ladder, Track
from .services import export_ladder_yaml, import_ladder_text


def _ladder_and_track(slug: str | None, track_key: str | None) -> tuple[Ladder, Track]:
    ladder = Ladder.objects.default() if slug is None else Ladder.objects.filter(slug=slug).first()
    if ladder is None:
        raise Http404("No ladder yet.")
    tracks = ladder.tracks.all()
    track = tracks.first() if track_key is None else tracks.filter(key=track_key).first()
    if track is None:
        raise Http404("No such track.")
    return ladder, track


@require_GET
def level_map(
    request: HtmxRequest, slug: str | None = None, track_key: str | None = None
) -> HttpResponse:
    ladder, track = _ladder_and_track(slug, track_key)
    dimensions, levels, rows = level_map_rows(ladder, track)
    return render(
        request,
        "ladder/map.html",
        {
            "ladder": ladder,
            "track": track,
            "tracks": ladder.tracks.all(),
            "ladders": Ladder.objects.all(),
            "dimensions": dimensions,
            "levels": levels,
            "rows": rows,
            "has_expectations": any(cell.expectation for row in rows for cell in row.cells),
            "diff_form": LevelDiffForm(track=track, user=request.user),
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def level_diff(request: HtmxRequest, slug: str, track_key: str) -> HttpResponse:
    ladder, track = _ladder_and_track(slug, track_key)
    form = LevelDiffForm(request.GET or None, track=track, user=request.user)
    diff = None
    if form.is_valid():
        diff = compare_levels(
            ladder, form.cleaned_data["from_level"], form.cleaned_data["to_level"]
        )
    context = {"ladder": ladder, "track": track, "form": form, "diff": diff}
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "ladder/diff.html#diff" if fragment else "ladder/diff.html"
    return render(request, template, context)


@require_GET
def ladder_export(request: HtmxRequest, slug: str) -> HttpResponse:
    ladder = get_object_or_404(Ladder, slug=slug)
    response = HttpResponse(
        export_ladder_yaml(ladder), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ladder.slug}.yaml"'
    return response


@require_http_methods(["GET", "POST"])
def ladder_upload(request: HtmxRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can import a ladder.")
    posted = request.method == "POST"
    form = LadderUploadForm(request.POST, request.FILES) if posted else LadderUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            ladder = import_ladder_text(
                form.cleaned_data["text"], upload.name, replace=form.cleaned_data["replace"]
            )
        except LadderFileError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Imported the ladder “{ladder.name}”.")
            return redirect(ladder.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request,
        "ladder/upload.html",
        {"form": form, "ladders": Ladder.objects.all()},
        status=status,
    )
