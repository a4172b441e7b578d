"""What one person reads of a promotion packet: the document behind the packet page, the print
page and the Markdown download, so that the three can never disagree.

Entries go through `BragEntry.objects.visible_to(viewer)`, ratings through
`Assessment.objects.visible_to(viewer)`, and the manager's summary and recommendation are taken
out of the packet for its subject until a manager shares them. Nothing else decides what a
reader of a packet sees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet
from django.utils.text import slugify

from brag.models import BragEntry, GlueKind, GlueRecognition
from ladder.models import LadderVersion
from ladder.spec import DimensionSpec, ExpectationSpec
from people.models import User

from .models import Assessment, Kind, Rating
from .packet_models import MatrixRow, PacketEdit, PacketProject, PromotionPacket
from .packet_services import (
    AUDIT_QUESTIONS,
    SECTIONS,
    PacketAccess,
    access_to,
    archetype_offered,
    matrix_section,
    projects_digest,
    reads_manager_side,
    row_digest,
)
from .standing import ratings_for, share_versions

GLUE_EXAMPLES = 3


@dataclass
class ProjectView:
    project: PacketProject
    number: int
    # None when the viewer may not read the entry (private to the subject, deleted since, or
    # the viewer is a decider, who reads no brag entries): the audit answers still show.
    entry: BragEntry | None

    @property
    def answers(self) -> list[tuple[str, str]]:
        return [
            (question, getattr(self.project, name)) for name, question in AUDIT_QUESTIONS.items()
        ]


@dataclass
class GlueCount:
    kind: str
    label: str
    count: int
    examples: list[BragEntry]
    # How many of them a manager acknowledged ("recognised").
    recognised: int = 0


@dataclass
class RatingView:
    label: str
    cycle: str
    author: str


@dataclass
class MatrixView:
    row: MatrixRow
    dimension: DimensionSpec
    expectation: ExpectationSpec | None
    evidence: list[BragEntry]
    self_rating: RatingView | None
    manager_rating: RatingView | None
    last_edit: PacketEdit | None
    digest: str = ""

    @property
    def key(self) -> str:
        return self.dimension.key


@dataclass
class PacketDocument:
    packet: PromotionPacket
    viewer: User
    access: PacketAccess
    manager_side: bool
    archetype: bool
    projects: list[ProjectView]
    glue: list[GlueCount]
    matrix: list[MatrixView]
    edits: dict[str, PacketEdit] = field(default_factory=dict)
    projects_digest: str = ""

    @property
    def subject(self) -> User:
        return self.packet.subject

    @property
    def current_label(self) -> str:
        level = self.packet.current
        return level.label if level else self.packet.current_level_code or "—"

    @property
    def target_label(self) -> str:
        level = self.packet.target
        return level.label if level else self.packet.target_level_code

    @property
    def title(self) -> str:
        return f"Promotion Packet — {self.subject.display_name} — {self.packet.cycle.name}"

    @property
    def filename(self) -> str:
        return (
            f"promotion-packet-{slugify(self.subject.display_name)}-"
            f"{slugify(self.packet.cycle.name)}.md"
        )

    @property
    def glue_total(self) -> int:
        return sum(count.count for count in self.glue)

    @property
    def status_counts(self) -> dict[str, int]:
        counts = {"met": 0, "gap": 0, "na": 0, "open": 0}
        for view in self.matrix:
            counts[view.row.status or "open"] += 1
        return counts


def latest_ratings(
    subject: User,
    viewer: User,
    *,
    evidence: bool = False,
    known: Iterable[LadderVersion] = (),
) -> dict[str, dict[str, tuple[Assessment, Rating]]]:
    """Per dimension key, the latest rated self and manager rating of `subject` in submitted
    assessments that `viewer` may read: latest cycle first; within a cycle, the viewer's own
    assessment first, then the latest submitted. With `evidence`, ratings carry their evidence
    as far as the viewer may read it. `known` ladder versions (already read) are not read
    again."""
    ratings = (
        ratings_for(viewer)
        if evidence
        else Prefetch("ratings", queryset=Rating.objects.select_related("level"))
    )
    assessments = list(
        Assessment.objects.visible_to(viewer)
        .filter(subject=subject)
        .submitted()
        .select_related("cycle", "author", "track")
        .prefetch_related(ratings)
    )
    share_versions(assessments, known=known)
    assessments.sort(
        key=lambda a: (a.cycle.start, a.cycle_id, a.author_id == viewer.pk, a.submitted_at, a.pk),
        reverse=True,
    )
    latest: dict[str, dict[str, tuple[Assessment, Rating]]] = {}
    for assessment in assessments:
        for rating in assessment.ratings.all():
            if rating.is_rated:
                latest.setdefault(rating.dimension_key, {}).setdefault(
                    assessment.kind, (assessment, rating)
                )
    return latest


def glue_counts(
    subject: User, viewer: User, readable: QuerySet[BragEntry] | None = None
) -> list[GlueCount]:
    """The subject's glue work by kind, from the entries the viewer may read (`readable`, when
    the caller has built that queryset already), with the latest few titles of each kind: one
    query, reading the glue entries only."""
    if readable is None:
        readable = BragEntry.objects.visible_to(viewer).filter(owner=subject)
    # Plain rows, counted here: the per-kind counts and latest examples as window functions
    # cost several times more to build and compile than the few dozen rows cost to read.
    rows = (
        readable.exclude(glue_kind="")
        .annotate(is_recognised=Exists(GlueRecognition.objects.filter(entry=OuterRef("pk"))))
        .order_by("-date", "-pk")
        .values_list("pk", "glue_kind", "title", "date", "is_recognised")
    )
    by_kind: dict[str, GlueCount] = {}
    for pk, kind, title, date, recognised in rows:
        if kind not in GlueKind.values:
            continue  # a kind the product no longer offers
        count = by_kind.get(kind) or by_kind.setdefault(
            kind, GlueCount(kind, GlueKind(kind).label, 0, [])
        )
        count.count += 1
        count.recognised += bool(recognised)
        if len(count.examples) < GLUE_EXAMPLES:
            example = BragEntry(pk=pk, owner_id=subject.pk, glue_kind=kind, title=title, date=date)
            example.is_recognised = bool(recognised)  # type: ignore[attr-defined]
            count.examples.append(example)
    return [by_kind[kind] for kind in GlueKind.values if kind in by_kind]


def _latest_edits(packet: PromotionPacket) -> dict[str, PacketEdit]:
    last = (
        PacketEdit.objects.filter(packet=packet)
        .values("section")
        .annotate(last=Max("pk"))
        .values("last")
    )
    return {
        edit.section: edit for edit in PacketEdit.objects.filter(pk__in=last).select_related("by")
    }


def _rating_view(found: tuple[Assessment, Rating] | None) -> RatingView | None:
    if found is None:
        return None
    assessment, rating = found
    return RatingView(
        assessment.rating_label(rating), assessment.cycle.name, assessment.author.display_name
    )


def build_document(
    packet: PromotionPacket,
    viewer: User,
    *,
    editing: bool = False,
    access: PacketAccess | None = None,
    subject_entries: list[BragEntry] | None = None,
) -> PacketDocument:
    """Everything `viewer` reads of `packet` (which they may read: the caller fetched it through
    `PromotionPacket.objects.visible_to`), in a fixed number of queries. `editing` adds what
    the forms need (the digests of the matrix rows). A caller that has the viewer's access
    already, or every entry of the subject's the viewer may read (with their dimensions), passes
    them so that they are not asked again."""
    access = access or access_to(packet, viewer)
    manager_side = reads_manager_side(packet, access)
    if not manager_side:
        # Out of the object itself, so that no page, fragment or export can show them.
        packet.summary = ""
        packet.recommendation = ""
    edits = _latest_edits(packet)
    if not manager_side:
        edits.pop("summary", None)

    projects = list(packet.projects.all())
    rows = {row.dimension_key: row for row in packet.matrix.all()}
    linked: dict[int, list[int]] = {}
    for row_id, entry_id in MatrixRow.evidence.through.objects.filter(
        matrixrow__packet=packet
    ).values_list("matrixrow_id", "bragentry_id"):
        linked.setdefault(row_id, []).append(entry_id)
    # The projects' entries and the matrix's evidence, as far as the viewer reads them, in one
    # query (or none: the subject's readable entries, when given, hold every project and every
    # piece of evidence, which are the subject's own: set_projects and save_matrix_row check).
    wanted = {p.entry_id for p in projects} | {pk for ids in linked.values() for pk in ids}
    readable = (
        {entry.pk: entry for entry in subject_entries if entry.pk in wanted}
        if subject_entries is not None
        else {}
    )
    missing = wanted - readable.keys()
    # Built once, filtered twice (here and for the glue work): the access rule's subqueries
    # cost more to build than either query costs to run.
    subjects_readable = BragEntry.objects.visible_to(viewer).filter(owner=packet.subject_id)
    if missing and subject_entries is None:
        readable |= {
            entry.pk: entry
            for entry in subjects_readable.filter(pk__in=missing).prefetch_related("dimensions")
        }
    project_views = [
        ProjectView(project, number, readable.get(project.entry_id))
        for number, project in enumerate(projects, start=1)
    ]
    newest_first = sorted(readable.values(), key=lambda e: (e.date, e.pk), reverse=True)
    evidence_of = {row.pk: set(linked.get(row.pk, [])) for row in rows.values()}
    ratings = latest_ratings(packet.subject, viewer, known=[packet.ladder_version])
    target = packet.target
    spec = packet.ladder_version.spec
    # The version's dimensions in its order; a row whose key the version lacks keeps its key.
    dimensions = [d for d in spec.dimensions if d.key in rows] + [
        DimensionSpec(key, key) for key in rows if spec.dimension(key) is None
    ]
    matrix = []
    for dimension in dimensions:
        row = rows[dimension.key]
        found = ratings.get(dimension.key, {})
        matrix.append(
            MatrixView(
                row=row,
                dimension=dimension,
                expectation=target.expectations.get(dimension.key) if target else None,
                evidence=[entry for entry in newest_first if entry.pk in evidence_of[row.pk]],
                self_rating=_rating_view(found.get(Kind.SELF)),
                manager_rating=_rating_view(found.get(Kind.MANAGER)),
                last_edit=edits.get(matrix_section(dimension.key)),
                digest=row_digest(row, linked.get(row.pk, [])) if editing else "",
            )
        )
    return PacketDocument(
        packet=packet,
        viewer=viewer,
        access=access,
        manager_side=manager_side,
        archetype=archetype_offered(packet),
        projects=project_views,
        glue=glue_counts(packet.subject, viewer, subjects_readable),
        matrix=matrix,
        edits=edits,
        projects_digest=projects_digest(projects),
    )


# Markdown


def _indent(text: str, spaces: int) -> str:
    """Continuation lines of a list item, indented so that Markdown keeps them in the item."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return ("\n" + " " * spaces).join(lines)


def _date(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def _text(text: str, empty: str) -> str:
    return text.strip() if text.strip() else f"_{empty}_"


def _project_markdown(view: ProjectView) -> str:
    entry = view.entry
    if entry is None:
        lines = [f"### {view.number}. A brag entry you cannot open"]
    else:
        lines = [f"### {view.number}. {entry.title} ({_date(entry.date)})", ""]
        lines.append(f"- {entry.get_category_display()}")
        if entry.role:
            lines.append(f"- My role: {_indent(entry.role, 2)}")
        lines.append(f"- Impact: {_indent(entry.impact, 2)}")
        dimensions = [d.name for d in entry.dimensions.all()]
        if dimensions:
            lines.append(f"- Ladder dimensions: {', '.join(dimensions)}")
    lines.append("")
    for question, answer in view.answers:
        lines.append(f"- **{question}**")
        lines.append(f"  {_indent(answer, 2) if answer.strip() else '_Not answered yet._'}")
    return "\n".join(lines)


def _matrix_markdown(view: MatrixView, target_label: str) -> str:
    status = view.row.get_status_display() if view.row.status else "No status yet"
    lines = [f"### {view.dimension.name} — {status}", ""]
    expectation = view.expectation.summary if view.expectation else "No expectation written."
    lines.append(f"- {target_label} expects: {_indent(expectation, 2)}")
    if view.expectation:
        lines.extend(f"  - {_indent(c.text, 4)}" for c in view.expectation.criteria)
    if view.self_rating:
        lines.append(f"- Self-assessment: {view.self_rating.label} ({view.self_rating.cycle})")
    if view.manager_rating:
        rating = view.manager_rating
        lines.append(f"- Manager: {rating.label} ({rating.author}, {rating.cycle})")
    if view.evidence:
        lines.append("- Evidence:")
        lines.extend(f"  - {entry.title} ({_date(entry.date)})" for entry in view.evidence)
    else:
        lines.append("- Evidence: none linked yet.")
    if view.row.reason.strip():
        lines.append(f"- Why: {_indent(view.row.reason, 2)}")
    return "\n".join(lines)


def to_markdown(document: PacketDocument) -> str:
    """The packet in the guide's outline: current and target level, 3-5 projects, influence,
    mentoring, glue work, growth (and archetype), then the evidence matrix and, for those who
    read it, the manager's summary."""
    packet = document.packet
    parts = [f"# {document.title}"]
    parts.append(
        "\n".join(
            [
                f"- Current level: {document.current_label}",
                f"- Target level: {document.target_label}",
                f"- Track: {packet.frozen_track.name or packet.track_key}",
                f"- Status: {packet.get_status_display()}"
                + (f" ({_date(packet.submitted_at.date())})" if packet.submitted_at else ""),
            ]
        )
    )
    parts.append(f"## {SECTIONS['projects'].title}")
    if document.projects:
        parts.extend(_project_markdown(view) for view in document.projects)
    else:
        parts.append("_No projects picked yet._")
    for key, name in (("influence", "influence"), ("mentoring", "mentoring")):
        parts.append(f"## {SECTIONS[key].title}")
        parts.append(_text(getattr(packet, name), "Not written yet."))
    parts.append(f"## {SECTIONS['glue'].title}")
    if document.glue:
        parts.append(
            "\n".join(
                f"- {count.label}: {count.count}"
                + (f", {count.recognised} recognised" if count.recognised else "")
                + " ("
                + "; ".join(entry.title for entry in count.examples)
                + ("; …" if count.count > len(count.examples) else "")
                + ")"
                for count in document.glue
            )
        )
    else:
        parts.append(
            "- No glue work logged."
            if document.access.is_subject
            else "- No glue work in the entries you can read."
        )
    parts.append(_text(packet.glue_notes, "No notes yet."))
    parts.append(f"## {SECTIONS['growth'].title}")
    parts.append(_text(packet.growth, "Not written yet."))
    if document.archetype:
        parts.append(f"## {SECTIONS['archetype'].title}")
        parts.append(packet.get_archetype_display() if packet.archetype else "_Not said._")
    parts.append(f"## {SECTIONS['matrix'].title}")
    parts.extend(_matrix_markdown(view, document.target_label) for view in document.matrix)
    if document.manager_side:
        parts.append(f"## {SECTIONS['summary'].title}")
        recommendation = (
            packet.get_recommendation_display() if packet.recommendation else "None yet"
        )
        parts.append(f"**Recommendation:** {recommendation}")
        parts.append(_text(packet.summary, "No summary yet."))
    return "\n\n".join(parts) + "\n"
