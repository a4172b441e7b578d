"""Monzo's progression-framework Markdown (https://github.com/monzo/progression-framework):
YAML front matter with `title`, `levels: N` and `topics` (each with `content` per level), and
a Markdown body. Read as one ladder with one track; each topic becomes a dimension."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from ..ladder_file import MAX_ITEMS, YamlReader
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

FORMAT = "monzo"
ATTRIBUTION = (
    "Adapted from Monzo's progression framework (MIT licence, Copyright (c) 2019 Monzo Bank "
    "Limited): https://github.com/monzo/progression-framework"
)
TRACK_KEY, TRACK_NAME = "engineering", "Engineering"

# python-frontmatter only splits the text here; the YAML itself goes through YamlReader, which
# refuses aliases and duplicate keys and names the line of every problem.
_HANDLER = YAMLHandler()
_NUMBER = re.compile(r"[0-9]+")


def looks_like(text: str) -> bool:
    """True when the text opens with a `---` line; the pattern is anchored, so this is cheap."""
    return _HANDLER.detect(text)


def parse(text: str, source: str) -> LadderSpec:
    """Read a Monzo framework file. Raises LadderFileError on the first problem, nothing else."""
    try:
        return _parse(text, source)
    except RecursionError:
        # Thousands of nested `[` would otherwise escape as a RecursionError.
        raise LadderFileError(
            "the file is nested too deeply to be a ladder", source=source, line=None, field=None
        ) from None


def _parse(text: str, source: str) -> LadderSpec:
    if len(text) > MAX_FILE_CHARACTERS:
        raise LadderFileError(
            f"the file is {len(text)} characters long; the limit is {MAX_FILE_CHARACTERS}",
            source=source,
            line=None,
            field=None,
        )
    opening = _HANDLER.FM_BOUNDARY.match(text)
    if opening is None:
        raise LadderFileError(
            "expected YAML front matter: the first line must be ---",
            source=source,
            line=1,
            field=None,
        )
    try:
        front, body = _HANDLER.split(text)
    except ValueError:  # only one boundary: nothing to unpack the body from
        raise LadderFileError(
            "front matter has no closing ---", source=source, line=1, field=None
        ) from None
    # The boundary may swallow blank lines after `---`; count what really comes before the YAML.
    reader = YamlReader(front, source, line_offset=text.count("\n", 0, opening.end()))
    root = reader.data
    if root is None:
        raise LadderFileError(
            "the front matter is empty; expected title, levels and topics",
            source=source,
            line=1,
            field=None,
        )
    root = _mapping(reader, root, "")
    if "topics" not in root:
        raise reader.error("topics", "missing required key 'topics'")

    title = _clean(reader.text(root.get("title"), "title", required=False, limit=200))
    stem = re.split(r"[\\/]", source)[-1].split(".")[0]
    path = root.get("path")
    path_tail = path.strip().rstrip("/").rsplit("/", 1)[-1] if isinstance(path, str) else ""
    base = _key(path_tail) or _key(stem) or _key(title) or "framework"
    slug = (base if "monzo" in base else f"monzo-{base}")[:50].rstrip("-")
    spec = LadderSpec(
        name=title or _humanise(stem)[:200] or "Monzo framework",
        slug=slug,
        description=reader.text(body, "body", required=False),
        attribution=ATTRIBUTION,
    )

    # Level codes in order of first appearance (None values: a dict is an ordered set), and
    # level code -> dimension key -> criteria, merged when a topic repeats a level.
    codes: dict[str, None] = dict.fromkeys(str(n) for n in range(1, _declared(reader, root) + 1))
    cells: dict[str, dict[str, list[CriterionSpec]]] = {}
    topics = reader.items(root["topics"], "topics", required=True)
    # Keys that topics name themselves, so that a generated one never takes a named one's key.
    named = {
        _key(text)
        for topic in topics
        if isinstance(topic, dict)
        for text in (topic.get("name"), topic.get("title"))
        if isinstance(text, str)
    }
    for index, topic in enumerate(topics):
        topic_path = f"topics[{index}]"
        topic = _mapping(reader, topic, topic_path)
        name = reader.text(topic.get("name"), f"{topic_path}.name", required=False, limit=200)
        topic_title = reader.text(
            topic.get("title"), f"{topic_path}.title", required=False, limit=200
        )
        # Monzo leaves many titles empty and names are keys like "technical_skills": the
        # name or the title gives the key, and a topic with neither is still a dimension.
        key = _key(name) or _key(topic_title) or _generated_key(index, named, spec)
        if spec.dimension(key):
            raise reader.error(f"{topic_path}.name", f"duplicate dimension key {key!r}")
        spec.dimensions.append(
            DimensionSpec(
                key=key,
                name=_clean(topic_title) or _humanise(name) or f"Topic {index + 1}",
            )
        )
        content = reader.items(topic.get("content"), f"{topic_path}.content", required=False)
        for number, item in enumerate(content):
            item_path = f"{topic_path}.content[{number}]"
            item = _mapping(reader, item, item_path)
            code = _level_code(reader, item, item_path)
            codes.setdefault(code)
            criteria = _criteria(reader, item, item_path)
            if criteria:  # an expectation needs a summary; an empty item adds nothing
                cells.setdefault(code, {}).setdefault(key, []).extend(criteria)

    if len(codes) > MAX_ITEMS:
        raise reader.error("topics", f"names {len(codes)} levels; the limit is {MAX_ITEMS}")
    numeric = sorted((c for c in codes if _NUMBER.fullmatch(c)), key=int)
    track = TrackSpec(key=TRACK_KEY, name=TRACK_NAME)
    for code in numeric + [c for c in codes if not _NUMBER.fullmatch(c)]:
        track.levels.append(
            LevelSpec(
                code=code,
                name=f"Level {code}",
                expectations={
                    key: ExpectationSpec(summary=criteria[0].text, criteria=criteria)
                    for key, criteria in cells.get(code, {}).items()
                },
            )
        )
    spec.tracks.append(track)
    # The database loader names v1 paths in its errors; point them at the Monzo lines.
    where = {
        "slug": reader.lines.get("path", reader.lines.get("title")),
        "dimensions": reader.lines.get("topics"),
        "tracks[0].levels": reader.lines.get("levels", reader.lines.get("topics")),
    }
    spec.lines = {**reader.lines, **{k: v for k, v in where.items() if v is not None}}
    return spec


def _generated_key(index: int, named: set[str], spec: LadderSpec) -> str:
    key, suffix = f"topic-{index + 1}", 1
    while key in named or spec.dimension(key):
        suffix += 1
        key = f"topic-{index + 1}-{suffix}"
    return key


def _mapping(reader: YamlReader, value: Any, path: str) -> dict:
    # Monzo files carry keys of their own (sidebarTitle, homepage, …): keep them all allowed.
    allowed = set(value) if isinstance(value, dict) else set()
    return reader.mapping(value, path, allowed=allowed, required=set())


def _declared(reader: YamlReader, root: dict) -> int:
    """`levels: N`, the count of levels 1..N (0 when absent)."""
    value = root.get("levels")
    if value is None:
        return 0
    text = reader.text(value, "levels")
    if not _NUMBER.fullmatch(text) or len(text) > 6 or not 0 < int(text) <= MAX_ITEMS:
        raise reader.error("levels", f"must be a whole number from 1 to {MAX_ITEMS}")
    return int(text)


def _level_code(reader: YamlReader, item: dict, item_path: str) -> str:
    path = f"{item_path}.level"
    if item.get("level") is None:
        # reader.error would name the line of the whole content list; name the item's line.
        raise LadderFileError(
            "missing the level: each content item needs `level: N`",
            source=reader.source,
            line=reader.lines.get(item_path),
            field=path,
        )
    code = reader.text(item["level"], path, limit=20)
    # 1, "1" and 01 are the same level; anything else ("2a") is kept as written.
    return str(int(code)) if _NUMBER.fullmatch(code) else code


def _criteria(reader: YamlReader, item: dict, path: str) -> list[CriterionSpec]:
    found = [
        CriterionSpec(text=text)
        for n, raw in enumerate(
            reader.items(item.get("criteria"), f"{path}.criteria", required=False)
        )
        if (text := _optional(reader, raw, f"{path}.criteria[{n}]"))
    ]
    examples_path = f"{path}.exampleCriteria"
    entries = reader.items(item.get("exampleCriteria"), examples_path, required=False)
    for n, raw in enumerate(entries):
        entry_path = f"{examples_path}[{n}]"
        if raw is None or isinstance(raw, str):  # a bare text: a criterion without examples
            raw = {"criteria": raw}
        raw = _mapping(reader, raw, entry_path)
        text = _optional(reader, raw.get("criteria"), f"{entry_path}.criteria")
        examples = [
            example
            for k, value in enumerate(
                reader.items(raw.get("examples"), f"{entry_path}.examples", required=False)
            )
            if (example := _optional(reader, value, f"{entry_path}.examples[{k}]"))
        ]
        if text:
            found.append(CriterionSpec(text=text, examples=examples))
    return found


def _optional(reader: YamlReader, value: Any, path: str) -> str:
    # Real files hold empty entries; skip them, but a mapping where text belongs is an error.
    return reader.text(value, path, required=False)


def _clean(text: str) -> str:
    """Without the leading emoji, symbols and spaces of "🛠️ Backend Engineering Framework"."""
    start = 0
    while start < len(text) and (
        text[start].isspace() or unicodedata.category(text[start])[0] in "SMZC"
    ):
        start += 1
    return text[start:].strip()


def _key(text: str) -> str:
    """A dimension or ladder key: ASCII lowercase letters, digits and '-', at most 50."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:50].rstrip("-")


def _humanise(name: str) -> str:
    """A key as words: "technical_skills" becomes "Technical skills"."""
    words = " ".join(re.split(r"[\s_-]+", name)).strip()
    return words[:1].upper() + words[1:]
