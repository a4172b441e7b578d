"""A packet's sections: who writes each, what the guide asks in it, and the fingerprints that
tell whether a section changed since an edit started. The one place for who writes what."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from people.models import User

from .packet_models import (
    Archetype,
    MatrixRow,
    PacketProject,
    PromotionPacket,
)

# Who may write a section, and what the guide asks in it.


class Side(StrEnum):
    SUBJECT = "subject"
    MANAGER = "manager"
    BOTH = "both"
    READER = "reader"  # a decider: reads a submitted packet, writes nothing


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    side: Side
    fields: tuple[str, ...]
    prompt: str


AUDIT_QUESTIONS = {
    "measurable_impact": "What was the measurable impact? (If you can’t measure it, figure "
    "out how)",
    "who_benefited": "Who benefited besides you? (Your team? Other teams? Users? The company?)",
    "learned": "What did you learn that you didn’t know before?",
    "differently": "What would you do differently if you did it again?",
}

SECTIONS: dict[str, Section] = {
    section.key: section
    for section in [
        Section(
            "projects",
            "Projects",
            Side.SUBJECT,
            (),
            "3-5 projects demonstrating target-level scope and impact. For each, the impact "
            "audit: the measurable impact, who benefited besides you, what you learned, what "
            "you would do differently.",
        ),
        Section(
            "influence",
            "Influence beyond the team",
            Side.SUBJECT,
            ("influence",),
            "Evidence of influence beyond your immediate team. An RFC adopted by 3+ teams is "
            "stronger signal than any amount of code. Problems that affect multiple teams but "
            "nobody owns, led without formal authority.",
        ),
        Section(
            "mentoring",
            "Mentoring and multiplier effects",
            Side.SUBJECT,
            ("mentoring",),
            "Evidence of mentoring or multiplier effects. Mentoring senior engineers is a "
            "multiplier on a multiplier: share your frameworks for decision-making, not just "
            "your technical knowledge.",
        ),
        Section(
            "glue",
            "Glue work",
            Side.SUBJECT,
            ("glue_notes",),
            "Make it visible and quantify it: “Onboarded 3 new hires, reducing their ramp-up "
            "time from 8 weeks to 4 weeks.” Frame it as organizational impact, and say how you "
            "made it scale beyond you (onboarding docs, runbooks, templates).",
        ),
        Section(
            "growth",
            "Areas of growth",
            Side.SUBJECT,
            ("growth",),
            "Areas of growth and how you’ve addressed them. If you can’t fill this out "
            "convincingly, you now know exactly what gaps to close.",
        ),
        Section(
            "archetype",
            "Archetype",
            Side.SUBJECT,
            ("archetype",),
            "Which one are you? Most staff engineers are a blend, but understanding these "
            "archetypes helps you articulate what kind of staff engineer you want to be and "
            "what kind your org needs. Optional.",
        ),
        Section(
            "matrix",
            "Evidence matrix",
            Side.BOTH,
            (),
            "For every dimension: what the target level expects, the evidence that shows it, "
            "and whether it is met. A gap or “not applicable” says why.",
        ),
        Section(
            "summary",
            "Manager’s summary and recommendation",
            Side.MANAGER,
            ("summary", "recommendation"),
            "Is this person ready, and can you defend it? Name the dimensions that carry the "
            "case and, for “not yet”, what would close each gap. The engineer reads this once "
            "you share it.",
        ),
    ]
}

# The sections saved through the packet_section view: text (and choice) fields on the packet.
FIELD_SECTIONS = ("influence", "mentoring", "glue", "growth", "archetype", "summary")

ARCHETYPE_HELP = {
    Archetype.TECH_LEAD: "Partners with a single team’s manager to set technical direction; "
    "drives execution on the team’s most important projects.",
    Archetype.ARCHITECT: "Responsible for technical direction of a broad area; depth of "
    "knowledge in the domain, breadth of influence across teams.",
    Archetype.SOLVER: "Parachutes into the hardest technical problems across the org; moves "
    "from team to team as needed.",
    Archetype.RIGHT_HAND: "Extends a senior leader (VP, CTO) by taking on their hardest "
    "problems; operates with borrowed authority.",
}


@dataclass(frozen=True)
class PacketAccess:
    """What one person may do with a packet they can read (one query to decide)."""

    side: Side

    @property
    def is_subject(self) -> bool:
        return self.side == Side.SUBJECT

    @property
    def is_manager(self) -> bool:
        return self.side == Side.MANAGER

    def writes(self, section: str) -> bool:
        wanted = SECTIONS[section].side
        if self.side == Side.READER:
            return False
        return wanted == Side.BOTH or wanted == self.side


def access_to(packet: PromotionPacket, user: User) -> PacketAccess:
    """The side `user` is on. Reading is `PromotionPacket.objects.visible_to`'s answer; this
    says which sections they write: the subject theirs, a manager of the subject theirs,
    anyone else (a decider) none."""
    if packet.subject_id == user.pk:
        return PacketAccess(Side.SUBJECT)
    if User.objects.reports_of(user).filter(pk=packet.subject_id).exists():
        return PacketAccess(Side.MANAGER)
    return PacketAccess(Side.READER)


def reads_manager_side(packet: PromotionPacket, access: PacketAccess) -> bool:
    """The summary and recommendation: managers and deciders read them; the subject only once
    a manager has shared them."""
    return not access.is_subject or packet.manager_shared_at is not None


def archetype_offered(packet: PromotionPacket) -> bool:
    """Archetypes are for Staff and above: the target is at or above the track's first level
    named or coded "Staff"; on a track without one, at or above its 4th level (the guide's
    map: Junior, Mid, Senior, Staff)."""
    levels = packet.frozen_track.levels
    codes = [level.code for level in levels]
    if packet.target_level_code not in codes:
        return False
    staff = next(
        (n for n, level in enumerate(levels) if "staff" in f"{level.name} {level.code}".lower()),
        3,
    )
    return codes.index(packet.target_level_code) >= staff


def matrix_section(dimension_key: str) -> str:
    """The PacketEdit section of one matrix row (it fits the 50 characters of the column)."""
    name = f"matrix:{dimension_key}"
    if len(name) <= 50:
        return name
    return f"matrix:{dimension_key[:30]}~{hashlib.sha256(name.encode()).hexdigest()[:12]}"


# Digests of a section as it stands: an edit carries the one it started from.


def digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:16]


def section_digest(packet: PromotionPacket, section: str) -> str:
    # Sharing changes who reads the summary: a save begun before it is a conflict, so that
    # nobody publishes text to the subject without seeing that it is shared now.
    shared = (str(packet.manager_shared_at),) if section == "summary" else ()
    return digest(*(getattr(packet, name) for name in SECTIONS[section].fields), *shared)


def projects_digest(projects: Iterable[PacketProject]) -> str:
    return digest(
        *(
            (p.entry_id, p.measurable_impact, p.who_benefited, p.learned, p.differently)
            for p in projects
        )
    )


def row_digest(row: MatrixRow, evidence_ids: Iterable[int]) -> str:
    """Over all the row's evidence, including entries the editor cannot read."""
    return digest(row.status, row.reason, sorted(evidence_ids))


def stored_row_digest(row_id: int) -> str:
    """The digest of a row as the database holds it now."""
    row = MatrixRow.objects.get(pk=row_id)
    through = MatrixRow.evidence.through.objects.filter(matrixrow_id=row_id)
    return row_digest(row, through.values_list("bragentry_id", flat=True))


# Starting a packet.
