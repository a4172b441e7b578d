"""Writing the promotion packet in place: one of its own sections, the projects, a row of the
evidence matrix. Each save answers HTMX with the section it changed (keyboard focus on it, a
line said in the page's live region) and the submit bar; a plain form post gets the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from brag.models import BragEntry
from careerladder.feedback import announce
from careerladder.typing import AuthenticatedRequest

from .form_focus import focus_first_error
from .packet_forms import MatrixRowForm, ProjectsForm, SectionForm
from .packet_models import PromotionPacket
from .packet_page import PAGE, RowView, SectionView, packet_for, page_context
from .packet_services import (
    FIELD_SECTIONS,
    SECTIONS,
    PacketConflict,
    PacketError,
    access_to,
    archetype_offered,
    closed_reason,
    projects_digest,
    save_matrix_row,
    save_section,
    set_projects,
    stored_row_digest,
)

REFUSED = "Nothing was saved: see the fields marked."
CONFLICT = (
    "Nothing was saved: someone changed this while you were editing. Your version is in the form."
)


def _said(view: SectionView, changes: dict[str, Any]) -> str:
    """What an HTMX answer says, and (set on `view`) where keyboard focus goes."""
    if view.conflict is not None:
        view.focus = "conflict"
        return CONFLICT
    if view.problem:
        view.focus = "problem"
        return view.problem
    if view.saved:
        view.focus = "project" if view.focus_project else "section"
        if isinstance(view, RowView) and view.matrix is not None:
            status = view.matrix.row.get_status_display() if view.matrix.row.status else ""
            name = view.matrix.dimension.name
            return f"Saved {name}: {status.lower()}." if status else f"Saved {name}."
        return changes.get("message") or f"Saved the {view.section.title.lower()}."
    if view.form is not None:
        focus_first_error(view.form)
    return REFUSED


def _answer(
    request: AuthenticatedRequest,
    packet: PromotionPacket,
    key: str,
    partial: str,
    changes: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """One section in place (HTMX), or the whole page with it (a plain form post)."""
    shown = {name: value for name, value in changes.items() if name != "message"}
    context = page_context(request, packet, {key: shown})
    if not request.htmx:
        return render(request, PAGE, context, status=status)
    view: SectionView
    if partial == "projects":
        view = context["s"] = context["projects"]
    elif partial == "matrix_row":
        view = context["row"] = next(r for r in context["rows"] if f"matrix:{r.key}" == key)
    else:
        view = context["s"] = context["sections"][key]
    message = _said(view, changes)
    return announce(render(request, f"{PAGE}#{partial}_answer", context, status=status), message)


def _refused(
    request: AuthenticatedRequest, packet: PromotionPacket, key: str, partial: str, message: str
) -> HttpResponse:
    if request.htmx:
        return _answer(request, packet, key, partial, {"problem": message}, status=422)
    messages.error(request, message)
    return redirect(packet)


def _saved(
    request: AuthenticatedRequest,
    packet: PromotionPacket,
    key: str,
    partial: str,
    **changes: Any,
) -> HttpResponse:
    if request.htmx:
        fresh = packet_for(request, packet.pk)
        return _answer(request, fresh, key, partial, {"saved": True, **changes})
    messages.success(request, f"Saved: {SECTIONS[key.split(':')[0]].title.lower()}.")
    anchor = key.replace(":", "-")
    return redirect(f"{packet.get_absolute_url()}#section-{anchor}")


@require_POST
def packet_section(request: AuthenticatedRequest, pk: int, section: str) -> HttpResponse:
    """Save one of the packet's own sections: the engineer's texts and archetype, or the
    manager's summary with the recommendation."""
    packet = packet_for(request, pk)
    if section not in FIELD_SECTIONS or (section == "archetype" and not archetype_offered(packet)):
        raise Http404
    if not access_to(packet, request.user).writes(section):
        raise PermissionDenied
    if closed_reason(packet):
        return _refused(request, packet, section, "section", closed_reason(packet))
    form = SectionForm(request.POST, packet=packet, section=section)
    if not form.is_valid():
        return _answer(request, packet, section, "section", {"form": form}, status=422)
    data = form.cleaned_data
    try:
        save_section(
            packet,
            section,
            request.user,
            version=data["version"],
            base=data["base"],
            **form.values(),
        )
    except PacketConflict as conflict:
        # Their text in the form, carrying the current version: saving it again is a choice.
        current = packet_for(request, conflict.packet.pk)
        mine = SectionForm(packet=current, section=section)
        mine.initial.update(form.values())
        return _answer(
            request, current, section, "section", {"form": mine, "conflict": current}, status=422
        )
    except PacketError as error:
        return _refused(request, packet, section, "section", str(error))
    return _saved(request, packet, section, "section")


def _projects_said(before: list[int], after: list[BragEntry], titles: dict[int, str]) -> str:
    """ "Saved the projects", with the ones added and taken out by name."""
    kept = {entry.pk for entry in after}
    added = [f"“{entry.title}”" for entry in after if entry.pk not in before]
    removed = [f"“{titles.get(pk, 'an entry you cannot open')}”" for pk in before if pk not in kept]
    changes = ([f"added {', '.join(added)}"] if added else []) + (
        [f"took out {', '.join(removed)}"] if removed else []
    )
    return f"Saved the projects: {'; '.join(changes)}." if changes else "Saved the projects."


@require_POST
def packet_projects(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The subject picks 3-5 of their entries as projects, with the impact audit of each."""
    packet = packet_for(request, pk)
    if not access_to(packet, request.user).writes("projects"):
        raise PermissionDenied
    if closed_reason(packet):
        return _refused(request, packet, "projects", "projects", closed_reason(packet))
    choices = list(
        BragEntry.objects.visible_to(request.user)
        .filter(owner_id=packet.subject_id)
        .order_by("-date", "-pk")
    )
    current = list(packet.projects.all())
    form = ProjectsForm(
        request.POST,
        packet=packet,
        choices=choices,
        projects=current,
        digest=projects_digest(current),
    )
    if not form.is_valid():
        return _answer(request, packet, "projects", "projects", {"form": form}, status=422)
    data = form.cleaned_data
    try:
        set_projects(
            packet, request.user, data["projects"], version=data["version"], base=data["base"]
        )
    except PacketConflict as conflict:
        fresh = packet_for(request, conflict.packet.pk)
        posted = request.POST.copy()
        rebound = ProjectsForm(
            posted,
            packet=fresh,
            choices=choices,
            projects=list(fresh.projects.all()),
            digest=projects_digest(fresh.projects.all()),
        )
        posted["version"] = str(fresh.version)
        posted["base"] = rebound.initial["base"]
        return _answer(
            request, fresh, "projects", "projects", {"form": rebound, "conflict": fresh}, 422
        )
    except PacketError as error:
        return _refused(request, packet, "projects", "projects", str(error))
    before = [project.entry_id for project in current]
    after = [project.entry for project in data["projects"]]
    added = [entry.pk for entry in after if entry.pk not in before]
    message = _projects_said(before, after, {entry.pk: entry.title for entry in choices})
    # Focus on the first project added (its impact audit is what to write next), else the section.
    changes = {"message": message, "focus_project": added[0] if added else None}
    return _saved(request, packet, "projects", "projects", **changes)


@require_POST
def packet_matrix_row(request: AuthenticatedRequest, pk: int, dimension_key: str) -> HttpResponse:
    """One row of the evidence matrix: status, reason, evidence. Both sides write it."""
    packet = packet_for(request, pk)
    row = packet.matrix.filter(dimension_key=dimension_key).first()
    if row is None:
        raise Http404
    if not access_to(packet, request.user).writes("matrix"):
        raise PermissionDenied
    key = f"matrix:{dimension_key}"
    if closed_reason(packet):
        return _refused(request, packet, key, "matrix_row", closed_reason(packet))
    owned = BragEntry.objects.visible_to(request.user).filter(owner_id=packet.subject_id)

    def bound(current: PromotionPacket, data: Any) -> MatrixRowForm:
        fresh_row = current.matrix.get(pk=row.pk)
        return MatrixRowForm(
            data,
            packet=current,
            key=dimension_key,
            status=fresh_row.status,
            reason=fresh_row.reason,
            digest=stored_row_digest(row.pk),
            choices=owned,
        )

    form = bound(packet, request.POST)
    if not form.is_valid():
        return _answer(request, packet, key, "matrix_row", {"form": form}, status=422)
    data = form.cleaned_data
    try:
        save_matrix_row(
            packet,
            dimension_key,
            request.user,
            status=data["status"],
            reason=data["reason"],
            evidence=list(data["evidence"]),
            version=data["version"],
            base=data["base"],
        )
    except PacketConflict as conflict:
        fresh = packet_for(request, conflict.packet.pk)
        posted = request.POST.copy()
        rebound = bound(fresh, posted)
        posted["version"], posted["base"] = str(fresh.version), rebound.initial["base"]
        rebound.is_valid()
        return _answer(
            request, fresh, key, "matrix_row", {"form": rebound, "conflict": fresh}, status=422
        )
    except PacketError as error:
        return _refused(request, packet, key, "matrix_row", str(error))
    return _saved(request, packet, key, "matrix_row")
