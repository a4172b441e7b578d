from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from careerladder.docs import MissingDoc, render_doc
from careerladder.ids import parse_id
from careerladder.typing import AuthenticatedRequest

from .forms import LadderUploadForm, LevelDiffForm
from .ladder_file import spec_to_yaml
from .level_map import compare_levels, level_map_rows
from .models import Ladder, LadderVersion, Track, VersionSource
from .services import import_ladder_text, ladder_to_spec
from .spec import LadderFileError

FORMAT_DOC = "ladder-format.md"


def _ladder_and_track(slug: str | None, track_key: str | None) -> tuple[Ladder, Track]:
    ladder = Ladder.objects.default() if slug is None else Ladder.objects.filter(slug=slug).first()
    if ladder is None:
        raise Http404("No ladder yet.")
    tracks = ladder.tracks.all()
    track = tracks.first() if track_key is None else tracks.filter(key=track_key).first()
    if track is None:
        raise Http404("No such track.")
    return ladder, track


def _own_track_key(user: Any, ladder: Ladder) -> str | None:
    """The track of this ladder the person reads first: their own; for a manager without one,
    the ladder's management track, if it has one."""
    if user.track_id is not None and user.track.ladder_id == ladder.pk:
        return user.track.key
    # Through the reverse relation: the ladder app does not import people.
    if user.memberships.filter(role="manager").exists():
        for track in ladder.tracks.all():
            if "manag" in track.key or "manag" in track.name.lower():
                return track.key
    return None


def _version(request: AuthenticatedRequest, ladder: Ladder) -> LadderVersion | None:
    """The past version the URL asks for (`?version=N`), or None for the live ladder."""
    wanted = request.GET.get("version", "")
    if not wanted:
        return None
    number = parse_id(wanted)
    if number is None:
        raise Http404("No such version.")
    return get_object_or_404(ladder.versions.select_related("created_by"), number=number)


def _switcher() -> list[tuple[Ladder, str]]:
    """Every ladder with the name to show; two ladders of the same name show their slugs."""
    ladders = list(Ladder.objects.all())
    names = [ladder.name for ladder in ladders]
    return [
        (ladder, f"{ladder.name} ({ladder.slug})" if names.count(ladder.name) > 1 else ladder.name)
        for ladder in ladders
    ]


@require_GET
def level_map(
    request: AuthenticatedRequest, slug: str | None = None, track_key: str | None = None
) -> HttpResponse:
    user = request.user
    if slug is None:
        ladder = user.ladder()
        if ladder is None:
            raise Http404("No ladder yet.")
    else:
        ladder = get_object_or_404(Ladder, slug=slug)
    version = _version(request, ladder)
    spec = version.spec if version else ladder_to_spec(ladder)
    key = track_key or _own_track_key(user, ladder)
    track = spec.track(key) if key else (spec.tracks[0] if spec.tracks else None)
    if track is None and track_key is None and spec.tracks:
        track = spec.tracks[0]
    if track is None:
        raise Http404("No such track.")
    dimensions, levels, rows = level_map_rows(spec, track)
    own_track = user.track
    mine = own_track is not None and own_track.ladder_id == ladder.pk and own_track.key == track.key
    latest = version and ladder.versions.order_by("-number").values_list("number", flat=True)[0]
    return render(
        request,
        "ladder/map.html",
        {
            "ladder": ladder,
            "spec": spec,
            "track": track,
            "version": version,
            "latest_number": latest,
            "version_query": f"?version={version.number}" if version else "",
            "ladders": _switcher(),
            "dimensions": dimensions,
            "levels": levels,
            "rows": rows,
            "current_code": user.current_level.code if mine and user.current_level else None,
            "has_expectations": any(cell.expectation for row in rows for cell in row.cells),
            "diff_form": None
            if version
            else LevelDiffForm(track=ladder.tracks.get(key=track.key), user=user),
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def level_diff(request: AuthenticatedRequest, slug: str, track_key: str) -> HttpResponse:
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
def ladder_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The ladder as careerladder/v1, live or at `?version=N`."""
    ladder = get_object_or_404(Ladder, slug=slug)
    version = _version(request, ladder)
    spec = version.spec if version else ladder_to_spec(ladder)
    response = HttpResponse(spec_to_yaml(spec), content_type="application/yaml; charset=utf-8")
    name = f"{ladder.slug}-v{version.number}" if version else ladder.slug
    response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
    return response


@require_GET
def ladder_format(request: AuthenticatedRequest) -> HttpResponse:
    """docs/ladder-format.md as a page: the help the import page links to."""
    try:
        doc = render_doc(FORMAT_DOC)
    except MissingDoc:
        raise Http404(
            f"docs/{FORMAT_DOC} is not installed with this copy of Careerladder."
        ) from None
    return render(request, "ladder/format.html", {"doc": doc, "can_import": request.user.is_staff})


@require_http_methods(["GET", "POST"])
def ladder_upload(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can import a ladder.")
    posted = request.method == "POST"
    form = LadderUploadForm(request.POST, request.FILES) if posted else LadderUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = import_ladder_text(
                form.cleaned_data["text"],
                upload.name,
                replace=form.cleaned_data["replace"],
                format=form.cleaned_data["format"] or None,
                by=request.user,
                via=VersionSource.UPLOAD,
            )
        except LadderFileError as error:
            form.add_error("file", str(error))
        else:
            ladder, version = imported.ladder, imported.version
            if version is None:
                messages.info(
                    request,
                    f"“{ladder.name}” has the same content already: no new version was made.",
                )
            else:
                messages.success(
                    request, f"Imported “{ladder.name}”: version {version.number} of its ladder."
                )
            return redirect(ladder.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request,
        "ladder/upload.html",
        {"form": form, "ladders": Ladder.objects.all()},
        status=status,
    )
