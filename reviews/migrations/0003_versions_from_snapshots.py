# Every ladder gets its first version; submitted assessments move from their own snapshot to
# the version holding the texts they were rated against.

import copy
import hashlib
import json

from django.db import migrations


def _hash(content):
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _counts(content):
    levels = [level for track in content["tracks"] for level in track["levels"]]
    expectations = [e for level in levels for e in level["expectations"].values()]
    return {
        "dimensions": len(content["dimensions"]),
        "tracks": len(content["tracks"]),
        "levels": len(levels),
        "expectations": len(expectations),
        "criteria": sum(len(e["criteria"]) for e in expectations),
    }


def _live_content(apps, ladder):
    """The ladder as it reads now, in the shape of LadderSpec.to_content()."""
    Dimension = apps.get_model("ladder", "Dimension")
    Track = apps.get_model("ladder", "Track")
    Level = apps.get_model("ladder", "Level")
    Expectation = apps.get_model("ladder", "Expectation")
    Criterion = apps.get_model("ladder", "Criterion")
    dimensions = list(Dimension.objects.filter(ladder=ladder).order_by("order", "pk"))
    position = {d.pk: n for n, d in enumerate(dimensions)}
    keys = {d.pk: d.key for d in dimensions}
    tracks = []
    for track in Track.objects.filter(ladder=ladder).order_by("order", "pk"):
        levels = []
        for level in Level.objects.filter(track=track).order_by("order", "pk"):
            expectations = {}
            found = Expectation.objects.filter(level=level)
            for expectation in sorted(found, key=lambda e: (position[e.dimension_id], e.pk)):
                criteria = Criterion.objects.filter(expectation=expectation).order_by("order", "pk")
                expectations[keys[expectation.dimension_id]] = {
                    "summary": expectation.summary,
                    "criteria": [
                        {
                            "text": c.text,
                            "examples": list(c.examples),
                            "ref": c.ref,
                            "proficiency": c.proficiency,
                        }
                        for c in criteria
                    ],
                }
            levels.append(
                {
                    "code": level.code,
                    "name": level.name,
                    "summary": level.summary,
                    "expectations": expectations,
                    "signals": list(level.signals),
                    "holds_back": list(level.holds_back),
                }
            )
        tracks.append(
            {
                "key": track.key,
                "name": track.name,
                "description": track.description,
                "levels": levels,
            }
        )
    return {
        "name": ladder.name,
        "slug": ladder.slug,
        "description": ladder.description,
        "dimensions": [
            {"key": d.key, "name": d.name, "description": d.description} for d in dimensions
        ],
        "tracks": tracks,
        "attribution": ladder.attribution,
    }


def _as_submitted(live, track_key, snapshot, dimension_keys):
    """The live content with one track as the snapshot of a submitted assessment saw it: its
    levels, names, order, expectation summaries and signals."""
    content = copy.deepcopy(live)
    track = next((t for t in content["tracks"] if t["key"] == track_key), None)
    frozen_levels = snapshot.get("levels") or {}
    if track is None or not frozen_levels:
        return content
    by_code = {level["code"]: level for level in track["levels"]}
    levels = []
    for level_pk, info in sorted(frozen_levels.items(), key=lambda item: item[1].get("order", 0)):
        level = by_code.get(info["code"]) or {
            "code": info["code"],
            "name": info["name"],
            "summary": "",
            "expectations": {},
            "signals": [],
            "holds_back": [],
        }
        level["name"] = info["name"]
        if level_pk in (snapshot.get("signals") or {}):
            level["signals"] = list(snapshot["signals"][level_pk])
        for dimension_pk, texts in (snapshot.get("expectations") or {}).items():
            key = dimension_keys.get(int(dimension_pk))
            if key is None or level_pk not in texts:
                continue
            expectation = level["expectations"].get(key)
            if expectation is None or expectation["summary"] != texts[level_pk]:
                level["expectations"][key] = {"summary": texts[level_pk], "criteria": []}
        levels.append(level)
    track["levels"] = levels
    return content


def versions_from_snapshots(apps, schema_editor):
    Ladder = apps.get_model("ladder", "Ladder")
    LadderVersion = apps.get_model("ladder", "LadderVersion")
    Dimension = apps.get_model("ladder", "Dimension")
    Assessment = apps.get_model("reviews", "Assessment")
    Rating = apps.get_model("reviews", "Rating")

    for rating in Rating.objects.select_related("dimension", "level", "assessment"):
        rating.dimension_key = rating.dimension.key
        rating.level_code = rating.level.code if rating.level_id else ""
        # A submitted rating keeps the code its snapshot recorded, even if the live level's
        # code was edited since.
        frozen = (rating.assessment.snapshot.get("levels") or {}).get(str(rating.level_id))
        if rating.assessment.state == "submitted" and frozen:
            rating.level_code = frozen["code"]
        rating.save(update_fields=["dimension_key", "level_code"])

    for assessment in Assessment.objects.select_related("track"):
        assessment.track_key = assessment.track.key
        assessment.save(update_fields=["track_key"])

    for ladder in Ladder.objects.order_by("pk"):
        live = _live_content(apps, ladder)
        live_hash = _hash(live)
        dimension_keys = dict(Dimension.objects.filter(ladder=ladder).values_list("pk", "key"))
        submitted = (
            Assessment.objects.filter(track__ladder=ladder, state="submitted")
            .select_related("track", "current_level", "target_level")
            .order_by("submitted_at", "pk")
        )
        # Distinct contents in the order they were first submitted against; the live content
        # is the last (the newest) version.
        contents = {}
        pinned = []
        for assessment in submitted:
            content = _as_submitted(live, assessment.track.key, assessment.snapshot, dimension_keys)
            digest = _hash(content)
            if digest != live_hash:
                contents.setdefault(digest, content)
            pinned.append((assessment, digest))
        contents[live_hash] = live
        versions = {}
        for number, (digest, content) in enumerate(contents.items(), start=1):
            versions[digest] = LadderVersion.objects.create(
                ladder=ladder,
                number=number,
                content=content,
                content_hash=digest,
                counts=_counts(content),
                source="migration",
            )
        for assessment, digest in pinned:
            frozen = assessment.snapshot.get("levels") or {}

            def code(level, level_id):
                info = frozen.get(str(level_id)) if level_id else None
                return info["code"] if info else (level.code if level else "")

            assessment.ladder_version = versions[digest]
            assessment.current_level_code = code(
                assessment.current_level, assessment.current_level_id
            )
            assessment.target_level_code = code(assessment.target_level, assessment.target_level_id)
            assessment.save(
                update_fields=["ladder_version", "current_level_code", "target_level_code"]
            )

    for assessment in Assessment.objects.filter(state="draft").select_related(
        "current_level", "target_level"
    ):
        assessment.current_level_code = (
            assessment.current_level.code if assessment.current_level else ""
        )
        assessment.target_level_code = (
            assessment.target_level.code if assessment.target_level else ""
        )
        assessment.save(update_fields=["current_level_code", "target_level_code"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_ladder_versions")]

    operations = [
        migrations.RunPython(versions_from_snapshots, migrations.RunPython.noop),
    ]
