"""Reading the Financial Times engineering-competencies job-family YAML: the sample file, a
made-up file of the same format unlike it, and every bad file answered with one message that
names the file, the line and the field."""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from ladder.importers import detect_format, ft
from ladder.importers.ft import looks_like, parse
from ladder.models import Criterion, Level
from ladder.services import load_spec
from ladder.spec import LadderFileError

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "frameworks" / "financial-times"
SAMPLE = SAMPLE_DIR / "engineering.yml"

# Nothing like the sample: no manager levels, other themes (one id in capitals), examples in
# both forms, a level without competencies, and keys the reader does not know.
CRAFTED = """\
# A made-up job family in the FT format
name: Data Science & Analytics
summary: For analysts.
owner: someone
levels:
  - id: A1
    name: Analyst
    colour: blue
  - id: A2
    name: Senior analyst
  - id: A3
    name: Lead analyst
themes:
  - id: Craft
    name: Craft
    summary: Doing the work well.
    icon: hammer
  - id: impact
    name: Impact
competencies:
  - id: c-1
    level: A1
    theme: Craft
    summary: Writes reproducible analyses.
    proficiency: Awareness
    examples:
      - Notebook checked into the repo
      - text: Pipeline re-run by a peer
        link: https://example.org
  - level: A1
    theme: craft
    summary: Checks their numbers.
  - id: c-3
    level: A2
    theme: impact
    weight: 3
    summary: |
      1. LONG
      2. Explains findings to people who decide.
"""
LONG = (
    "Frames the questions the business should be asking, not only the ones it asks, and "
    "turns them into analyses that change decisions. Works across teams and functions to "
    "find the data, judges its quality honestly, and says what it cannot tell us. Shares "
    "methods so that others can repeat them and build on them, and keeps the work reviewable."
)
CRAFTED = CRAFTED.replace("LONG", LONG)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def sample_data() -> dict:
    return yaml.safe_load(SAMPLE.read_text())


def manager_marked(level: dict) -> bool:
    return level["id"].endswith("-pm") or "(People Manager)" in level["name"]


def ic_marked(level: dict) -> bool:
    return level["id"].endswith("-ic") or "(Individual Contributor)" in level["name"]


def test_the_sample_reads_into_tracks_levels_and_criteria():
    data = sample_data()
    spec = parse(SAMPLE.read_text(), "engineering.yml")

    assert spec.name == data["name"]
    assert re.fullmatch(r"ft-[a-z0-9][a-z0-9_-]*", spec.slug) and len(spec.slug) <= 50
    assert spec.description == data["summary"].strip()
    assert [d.key for d in spec.dimensions] == [t["id"] for t in data["themes"]]
    assert [d.name for d in spec.dimensions] == [t["name"] for t in data["themes"]]

    assert any(manager_marked(level) for level in data["levels"])
    expected_tracks = {
        "ic": [lv["id"] for lv in data["levels"] if not manager_marked(lv)],
        "management": [lv["id"] for lv in data["levels"] if not ic_marked(lv)],
    }
    assert {t.key: [lv.code for lv in t.levels] for t in spec.tracks} == expected_tracks

    per_level = Counter((c["level"], c["theme"]) for c in data["competencies"])
    theme_order = [t["id"] for t in data["themes"]]
    for track in spec.tracks:
        for level in track.levels:
            themes = [t for t in theme_order if (level.code, t) in per_level]
            assert list(level.expectations) == themes
            for key, expectation in level.expectations.items():
                assert len(expectation.criteria) == per_level[(level.code, key)]
                assert expectation.summary
                assert len(expectation.summary) <= 301
    total = sum(
        len(e.criteria) for lv in spec.tracks[0].levels for e in lv.expectations.values()
    ) + sum(
        len(e.criteria)
        for lv in spec.tracks[1].levels
        if lv.code not in expected_tracks["ic"]
        for e in lv.expectations.values()
    )
    assert total == len(data["competencies"])

    # A multi-paragraph competency is kept whole, with its id and proficiency.
    chosen = next(c for c in data["competencies"] if "\n\n" in c["summary"].strip())
    level = spec.tracks[0].level(chosen["level"]) or spec.tracks[1].level(chosen["level"])
    assert level is not None
    criteria = level.expectations[chosen["theme"]].criteria
    criterion = next(c for c in criteria if c.ref == chosen["id"])
    assert criterion.text == chosen["summary"].strip()
    assert criterion.proficiency == chosen["proficiency"]
    assert criterion.examples == chosen.get("examples", [])


def test_the_sample_credits_the_financial_times_under_the_mit_licence():
    spec = parse(SAMPLE.read_text(), "engineering.yml")
    licence = (SAMPLE_DIR / "LICENSE").read_text()
    holder = re.search(r"Copyright \(c\) \d{4} (.+)", licence).group(1).strip()

    assert "MIT" in licence.splitlines()[0] and "MIT" in spec.attribution
    assert f"Copyright (c) {holder}" in spec.attribution


def test_shared_levels_are_separate_copies_in_each_track():
    spec = parse(SAMPLE.read_text(), "engineering.yml")
    ic, management = spec.tracks
    shared = [lv.code for lv in ic.levels if management.level(lv.code)]

    assert shared
    assert all(ic.level(code) is not management.level(code) for code in shared)
    assert all(ic.level(code) == management.level(code) for code in shared)


def test_the_sample_is_detected_and_loads_into_the_database(db):
    text = SAMPLE.read_text()
    assert detect_format(text) == ft.FORMAT
    spec = parse(text, "engineering.yml")

    ladder, _ = load_spec(spec, source="engineering.yml", format=ft.FORMAT)

    assert ladder.slug == spec.slug
    assert Level.objects.filter(track__ladder=ladder).count() == sum(
        len(t.levels) for t in spec.tracks
    )
    assert Criterion.objects.filter(expectation__level__track__ladder=ladder).count() == sum(
        len(e.criteria) for t in spec.tracks for lv in t.levels for e in lv.expectations.values()
    )


def test_a_file_unlike_the_sample_reads_into_one_track():
    spec = parse(CRAFTED, "data.yml")

    assert spec.name == "Data Science & Analytics"
    assert spec.slug == "ft-data-science-analytics"
    assert spec.description == "For analysts."
    assert [(d.key, d.name, d.description) for d in spec.dimensions] == [
        ("craft", "Craft", "Doing the work well."),
        ("impact", "Impact", ""),
    ]
    [track] = spec.tracks
    assert (track.key, track.name) == ("engineering", "Data Science & Analytics")
    assert [(lv.code, lv.name) for lv in track.levels] == [
        ("A1", "Analyst"),
        ("A2", "Senior analyst"),
        ("A3", "Lead analyst"),
    ]
    analyst, senior, lead = track.levels

    assert list(analyst.expectations) == ["craft"]
    craft = analyst.expectations["craft"]
    assert craft.summary == "Writes reproducible analyses."
    assert [(c.text, c.examples, c.ref, c.proficiency) for c in craft.criteria] == [
        (
            "Writes reproducible analyses.",
            ["Notebook checked into the repo", "Pipeline re-run by a peer"],
            "c-1",
            "Awareness",
        ),
        ("Checks their numbers.", [], "", ""),
    ]

    # Long: the summary is the first item's first sentence; the criterion keeps everything.
    impact = senior.expectations["impact"]
    assert impact.criteria[0].text.startswith("1. Frames") and "2. Explains" in (
        impact.criteria[0].text
    )
    assert impact.summary == LONG.split(". ", 1)[0] + "."
    assert lead.expectations == {}
    assert spec.lines["competencies[2].summary"] == line_of(CRAFTED, "    summary: |")


def test_an_explicit_track_key_on_levels_wins_over_names():
    text = (
        CRAFTED.replace("    colour: blue\n", "    track: shared\n")
        .replace("    name: Senior analyst\n", "    name: Senior analyst\n    type: IC\n")
        .replace("    name: Lead analyst\n", "    name: Lead analyst\n    track: manager\n")
    )
    spec = parse(text, "data.yml")

    assert {t.key: [lv.code for lv in t.levels] for t in spec.tracks} == {
        "ic": ["A1", "A2"],
        "management": ["A1", "A3"],
    }
    assert [t.name for t in spec.tracks] == ["Individual contributor", "People manager"]


def test_a_manager_named_in_a_trailing_parenthesis_splits_the_tracks():
    text = CRAFTED.replace("name: Senior analyst", "name: Senior analyst (Individual Contributor)")
    text = text.replace("name: Lead analyst", "name: Lead analyst (Analytics Manager)")
    spec = parse(text, "data.yml")

    assert {t.key: [lv.code for lv in t.levels] for t in spec.tracks} == {
        "ic": ["A1", "A2"],
        "management": ["A1", "A3"],
    }


def bad(old: str, new: str, needle: str | None = None) -> tuple[str, int]:
    """CRAFTED with one change, and the line of `needle` (the new text) in the result."""
    assert old in CRAFTED
    text = CRAFTED.replace(old, new, 1)
    return text, line_of(text, needle or new)


def case(change: tuple[str, int], field: str | None, message: str, id: str):
    return pytest.param(change[0], change[1], field, message, id=id)


DEEP_FLOW = "[" * 900 + "]" * 900
DEEP_BLOCK = "- " * 900 + "x"
BAD_FILES = [
    case(
        # YAML notices the open bracket on the next line, and says so.
        bad("name: Craft\n", "name: [Craft\n", "    summary: Doing"),
        None,
        "not valid YAML",
        "invalid-yaml",
    ),
    case(
        bad("  - id: A2\n", "\t- id: A2\n"), None, "a tab in the indentation", "tab-in-indentation"
    ),
    case(
        bad("    theme: impact\n    weight", "    theme: insight\n    weight", "theme: insight"),
        "competencies[2].theme",
        "unknown theme 'insight' (themes: craft, impact)",
        "unknown-theme",
    ),
    case(
        bad("    level: A2\n", "    level: A9\n"),
        "competencies[2].level",
        "unknown level 'A9' (levels: A1, A2, A3)",
        "unknown-level",
    ),
    case(
        bad("  - id: A3\n", "  - id: A1\n", "  - id: A1\n    name: Lead"),
        "levels[2].id",
        "duplicate level id 'A1'",
        "dup-level",
    ),
    case(
        bad("  - id: impact\n", "  - id: CRAFT\n"),
        "themes[1].id",
        "duplicate theme id 'CRAFT'",
        "duplicate-theme",
    ),
    case(
        bad("  - id: A1\n", "  - id: a-very-long-level-identifier\n"),
        "levels[0].id",
        "is 28 characters; the limit is 20",
        "level-id-too-long",
    ),
    case(
        bad("    summary: Checks their numbers.\n", "", "  - level: A1"),
        "competencies[1]",
        "missing required key 'summary'",
        "competency-without-summary",
    ),
    case(
        (CRAFTED.replace("themes:", "topics:"), 2),
        None,
        "missing required key 'themes'",
        "missing-themes",
    ),
    case(
        (
            CRAFTED.replace("    name: Craft\n", "    name: &craft Craft\n").replace(
                "    name: Impact\n", "    name: *craft\n"
            ),
            line_of(CRAFTED, "    name: Impact"),
        ),
        "themes[1].name",
        "anchors and aliases (& and *) are not supported",
        "alias",
    ),
    case(
        bad("    level: A2\n", "    level: A2\n    level: A3\n", "    level: A3"),
        "competencies[2].level",
        "the key 'level' appears twice",
        "duplicate-key",
    ),
    case(
        bad("    weight: 3\n", f"    weight: {DEEP_FLOW}\n"),
        "competencies[2].weight" + "[0]" * (ft.MAX_DEPTH - 3),
        "nested more than 20 deep",
        "deep-flow-lists",
    ),
    case(
        bad("      - Notebook checked into the repo\n", f"      - {DEEP_BLOCK}\n"),
        "competencies[0].examples" + "[0]" * (ft.MAX_DEPTH - 3),
        "nested more than 20 deep",
        "deep-block-lists",
    ),
    case(
        bad("    colour: blue\n", "    track: contractor\n"),
        "levels[0].track",
        "unknown track 'contractor'",
        "unknown-explicit-track",
    ),
    case(("- just\n- a list\n", 1), None, "expected a mapping of keys, found a list", "a-list"),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), BAD_FILES)
def test_a_bad_file_gets_one_clear_message(text, line, field, message):
    with pytest.raises(LadderFileError) as raised:
        parse(text, "bad.yml")

    error = raised.value
    assert message in str(error)
    assert str(error).startswith("bad.yml, ")
    assert error.line == line
    assert f"line {line}" in str(error)
    assert error.field == field
    if field is not None:
        assert field in str(error)


def test_deep_nesting_past_the_check_is_still_a_ladder_file_error(monkeypatch):
    """Should the nesting check miss something, the composer's RecursionError is converted."""
    monkeypatch.setattr(ft, "_refuse_deep_nesting", lambda text, source: None)
    text = CRAFTED.replace("    weight: 3\n", f"    weight: {DEEP_FLOW}\n")

    with pytest.raises(LadderFileError, match="nested too deeply") as raised:
        parse(text, "bad.yml")
    assert str(raised.value).startswith("bad.yml")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(CRAFTED.replace("name: Impact", "name: '\ud800'"), id="lone-surrogate"),
        pytest.param(CRAFTED.replace("name: Impact", "name: \x07"), id="control-character"),
        pytest.param(CRAFTED + "extra: " + "? " * 900 + "x\n", id="deep-complex-keys"),
        pytest.param(CRAFTED + "extra: !!python/object:os.system x\n", id="python-tag"),
        pytest.param(CRAFTED + "---\nname: Again\n", id="two-documents"),
        pytest.param(CRAFTED.replace("name: Analyst", "name: [Analyst]"), id="name-is-a-list"),
        pytest.param(CRAFTED.replace("- text: Pipeline", "- url: Pipeline"), id="example-no-text"),
        pytest.param("", id="empty"),
    ],
)
def test_odd_input_raises_only_ladder_file_errors(text):
    with pytest.raises(LadderFileError) as raised:
        parse(text, "odd.yml")
    assert str(raised.value).startswith("odd.yml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(CRAFTED, True, id="crafted"),
        pytest.param('"themes": []\n"competencies": []\n', True, id="quoted-keys"),
        pytest.param("competencies:\n  - a\n", False, id="no-themes"),
        pytest.param("name: x\nlevels:\n  themes:\n  competencies:\n", False, id="indented"),
        pytest.param("format: careerladder/v1\nname: x\ndimensions: []\n", False, id="v1"),
        pytest.param("---\ntitle: Monzo\n---\n# Competencies\n", False, id="markdown"),
        pytest.param("", False, id="empty"),
    ],
)
def test_looks_like(text, expected):
    assert looks_like(text) is expected


def test_looks_like_the_sample():
    assert looks_like(SAMPLE.read_text())


def test_a_theme_id_without_latin_letters_gets_a_generated_key():
    text = CRAFTED.replace("  - id: impact\n", "  - id: '影響'\n").replace(
        "theme: impact\n", "theme: '影響'\n"
    )

    spec = parse(text, "crafted.yml")

    assert spec.dimensions[1].key == "theme-2"
    assert any("theme-2" in level.expectations for track in spec.tracks for level in track.levels)


def test_a_name_without_latin_letters_takes_its_slug_from_the_file_name():
    spec = parse(CRAFTED.replace("name: Data Science & Analytics", "name: 工程"), "dir/eng.yml")

    assert (spec.name, spec.slug) == ("工程", "ft-eng")
