"""Starting, writing, drafting, submitting and exporting promotion packets: the rules that
span models. Views call these; nothing else writes a packet.

Who writes what, in one place (`access_to` and `SECTIONS`): the subject writes their sections
and the projects; a manager of the subject writes the summary and the recommendation, shares
them and submits; both sides write the evidence matrix and may draft from evidence. A submitted
packet changes no more. Every save carries the packet's `version`; a save made against an
older version goes through only if nobody changed that same section since (the section's
`base` digest still matches), else it is refused with the current text (`PacketConflict`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from brag.models import BragEntry
from careerladder.editing import StaleEdit, save_if_current, saved_by_update
from ladder.models import Level
from ladder.services import latest_version
from people.models import User

from .models import ReviewCycle
from .packet_models import (
    MAX_PROJECTS,
    MIN_PROJECTS,
    Archetype,
    MatrixRow,
    MatrixStatus,
    PacketEdit,
    PacketProject,
    PacketStatus,
    PromotionPacket,
    Recommendation,
)


class PacketError(Exception):
    """Something a person asked for that the rules refuse; the message says why."""


class PacketConflict(StaleEdit):
    """Someone changed the same section since the edit started: nothing was written. `packet`
    is the packet as it is now."""

    def __init__(self, packet: PromotionPacket, section: str):
        super().__init__(packet)
        self.packet = packet
        self.section = section


from .packet_sections import (  # noqa: E402, F401  (re-exported for the views and forms)
    ARCHETYPE_HELP,
    AUDIT_QUESTIONS,
    FIELD_SECTIONS,
    SECTIONS,
    PacketAccess,
    Section,
    Side,
    access_to,
    archetype_offered,
    digest,
    matrix_section,
    projects_digest,
    reads_manager_side,
    row_digest,
    section_digest,
    stored_row_digest,
)


def start_packet(
    subject: User, cycle: ReviewCycle, by: User, target_level: Level | None = None
) -> PromotionPacket:
    """A draft packet for `subject` in `cycle`, read against the ladder version in use now,
    with one evidence-matrix row per dimension."""
    if by.pk != subject.pk and not User.objects.reports_of(by).filter(pk=subject.pk).exists():
        raise PacketError(f"You do not manage {subject.display_name}.")
    if not cycle.is_open:
        raise PacketError(f"{cycle.name} is closed: no new packets.")
    track, current = subject.track, subject.current_level
    if track is None or current is None:
        raise PacketError(
            f"{subject.display_name} has no track and current level yet; an admin sets them first."
        )
    target = target_level or subject.target_level
    if target is None:
        raise PacketError("Pick the level the packet is for.")
    if target.track_id != track.pk:
        raise PacketError(f"Pick a level of the {track.name} track.")
    if target.order <= current.order:
        raise PacketError(
            f"The target level must be above {subject.display_name}'s current level "
            f"({current.label})."
        )
    version = latest_version(track.ladder)
    try:
        with transaction.atomic():
            packet = PromotionPacket.objects.create(
                subject=subject,
                cycle=cycle,
                created_by=by,
                track=track,
                track_key=track.key,
                current_level=current,
                current_level_code=current.code,
                target_level=target,
                target_level_code=target.code,
                ladder_version=version,
            )
            MatrixRow.objects.bulk_create(
                MatrixRow(packet=packet, dimension_key=dimension.key)
                for dimension in version.spec.dimensions
            )
    except IntegrityError:
        raise PacketError(
            f"{subject.display_name} has a packet for {cycle.name} already."
        ) from None
    return packet


# Writing: every write goes through `_write`, which checks the side, the state and the version.


def _locked(packet: PromotionPacket) -> PromotionPacket:
    fresh = (
        PromotionPacket.objects.select_for_update(of=("self",))
        .select_related("cycle", "subject", "ladder_version")
        .get(pk=packet.pk)
    )
    return fresh


def _check_writable(packet: PromotionPacket, by: User, section: str) -> None:
    """Raise PermissionDenied for the other side's section, PacketError when the packet cannot
    change any more. `packet` is read inside the transaction that writes."""
    if not access_to(packet, by).writes(section):
        raise PermissionDenied(f"{SECTIONS[section].title} is not yours to write.")
    problem = closed_reason(packet)
    if problem:
        raise PacketError(problem)


def closed_reason(packet: PromotionPacket) -> str:
    """Why nobody can change the packet any more ("" while they can)."""
    if packet.status != PacketStatus.DRAFT:
        return "This packet is submitted: it can no longer change."
    if not packet.cycle.is_open:
        return f"{packet.cycle.name} is closed: this packet can no longer change."
    return ""


def _write(
    packet: PromotionPacket,
    by: User,
    *,
    section: str,
    edit_section: str,
    version: int,
    base: str,
    current: Callable[[PromotionPacket], str],
    changes: dict[str, Any] | None = None,
    rows: Callable[[PromotionPacket], None] | None = None,
) -> PromotionPacket:
    """Write one section and bump the packet's version, with the packet's row locked. An edit
    that started from `version` goes through; one that started from an older version goes
    through only if the section itself is as it was (`current(packet)`, its digest now, equals
    `base`, the digest the edit started from): someone saved another section meanwhile.
    Otherwise PacketConflict, and nothing is written. The version moves in the same UPDATE as
    the change (save_if_current), so a write racing this one finds its version stale."""
    changes = {**(changes or {}), "updated": timezone.now()}
    with transaction.atomic():
        fresh = _locked(packet)
        _check_writable(fresh, by, section)
        if fresh.version != version and current(fresh) != base:
            raise PacketConflict(fresh, section)
        # The row is locked: nobody writes between this check and the UPDATE.
        save_if_current(fresh, fresh.version, **changes)
        if rows is not None:
            rows(fresh)
        PacketEdit.objects.create(packet=fresh, section=edit_section, by=by)
    return fresh


def save_section(
    packet: PromotionPacket, section: str, by: User, *, version: int, base: str, **values: Any
) -> PromotionPacket:
    """Save one of the packet's own text sections (influence, mentoring, glue, growth,
    archetype; the summary with the recommendation)."""
    if section not in FIELD_SECTIONS:
        raise PacketError("There is no such section.")
    fields = SECTIONS[section].fields
    if set(values) != set(fields):
        raise ValueError(f"{section} saves exactly {', '.join(fields)}")
    if section == "archetype" and not archetype_offered(packet):
        raise PacketError("The archetype is for a packet aiming at Staff or above.")
    if values.get("archetype") and values["archetype"] not in Archetype.values:
        raise PacketError("Pick one of the archetypes.")
    if values.get("recommendation") and values["recommendation"] not in Recommendation.values:
        raise PacketError("Recommend “promote” or “not yet”.")
    return _write(
        packet,
        by,
        section=section,
        edit_section=section,
        version=version,
        base=base,
        current=lambda fresh: section_digest(fresh, section),
        changes=values,
    )


@dataclass
class ProjectInput:
    entry: BragEntry
    measurable_impact: str = ""
    who_benefited: str = ""
    learned: str = ""
    differently: str = ""


def _check_entries(packet: PromotionPacket, by: User, entries: Iterable[BragEntry]) -> None:
    ids = {entry.pk for entry in entries}
    allowed = set(
        BragEntry.objects.visible_to(by)
        .filter(owner_id=packet.subject_id, pk__in=ids)
        .values_list("pk", flat=True)
    )
    if ids - allowed:
        raise PacketError(
            f"Pick only {packet.subject.display_name}’s own brag entries that you can read."
        )


def set_projects(
    packet: PromotionPacket,
    by: User,
    projects: list[ProjectInput],
    *,
    version: int,
    base: str,
) -> PromotionPacket:
    """The packet's projects, in this order, with their impact audit. At most five; fewer than
    three save (the page warns) but cannot be submitted."""
    entries = [project.entry for project in projects]
    if len({entry.pk for entry in entries}) != len(entries):
        raise PacketError("Each entry is one project: it is picked twice.")
    if len(projects) > MAX_PROJECTS:
        raise PacketError(
            f"A packet has at most {MAX_PROJECTS} projects; you picked {len(projects)}."
        )

    def write_rows(fresh: PromotionPacket) -> None:
        _check_entries(fresh, by, entries)
        fresh.projects.all().delete()
        PacketProject.objects.bulk_create(
            PacketProject(
                packet=fresh,
                entry=project.entry,
                order=order,
                measurable_impact=project.measurable_impact,
                who_benefited=project.who_benefited,
                learned=project.learned,
                differently=project.differently,
            )
            for order, project in enumerate(projects)
        )

    return _write(
        packet,
        by,
        section="projects",
        edit_section="projects",
        version=version,
        base=base,
        current=lambda fresh: projects_digest(fresh.projects.all()),
        rows=write_rows,
    )


def save_matrix_row(
    packet: PromotionPacket,
    dimension_key: str,
    by: User,
    *,
    status: str,
    reason: str,
    evidence: list[BragEntry],
    version: int,
    base: str,
) -> PromotionPacket:
    """One row of the evidence matrix. A gap or "not applicable" needs a reason. Evidence the
    editor cannot read (an entry the subject keeps private) stays attached as it was."""
    row = MatrixRow.objects.filter(packet=packet, dimension_key=dimension_key).first()
    if row is None:
        raise PacketError("There is no such dimension in this packet.")
    if status and status not in MatrixStatus.values:
        raise PacketError("Pick met, gap or not applicable.")
    if status in (MatrixStatus.GAP, MatrixStatus.NOT_APPLICABLE) and not reason.strip():
        raise PacketError("Say why: a gap or “not applicable” needs a reason.")

    def write_rows(fresh: PromotionPacket) -> None:
        _check_entries(fresh, by, evidence)
        hidden = row.evidence.exclude(pk__in=BragEntry.objects.visible_to(by).values("pk"))
        MatrixRow.objects.filter(pk=row.pk).update(status=status, reason=reason)
        row.evidence.set([*evidence, *hidden])

    return _write(
        packet,
        by,
        section="matrix",
        edit_section=matrix_section(dimension_key),
        version=version,
        base=base,
        current=lambda fresh: stored_row_digest(row.pk),
        rows=write_rows,
    )


@dataclass
class DraftResult:
    filled: list[str]

    @property
    def message(self) -> str:
        if not self.filled:
            return (
                "Nothing to fill: every part the draft fills has content already, or there is "
                "no evidence to draw from."
            )
        return (
            f"Drafted from evidence: {', '.join(self.filled)}. Nothing anyone wrote was "
            "changed; read it through and make it yours."
        )


def draft_from_evidence(packet: PromotionPacket, by: User) -> DraftResult:
    """Fill the empty parts of the packet from the subject's entries and latest assessments,
    as far as `by` may read them (see packet_draft). Never overwrites what someone wrote."""
    from .packet_draft import plan_draft

    with transaction.atomic():
        fresh = _locked(packet)
        _check_writable(fresh, by, "matrix")  # both sides may draft
        plan = plan_draft(fresh, by)
        if plan.is_empty:
            return DraftResult([])
        filled = []
        edits = []
        if plan.projects:
            PacketProject.objects.bulk_create(
                PacketProject(packet=fresh, entry=entry, order=order)
                for order, entry in enumerate(plan.projects)
            )
            filled.append(f"{len(plan.projects)} projects")
            edits.append("projects")
        if plan.evidence:
            rows = {row.dimension_key: row for row in fresh.matrix.all()}
            through = MatrixRow.evidence.through
            through.objects.bulk_create(
                through(matrixrow_id=rows[key].pk, bragentry_id=entry.pk)
                for key, entries in plan.evidence.items()
                for entry in entries
            )
            count = len(plan.evidence)
            filled.append(f"evidence on {count} dimension{'s' if count != 1 else ''}")
            edits.extend(matrix_section(key) for key in plan.evidence)
        for name in plan.texts:
            section = next(s for s in FIELD_SECTIONS if SECTIONS[s].fields == (name,))
            filled.append(SECTIONS[section].title.lower())
            edits.append(section)
        save_if_current(fresh, fresh.version, updated=timezone.now(), **plan.texts)
        PacketEdit.objects.bulk_create(PacketEdit(packet=fresh, section=s, by=by) for s in edits)
    return DraftResult(filled)


def share_summary(packet: PromotionPacket, by: User) -> PromotionPacket:
    """The manager shares the summary and recommendation with the subject."""
    with transaction.atomic():
        fresh = _locked(packet)
        _check_writable(fresh, by, "summary")
        if not fresh.summary.strip() and not fresh.recommendation:
            raise PacketError("Write the summary or pick a recommendation before you share it.")
        if fresh.manager_shared_at is not None:
            raise PacketError(f"Shared with {fresh.subject.display_name} already.")
        fresh.manager_shared_at = timezone.now()
        PromotionPacket.objects.filter(pk=fresh.pk).update(
            manager_shared_at=fresh.manager_shared_at, version=F("version") + 1
        )
        fresh.version += 1
        saved_by_update.send(
            sender=PromotionPacket, instance=fresh, changed=["manager_shared_at"], by=by
        )
        PacketEdit.objects.create(packet=fresh, section="share", by=by)
    return fresh


def submit_problems(
    packet: PromotionPacket,
    *,
    project_count: int | None = None,
    matrix: list[tuple[str, str]] | None = None,
) -> list[str]:
    """What stands between this packet and submitting it (empty: ready). The packet page
    passes the project count and the matrix's (dimension key, status) pairs it has read."""
    problems = []
    count = packet.projects.count() if project_count is None else project_count
    if count < MIN_PROJECTS:
        problems.append(
            f"Pick at least {MIN_PROJECTS} projects ({count} so far): "
            f"{packet.subject.display_name} picks them."
        )
    if matrix is None:
        matrix = list(packet.matrix.values_list("dimension_key", "status"))
    unset = [key for key, status in matrix if not status]
    if unset:
        names = {d.key: d.name for d in packet.ladder_version.spec.dimensions}
        problems.append(
            "Give every row of the evidence matrix a status; still open: "
            + ", ".join(names.get(key, key) for key in unset)
            + "."
        )
    if not packet.recommendation:
        problems.append("Pick a recommendation: promote or not yet.")
    if not packet.summary.strip():
        problems.append("Write the manager’s summary.")
    return problems


def submit_packet(packet: PromotionPacket, by: User) -> PromotionPacket:
    """A manager of the subject submits: from then on the packet is read-only for everyone,
    and the cycle's deciders read it."""
    with transaction.atomic():
        fresh = _locked(packet)
        if not access_to(fresh, by).is_manager:
            raise PermissionDenied("A manager of the subject submits the packet.")
        if fresh.status != PacketStatus.DRAFT:
            raise PacketError("This packet is submitted already.")
        if not fresh.cycle.is_open:
            raise PacketError(f"{fresh.cycle.name} is closed: nothing can be submitted.")
        problems = submit_problems(fresh)
        if problems:
            raise PacketError("Not submitted. " + " ".join(problems))
        now = timezone.now()
        save_if_current(
            fresh, fresh.version, status=PacketStatus.SUBMITTED, submitted_at=now, updated=now
        )
        PacketEdit.objects.create(packet=fresh, section="submit", by=by)
    return fresh
