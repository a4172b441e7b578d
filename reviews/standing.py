"""What the assessment pages show: one sheet per assessment, and "where I stand" comparing the
self-assessment, the manager's and the target level, with evidence and history."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch

from brag.models import BragEntry, GlueRecognition
from ladder.models import Expectation, LadderVersion, Level
from ladder.spec import DimensionSpec
from people.models import User

from .models import Assessment, Kind, Rating

SERIOUS_GAP = 2


def evidence_for(viewer: User) -> Prefetch:
    """A rating's evidence this viewer may read: an entry attached as evidence stays as private
    as it was. Each entry says whether a manager recognised it as glue work (`is_recognised`),
    in the same query."""
    evidence = (
        BragEntry.objects.visible_to(viewer)
        .annotate(is_recognised=Exists(GlueRecognition.objects.filter(entry=OuterRef("pk"))))
        .order_by("-date")
    )
    return Prefetch("evidence", queryset=evidence)


def ratings_for(viewer: User) -> Prefetch:
    """Ratings with their level, dimension and the evidence this viewer may read."""
    return Prefetch(
        "ratings",
        queryset=Rating.objects.select_related("dimension", "level").prefetch_related(
            evidence_for(viewer)
        ),
    )


def share_versions(assessments: list[Assessment], known: Iterable[LadderVersion] = ()) -> None:
    """Give assessments made against the same ladder version one shared version object, read
    in one query (none for the `known` ones, already read): its content (a few kilobytes of
    JSON) is then decoded, and its spec parsed, once per version rather than once per
    assessment, as a `select_related` would."""
    versions = {version.pk: version for version in known}
    ids = {a.ladder_version_id for a in assessments if a.ladder_version_id is not None}
    if ids - versions.keys():
        versions |= LadderVersion.objects.in_bulk(ids - versions.keys())
    for assessment in assessments:
        if assessment.ladder_version_id is not None:
            assessment.ladder_version = versions[assessment.ladder_version_id]


def level_texts(levels: list[Level | None]) -> dict[tuple[str, str], str]:
    """(level code, dimension key) -> expectation summary on the live ladder, for a few levels
    of one track, in one query."""
    ids = [level.pk for level in levels if level is not None]
    return {
        (code, key): summary
        for code, key, summary in Expectation.objects.filter(level_id__in=ids).values_list(
            "level__code", "dimension__key", "summary"
        )
    }


def text_for(
    assessment: Assessment, code: str, dimension_key: str, live: dict[tuple[str, str], str]
) -> str | None:
    """A submitted assessment reads the texts of the version it was rated against, whatever
    the ladder says now; a draft reads the live ladder."""
    if not code:
        return None
    if assessment.frozen_track is not None:
        return assessment.expectation_text(code, dimension_key)
    return live.get((code, dimension_key))


@dataclass
class SheetRow:
    rating: Rating
    dimension: DimensionSpec
    current_text: str | None
    target_text: str | None
    label: str = ""
    form: object = None


def sheet_rows(assessment: Assessment, live: dict[tuple[str, str], str]) -> list[SheetRow]:
    rows = []
    for rating in assessment.ratings.all():
        if not assessment.is_submitted and rating.dimension_id is None:
            continue  # its dimension left the ladder; ensure_ratings drops it
        key = rating.dimension_key
        rows.append(
            SheetRow(
                rating,
                assessment.dimension_of(rating),
                text_for(assessment, assessment.current_level_code, key, live),
                text_for(assessment, assessment.target_level_code, key, live),
                assessment.rating_label(rating),
            )
        )
    version = assessment.ladder_version
    if assessment.frozen_track is not None and version is not None:
        order = {d.key: n for n, d in enumerate(version.spec.dimensions)}
        rows.sort(key=lambda row: order.get(row.dimension.key, len(order)))
    return rows


def position(assessment: Assessment | None, rating: Rating | None, codes: list[str]) -> int | None:
    """A rating on the chart's scale: 0 below the first level, 1 for the first level, …"""
    if assessment is None or rating is None or not rating.is_rated:
        return None
    if rating.below_first_level:
        return 0
    # Submitted: the code it was rated with; a draft: the live level's.
    live = rating.level
    code = rating.level_code if assessment.is_submitted or live is None else live.code
    return codes.index(code) + 1 if code in codes else None


@dataclass
class Standing:
    dimension: DimensionSpec
    target_text: str | None
    self_rating: Rating | None
    manager_rating: Rating | None
    self_position: int | None
    manager_position: int | None
    target_position: int | None
    evidence: list[BragEntry] = field(default_factory=list)
    self_label: str = "—"
    manager_label: str = "—"

    @property
    def gap(self) -> int | None:
        if self.self_position is None or self.manager_position is None:
            return None
        return abs(self.self_position - self.manager_position)

    @property
    def serious(self) -> bool:
        return self.gap is not None and self.gap >= SERIOUS_GAP

    @property
    def gap_text(self) -> str:
        """The gap in words, with its direction: the manager's rating against the self-rating."""
        if self.self_position is None or self.manager_position is None:
            return "Not both rated yet"
        difference = self.manager_position - self.self_position
        if difference == 0:
            return "Same level"
        levels = f"{abs(difference)} level{'' if abs(difference) == 1 else 's'}"
        direction = "higher" if difference > 0 else "lower"
        text = f"Manager rates {levels} {direction}"
        return f"{text}: serious disconnect" if self.serious else text


def standings(
    dimensions: list[DimensionSpec],
    codes: list[str],
    target_code: str,
    self_assessment: Assessment | None,
    manager_assessment: Assessment | None,
    live: dict[tuple[str, str], str],
) -> list[Standing]:
    """One row per dimension, by natural keys: `codes` are the track's level codes in order
    (the chart's scale), from the version of the submitted assessment, or the live ladder."""
    by_dimension = {
        kind: {r.dimension_key: r for r in a.ratings.all()} if a else {}
        for kind, a in ((Kind.SELF, self_assessment), (Kind.MANAGER, manager_assessment))
    }
    target_position = codes.index(target_code) + 1 if target_code in codes else None
    submitted = next(
        (a for a in (self_assessment, manager_assessment) if a and a.is_submitted), None
    )
    result = []
    for dimension in dimensions:
        mine = by_dimension[Kind.SELF].get(dimension.key)
        theirs = by_dimension[Kind.MANAGER].get(dimension.key)
        evidence: dict[int, BragEntry] = {}
        for rating in (mine, theirs):
            for entry in rating.evidence.all() if rating else []:
                evidence[entry.pk] = entry
        basis = submitted or self_assessment or manager_assessment
        target_text = (
            text_for(basis, target_code, dimension.key, live)
            if basis is not None
            else live.get((target_code, dimension.key))
        )
        result.append(
            Standing(
                dimension=dimension,
                target_text=target_text,
                self_rating=mine,
                manager_rating=theirs,
                self_position=position(self_assessment, mine, codes),
                manager_position=position(manager_assessment, theirs, codes),
                target_position=target_position,
                evidence=sorted(evidence.values(), key=lambda e: e.date, reverse=True),
                self_label=self_assessment.rating_label(mine) if self_assessment and mine else "—",
                manager_label=manager_assessment.rating_label(theirs)
                if manager_assessment and theirs
                else "—",
            )
        )
    return result


@dataclass
class Radar:
    """A radar chart as SVG coordinates: one polygon per series, one vertex per dimension."""

    size: int
    centre: float
    rings: list[str]
    axes: list[tuple[float, float, float, float, str, str]]
    series: list[tuple[str, str, str]]  # (name, css class, "x,y x,y …")
    # Room on either side for the axis labels, inside the picture: a label drawn outside it
    # would widen the page on a phone.
    margin: int = 72

    @property
    def width(self) -> int:
        return self.size + 2 * self.margin

    @property
    def view_box(self) -> str:
        return f"{-self.margin} 0 {self.width} {self.size}"


def radar(rows: list[Standing], scale: int, size: int = 320) -> Radar:
    centre, radius = size / 2, size / 2 - 32
    count = max(len(rows), 1)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * value / max(scale, 1)
        return round(centre + distance * math.cos(angle), 1), round(
            centre + distance * math.sin(angle), 1
        )

    rings = [
        " ".join(f"{x},{y}" for x, y in (point(i, ring) for i in range(count)))
        for ring in range(1, scale + 1)
    ]
    axes = []
    for index, row in enumerate(rows):
        x, y = point(index, scale)
        lx, ly = point(index, scale + 0.55)
        anchor = "middle" if abs(lx - centre) < 5 else ("start" if lx > centre else "end")
        axes.append((x, y, lx, ly, anchor, row.dimension.name))
    series = []
    for name, css, attribute in (
        ("Target level", "radar__target", "target_position"),
        ("Self-assessment", "radar__self", "self_position"),
        ("Manager", "radar__manager", "manager_position"),
    ):
        values = [getattr(row, attribute) for row in rows]
        if all(value is None for value in values):
            continue
        points = " ".join(
            f"{x},{y}" for x, y in (point(i, value or 0) for i, value in enumerate(values))
        )
        series.append((name, css, points))
    return Radar(size, centre, rings, axes, series)


@dataclass
class HistoryRow:
    dimension: DimensionSpec
    cells: list[tuple[str, str]]  # per cycle: (self, manager) level codes or "—"


def history(
    assessments: list[Assessment], dimensions: list[DimensionSpec]
) -> tuple[list[str], list[HistoryRow]]:
    """Each dimension's self and manager levels across cycles, from the person's assessments
    the viewer may read (the caller asks `Assessment.objects.visible_to`); drafts are left out."""
    submitted = sorted(
        (a for a in assessments if a.is_submitted), key=lambda a: (a.cycle.start, a.pk)
    )
    cycles: dict[int, dict[str, dict[str, str]]] = {}
    names: dict[int, str] = {}
    # A dimension rated in an earlier cycle and gone from the ladder since keeps its row, named
    # as that assessment's version had it.
    rows_for = {dimension.key: dimension for dimension in dimensions}
    for assessment in submitted:
        names[assessment.cycle_id] = assessment.cycle.name
        per_kind = cycles.setdefault(assessment.cycle_id, {Kind.SELF: {}, Kind.MANAGER: {}})
        for rating in assessment.ratings.all():
            code = assessment.rating_label(rating, short=True)
            per_kind[assessment.kind][rating.dimension_key] = code
            if rating.dimension_key not in rows_for:
                rows_for[rating.dimension_key] = assessment.dimension_of(rating)
    order = list(cycles)
    rows = [
        HistoryRow(
            dimension,
            [
                (
                    cycles[cycle][Kind.SELF].get(dimension.key, "—"),
                    cycles[cycle][Kind.MANAGER].get(dimension.key, "—"),
                )
                for cycle in order
            ],
        )
        for dimension in rows_for.values()
    ]
    return [names[cycle] for cycle in order], rows
