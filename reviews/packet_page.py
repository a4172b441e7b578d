"""What the promotion packet's page shows, section by section, for one reader: shared by the
page's views (packet_views) and the editing views (packet_edit_views). A POST that fails
answers with the same views, its bound form, conflict or problem in place of one of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.shortcuts import get_object_or_404

from brag.models import BragEntry
from careerladder.typing import AuthenticatedRequest

from .packet_export import MatrixView, build_document
from .packet_forms import MatrixRowForm, ProjectsForm, SectionForm
from .packet_models import MAX_PROJECTS, MIN_PROJECTS, PacketEdit, PromotionPacket
from .packet_services import (
    FIELD_SECTIONS,
    SECTIONS,
    Section,
    Side,
    access_to,
    closed_reason,
    submit_problems,
)

PAGE = "reviews/packet.html"


def packet_for(request: AuthenticatedRequest, pk: int) -> PromotionPacket:
    """The packet if this reader may read it; else 404."""
    return get_object_or_404(
        PromotionPacket.objects.visible_to(request.user).select_related(
            "subject", "cycle", "ladder_version__ladder", "track", "decision__decided_by"
        ),
        pk=pk,
    )


@dataclass
class SectionView:
    section: Section
    edit: PacketEdit | None
    form: Any = None  # None: this reader does not write it (or nobody does any more)
    conflict: PromotionPacket | None = None  # the packet as saved now, beside the posted form
    saved: bool = False
    problem: str = ""
    shown: list[tuple[str, str]] = field(default_factory=list)  # (label, text) to read
    # Where keyboard focus goes after an in-page action: "section", "problem", "conflict"
    # (the form's own field in error is marked by the form), or "project" (`focus_project`).
    focus: str = ""
    focus_project: int | None = None

    @property
    def key(self) -> str:
        return self.section.key


@dataclass
class RowView(SectionView):
    matrix: MatrixView | None = None
    suggested: list[BragEntry] = field(default_factory=list)
    others: list[BragEntry] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)
    # "Other entries" listed in the page, open: asked for without JavaScript (`?picker=`).
    others_open: bool = False

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


def page_context(
    request: AuthenticatedRequest,
    packet: PromotionPacket,
    changes: dict[str, dict[str, Any]] | None = None,
    *,
    others_open: str = "",
) -> dict[str, Any]:
    """The whole page, in a fixed number of queries. `changes` replaces attributes of one
    section's view (its bound form, a conflict, a problem, "saved", where focus goes);
    `others_open` is the matrix row whose "Other entries" are listed open."""
    user = request.user
    changes = changes or {}
    access = access_to(packet, user)
    writable = not closed_reason(packet)
    editing = writable and access.side != Side.READER
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
        editing=writable,
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
        row = apply(_row_view(matrix_view, choices, row_form, tags), key)
        row.others_open = bool(others_open) and matrix_view.key == others_open
        rows.append(row)

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
