"""The level map as a table, and what changes between two levels."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Criterion, Dimension, Expectation, Ladder, Level
from .spec import (
    CriterionSpec,
    DimensionSpec,
    ExpectationSpec,
    LadderSpec,
    LevelSpec,
    TrackSpec,
)


def live_spec(ladder: Ladder) -> LadderSpec:
    """The live ladder's content, equal to `ladder_to_spec(ladder)` (a test holds them equal),
    read as plain values: the level map reads it on every request, and building model
    instances and prefetch caches for a few hundred rows cost most of the page's time.

    Not the latest LadderVersion: the write paths record one, but nothing guarantees it (a
    factory, a shell or a data migration changes rows without one), so the map reads the rows.
    Five queries, however large the ladder."""
    dimensions = list(ladder.dimensions.values_list("pk", "key", "name", "description"))
    keys = {pk: key for pk, key, _, _ in dimensions}
    tracks = list(ladder.tracks.values_list("pk", "key", "name", "description"))
    levels = list(
        Level.objects.filter(track__ladder=ladder).values_list(
            "pk", "track_id", "code", "name", "summary", "signals", "holds_back"
        )
    )
    criteria: dict[int, list[CriterionSpec]] = {}
    for expectation_id, text, examples, ref, proficiency in Criterion.objects.filter(
        expectation__level__track__ladder=ladder
    ).values_list("expectation_id", "text", "examples", "ref", "proficiency"):
        criteria.setdefault(expectation_id, []).append(
            CriterionSpec(text, list(examples), ref, proficiency)
        )
    expectations: dict[int, dict[str, ExpectationSpec]] = {}
    # In the dimensions' order, as ladder_to_spec sorts them; an expectation on another
    # ladder's dimension (made outside the write paths) is not part of this ladder.
    for pk, level_id, dimension_id, summary in (
        Expectation.objects.filter(level__track__ladder=ladder, dimension_id__in=keys)
        .order_by("level", "dimension__order", "pk")
        .values_list("pk", "level_id", "dimension_id", "summary")
    ):
        expectations.setdefault(level_id, {})[keys[dimension_id]] = ExpectationSpec(
            summary=summary, criteria=criteria.get(pk, [])
        )
    by_track: dict[int, list[LevelSpec]] = {}
    for pk, track_id, code, name, summary, signals, holds_back in levels:
        by_track.setdefault(track_id, []).append(
            LevelSpec(
                code=code,
                name=name,
                summary=summary,
                expectations=expectations.get(pk, {}),
                signals=list(signals),
                holds_back=list(holds_back),
            )
        )
    return LadderSpec(
        name=ladder.name,
        slug=ladder.slug,
        description=ladder.description,
        attribution=ladder.attribution,
        dimensions=[
            DimensionSpec(key, name, description) for _, key, name, description in dimensions
        ],
        tracks=[
            TrackSpec(key, name, description, by_track.get(pk, []))
            for pk, key, name, description in tracks
        ],
    )


@dataclass
class MapCell:
    level: LevelSpec
    expectation: ExpectationSpec | None


@dataclass
class MapRow:
    dimension: DimensionSpec
    cells: list[MapCell]


def level_map_rows(
    spec: LadderSpec, track: TrackSpec
) -> tuple[list[DimensionSpec], list[LevelSpec], list[MapRow]]:
    """Dimensions down, levels across: one row per dimension, one cell per level (None where a
    level leaves the dimension out). Reads a spec, so the live ladder and any past version
    show the same way; no queries."""
    rows = [
        MapRow(
            dimension,
            [MapCell(level, level.expectations.get(dimension.key)) for level in track.levels],
        )
        for dimension in spec.dimensions
    ]
    return spec.dimensions, track.levels, rows


@dataclass
class DiffRow:
    dimension: Dimension
    before: Expectation | None
    after: Expectation | None

    @property
    def changed(self) -> bool:
        before = self.before.summary if self.before else None
        after = self.after.summary if self.after else None
        return before != after


@dataclass
class LevelDiff:
    from_level: Level
    to_level: Level
    rows: list[DiffRow]

    @property
    def is_step_up(self) -> bool:
        return self.to_level.order > self.from_level.order

    @property
    def changed_count(self) -> int:
        return sum(1 for row in self.rows if row.changed)


def compare_levels(ladder: Ladder, from_level: Level, to_level: Level) -> LevelDiff:
    """Per dimension, the expectation at both levels side by side. The higher level's signals and
    what holds people back are on `to_level`."""
    levels = {
        level.pk: level
        for level in Level.objects.filter(pk__in=[from_level.pk, to_level.pk]).with_expectations()
    }
    before, after = levels[from_level.pk], levels[to_level.pk]
    rows = [
        DiffRow(dimension, before.expectation_for(dimension), after.expectation_for(dimension))
        for dimension in ladder.dimensions.all()
    ]
    return LevelDiff(before, after, rows)
