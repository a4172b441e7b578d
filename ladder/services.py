"""Loading ladder files into the database and writing ladders back out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError, Q

from .importers import read_ladder
from .ladder_file import FORMAT as V1
from .ladder_file import parse_ladder, spec_to_yaml
from .models import (
    Criterion,
    Dimension,
    Expectation,
    Ladder,
    LadderVersion,
    Level,
    Track,
    VersionSource,
    content_counts,
)
from .spec import (
    CriterionSpec,
    DimensionSpec,
    ExpectationSpec,
    LadderFileError,
    LadderSpec,
    LevelSpec,
    TrackSpec,
)

DEFAULT_LADDER_FILE = Path(__file__).resolve().parent / "defaults" / "engineering.yaml"


@dataclass
class Imported:
    ladder: Ladder
    format: str
    # The version the import made, or None when the content was the same as the latest one.
    version: LadderVersion | None


def import_ladder_text(
    text: str,
    source: str,
    *,
    replace: bool = False,
    format: str | None = None,
    by: Any = None,
    via: str = VersionSource.IMPORT,
) -> Imported:
    """Read a ladder file of any known format and load it all-or-nothing: on any error nothing
    in the database changes and LadderFileError names the file, the line and the field."""
    spec, format = read_ladder(text, source, format=format)
    ladder, version = load_spec(spec, source=source, replace=replace, format=format, by=by, via=via)
    return Imported(ladder, format, version)


def check_spec(spec: LadderSpec, source: str) -> None:
    """What every reader's result must hold before it is loaded, whatever the format: the rules
    careerladder/v1 states, so that any ladder exports to a file that imports back."""

    def refuse(path: str, message: str) -> LadderFileError:
        return LadderFileError(message, source=source, line=spec.lines.get(path), field=path)

    if not spec.dimensions:
        raise refuse("dimensions", "the ladder has no dimensions")
    if not spec.tracks:
        raise refuse("tracks", "the ladder has no tracks")
    for index, track in enumerate(spec.tracks):
        if not track.levels:
            raise refuse(f"tracks[{index}].levels", f"the track {track.key!r} has no levels")
    checks = [("slug", spec.slug, 50), ("name", spec.name, 200)]
    checks += [(f"dimensions[{n}]", d.key, 50) for n, d in enumerate(spec.dimensions)]
    checks += [(f"tracks[{n}]", t.key, 50) for n, t in enumerate(spec.tracks)]
    for path, value, limit in checks:
        if not value or len(value) > limit:
            raise refuse(path, f"{value!r} must be 1 to {limit} characters long")
    keys = [d.key for d in spec.dimensions]
    if len(set(keys)) < len(keys):
        raise refuse("dimensions", "two dimensions have the same key")
    if len({t.key for t in spec.tracks}) < len(spec.tracks):
        raise refuse("tracks", "two tracks have the same key")
    for n, track in enumerate(spec.tracks):
        if len({level.code for level in track.levels}) < len(track.levels):
            raise refuse(f"tracks[{n}].levels", f"two levels of {track.key!r} have the same code")
        for m, level in enumerate(track.levels):
            if not level.code or len(level.code) > 20:
                raise refuse(f"tracks[{n}].levels[{m}].code", "a level code is 1 to 20 characters")
            unknown = set(level.expectations) - set(keys)
            if unknown:
                raise refuse(
                    f"tracks[{n}].levels[{m}].expectations",
                    f"{', '.join(sorted(unknown))} is not a dimension of the ladder",
                )


@transaction.atomic
def load_spec(
    spec: LadderSpec,
    *,
    source: str,
    replace: bool = False,
    format: str = V1,
    by: Any = None,
    via: str = VersionSource.IMPORT,
) -> tuple[Ladder, LadderVersion | None]:
    """Create or update (with `replace`) the ladder a spec describes, and record a version when
    its content changed. Returns the ladder and the new version, if any."""
    check_spec(spec, source)
    ladder = Ladder.objects.select_for_update().filter(slug=spec.slug).first()
    if ladder and not replace:
        raise LadderFileError(
            f"a ladder with slug {spec.slug!r} exists already; import with replace to update it",
            source=source,
            line=spec.lines.get("slug"),
            field="slug",
        )
    if ladder is None:
        try:
            with transaction.atomic():
                ladder = Ladder.objects.create(
                    slug=spec.slug,
                    name=spec.name,
                    is_default=not Ladder.objects.filter(is_default=True).exists(),
                )
        except IntegrityError:  # another import made this slug (or the default) meanwhile
            raise LadderFileError(
                f"another import of {spec.slug!r} ran at the same time; import again",
                source=source,
                line=spec.lines.get("slug"),
                field="slug",
            ) from None
    else:
        _refuse_to_drop_occupied_levels(ladder, spec, source)
    ladder.name = spec.name
    ladder.description = spec.description
    ladder.attribution = spec.attribution
    ladder.source_format = format
    ladder.source_name = Path(source).name[:255]
    ladder.save()
    try:
        _sync(ladder, spec)
    except ProtectedError as error:
        # Something outside the ladder (an assessment's rating, say) still refers to a
        # dimension or level the file leaves out; the whole import is rolled back.
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise LadderFileError(
            "the file leaves out a track, dimension or level that is still in use "
            f"({', '.join(kinds)}); keep it in the file, renamed if need be",
            source=source,
            line=spec.lines.get("tracks"),
            field="tracks",
        ) from None
    version = record_version(
        ladder, by=by, via=via, source_format=format, source_name=ladder.source_name
    )
    return ladder, version


def record_version(
    ladder: Ladder,
    *,
    by: Any = None,
    via: str,
    source_format: str = "",
    source_name: str = "",
) -> LadderVersion | None:
    """Record the ladder's content as it is now as its next version, unless the latest version
    holds the same content already. Call inside the transaction that changed the ladder: the
    ladder row is locked so that two saves cannot take the same number."""
    with transaction.atomic():
        Ladder.objects.select_for_update().filter(pk=ladder.pk).first()
        spec = ladder_to_spec(ladder)
        digest = spec.content_hash()
        latest = ladder.versions.order_by("-number").only("content_hash", "number").first()
        if latest is not None and latest.content_hash == digest:
            return None
        number = (ladder.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return LadderVersion.objects.create(
            ladder=ladder,
            number=number,
            content=spec.to_content(),
            content_hash=digest,
            counts=content_counts(spec),
            created_by=by if getattr(by, "pk", None) else None,
            source=via,
            source_format=source_format,
            source_name=source_name[:255],
        )


def latest_version(ladder: Ladder) -> LadderVersion:
    """The version that holds the ladder's content now, recorded first if it is missing (a
    ladder changed outside the write paths, such as a test factory or a shell)."""
    version = record_version(ladder, via=VersionSource.ADMIN)
    return version or ladder.versions.order_by("-number").first()  # type: ignore[return-value]


def _refuse_to_drop_occupied_levels(ladder: Ladder, spec: LadderSpec, source: str) -> None:
    """A replace must not take away the level people stand on: say who, how many, and stop."""
    kept = {(track.key, level.code) for track in spec.tracks for level in track.levels}
    track_index = {track.key: n for n, track in enumerate(spec.tracks)}
    occupied = (
        Level.objects.filter(track__ladder=ladder)
        .filter(Q(people_at__isnull=False) | Q(people_aiming__isnull=False))
        .select_related("track")
        .distinct()
    )
    for level in occupied:
        if (level.track.key, level.code) in kept:
            continue
        people = {
            person.pk: str(person)
            for person in (*level.people_at.all(), *level.people_aiming.all())
        }
        names = sorted(people.values())
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        index = track_index.get(level.track.key)
        path = "tracks" if index is None else f"tracks[{index}].levels"
        raise LadderFileError(
            f"the file leaves out level {level.code!r} of track {level.track.key!r}, which "
            f"{len(names)} {'person is' if len(names) == 1 else 'people are'} placed on or "
            f"aiming for ({shown}); move them to another level first",
            source=source,
            line=spec.lines.get(path),
            field=path,
        )


def _sync(ladder: Ladder, spec: LadderSpec) -> None:
    """Update the ladder in place, matching dimensions, tracks, levels and expectations by key,
    code and dimension, so that what refers to them (people's levels, ratings) stays. In bulk:
    a fixed number of queries per kind of row, whatever the size of the ladder."""
    dimension_ids = _sync_rows(
        ladder.dimensions.all(),
        [
            ((item.key,), {"name": item.name, "description": item.description, "order": order})
            for order, item in enumerate(spec.dimensions)
        ],
        lambda key: Dimension(ladder=ladder, key=key[0]),
        ("key",),
    )
    track_ids = _sync_rows(
        ladder.tracks.all(),
        [
            ((item.key,), {"name": item.name, "description": item.description, "order": order})
            for order, item in enumerate(spec.tracks)
        ],
        lambda key: Track(ladder=ladder, key=key[0]),
        ("key",),
        before_delete=lambda gone: Level.objects.filter(track__in=gone).delete(),
    )
    level_ids = _sync_rows(
        Level.objects.filter(track__ladder=ladder),
        [
            (
                (track_ids[(track.key,)], level.code),
                {
                    "name": level.name,
                    "summary": level.summary,
                    "order": order,
                    "signals": level.signals,
                    "holds_back": level.holds_back,
                },
            )
            for track in spec.tracks
            for order, level in enumerate(track.levels)
        ],
        lambda key: Level(track_id=key[0], code=key[1]),
        ("track_id", "code"),
    )
    wanted = [
        ((level_ids[(track_ids[(track.key,)], level.code)], dimension_ids[(key,)]), expectation)
        for track in spec.tracks
        for level in track.levels
        for key, expectation in level.expectations.items()
    ]
    expectation_ids = _sync_rows(
        Expectation.objects.filter(level__track__ladder=ladder),
        [(key, {"summary": expectation.summary}) for key, expectation in wanted],
        lambda key: Expectation(level_id=key[0], dimension_id=key[1]),
        ("level_id", "dimension_id"),
    )
    # Criteria are written anew: nothing refers to one.
    Criterion.objects.filter(expectation__level__track__ladder=ladder).delete()
    Criterion.objects.bulk_create(
        (
            Criterion(
                expectation_id=expectation_ids[key],
                text=c.text,
                examples=c.examples,
                ref=c.ref,
                proficiency=c.proficiency,
                order=n,
            )
            for key, expectation in wanted
            for n, c in enumerate(expectation.criteria)
        ),
        batch_size=500,
    )


def _sync_rows(
    existing: Any,
    wanted: list[tuple[tuple, dict[str, Any]]],
    new: Any,
    key_fields: tuple[str, ...],
    before_delete: Any = None,
) -> dict[tuple, int]:
    """Make the rows of `existing` match `wanted` [(natural key, field values)]: update the
    rows whose values changed, create the missing ones, delete the rest. Returns natural key ->
    primary key."""
    rows = {tuple(getattr(row, f) for f in key_fields): row for row in existing}
    changed, created = [], []
    fields: set[str] = set()
    for key, values in wanted:
        row = rows.pop(key, None)
        if row is None:
            row = new(key)
            created.append(row)
        elif all(getattr(row, name) == value for name, value in values.items()):
            continue
        else:
            changed.append(row)
        for name, value in values.items():
            setattr(row, name, value)
        fields.update(values)
    gone = [row.pk for row in rows.values()]
    if gone:
        model = type(next(iter(rows.values())))
        if before_delete is not None:
            before_delete(gone)
        model.objects.filter(pk__in=gone).delete()
    if changed:
        type(changed[0]).objects.bulk_update(changed, sorted(fields), batch_size=500)
    if created:
        type(created[0]).objects.bulk_create(created, batch_size=500)
    return {tuple(values[:-1]): values[-1] for values in existing.values_list(*key_fields, "pk")}


def ladder_to_spec(ladder: Ladder) -> LadderSpec:
    """The live ladder's content: what a version records, an export writes and the level map
    shows. Read as plain values, not model instances: the level map reads it on every request,
    and building instances and prefetch caches for a few hundred rows cost most of its time.

    The map reads the rows, not the latest LadderVersion: the write paths record one, but
    nothing guarantees it (a factory, a shell or a data migration changes rows without one).
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
    # In the dimensions' order; an expectation on another ladder's dimension (made outside the
    # write paths) is not part of this ladder.
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


def export_ladder_yaml(ladder: Ladder) -> str:
    return spec_to_yaml(ladder_to_spec(ladder))


def load_default_ladder() -> Ladder | None:
    """Load the guide's ladder unless a ladder with its slug exists. Returns the new ladder, or
    None when there was nothing to do, so that running it on every start is harmless."""
    text = DEFAULT_LADDER_FILE.read_text(encoding="utf-8")
    spec = parse_ladder(text, DEFAULT_LADDER_FILE.name)
    if Ladder.objects.filter(slug=spec.slug).exists():
        return None
    return load_spec(spec, source=DEFAULT_LADDER_FILE.name, via=VersionSource.DEFAULT)[0]


# Texts of the default ladder corrected since installations first loaded it: the track, level
# and dimension, and the text as it shipped; the corrected text is the file's. An installation
# that still holds the shipped text gets the file's as a new version (correct_default_ladder).
DEFAULT_LADDER_ERRATA = [
    # The guide's Principal × Ambiguity cell opened its quotation with a closing mark.
    ("ic", "L6+", "ambiguity", "\u201dWe don\u2019t even know the question yet\u201d"),
]


@transaction.atomic
def correct_default_ladder() -> LadderVersion | None:
    """Bring the corrections of DEFAULT_LADDER_ERRATA to a default ladder loaded before them, as
    its next version (past versions, and the assessments made on them, keep what they said). A
    text someone has changed since is theirs and stays. Returns the new version, if any."""
    spec = parse_ladder(DEFAULT_LADDER_FILE.read_text(encoding="utf-8"), DEFAULT_LADDER_FILE.name)
    ladder = Ladder.objects.select_for_update().filter(slug=spec.slug).first()
    if ladder is None:
        return None
    corrected = 0
    for track_key, code, dimension, shipped in DEFAULT_LADDER_ERRATA:
        track = spec.track(track_key)
        level = track.level(code) if track else None
        expectation = level.expectations.get(dimension) if level else None
        if expectation is None or expectation.summary == shipped:
            continue
        corrected += Expectation.objects.filter(
            level__track__ladder=ladder,
            level__track__key=track_key,
            level__code=code,
            dimension__key=dimension,
            summary=shipped,
        ).update(summary=expectation.summary)
    if not corrected:
        return None
    return record_version(
        ladder, via=VersionSource.DEFAULT, source_format=V1, source_name=DEFAULT_LADDER_FILE.name
    )


@transaction.atomic
def make_default(ladder: Ladder) -> None:
    """Make this the one default ladder: the ladder of every team that names none."""
    Ladder.objects.exclude(pk=ladder.pk).filter(is_default=True).update(is_default=False)
    Ladder.objects.filter(pk=ladder.pk).update(is_default=True)
    ladder.is_default = True
