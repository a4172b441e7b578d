"""Draft from evidence: what one action would fill in the empty parts of a packet, from the
subject's brag entries and latest submitted assessments as far as the drafter may read them.

Deterministic: every choice is ranked on the data alone (scores, dates, then primary keys), so
the same entries and ratings give the same draft. It only ever fills what is empty: projects
when there are none, evidence on matrix rows that have none, and the engineer's texts while
they are blank. The manager's summary, the recommendation, the archetype and every status are
judgements, and are never drafted."""

from __future__ import annotations

from dataclasses import dataclass, field

from brag.models import BragEntry, Category, GlueKind, Visibility
from people.models import User

from .packet_export import latest_ratings
from .packet_models import MAX_PROJECTS, MIN_PROJECTS, MatrixRow, PromotionPacket

EVIDENCE_CAP = 5
TEXT_ITEMS = 5

INFLUENCE_GLUE = {GlueKind.COORDINATION, GlueKind.DESIGN_REVIEWS}
MENTORING_GLUE = {GlueKind.MENTORING, GlueKind.ONBOARDING, GlueKind.INTERVIEWING}

STARTERS = {
    "influence": "From the brag document: say who beyond the team works differently because "
    "of each, and how you know.",
    "mentoring": "From the brag document: say whose work got better, and how it kept going "
    "without you.",
    "glue_notes": "Glue work from the brag document: frame each as a team outcome, with a "
    "number where there is one.",
    "growth": "From the brag document: name the gap each one closed.",
}


@dataclass
class Draft:
    projects: list[BragEntry] = field(default_factory=list)
    evidence: dict[str, list[BragEntry]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.projects or self.evidence or self.texts)


def newest_first(entries: list[BragEntry]) -> list[BragEntry]:
    return sorted(entries, key=lambda e: (e.date, e.pk), reverse=True)


def rank_projects(entries: list[BragEntry], target_keys: set[str]) -> list[BragEntry]:
    """Entries tagged with the target level's dimensions, most tags first, a quantified impact
    worth one more; ties go to the newest (date, then primary key). Up to five of them; when
    fewer than three are tagged, the newest quantified, then the newest other entries make up
    three."""

    def tags(entry: BragEntry) -> int:
        return sum(1 for d in entry.dimensions.all() if d.key in target_keys)

    def rank(entry: BragEntry) -> tuple[int, object, int]:
        return (tags(entry) + (1 if entry.is_quantified else 0), entry.date, entry.pk)

    tagged = sorted((e for e in entries if tags(e)), key=rank, reverse=True)[:MAX_PROJECTS]
    if len(tagged) < MIN_PROJECTS:
        chosen = {e.pk for e in tagged}
        others = sorted((e for e in entries if e.pk not in chosen), key=rank, reverse=True)
        tagged += others[: MIN_PROJECTS - len(tagged)]
    return tagged


def matrix_evidence(
    dimension_key: str,
    entries: list[BragEntry],
    rating_evidence: list[BragEntry],
) -> list[BragEntry]:
    """The entries attached to the latest ratings of the dimension (newest first), then the
    entries tagged with it (newest first), without repeats, at most five."""
    tagged = [e for e in entries if any(d.key == dimension_key for d in e.dimensions.all())]
    picked: dict[int, BragEntry] = {}
    for entry in [*newest_first(rating_evidence), *newest_first(tagged)]:
        picked.setdefault(entry.pk, entry)
    return list(picked.values())[:EVIDENCE_CAP]


def _lines(entries: list[BragEntry]) -> list[str]:
    return [f"- {e.title} ({e.date:%-d %b %Y})" for e in newest_first(entries)[:TEXT_ITEMS]]


def starter_texts(entries: list[BragEntry]) -> dict[str, str]:
    """A short starter per text section: the titles of the entries that speak to it."""

    def influence(entry: BragEntry) -> bool:
        names = (f"{d.key} {d.name}".lower() for d in entry.dimensions.all())
        return entry.glue_kind in INFLUENCE_GLUE or any("influence" in n for n in names)

    texts = {
        "influence": _lines([e for e in entries if influence(e)]),
        "mentoring": _lines(
            [
                e
                for e in entries
                if e.category == Category.MENTORING or e.glue_kind in MENTORING_GLUE
            ]
        ),
        "growth": _lines([e for e in entries if e.category == Category.LEARNING]),
    }
    glue = []
    for kind, label in GlueKind.choices:
        of_kind = [e for e in entries if e.glue_kind == kind]
        if of_kind:
            titles = "; ".join(e.title for e in newest_first(of_kind)[:3])
            glue.append(f"- {label} ({len(of_kind)}): {titles}")
    texts["glue_notes"] = glue
    return {name: "\n".join([STARTERS[name], *lines]) for name, lines in texts.items() if lines}


def plan_draft(packet: PromotionPacket, by: User) -> Draft:
    """What drafting would fill in now, as `by` may read the evidence."""
    # Never private entries: what the draft writes is read by the managers and the deciders.
    entries = list(
        BragEntry.objects.visible_to(by)
        .filter(owner_id=packet.subject_id)
        .exclude(visibility=Visibility.PRIVATE)
        .prefetch_related("dimensions")
        .order_by("-date", "-pk")
    )
    spec_keys = [d.key for d in packet.ladder_version.spec.dimensions]
    target = packet.target
    target_keys = set(target.expectations) if target and target.expectations else set(spec_keys)
    draft = Draft()
    if not packet.projects.exists():
        draft.projects = rank_projects(entries, target_keys)

    ratings = latest_ratings(packet.subject, by, evidence=True)
    readable = {e.pk for e in entries}
    empty_rows = MatrixRow.objects.filter(packet=packet, evidence__isnull=True).values_list(
        "dimension_key", flat=True
    )
    order = {key: n for n, key in enumerate(spec_keys)}
    for key in sorted(empty_rows, key=lambda k: (order.get(k, len(order)), k)):
        from_ratings = [
            entry
            for _, rating in ratings.get(key, {}).values()
            for entry in rating.evidence.all()
            if entry.pk in readable
        ]
        picked = matrix_evidence(key, entries, from_ratings)
        if picked:
            draft.evidence[key] = picked

    draft.texts = {
        name: text
        for name, text in starter_texts(entries).items()
        if not getattr(packet, name).strip()
    }
    return draft
