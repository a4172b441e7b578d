"""The level map as a table, and what changes between two levels."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Dimension, Expectation, Ladder, Level, Track


@dataclass
class MapCell:
    level: Level
    expectation: Expectation | None


@dataclass
class MapRow:
    dimension: Dimension
    cells: list[MapCell]


def level_map_rows(
    ladder: Ladder, track: Track
) -> tuple[list[Dimension], list[Level], list[MapRow]]:
    """Dimensions down, levels across: one row per dimension, one cell per level (None where a
    level leaves the dimension out). A fixed number of queries, whatever the size of the ladder."""
    dimensions = list(ladder.dimensions.all())
    levels = list(track.levels.with_expectations())
    by_cell = {
        (expectation.level_id, expectation.dimension_id): expectation
        for level in levels
        for expectation in level.expectations.all()
    }
    rows = [
        MapRow(
            dimension, [MapCell(level, by_cell.get((level.pk, dimension.pk))) for level in levels]
        )
        for dimension in dimensions
    ]
    return dimensions, levels, rows


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
