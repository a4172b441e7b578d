"""Promotion packets: start one, write the sections (each side its own), the projects and the
evidence matrix, draft from evidence, share the manager's summary, submit, export and print.

Reading goes through `PromotionPacket.objects.visible_to` (denied: 404); which sections a reader
writes is `packet_services.access_to`'s answer (the other side's: 403); what they read of it is
`packet_export.build_document`'s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from brag.models import BragEntry
from careerladder.text import form_errors_text
from careerladder.typing import AuthenticatedRequest
from people.models import User

from .packet_export import MatrixView, build_document, to_markdown
from .packet_forms import MatrixRowForm, PacketStartForm, ProjectsForm, SectionForm
from .packet_models import MAX_PROJECTS, MIN_PROJECTS, PacketEdit, PromotionPacket
from .packet_picker import other_entries
from .packet_services import (
    FIELD_SECTIONS,
    SECTIONS,
    PacketConflict,
    PacketError,
    Section,
    Side,
    access_to,
    archetype_offered,
    closed_reason,
    draft_from_evidence,
    projects_digest,
    save_matrix_row,
    save_section,
    set_projects,
    share_summary,
    start_packet,
    stored_row_digest,
    submit_packet,
    submit_problems,
)

PAGE = "reviews/packet.html"


def _packet(request: AuthenticatedRequest, pk: int) -> PromotionPacket:
    return get_object_or_404(
        PromotionPacket.objects.visible_to(request.user).select_related(
            "subject", "cycle", "ladder_version__ladder", "track", "decision__decided_by"
        ),
        pk=pk,
    )


def _go(request: AuthenticatedRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# What the page shows, section by section. A POST that fails answers the same views with its
# bound form, its conflict or its problem in place of one of them.


@dataclass
class SectionView:
    section: Section
    edit: PacketEdit | None
    form: Any = None  # None: this reader does not write it (or nobody does any more)
    conflict: PromotionPacket | None = None  # the packet as saved now, beside the posted form
    saved: bool = False
    problem: str = ""
    shown: list[tuple[str, str]] = field(default_factory=list)  # (label, text) to read

    @property
    def key(self) -> str:
        return self.section.key


@dataclass
class RowView(SectionView):
    matrix: MatrixView | None = None
    suggested: list[BragEntry] = field(default_factory=list)
    others: list[BragEntry] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)

    @property
    def key(self) -> str:
        return self.matrix.key if self.matrix else ""


def _shown(packet: PromotionPacket, key: str) -> list[tuple[str, str]]:
    """A section as it reads, for whoever may not (or may no longer) edit it."""
    if key == "archetype":
        return [("Archetype", packet.get_archetype_display() if packet.archetype else "")]
    if key == "summary":
        recommendation = packet.get_recommendation_display() if packet.recommendation else ""
        return [("Recommendation", recommendation), ("Summary", packet.summary)]
    return [(SECTIONS[key].title, getattr(packet, SECTIONS[key].fields[0]))]


def _writable(packet: PromotionPacket) -> bool:
    return not closed_reason(packet)


def _row_view(
    view: MatrixView, choices: list[BragEntry], form: Any, tags: dict[int, set[str]]
) -> RowView:
    """A row with its evidence picker: attached first, then entries tagged with the
    dimension (`tags`: each choice's dimension keys), then the rest."""
    attached = {entry.pk for entry in view.evidence}
    checked = form.posted_evidence() if form is not None and form.is_bound else attached
    rest = [entry for entry in choices if entry.pk not in attached]
    suggested = [e for e in rest if view.key in tags[e.pk]]
    suggested_ids = {entry.pk for entry in suggested}
    return RowView(
        SECTIONS["matrix"],
        view.last_edit,
        form,
        matrix=view,
        suggested=suggested,
        others=[entry for entry in rest if entry.pk not in suggested_ids],
        checked=checked,
    )


def _context(
    request: AuthenticatedRequest,
    packet: PromotionPacket,
    changes: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The whole page, in a fixed number of queries. `changes` replaces attributes of one
    section's view (its bound form, a conflict, a problem, "saved")."""
    user = request.user
    changes = changes or {}
    access = access_to(packet, user)
    editing = _writable(packet) and access.side != Side.READER
    choices: list[BragEntry] = []
    if editing:
        choices = list(
            BragEntry.objects.visible_to(user)
            .filter(owner_id=packet.subject_id)
            .prefetch_related("dimensions")
            .order_by("-date", "-pk")
        )
    doc = build_document(
        packet,
        user,
        editing=_writable(packet),
        access=access,
        subject_entries=choices if editing else None,
    )

    def apply[View](view: View, key: str) -> View:
        for name, value in changes.get(key, {}).items():
            setattr(view, name, value)
        return view

    sections = {}
    for key in FIELD_SECTIONS:
        if (key == "archetype" and not doc.archetype) or (
            key == "summary" and not doc.manager_side
        ):
            continue
        form = SectionForm(packet=packet, section=key) if editing and access.writes(key) else None
        view = SectionView(SECTIONS[key], doc.edits.get(key), form, shown=_shown(packet, key))
        sections[key] = apply(view, key)

    projects_form = None
    if editing and access.writes("projects"):
        projects_form = ProjectsForm(
            packet=packet,
            choices=choices,
            projects=[view.project for view in doc.projects],
            digest=doc.projects_digest,
        )
    projects = apply(
        SectionView(SECTIONS["projects"], doc.edits.get("projects"), projects_form), "projects"
    )

    rows = []
    # Only the forms need it: a read-only page does not build the access rule's subqueries.
    owned = (
        BragEntry.objects.visible_to(user).filter(owner_id=packet.subject_id)
        if editing
        else BragEntry.objects.none()
    )
    tags = {entry.pk: {d.key for d in entry.dimensions.all()} for entry in choices}
    for matrix_view in doc.matrix:
        key = f"matrix:{matrix_view.key}"
        row_form = changes.get(key, {}).get("form")
        if row_form is None and editing:
            row_form = MatrixRowForm(
                packet=packet,
                key=matrix_view.key,
                status=matrix_view.row.status,
                reason=matrix_view.row.reason,
                digest=matrix_view.digest,
                choices=owned,
            )
        rows.append(apply(_row_view(matrix_view, choices, row_form, tags), key))

    return {
        "doc": doc,
        "packet": packet,
        "access": access,
        "editing": editing,
        "sections": sections,
        "projects": projects,
        "rows": rows,
        "problems": submit_problems(
            packet,
            project_count=len(doc.projects),
            matrix=[(view.row.dimension_key, view.row.status) for view in doc.matrix],
        )
        if access.is_manager and editing
        else [],
        "project_count": len(doc.projects),
        "min_projects": MIN_PROJECTS,
        "max_projects": MAX_PROJECTS,
        # The round's decision, once there is one: every reader of the packet reads it.
        "decision": getattr(packet, "decision", None),
        "share_edit": doc.edits.get("share"),
        "submit_edit": doc.edits.get("submit"),
    }


def _answer(
    request: AuthenticatedRequest,
    packet: PromotionPacket,
    key: str,
    partial: str,
    changes: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """One section in place (HTMX), or the whole page with it (a plain form post)."""
    context = _context(request, packet, {key: changes})
    if request.htmx:
        if partial == "projects":
            context["s"] = context["projects"]
        elif partial == "matrix_row":
            context["row"] = next(row for row in context["rows"] if f"matrix:{row.key}" == key)
        else:
            context["s"] = context["sections"][key]
        return render(request, f"{PAGE}#{partial}_answer", context, status=status)
    return render(request, PAGE, context, status=status)


def _refused(
    request: AuthenticatedRequest, packet: PromotionPacket, key: str, partial: str, message: str
) -> HttpResponse:
    if request.htmx:
        return _answer(request, packet, key, partial, {"problem": message}, status=422)
    messages.error(request, message)
    return redirect(packet)


def _fresh(request: AuthenticatedRequest, packet: PromotionPacket) -> PromotionPacket:
    return _packet(request, packet.pk)


def _saved(
    request: AuthenticatedRequest, packet: PromotionPacket, key: str, partial: str
) -> HttpResponse:
    if request.htmx:
        return _answer(request, _fresh(request, packet), key, partial, {"saved": True})
    messages.success(request, f"Saved: {SECTIONS[key.split(':')[0]].title.lower()}.")
    anchor = key.replace(":", "-")
    return redirect(f"{packet.get_absolute_url()}#section-{anchor}")


# The views


@require_POST
def packet_start(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The subject or one of their managers starts the packet for a cycle (the target level
    defaults to the subject's)."""
    user = request.user
    people = User.objects.filter(
        Q(pk=user.pk) | Q(pk__in=User.objects.reports_of(user).values("pk"))
    ).select_related("track", "current_level", "target_level")
    person = get_object_or_404(people, pk=person_id)
    form = PacketStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("reviews:standing", person.pk)
    cycle = form.cleaned_data["cycle"]
    try:
        packet = start_packet(person, cycle, user, form.cleaned_data["target_level"])
    except PacketError as error:
        messages.error(request, str(error))
        existing = PromotionPacket.objects.filter(subject=person, cycle=cycle).first()
        return redirect(existing) if existing else redirect("reviews:standing", person.pk)
    messages.success(request, f"Promotion packet started for {cycle.name}.")
    return redirect(packet)


@require_GET
@vary_on_headers("HX-Request")
def packet_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    packet = _packet(request, pk)
    if request.htmx and "picker" in request.GET:
        return other_entries(request, packet, request.GET["picker"])
    return render(request, PAGE, _context(request, packet))


@require_POST
def packet_section(request: AuthenticatedRequest, pk: int, section: str) -> HttpResponse:
    """Save one of the packet's own sections: the engineer's texts and archetype, or the
    manager's summary with the recommendation."""
    packet = _packet(request, pk)
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
        current = _fresh(request, conflict.packet)
        mine = SectionForm(packet=current, section=section)
        mine.initial.update(form.values())
        return _answer(
            request, current, section, "section", {"form": mine, "conflict": current}, status=422
        )
    except PacketError as error:
        return _refused(request, packet, section, "section", str(error))
    return _saved(request, packet, section, "section")


@require_POST
def packet_projects(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The subject picks 3-5 of their entries as projects, with the impact audit of each."""
    packet = _packet(request, pk)
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
        fresh = _fresh(request, conflict.packet)
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
    return _saved(request, packet, "projects", "projects")


@require_POST
def packet_matrix_row(request: AuthenticatedRequest, pk: int, dimension_key: str) -> HttpResponse:
    """One row of the evidence matrix: status, reason, evidence. Both sides write it."""
    packet = _packet(request, pk)
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
        fresh = _fresh(request, conflict.packet)
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


@require_POST
def packet_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Fill the empty parts from the evidence; never overwrite what someone wrote."""
    packet = _packet(request, pk)
    try:
        result = draft_from_evidence(packet, request.user)
    except PacketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, result.message)
    return _go(request, packet.get_absolute_url())


@require_POST
def packet_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A manager shares the summary and recommendation with the subject."""
    packet = _packet(request, pk)
    try:
        share_summary(packet, request.user)
    except PacketError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Shared with {packet.subject.display_name}: they can read the summary and the "
            "recommendation now.",
        )
    return _go(request, f"{packet.get_absolute_url()}#section-summary")


@require_POST
def packet_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A manager of the subject submits; the packet is read-only from then on."""
    packet = _packet(request, pk)
    try:
        submit_packet(packet, request.user)
    except PacketError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Submitted. The packet is read-only now, and the deciders of "
            f"{packet.cycle.name} can read it.",
        )
    return _go(request, packet.get_absolute_url())


@require_GET
def packet_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = build_document(_packet(request, pk), request.user)
    response = HttpResponse(to_markdown(document), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@require_GET
def packet_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = build_document(_packet(request, pk), request.user)
    return render(request, "reviews/packet_print.html", {"doc": document})
