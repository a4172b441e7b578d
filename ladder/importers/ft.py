"""Reader for the Financial Times engineering-competencies job-family YAML (`name`, `summary`,
`levels`, `themes`, `competencies`): themes become dimensions, levels become levels (split into
an individual-contributor and a people-manager track when the file marks them), and each
competency becomes a criterion of its level × theme expectation."""

from __future__ import annotations

import copy
import re
from typing import Any

from django.utils.text import slugify

from ..ladder_file import KEY_PATTERN, YamlReader, refuse_deep_nesting
from ..ladder_file import MAX_DEPTH as MAX_DEPTH  # one depth limit for every format
from ..spec import (
    MAX_FILE_CHARACTERS,
    CriterionSpec,
    DimensionSpec,
    ExpectationSpec,
    LadderFileError,
    LadderSpec,
    LevelSpec,
    TrackSpec,
)

FORMAT = "ft"
ATTRIBUTION = (
    "Adapted from the Financial Times engineering competencies ({name}). "
    "MIT licence, Copyright (c) Financial Times."
)
SUMMARY_LIMIT = 300
_TOP_KEY = r"^[\"']?{}[\"']?[ \t]*:"
_IC, _PM, _SHARED = "ic", "pm", "shared"
# Values an explicit `track:` / `type:` on a level may take.
_EXPLICIT = {
    **dict.fromkeys(("ic", "individual-contributor", "individual contributor"), _IC),
    **dict.fromkeys(("pm", "manager", "people-manager", "people manager", "management"), _PM),
    **dict.fromkeys(("shared", "both", "all"), _SHARED),
}
_PM_ID = re.compile(r"[-_](pm|manager)$")
_IC_ID = re.compile(r"[-_]ic$")
_PM_NAME = re.compile(r"\([^()]*\bmanager\)\s*$", re.IGNORECASE)
_IC_NAME = re.compile(r"\bindividual contributor\b", re.IGNORECASE)
# A sentence ends at . ! or ? followed by a capital, a digit or the end ("e.g. funds" does not).
_LIST_ITEM = re.compile(r"\n(?=[ \t]*(?:\d+[.)]|[-*])\s)")
_NUMBER = re.compile(r"^(?:\d+[.)]|[-*])\s+")
_SENTENCE = re.compile(r"^(.*?[^\s\d][.!?])(?=\s+[A-Z0-9]|\s*$)", re.DOTALL)


def looks_like(text: str) -> bool:
    """Top-level `competencies:` and `themes:` keys; the real parse checks the rest."""
    return all(
        re.search(_TOP_KEY.format(key), text, re.MULTILINE) for key in ("competencies", "themes")
    )


def parse(text: str, source: str) -> LadderSpec:
    """Read an FT job-family file. Raises LadderFileError on the first problem, nothing else."""
    try:
        if len(text) <= MAX_FILE_CHARACTERS:  # YamlReader refuses longer ones itself
            _refuse_deep_nesting(text, source)
        return _parse(YamlReader(text, source, depth_checked=True))
    except RecursionError:
        raise LadderFileError(
            "the file is nested too deeply to be a ladder", source=source, line=None, field=None
        ) from None


def _refuse_deep_nesting(text: str, source: str) -> None:
    refuse_deep_nesting(text, source)


def _mapping(reader: YamlReader, value: Any, path: str, required: set[str]) -> dict:
    # The FT files carry keys of their own (googleSheetId, …): unknown keys are ignored.
    allowed = set(value) | required if isinstance(value, dict) else set()
    return reader.mapping(value, path, allowed=allowed, required=required)


def _key(raw: str, fallback: str) -> str:
    """A valid key from a theme id; an id with no Latin letters or digits gets `fallback`."""
    key = raw.lower()
    if not KEY_PATTERN.match(key) or len(key) > 50:
        key = slugify(raw)[:50].strip("-_")
    return key or fallback


def _stem(source: str) -> str:
    return re.split(r"[\\/]", source)[-1].split(".")[0]


def _track_of(reader: YamlReader, item: dict, code: str, name: str, path: str) -> str:
    for field in ("track", "type"):
        if item.get(field) is not None:
            value = reader.text(item[field], f"{path}.{field}", limit=50).lower()
            if value not in _EXPLICIT:
                raise reader.error(
                    f"{path}.{field}", f"unknown track {value!r} (known: {', '.join(_EXPLICIT)})"
                )
            return _EXPLICIT[value]
    code = code.lower()
    if _PM_ID.search(code) or _PM_NAME.search(name):
        return _PM
    if _IC_ID.search(code) or _IC_NAME.search(name):
        return _IC
    return _SHARED


def _examples(reader: YamlReader, value: Any, path: str) -> list[str]:
    if isinstance(value, str):  # one example written without a list
        return [reader.text(value, path)]
    examples = []
    for index, item in enumerate(reader.items(value, path, required=False)):
        item_path = f"{path}[{index}]"
        if isinstance(item, dict):
            field = next((f for f in ("text", "summary", "description") if f in item), "text")
            item, item_path = item.get(field), f"{item_path}.{field}"
        examples.append(reader.text(item, item_path))
    return examples


def _summary(text: str) -> str:
    """A short expectation summary: the text or, if long, its first paragraph, list item or
    sentence, without the item's number."""
    if len(text) <= SUMMARY_LIMIT:
        return text
    text = _LIST_ITEM.split(text.split("\n\n", 1)[0].strip(), 1)[0]
    match = _SENTENCE.match(text)
    if len(text) > SUMMARY_LIMIT and match:
        text = match.group(1)
    if len(text) > SUMMARY_LIMIT:
        text = text[:SUMMARY_LIMIT].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return _NUMBER.sub("", text) or text


def _parse(reader: YamlReader) -> LadderSpec:
    root = _mapping(reader, reader.data, "", {"name", "levels", "themes", "competencies"})
    name = reader.text(root["name"], "name", limit=200)
    spec = LadderSpec(
        name=name,
        slug=f"ft-{slugify(name) or slugify(_stem(reader.source)) or 'ladder'}"[:50].strip("-_"),
        description=reader.text(root.get("summary"), "summary", required=False),
        attribution=ATTRIBUTION.format(name=name),
    )
    themes: dict[str, str] = {}  # the file's theme id (and its key) -> dimension key
    for index, item in enumerate(reader.items(root["themes"], "themes", required=True)):
        path = f"themes[{index}]"
        item = _mapping(reader, item, path, {"id", "name"})
        raw = reader.text(item["id"], f"{path}.id", limit=200)
        key = _key(raw, f"theme-{index + 1}")
        if key in themes.values():
            raise reader.error(f"{path}.id", f"duplicate theme id {raw!r} (key {key!r})")
        themes[raw] = themes[key] = key
        spec.dimensions.append(
            DimensionSpec(
                key=key,
                name=reader.text(item["name"], f"{path}.name", limit=200),
                description=reader.text(item.get("summary"), f"{path}.summary", required=False),
            )
        )
    levels: dict[str, tuple[LevelSpec, str, int]] = {}  # code -> (level, kind, line)
    for index, item in enumerate(reader.items(root["levels"], "levels", required=True)):
        path = f"levels[{index}]"
        item = _mapping(reader, item, path, {"id", "name"})
        code = reader.text(item["id"], f"{path}.id")
        if len(code) > 20:
            raise reader.error(
                f"{path}.id", f"level id {code!r} is {len(code)} characters; the limit is 20"
            )
        if code in levels:
            raise reader.error(f"{path}.id", f"duplicate level id {code!r}")
        level_name = reader.text(item["name"], f"{path}.name", limit=200)
        summary = reader.text(item.get("summary"), f"{path}.summary", required=False)
        levels[code] = (
            LevelSpec(code=code, name=level_name, summary=summary),
            _track_of(reader, item, code, level_name, path),
            reader.lines[f"{path}.id"],
        )
    grouped: dict[tuple[str, str], list[CriterionSpec]] = {}
    for index, item in enumerate(
        reader.items(root["competencies"], "competencies", required=False)
    ):
        path = f"competencies[{index}]"
        item = _mapping(reader, item, path, {"level", "theme", "summary"})
        level_code = reader.text(item["level"], f"{path}.level")
        if level_code not in levels:
            raise reader.error(
                f"{path}.level", f"unknown level {level_code!r} (levels: {', '.join(levels)})"
            )
        theme = reader.text(item["theme"], f"{path}.theme")
        if theme not in themes:
            known = ", ".join(d.key for d in spec.dimensions)
            raise reader.error(f"{path}.theme", f"unknown theme {theme!r} (themes: {known})")
        grouped.setdefault((level_code, themes[theme]), []).append(
            CriterionSpec(
                text=reader.text(item["summary"], f"{path}.summary"),
                examples=_examples(reader, item.get("examples"), f"{path}.examples"),
                ref=reader.text(item.get("id"), f"{path}.id", required=False, limit=200),
                proficiency=reader.text(
                    item.get("proficiency"), f"{path}.proficiency", required=False, limit=200
                ),
            )
        )
    for code, (level, _, _) in levels.items():
        for dimension in spec.dimensions:  # expectations in the ladder's dimension order
            if criteria := grouped.get((code, dimension.key)):
                level.expectations[dimension.key] = ExpectationSpec(
                    summary=_summary(criteria[0].text), criteria=criteria
                )
    kinds = {kind for _, kind, _ in levels.values()}
    if _PM in kinds:
        tracks = [
            ("ic", "Individual contributor", "Shared and individual-contributor levels", _PM),
            ("management", "People manager", "Shared and people-manager levels", _IC),
        ]
    else:  # nothing says who manages: one track of every level
        tracks = [("engineering", name, "", "")]
    for key, track_name, description, left_out in tracks:
        # Each track gets its own copies: a shared level may be edited in one track only.
        track = TrackSpec(key=key, name=track_name, description=description)
        track_index = len(spec.tracks)
        for level, kind, line in levels.values():
            if kind != left_out:
                spec.lines[f"tracks[{track_index}].levels[{len(track.levels)}].code"] = line
                track.levels.append(copy.deepcopy(level))
        spec.lines[f"tracks[{track_index}].levels"] = reader.lines["levels"]
        if track.levels:  # every level a manager's: no individual-contributor track
            spec.tracks.append(track)
    # Paths of both the FT file and the ladder's own fields, for errors raised when loading.
    spec.lines.update(reader.lines)
    for ours, theirs in (("slug", "name"), ("dimensions", "themes"), ("tracks", "levels")):
        spec.lines[ours] = reader.lines[theirs]
    return spec
