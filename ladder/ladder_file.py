"""The ladder file format `careerladder/v1`: read (with errors that name the line and the field),
write, and load into the database all-or-nothing. docs/ladder-format.md describes the format."""

from __future__ import annotations

import re
from typing import Any

import yaml

from careerladder.text import has_bidi_controls

from .models import KEY_REGEX
from .spec import (
    BIDI_PROBLEM,
    MAX_FILE_CHARACTERS,
    CriterionSpec,
    DimensionSpec,
    ExpectationSpec,
    LadderFileError,
    LadderSpec,
    LevelSpec,
    TrackSpec,
)

FORMAT = "careerladder/v1"
KEY_PATTERN = re.compile(KEY_REGEX)
MAX_ITEMS = 500
# A ladder nests ten collections deep at most (tracks, levels, expectations, criteria,
# examples); PyYAML's composer recurses once per level, so anything deeper is refused before.
MAX_DEPTH = 20
# libyaml's parser when there is one: the depth check then costs little beside the real read.
_EVENTS = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Reading ------------------------------------------------------------------------------------


class TypedText(str):
    """A plain YAML scalar that YAML would read as a number, a boolean or a date, kept as the
    text written in the file (so that a level code 010 stays 010), with the kind YAML saw."""

    kind: str

    def __new__(cls, text: str, kind: str) -> TypedText:
        value = super().__new__(cls, text)
        value.kind = kind
        return value


_SCALAR_KINDS = {
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:timestamp": "a date",
}


class YamlReader:
    """Reads the YAML node tree once, recording the line of every field, so that each error
    names the line and the dotted path of the field it is about. Only what a ladder needs is
    accepted: mappings, lists and text; anchors and aliases, which can make a small file
    expand without bound, are refused."""

    def __init__(
        self, text: str, source: str, *, line_offset: int = 0, depth_checked: bool = False
    ):
        """`line_offset`: how many lines of the file come before `text` (front matter's `---`);
        `depth_checked`: the caller has run refuse_deep_nesting on it already."""
        self.source = source
        self.line_offset = line_offset
        self.lines: dict[str, int] = {}
        self._seen: set[int] = set()
        if len(text) > MAX_FILE_CHARACTERS:
            raise LadderFileError(
                f"the file is {len(text)} characters long; the limit is {MAX_FILE_CHARACTERS}",
                source=source,
                line=None,
                field=None,
            )
        if not depth_checked:
            refuse_deep_nesting(text, source, line_offset=line_offset)
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or str(error)
            message = (
                "a tab in the indentation; YAML indents with spaces only"
                if "'\\t'" in problem
                else f"this is not valid YAML ({problem})"
            )
            raise LadderFileError(
                message,
                source=source,
                line=mark.line + 1 + line_offset if mark else None,
                field=None,
            ) from None
        except yaml.YAMLError as error:
            raise LadderFileError(
                f"this is not valid YAML ({error})", source=source, line=None, field=None
            ) from None
        self.data = None if node is None else self._build(node, "")

    def _build(self, node: yaml.Node, path: str) -> Any:
        line = node.start_mark.line + 1 + self.line_offset
        if id(node) in self._seen:
            # The node is the anchored one; the field that repeats it is where the alias is.
            raise LadderFileError(
                "anchors and aliases (& and *) are not supported; write the text out",
                source=self.source,
                line=self.lines.get(path, line),
                field=path or None,
            )
        self._seen.add(id(node))
        self.lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    raise LadderFileError(
                        "keys must be plain text",
                        source=self.source,
                        line=key_node.start_mark.line + 1 + self.line_offset,
                        field=path or None,
                    )
                key = key_node.value
                child = _join(path, key)
                if key in mapping:
                    # YAML would silently keep the last one; a lost half of a ladder is worse.
                    raise LadderFileError(
                        f"the key {key!r} appears twice",
                        source=self.source,
                        line=key_node.start_mark.line + 1 + self.line_offset,
                        field=child,
                    )
                self.lines[child] = key_node.start_mark.line + 1 + self.line_offset
                mapping[key] = self._build(value_node, child)
            return mapping
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, f"{path}[{n}]") for n, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:null":
            return None
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        if node.tag in _SCALAR_KINDS:
            return TypedText(node.value, _SCALAR_KINDS[node.tag])
        raise LadderFileError(
            f"the YAML tag {node.tag!r} is not supported here",
            source=self.source,
            line=line,
            field=path or None,
        )

    def error(self, path: str, message: str) -> LadderFileError:
        line = self.lines.get(path)
        probe = path
        while line is None and probe:
            probe = probe.rsplit(".", 1)[0] if "." in probe else ""
            probe = re.sub(r"\[\d+\]$", "", probe) if probe.endswith("]") else probe
            line = self.lines.get(probe)
        return LadderFileError(message, source=self.source, line=line, field=path or None)

    def mapping(self, value: Any, path: str, *, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping of keys, found {_kind(value)}")
        for key in value:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.error(_join(path, key), f"unknown key {key!r} (known keys: {known})")
        for key in sorted(required):
            if key not in value:
                raise self.error(path, f"missing required key {key!r}")
        return value

    def text(self, value: Any, path: str, *, required: bool = True, limit: int = 0) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.error(path, f"expected text, found {_kind(value)}")
        text = str(value).strip()
        if "\x00" in text or _has_surrogate(text):
            raise self.error(
                path, "contains a character that is not text (NUL or a lone surrogate)"
            )
        if has_bidi_controls(text):
            raise self.error(path, BIDI_PROBLEM)
        if required and not text:
            raise self.error(path, "must not be empty")
        if limit and len(text) > limit:
            raise self.error(path, f"is {len(text)} characters long; the limit is {limit}")
        return text

    def key(self, value: Any, path: str) -> str:
        key = self.text(value, path, limit=50)
        if not KEY_PATTERN.match(key):
            raise self.error(
                path,
                f"{key!r} is not a valid key: use lowercase letters, digits, '-' and '_'",
            )
        return key

    def items(self, value: Any, path: str, *, required: bool) -> list:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise self.error(path, f"expected a list, found {_kind(value)}")
        if required and not value:
            raise self.error(path, "must list at least one item")
        if len(value) > MAX_ITEMS:
            raise self.error(path, f"lists {len(value)} items; the limit is {MAX_ITEMS}")
        return value

    def texts(self, value: Any, path: str) -> list[str]:
        return [
            self.text(item, f"{path}[{index}]")
            for index, item in enumerate(self.items(value, path, required=False))
        ]


class _Open:
    """A collection the event stream is inside of, to name the path of what comes next."""

    def __init__(self, is_mapping: bool, path: str):
        self.is_mapping = is_mapping
        self.path = path
        self.key_path = path  # the path of the value after the key just read
        self.awaiting_key = True
        self.count = 0


def refuse_deep_nesting(text: str, source: str, *, line_offset: int = 0) -> None:
    """Raise LadderFileError, naming the line and the field, where lists and mappings nest more
    than MAX_DEPTH deep. The parser's events are a flat stream (no recursion), so this runs
    before the recursive composer could meet a document nested a thousand deep."""
    stack: list[_Open] = []
    try:
        for event in yaml.parse(text, Loader=_EVENTS):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            path, starts = "", isinstance(event, yaml.CollectionStartEvent)
            if stack and stack[-1].is_mapping:
                parent = stack[-1]
                if parent.awaiting_key:
                    value = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                    parent.key_path = _join(parent.path, value)
                    parent.awaiting_key = False
                    if not starts:
                        continue
                else:
                    parent.awaiting_key = True
                path = parent.key_path
            elif stack:
                path = f"{stack[-1].path}[{stack[-1].count}]"
                stack[-1].count += 1
            if starts:
                if len(stack) >= MAX_DEPTH:
                    raise LadderFileError(
                        f"nested too deeply: lists and mappings nested more than {MAX_DEPTH} deep "
                        "(a ladder needs ten at most)",
                        source=source,
                        # The parser marks every event; the stubs allow a mark-less one.
                        line=event.start_mark.line + 1 + line_offset if event.start_mark else None,
                        field=path or None,
                    )
                stack.append(_Open(isinstance(event, yaml.MappingStartEvent), path))
    except (yaml.YAMLError, UnicodeError):  # libyaml cannot encode a lone surrogate
        return  # the composer reports it, naming the line


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _kind(value: Any) -> str:
    if isinstance(value, TypedText):
        return value.kind
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "text"  # the reader builds nothing else from the YAML nodes


def parse_ladder(text: str, source: str = "ladder file") -> LadderSpec:
    """Read a careerladder/v1 document. Raises LadderFileError on the first problem."""
    reader = YamlReader(text, source)
    root = reader.mapping(
        reader.data,
        "",
        allowed={"format", "name", "slug", "description", "attribution", "dimensions", "tracks"},
        required={"format", "name", "slug", "dimensions", "tracks"},
    )
    if root["format"] != FORMAT:
        raise reader.error("format", f"must be {FORMAT!r}, found {root['format']!r}")
    spec = LadderSpec(
        name=reader.text(root["name"], "name", limit=200),
        slug=reader.key(root["slug"], "slug"),
        description=reader.text(root.get("description"), "description", required=False),
        attribution=reader.text(root.get("attribution"), "attribution", required=False),
    )
    dimension_keys: list[str] = []
    for index, item in enumerate(reader.items(root["dimensions"], "dimensions", required=True)):
        path = f"dimensions[{index}]"
        item = reader.mapping(
            item, path, allowed={"key", "name", "description"}, required={"key", "name"}
        )
        dimension = DimensionSpec(
            key=reader.key(item["key"], f"{path}.key"),
            name=reader.text(item["name"], f"{path}.name", limit=200),
            description=reader.text(item.get("description"), f"{path}.description", required=False),
        )
        if dimension.key in dimension_keys:
            raise reader.error(f"{path}.key", f"duplicate dimension key {dimension.key!r}")
        dimension_keys.append(dimension.key)
        spec.dimensions.append(dimension)
    track_keys: set[str] = set()
    for index, item in enumerate(reader.items(root["tracks"], "tracks", required=True)):
        track = _parse_track(reader, item, f"tracks[{index}]", set(dimension_keys))
        if track.key in track_keys:
            raise reader.error(f"tracks[{index}].key", f"duplicate track key {track.key!r}")
        track_keys.add(track.key)
        spec.tracks.append(track)
    spec.lines = reader.lines
    return spec


def _parse_track(reader: YamlReader, item: Any, path: str, dimension_keys: set[str]) -> TrackSpec:
    item = reader.mapping(
        item,
        path,
        allowed={"key", "name", "description", "levels"},
        required={"key", "name", "levels"},
    )
    track = TrackSpec(
        key=reader.key(item["key"], f"{path}.key"),
        name=reader.text(item["name"], f"{path}.name", limit=200),
        description=reader.text(item.get("description"), f"{path}.description", required=False),
    )
    codes: set[str] = set()
    for index, raw in enumerate(reader.items(item["levels"], f"{path}.levels", required=True)):
        level_path = f"{path}.levels[{index}]"
        raw = reader.mapping(
            raw,
            level_path,
            allowed={"code", "name", "summary", "expectations", "signals", "holds_back"},
            required={"code", "name"},
        )
        level = LevelSpec(
            code=reader.text(raw["code"], f"{level_path}.code", limit=20),
            name=reader.text(raw["name"], f"{level_path}.name", limit=200),
            summary=reader.text(raw.get("summary"), f"{level_path}.summary", required=False),
            signals=reader.texts(raw.get("signals"), f"{level_path}.signals"),
            holds_back=reader.texts(raw.get("holds_back"), f"{level_path}.holds_back"),
        )
        if level.code in codes:
            raise reader.error(
                f"{level_path}.code",
                f"duplicate level code {level.code!r} in track {track.key!r}",
            )
        codes.add(level.code)
        expectations = raw.get("expectations")
        if expectations is None:
            expectations = {}
        if not isinstance(expectations, dict):
            raise reader.error(
                f"{level_path}.expectations",
                f"expected a mapping of dimension keys, found {_kind(expectations)}",
            )
        for key, value in expectations.items():
            expectation_path = f"{level_path}.expectations.{key}"
            if key not in dimension_keys:
                raise reader.error(
                    expectation_path,
                    f"{key!r} is not a declared dimension "
                    f"(declared: {', '.join(sorted(dimension_keys))})",
                )
            level.expectations[key] = _parse_expectation(reader, value, expectation_path)
        track.levels.append(level)
    return track


def _parse_expectation(reader: YamlReader, value: Any, path: str) -> ExpectationSpec:
    if not isinstance(value, dict):
        return ExpectationSpec(summary=reader.text(value, path))
    value = reader.mapping(value, path, allowed={"summary", "criteria"}, required={"summary"})
    expectation = ExpectationSpec(summary=reader.text(value["summary"], f"{path}.summary"))
    for index, raw in enumerate(
        reader.items(value.get("criteria"), f"{path}.criteria", required=False)
    ):
        criterion_path = f"{path}.criteria[{index}]"
        if isinstance(raw, dict):
            raw = reader.mapping(
                raw,
                criterion_path,
                allowed={"text", "examples", "id", "proficiency"},
                required={"text"},
            )
            expectation.criteria.append(
                CriterionSpec(
                    text=reader.text(raw["text"], f"{criterion_path}.text"),
                    examples=reader.texts(raw.get("examples"), f"{criterion_path}.examples"),
                    ref=reader.text(
                        raw.get("id"), f"{criterion_path}.id", required=False, limit=200
                    ),
                    proficiency=reader.text(
                        raw.get("proficiency"),
                        f"{criterion_path}.proficiency",
                        required=False,
                        limit=200,
                    ),
                )
            )
        else:
            expectation.criteria.append(CriterionSpec(text=reader.text(raw, criterion_path)))
    return expectation


# Writing ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write YAML by hand.
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def spec_to_yaml(spec: LadderSpec) -> str:
    """The file for a ladder: optional keys are left out when empty, and an expectation without
    criteria takes the short form, so that the file reads like one written by hand."""
    document: dict[str, Any] = {"format": FORMAT, "name": spec.name, "slug": spec.slug}
    if spec.description:
        document["description"] = spec.description
    if spec.attribution:
        document["attribution"] = spec.attribution
    document["dimensions"] = [
        _without_empty({"key": d.key, "name": d.name, "description": d.description})
        for d in spec.dimensions
    ]
    document["tracks"] = []
    for track in spec.tracks:
        levels = []
        for level in track.levels:
            expectations: dict[str, Any] = {}
            for key, expectation in level.expectations.items():
                if expectation.criteria:
                    expectations[key] = {
                        "summary": expectation.summary,
                        "criteria": [_criterion(c) for c in expectation.criteria],
                    }
                else:
                    expectations[key] = expectation.summary
            levels.append(
                _without_empty(
                    {
                        "code": level.code,
                        "name": level.name,
                        "summary": level.summary,
                        "expectations": expectations,
                        "signals": level.signals,
                        "holds_back": level.holds_back,
                    }
                )
            )
        document["tracks"].append(
            _without_empty(
                {
                    "key": track.key,
                    "name": track.name,
                    "description": track.description,
                    "levels": levels,
                }
            )
        )
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def _criterion(criterion: CriterionSpec) -> str | dict[str, Any]:
    written = _without_empty(
        {
            "text": criterion.text,
            "examples": criterion.examples,
            "id": criterion.ref,
            "proficiency": criterion.proficiency,
        }
    )
    return written if len(written) > 1 else criterion.text


def _without_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in ("", [], {}, None)}
