"""The level map as a table, and what changes between two levels."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Dimension, Expectation, Ladder, Level
from .spec import DimensionSpec, ExpectationSpec, LadderSpec, LevelSpec, TrackSpec


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
