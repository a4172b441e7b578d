"""A ladder's whole content in memory, by natural keys: what every reader (careerladder/v1,
Monzo, the Financial Times) returns, what is loaded into the database, what a LadderVersion
keeps as JSON, and what the level map, the diffs and export read. One shape, one way in and out."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from careerladder.text import has_bidi_controls

# A generous ladder (a hundred levels, dozens of dimensions, criteria with examples) is well
# under this; the upload form and every reader refuse anything longer.
MAX_FILE_CHARACTERS = 512 * 1024


class LadderFileError(Exception):
    """A ladder file that cannot be imported. `str()` is the one message a person reads."""

    def __init__(self, message: str, *, source: str, line: int | None, field: str | None):
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        where = [source]
        if line is not None:
            where.append(f"line {line}")
        if field:
            where.append(field)
        super().__init__(f"{', '.join(where)}: {message}")


BIDI_PROBLEM = (
    "contains invisible characters that change the text's direction (such as U+202E), which "
    "can make it read differently from what it says; remove them"
)


def refuse_bidi_controls_in(spec: LadderSpec, source: str) -> None:
    """Whatever a reader made of the file (names derived from the file name included): no
    text of the ladder may hold a bidirectional control. Readers check each field as they read
    it, naming its line; this is the rule for every format, whatever a reader forgot."""
    for path, text in spec.texts():
        if has_bidi_controls(text):
            raise LadderFileError(
                BIDI_PROBLEM, source=source, line=spec.lines.get(path), field=path
            )


@dataclass
class CriterionSpec:
    text: str
    examples: list[str] = field(default_factory=list)
    # The source framework's own id for it (an FT competency id), and how proficient the level
    # must be (the FT's "Awareness", "Foundational", …): kept so nothing of the source is lost.
    ref: str = ""
    proficiency: str = ""


@dataclass
class ExpectationSpec:
    summary: str
    criteria: list[CriterionSpec] = field(default_factory=list)


@dataclass
class LevelSpec:
    code: str
    name: str
    summary: str = ""
    # dimension key -> expectation, in the ladder's dimension order
    expectations: dict[str, ExpectationSpec] = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)
    holds_back: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass
class TrackSpec:
    key: str
    name: str
    description: str = ""
    levels: list[LevelSpec] = field(default_factory=list)

    def level(self, code: str | None) -> LevelSpec | None:
        return next((level for level in self.levels if level.code == code), None)


@dataclass
class DimensionSpec:
    key: str
    name: str
    description: str = ""


@dataclass
class LadderSpec:
    name: str
    slug: str
    description: str = ""
    dimensions: list[DimensionSpec] = field(default_factory=list)
    tracks: list[TrackSpec] = field(default_factory=list)
    # Licence or attribution of the framework the ladder comes from, shown under the level map.
    attribution: str = ""
    # Where each field stood in the file, for errors found while writing to the database.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def track(self, key: str | None) -> TrackSpec | None:
        return next((track for track in self.tracks if track.key == key), None)

    def dimension(self, key: str | None) -> DimensionSpec | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def to_content(self) -> dict[str, Any]:
        """The JSON a LadderVersion keeps: everything but the file's line numbers."""
        content = asdict(self)
        content.pop("lines")
        return content

    @classmethod
    def from_content(cls, content: dict[str, Any]) -> LadderSpec:
        # PostgreSQL's jsonb does not keep the order of keys: expectations follow the ladder's
        # dimension order again.
        order = {d["key"]: n for n, d in enumerate(content.get("dimensions", []))}

        def in_order(expectations: dict[str, Any]) -> list[tuple[str, Any]]:
            return sorted(expectations.items(), key=lambda item: order.get(item[0], len(order)))

        return cls(
            name=content["name"],
            slug=content["slug"],
            description=content.get("description", ""),
            attribution=content.get("attribution", ""),
            dimensions=[DimensionSpec(**d) for d in content.get("dimensions", [])],
            tracks=[
                TrackSpec(
                    key=t["key"],
                    name=t["name"],
                    description=t.get("description", ""),
                    levels=[
                        LevelSpec(
                            code=level["code"],
                            name=level["name"],
                            summary=level.get("summary", ""),
                            signals=list(level.get("signals", [])),
                            holds_back=list(level.get("holds_back", [])),
                            expectations={
                                key: ExpectationSpec(
                                    summary=e["summary"],
                                    criteria=[CriterionSpec(**c) for c in e.get("criteria", [])],
                                )
                                for key, e in in_order(level.get("expectations", {}))
                            },
                        )
                        for level in t.get("levels", [])
                    ],
                )
                for t in content.get("tracks", [])
            ],
        )

    def texts(self) -> Iterator[tuple[str, str]]:
        """(path, text) for every text of the ladder, paths as careerladder/v1 names them."""
        yield from (("name", self.name), ("slug", self.slug))
        yield from (("description", self.description), ("attribution", self.attribution))
        for n, dimension in enumerate(self.dimensions):
            for name in ("key", "name", "description"):
                yield f"dimensions[{n}].{name}", getattr(dimension, name)
        for n, track in enumerate(self.tracks):
            for name in ("key", "name", "description"):
                yield f"tracks[{n}].{name}", getattr(track, name)
            for m, level in enumerate(track.levels):
                path = f"tracks[{n}].levels[{m}]"
                for name in ("code", "name", "summary"):
                    yield f"{path}.{name}", getattr(level, name)
                for name in ("signals", "holds_back"):
                    for i, text in enumerate(getattr(level, name)):
                        yield f"{path}.{name}[{i}]", text
                for key, expectation in level.expectations.items():
                    yield f"{path}.expectations.{key}", key
                    yield f"{path}.expectations.{key}.summary", expectation.summary
                    for i, criterion in enumerate(expectation.criteria):
                        where = f"{path}.expectations.{key}.criteria[{i}]"
                        yield f"{where}.text", criterion.text
                        yield f"{where}.id", criterion.ref
                        yield f"{where}.proficiency", criterion.proficiency
                        for j, example in enumerate(criterion.examples):
                            yield f"{where}.examples[{j}]", example

    def content_hash(self) -> str:
        """Equal for equal content, whatever file or format it came from."""
        encoded = json.dumps(self.to_content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class ParsedSpecs:
    """Specs parsed once per process, by a key that names content that never changes (a recorded
    version's id and content hash). Every reader of that version then shares one LadderSpec:
    read it, never change it. Bounded, least recently used out first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._specs: OrderedDict[Hashable, LadderSpec] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, content: Callable[[], dict[str, Any]]) -> LadderSpec:
        """The spec stored under `key`, parsed from `content()` the first time only: the
        content is asked for on a miss, so a caller may leave it unloaded until then."""
        with self._lock:
            spec = self._specs.get(key)
            if spec is not None:
                self._specs.move_to_end(key)
                return spec
        # Parsed outside the lock: two threads that miss together both parse, and agree.
        spec = LadderSpec.from_content(content())
        with self._lock:
            spec = self._specs.setdefault(key, spec)
            self._specs.move_to_end(key)
            while len(self._specs) > self.size:
                self._specs.popitem(last=False)
        return spec

    def __len__(self) -> int:
        return len(self._specs)

    def clear(self) -> None:
        with self._lock:
            self._specs.clear()
