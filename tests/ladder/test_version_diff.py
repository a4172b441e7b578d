"""What changed between two ladder specs: each kind of change, found exactly, with no database."""

from copy import deepcopy

from ladder.ladder_file import parse_ladder
from ladder.spec import CriterionSpec, DimensionSpec, ExpectationSpec, LadderSpec, LevelSpec
from ladder.version_diff import Segment, compare_versions, word_diff

BASE = """\
format: careerladder/v1
name: Test ladder
slug: test-ladder
description: For tests
dimensions:
  - key: scope
    name: Scope
  - key: autonomy
    name: Autonomy
tracks:
  - key: ic
    name: Individual contributor
    levels:
      - code: L3
        name: Mid
        expectations:
          scope: Owns a feature end to end
        signals: [You break down tasks yourself]
      - code: L4
        name: Senior
        expectations:
          scope: Entire system / service
          autonomy:
            summary: Self-directed
            criteria:
              - You write the design doc first
              - Others come to you with questions
        signals: [You write the design doc first]
        holds_back: [Avoiding cross-functional conversations]
"""


def base() -> LadderSpec:
    return parse_ladder(BASE, "base.yaml")


def level(spec: LadderSpec, code: str) -> LevelSpec:
    found = spec.tracks[0].level(code)
    assert found is not None
    return found


def test_identical_specs_make_an_empty_diff():
    diff = compare_versions(base(), base())

    assert diff.is_empty
    assert diff.count == 0
    assert diff.tracks == [] and diff.ladder == [] and diff.dimensions == []


def test_a_reworded_word_is_one_deletion_and_one_insertion():
    assert word_diff("Owns a feature end to end", "Owns a service end to end") == [
        ("equal", "Owns a "),
        ("delete", "feature"),
        ("insert", "service"),
        ("equal", " end to end"),
    ]


def test_a_run_of_changed_words_reads_as_one_phrase_replaced():
    assert word_diff("a b c d", "a x y d") == [
        Segment("equal", "a "),
        Segment("delete", "b c"),
        Segment("insert", "x y"),
        Segment("equal", " d"),
    ]
    assert word_diff("", "New text") == [Segment("insert", "New text")]


def test_a_reworded_expectation_carries_its_word_diff():
    after = base()
    level(after, "L3").expectations["scope"].summary = "Owns a service end to end"

    diff = compare_versions(base(), after)

    assert diff.count == 1
    [track] = diff.tracks
    [mid] = track.levels
    assert (track.key, mid.code, mid.name) == ("ic", "L3", "Mid")
    [change] = mid.expectations
    assert (change.dimension_key, change.dimension_name) == ("scope", "Scope")
    assert change.kind == "changed"
    assert change.summary is not None
    assert change.summary.before == "Owns a feature end to end"
    assert change.summary.after == "Owns a service end to end"
    assert [s for s in change.summary.segments if s.op != "equal"] == [
        ("delete", "feature"),
        ("insert", "service"),
    ]


def test_added_and_removed_expectations():
    after = base()
    level(after, "L3").expectations["autonomy"] = ExpectationSpec("Needs guidance on direction")
    del level(after, "L4").expectations["scope"]

    diff = compare_versions(base(), after)

    assert diff.count == 2
    mid, senior = diff.tracks[0].levels
    [added] = mid.expectations
    assert (added.kind, added.dimension_key, added.before) == ("added", "autonomy", None)
    assert added.after == ExpectationSpec("Needs guidance on direction")
    [removed] = senior.expectations
    assert (removed.kind, removed.dimension_key, removed.after) == ("removed", "scope", None)
    assert removed.before == ExpectationSpec("Entire system / service")


def test_criteria_added_and_removed_by_text():
    after = base()
    criteria = level(after, "L4").expectations["autonomy"].criteria
    criteria[1] = CriterionSpec("Others ask you for reviews")
    criteria.append(CriterionSpec("You mentor one engineer"))

    diff = compare_versions(base(), after)

    [change] = diff.tracks[0].levels[0].expectations
    assert change.summary is None
    assert change.criteria_added == ["Others ask you for reviews", "You mentor one engineer"]
    assert change.criteria_removed == ["Others come to you with questions"]
    assert change.criteria_details == []
    assert diff.count == 3


def test_a_criterion_with_new_examples_is_a_change_of_details():
    after = base()
    level(after, "L4").expectations["autonomy"].criteria[0].examples = ["the billing service"]

    diff = compare_versions(base(), after)

    [change] = diff.tracks[0].levels[0].expectations
    assert change.criteria_details == ["You write the design doc first"]
    assert diff.count == 1


def test_a_renamed_level():
    after = base()
    level(after, "L3").name = "Intermediate"

    diff = compare_versions(base(), after)

    assert diff.count == 1
    [track] = diff.tracks
    assert track.levels_added == [] and track.levels_removed == []
    [renamed] = track.levels[0].changes
    assert (renamed.what, renamed.before, renamed.after) == ("Name", "Mid", "Intermediate")
    assert renamed.segments == [("delete", "Mid"), ("insert", "Intermediate")]


def test_levels_added_removed_and_reordered():
    after = base()
    levels = after.tracks[0].levels
    levels.reverse()
    levels.append(LevelSpec("L5", "Staff"))

    diff = compare_versions(base(), after)

    [track] = diff.tracks
    assert [added.code for added in track.levels_added] == ["L5"]
    assert track.levels_removed == []
    assert track.levels_reordered
    assert diff.count == 2

    removed = compare_versions(after, base()).tracks[0].levels_removed
    assert [gone.code for gone in removed] == ["L5"]


def test_signals_and_holds_back_added_and_removed():
    after = base()
    senior = level(after, "L4")
    senior.signals = ["You estimate for the team"]
    senior.holds_back.append("Gold-plating")

    diff = compare_versions(base(), after)

    [change] = diff.tracks[0].levels
    assert change.signals_added == ["You estimate for the team"]
    assert change.signals_removed == ["You write the design doc first"]
    assert change.holds_back_added == ["Gold-plating"]
    assert change.holds_back_removed == []
    assert diff.count == 3


def test_dimensions_added_removed_and_renamed():
    after = base()
    after.dimensions = [
        DimensionSpec("scope", "Reach", "How far your work goes"),
        DimensionSpec("influence", "Influence"),
    ]
    level(after, "L4").expectations.pop("autonomy")

    diff = compare_versions(base(), after)

    assert [d.key for d in diff.dimensions_added] == ["influence"]
    assert [d.key for d in diff.dimensions_removed] == ["autonomy"]
    [scope] = diff.dimensions
    assert (scope.key, scope.name) == ("scope", "Reach")
    assert [(c.what, c.before, c.after) for c in scope.changes] == [
        ("Name", "Scope", "Reach"),
        ("Description", "", "How far your work goes"),
    ]
    # The removed dimension's expectation is gone from the level too, named as it was.
    [gone] = diff.tracks[0].levels[0].expectations
    assert (gone.kind, gone.dimension_name) == ("removed", "Autonomy")
    assert diff.count == 5


def test_the_ladder_renamed_redescribed_and_attributed():
    after = base()
    after.name, after.description, after.attribution = "Tests", "For tests only", "CC BY 4.0"

    diff = compare_versions(base(), after)

    assert [(c.what, c.after) for c in diff.ladder] == [
        ("Name", "Tests"),
        ("Description", "For tests only"),
        ("Attribution", "CC BY 4.0"),
    ]
    assert diff.ladder[1].segments == [("equal", "For tests"), ("insert", " only")]
    assert diff.tracks == []
    assert diff.count == 3


def test_tracks_added_removed_and_renamed():
    before = base()
    before.tracks.append(deepcopy(before.tracks[0]))
    before.tracks[1].key, before.tracks[1].name = "em", "Manager"
    after = deepcopy(before)
    after.tracks[0].name = "IC"
    after.tracks[1].key = "eng-manager"

    diff = compare_versions(before, after)

    assert [t.key for t in diff.tracks_added] == ["eng-manager"]
    assert [t.key for t in diff.tracks_removed] == ["em"]
    [renamed] = diff.tracks
    assert [(c.what, c.before, c.after) for c in renamed.changes] == [
        ("Name", "Individual contributor", "IC")
    ]
    assert diff.count == 3


def test_a_long_text_rewritten_whole_is_shown_replaced_without_taking_seconds():
    before = " ".join(f"word{n % 97}" for n in range(5000))
    after = " ".join(f"word{n % 89}" for n in range(5000))

    segments = word_diff(before, after)

    assert [op for op, _ in segments if op != "equal"] == ["delete", "insert"]
    assert "".join(text for op, text in segments if op != "insert") == before
    assert "".join(text for op, text in segments if op != "delete") == after
