"""What changed between two versions of a ladder: pure comparison of two LadderSpecs (no
database), matched by natural keys (dimension and track keys, level codes), with a word-level
diff of every reworded text so a reader sees exactly which words moved."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

from .spec import DimensionSpec, ExpectationSpec, LadderSpec, LevelSpec, TrackSpec

Op = Literal["equal", "insert", "delete"]

# Words and the whitespace between them, so that joining the tokens gives the text back.
_TOKENS = re.compile(r"\s+|\S+")


class Segment(NamedTuple):
    op: Op
    text: str


def word_diff(before: str, after: str) -> list[Segment]:
    """The segments that turn `before` into `after`, word by word. Each run of changes gives
    one deletion then one insertion, so "a b c" → "x y z" reads as one phrase replaced, not
    as words interleaved around the shared spaces."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    segments: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            segments.append(Segment("delete", "".join(deleted)))
        if inserted:
            segments.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    opcodes = _opcodes(old, new)
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        kept = "".join(old[i1:i2])
        # Only a space shared between two changes: part of the change, not a match.
        inner = 0 < n < len(opcodes) - 1
        if tag == "equal" and not (inner and kept.isspace()):
            flush()
            segments.append(Segment("equal", kept))
        else:
            deleted.extend(old[i1:i2])
            inserted.extend(new[j1:j2])
    flush()
    return segments


# Past this many token pairs in the part that differs, the diff would take seconds (it grows
# with the square of the length): the part is shown replaced whole instead.
MAX_DIFF_WORK = 200_000


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher's opcodes, with the common start and end matched first, so that a long
    text with a small change stays cheap, and a bound on the rest."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    middle_old, middle_new = old[start : len(old) - end], new[start : len(new) - end]
    codes: list[tuple[str, int, int, int, int]] = []
    if start:
        codes.append(("equal", 0, start, 0, start))
    if len(middle_old) * len(middle_new) > MAX_DIFF_WORK:
        codes.append(("replace", start, len(old) - end, start, len(new) - end))
    else:
        matcher = SequenceMatcher(None, middle_old, middle_new, autojunk=False)
        codes.extend(
            (tag, i1 + start, i2 + start, j1 + start, j2 + start)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        )
    if end:
        codes.append(("equal", len(old) - end, len(old), len(new) - end, len(new)))
    return [code for code in codes if code[1] != code[2] or code[3] != code[4]]


@dataclass
class TextChange:
    """One text that changed: a name, a description, an expectation's summary."""

    what: str
    before: str
    after: str
    segments: list[Segment]


def _text_change(what: str, before: str, after: str) -> TextChange | None:
    return None if before == after else TextChange(what, before, after, word_diff(before, after))


def _list_diff(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """(added, removed), compared as multisets, each in the order of its own list."""
    extra, missing = Counter(after) - Counter(before), Counter(before) - Counter(after)

    def take(items: list[str], wanted: Counter[str]) -> list[str]:
        taken = []
        for item in items:
            if wanted[item] > 0:
                wanted[item] -= 1
                taken.append(item)
        return taken

    return take(after, extra), take(before, missing)


def _reordered(before: list[str], after: list[str]) -> bool:
    """Whether the keys both lists share come in another order."""
    shared = set(before) & set(after)
    return [k for k in before if k in shared] != [k for k in after if k in shared]


@dataclass
class DimensionChange:
    key: str
    name: str
    changes: list[TextChange]


@dataclass
class ExpectationChange:
    dimension_key: str
    dimension_name: str
    before: ExpectationSpec | None
    after: ExpectationSpec | None
    summary: TextChange | None = None
    criteria_added: list[str] = field(default_factory=list)
    criteria_removed: list[str] = field(default_factory=list)
    # Criteria kept by text whose examples, source id or proficiency changed.
    criteria_details: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    @property
    def count(self) -> int:
        if self.before is None or self.after is None:
            return 1
        extra = len(self.criteria_added) + len(self.criteria_removed) + len(self.criteria_details)
        return (self.summary is not None) + extra


@dataclass
class LevelChange:
    code: str
    name: str
    changes: list[TextChange] = field(default_factory=list)
    expectations: list[ExpectationChange] = field(default_factory=list)
    signals_added: list[str] = field(default_factory=list)
    signals_removed: list[str] = field(default_factory=list)
    holds_back_added: list[str] = field(default_factory=list)
    holds_back_removed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        lists = (
            self.signals_added,
            self.signals_removed,
            self.holds_back_added,
            self.holds_back_removed,
        )
        return len(self.changes) + sum(e.count for e in self.expectations) + sum(map(len, lists))


@dataclass
class TrackChange:
    key: str
    name: str
    changes: list[TextChange] = field(default_factory=list)
    levels_added: list[LevelSpec] = field(default_factory=list)
    levels_removed: list[LevelSpec] = field(default_factory=list)
    levels_reordered: bool = False
    levels: list[LevelChange] = field(default_factory=list)

    @property
    def count(self) -> int:
        items = len(self.changes) + len(self.levels_added) + len(self.levels_removed)
        return items + self.levels_reordered + sum(level.count for level in self.levels)


@dataclass
class VersionDiff:
    ladder: list[TextChange] = field(default_factory=list)
    dimensions_added: list[DimensionSpec] = field(default_factory=list)
    dimensions_removed: list[DimensionSpec] = field(default_factory=list)
    dimensions_reordered: bool = False
    dimensions: list[DimensionChange] = field(default_factory=list)
    tracks_added: list[TrackSpec] = field(default_factory=list)
    tracks_removed: list[TrackSpec] = field(default_factory=list)
    tracks_reordered: bool = False
    tracks: list[TrackChange] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many changes, each added, removed or reworded thing counting once."""
        items = len(self.ladder) + len(self.dimensions_added) + len(self.dimensions_removed)
        items += sum(len(d.changes) for d in self.dimensions)
        items += len(self.tracks_added) + len(self.tracks_removed)
        items += self.dimensions_reordered + self.tracks_reordered
        return items + sum(track.count for track in self.tracks)

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def compare_versions(before: LadderSpec, after: LadderSpec) -> VersionDiff:
    """Everything that changed from `before` to `after`, in `after`'s order."""
    diff = VersionDiff()
    for what, old, new in [
        ("Name", before.name, after.name),
        ("Description", before.description, after.description),
        ("Attribution", before.attribution, after.attribution),
    ]:
        if change := _text_change(what, old, new):
            diff.ladder.append(change)

    old_dims, new_dims = {d.key: d for d in before.dimensions}, {d.key: d for d in after.dimensions}
    diff.dimensions_added = [d for d in after.dimensions if d.key not in old_dims]
    diff.dimensions_removed = [d for d in before.dimensions if d.key not in new_dims]
    diff.dimensions_reordered = _reordered(list(old_dims), list(new_dims))
    for new_dim in after.dimensions:
        if old_dim := old_dims.get(new_dim.key):
            changes = _changes(old_dim, new_dim, "Name", "Description")
            if changes:
                diff.dimensions.append(DimensionChange(new_dim.key, new_dim.name, changes))

    # Dimension names as they are now, in today's order; then those since removed.
    names: dict[str, str] = {}
    for dimension in [*after.dimensions, *before.dimensions]:
        names.setdefault(dimension.key, dimension.name)
    old_tracks = {t.key: t for t in before.tracks}
    new_keys = {t.key for t in after.tracks}
    diff.tracks_added = [t for t in after.tracks if t.key not in old_tracks]
    diff.tracks_removed = [t for t in before.tracks if t.key not in new_keys]
    diff.tracks_reordered = _reordered(list(old_tracks), [t.key for t in after.tracks])
    for new_track in after.tracks:
        if old_track := old_tracks.get(new_track.key):
            track = _compare_tracks(old_track, new_track, names)
            if track.count:
                diff.tracks.append(track)
    return diff


def _changes(old: object, new: object, *fields: str) -> list[TextChange]:
    """Text changes of the named attributes ("Name" reads `name`) of two specs."""
    changes = []
    for what in fields:
        attribute = what.lower().replace(" ", "_")
        if change := _text_change(what, getattr(old, attribute), getattr(new, attribute)):
            changes.append(change)
    return changes


def _compare_tracks(old: TrackSpec, new: TrackSpec, names: dict[str, str]) -> TrackChange:
    track = TrackChange(new.key, new.name, _changes(old, new, "Name", "Description"))
    old_levels = {level.code: level for level in old.levels}
    new_codes = [level.code for level in new.levels]
    track.levels_added = [level for level in new.levels if level.code not in old_levels]
    track.levels_removed = [level for level in old.levels if level.code not in new_codes]
    track.levels_reordered = _reordered(list(old_levels), new_codes)
    for new_level in new.levels:
        if old_level := old_levels.get(new_level.code):
            level = _compare_levels(old_level, new_level, names)
            if level.count:
                track.levels.append(level)
    return track


def _compare_levels(old: LevelSpec, new: LevelSpec, names: dict[str, str]) -> LevelChange:
    level = LevelChange(new.code, new.name, _changes(old, new, "Name", "Summary"))
    level.signals_added, level.signals_removed = _list_diff(old.signals, new.signals)
    level.holds_back_added, level.holds_back_removed = _list_diff(old.holds_back, new.holds_back)
    keys = list(dict.fromkeys([*names, *new.expectations, *old.expectations]))
    for key in keys:
        before, after = old.expectations.get(key), new.expectations.get(key)
        if before is None and after is None:
            continue
        change = ExpectationChange(key, names.get(key, key), before, after)
        if before is not None and after is not None:
            change.summary = _text_change("Expectation", before.summary, after.summary)
            old_texts = [c.text for c in before.criteria]
            new_texts = [c.text for c in after.criteria]
            change.criteria_added, change.criteria_removed = _list_diff(old_texts, new_texts)
            old_by_text = {c.text: c for c in before.criteria}
            change.criteria_details = [
                c.text for c in after.criteria if c.text in old_by_text and c != old_by_text[c.text]
            ]
        if change.count:
            level.expectations.append(change)
    return level
