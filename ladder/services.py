"""Loading ladder files into the database and writing ladders back out."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from .ladder_file import (
    CriterionSpec,
    DimensionSpec,
    ExpectationSpec,
    LadderFileError,
    LadderSpec,
    LevelSpec,
    TrackSpec,
    parse_ladder,
    spec_to_yaml,
)
from .models import Criterion, Dimension, Expectation, Ladder, Level, Track

DEFAULT_LADDER_FILE = Path(__file__).resolve().parent / "defaults" / "engineering.yaml"


def import_ladder_text(text: str, source: str, *, replace: bool = False) -> Ladder:
    """Parse and load a ladder file all-or-nothing: on any error nothing in the database
    changes and LadderFileError names the file, the line and the field."""
    return load_spec(parse_ladder(text, source), source=source, replace=replace)


@transaction.atomic
def load_spec(spec: LadderSpec, *, source: str, replace: bool = False) -> Ladder:
    ladder = Ladder.objects.filter(slug=spec.slug).first()
    if ladder and not replace:
        raise LadderFileError(
            f"a ladder with slug {spec.slug!r} exists already; import with replace to update it",
            source=source,
            line=None,
            field="slug",
        )
    if ladder is None:
        ladder = Ladder(slug=spec.slug)
    ladder.name = spec.name
    ladder.description = spec.description
    ladder.save()
    try:
        _sync(ladder, spec)
    except ProtectedError as error:
        holders = sorted({str(obj) for obj in error.protected_objects})
        raise LadderFileError(
            "the file leaves out a track or level that people are placed on "
            f"({', '.join(holders[:5])}); move them first",
            source=source,
            line=None,
            field="tracks",
        ) from None
    return ladder


def _sync(ladder: Ladder, spec: LadderSpec) -> None:
    """Update the ladder in place, matching dimensions, tracks and levels by key and code, so that
    people placed on a level keep their place when a ladder is replaced."""
    dimensions = {d.key: d for d in ladder.dimensions.all()}
    for order, item in enumerate(spec.dimensions):
        dimension = dimensions.pop(item.key, None) or Dimension(ladder=ladder, key=item.key)
        dimension.name, dimension.description, dimension.order = item.name, item.description, order
        dimension.save()
    Dimension.objects.filter(pk__in=[d.pk for d in dimensions.values()]).delete()
    dimension_ids = dict(ladder.dimensions.values_list("key", "pk"))

    tracks = {t.key: t for t in ladder.tracks.all()}
    kept_tracks = []
    for order, item in enumerate(spec.tracks):
        track = tracks.pop(item.key, None) or Track(ladder=ladder, key=item.key)
        track.name, track.description, track.order = item.name, item.description, order
        track.save()
        kept_tracks.append((track, item))
    for track in tracks.values():
        track.levels.all().delete()
        track.delete()

    for track, item in kept_tracks:
        levels = {level.code: level for level in track.levels.all()}
        for order, level_spec in enumerate(item.levels):
            level = levels.pop(level_spec.code, None) or Level(track=track, code=level_spec.code)
            level.name = level_spec.name
            level.summary = level_spec.summary
            level.order = order
            level.signals = level_spec.signals
            level.holds_back = level_spec.holds_back
            level.save()
            level.expectations.all().delete()
            for key, expectation_spec in level_spec.expectations.items():
                expectation = Expectation.objects.create(
                    level=level, dimension_id=dimension_ids[key], summary=expectation_spec.summary
                )
                Criterion.objects.bulk_create(
                    Criterion(expectation=expectation, text=c.text, examples=c.examples, order=n)
                    for n, c in enumerate(expectation_spec.criteria)
                )
        for level in levels.values():
            level.delete()


def ladder_to_spec(ladder: Ladder) -> LadderSpec:
    dimensions = list(ladder.dimensions.all())
    keys = {d.pk: d.key for d in dimensions}
    tracks = []
    for track in ladder.tracks.prefetch_related("levels").all():
        levels = []
        for level in track.levels.with_expectations():
            expectations = {
                keys[e.dimension_id]: ExpectationSpec(
                    summary=e.summary,
                    criteria=[CriterionSpec(c.text, list(c.examples)) for c in e.criteria.all()],
                )
                for e in sorted(level.expectations.all(), key=lambda e: e.dimension.order)
            }
            levels.append(
                LevelSpec(
                    code=level.code,
                    name=level.name,
                    summary=level.summary,
                    expectations=expectations,
                    signals=list(level.signals),
                    holds_back=list(level.holds_back),
                )
            )
        tracks.append(TrackSpec(track.key, track.name, track.description, levels))
    return LadderSpec(
        name=ladder.name,
        slug=ladder.slug,
        description=ladder.description,
        dimensions=[DimensionSpec(d.key, d.name, d.description) for d in dimensions],
        tracks=tracks,
    )


def export_ladder_yaml(ladder: Ladder) -> str:
    return spec_to_yaml(ladder_to_spec(ladder))


def load_default_ladder() -> Ladder | None:
    """Load the guide's ladder unless a ladder with its slug exists. Returns the new ladder, or
    None when there was nothing to do, so that running it on every start is harmless."""
    text = DEFAULT_LADDER_FILE.read_text(encoding="utf-8")
    spec = parse_ladder(text, DEFAULT_LADDER_FILE.name)
    if Ladder.objects.filter(slug=spec.slug).exists():
        return None
    return load_spec(spec, source=DEFAULT_LADDER_FILE.name)
