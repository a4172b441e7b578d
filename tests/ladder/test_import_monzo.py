"""Reading Monzo's progression-framework Markdown: the published samples, checked against
figures computed from the files themselves, a crafted file unlike them, and every bad file
answered with one LadderFileError that names the file, the line and the field."""

import re
from pathlib import Path

import pytest
import yaml

from ladder.importers.monzo import FORMAT, looks_like, parse
from ladder.models import KEY_REGEX
from ladder.spec import LadderFileError

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "frameworks" / "monzo"
SAMPLE_FILES = sorted(SAMPLES.glob("*.md"))


def front_matter(text: str) -> tuple[dict, str]:
    """The file split and read without the module under test (plain safe_load)."""
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.DOTALL)
    assert match, "the sample has no front matter"
    return yaml.safe_load(match.group(1)), match.group(2)


def expected_criteria(item: dict) -> list[tuple[str, list[str]]]:
    plain = [(text, []) for text in item.get("criteria") or [] if text]
    with_examples = [
        (entry["criteria"], [e for e in entry.get("examples") or [] if e])
        for entry in item.get("exampleCriteria") or []
        if entry.get("criteria")
    ]
    return plain + with_examples


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_a_sample_file_gives_every_topic_level_and_criterion(path):
    text = path.read_text(encoding="utf-8")
    data, body = front_matter(text)

    spec = parse(text, path.name)

    assert FORMAT == "monzo"
    assert re.match(KEY_REGEX, spec.slug) and len(spec.slug) <= 50
    assert "monzo" in spec.slug
    assert spec.name and spec.name in data["title"] and spec.name[0].isalnum()
    assert spec.description == body.strip()
    assert "Monzo" in spec.attribution and "MIT" in spec.attribution
    assert len(spec.dimensions) == len(data["topics"])
    assert all(len(d.key) <= 50 and re.match(KEY_REGEX, d.key) for d in spec.dimensions)
    assert [d.name for d in spec.dimensions if d.name[0].isalnum()] == [
        d.name for d in spec.dimensions
    ]
    [track] = spec.tracks
    numbers = set(range(1, data["levels"] + 1))
    numbers |= {item["level"] for topic in data["topics"] for item in topic["content"]}
    assert [level.code for level in track.levels] == [str(n) for n in sorted(numbers)]
    assert [level.name for level in track.levels] == [f"Level {n}" for n in sorted(numbers)]

    expected: dict[tuple[str, str], list] = {}
    for topic, dimension in zip(data["topics"], spec.dimensions, strict=True):
        for item in topic["content"]:
            if criteria := expected_criteria(item):
                expected.setdefault((str(item["level"]), dimension.key), []).extend(criteria)
    found = {
        (level.code, key): [(c.text, c.examples) for c in expectation.criteria]
        for level in track.levels
        for key, expectation in level.expectations.items()
    }
    assert found == expected
    assert sum(len(level.expectations) for level in track.levels) == len(expected)
    for level in track.levels:
        for expectation in level.expectations.values():
            assert expectation.summary == expectation.criteria[0].text

    # Spot check: the first criterion with examples in the file, at its topic and level.
    topic_index, item = next(
        (n, item)
        for n, topic in enumerate(data["topics"])
        for item in topic["content"]
        if item.get("exampleCriteria")
    )
    entry = item["exampleCriteria"][0]
    key = spec.dimensions[topic_index].key
    expectation = track.level(str(item["level"])).expectations[key]
    criterion = next(c for c in expectation.criteria if c.text == entry["criteria"])
    assert criterion.examples == entry["examples"] and criterion.examples


CRAFTED = """\
---
title: "  ⭐️ Ingeniería de Datos  "
path: /data/analytics/
sidebarTitle: Data
somethingNew: {kept: [out]}
levels: 3
topics:
  - name: technical_skills
    title: ""
    content:
      - level: 1
        criteria: ["Writes SQL", ""]
      - level: 4
        criteria: ["Designs pipelines"]
      - level: 1
        exampleCriteria:
          - criteria: Reviews queries
            examples: ["a join review", ""]
          - criteria: ""
            examples: [dropped with its empty criterion]
      - level: 2a
        criteria: [Half a step]
  - title: "🤝 Collaboration"
    content:
      - level: "02"
        criteria:
          - Pairs with others
        exampleCriteria:
  - content:
      - level: 3
        criteria: []
---

Body text about **data**.
"""


def test_a_crafted_file_unlike_the_samples():
    spec = parse(CRAFTED, "frameworks/whatever.md")

    assert spec.name == "Ingeniería de Datos"
    assert spec.slug == "monzo-analytics"
    assert spec.description == "Body text about **data**."
    assert [(d.key, d.name) for d in spec.dimensions] == [
        ("technical-skills", "Technical skills"),
        ("collaboration", "Collaboration"),
        ("topic-3", "Topic 3"),
    ]
    [track] = spec.tracks
    assert (track.key, track.name) == ("engineering", "Engineering")
    # 1..3 from `levels: 3`, 4 only in content, 2a after the numbers; "02" is level 2.
    assert [(level.code, level.name) for level in track.levels] == [
        ("1", "Level 1"),
        ("2", "Level 2"),
        ("3", "Level 3"),
        ("4", "Level 4"),
        ("2a", "Level 2a"),
    ]
    one = track.level("1").expectations
    assert list(one) == ["technical-skills"]
    assert one["technical-skills"].summary == "Writes SQL"
    assert [(c.text, c.examples) for c in one["technical-skills"].criteria] == [
        ("Writes SQL", []),
        ("Reviews queries", ["a join review"]),
    ]
    assert track.level("2").expectations["collaboration"].summary == "Pairs with others"
    assert track.level("3").expectations == {}  # an item without criteria adds nothing
    assert track.level("4").expectations["technical-skills"].summary == "Designs pipelines"
    assert track.level("2a").expectations["technical-skills"].summary == "Half a step"
    assert spec.lines["topics"] == 7 and spec.lines["dimensions"] == 7


def test_a_file_without_title_or_path_is_named_after_the_file():
    text = "---\ntopics:\n  - name: craft\n    content: [{level: 1, criteria: [Ships]}]\n---\n"

    spec = parse(text, "some/dir/design_ops.md")
    named_monzo = parse(text.replace("---\ntopics", "---\ntitle: 🚀\ntopics"), "monzo-web.md")

    assert (spec.name, spec.slug, spec.description) == ("Design ops", "monzo-design-ops", "")
    assert (named_monzo.name, named_monzo.slug) == ("Monzo web", "monzo-web")


def test_generated_names_and_keys_stay_within_their_limits():
    long_name = "a" * 120
    text = (
        f"---\npath: /{'p' * 80}\ntopics:\n"
        f"  - name: {long_name}\n    content: [{{level: 1, criteria: [Ships]}}]\n---\n"
    )

    spec = parse(text, f"{'s' * 300}.md")

    assert len(spec.name) == 200
    assert len(spec.slug) <= 50 and re.match(KEY_REGEX, spec.slug)
    assert spec.dimensions[0].key == "a" * 50
    assert spec.dimensions[0].name == "A" + "a" * 119


BAD_FILES = [
    pytest.param(
        CRAFTED.replace("sidebarTitle: Data", "sidebarTitle: [Data"),
        5,
        None,
        "not valid YAML",
        id="invalid-yaml",
    ),
    pytest.param(
        CRAFTED.replace("      - level: 4", "\t  - level: 4"),
        13,
        None,
        "a tab in the indentation",
        id="tab-in-indentation",
    ),
    pytest.param(
        "---\ntitle: No topics\nlevels: 3\n---\n",
        2,
        "topics",
        "missing required key 'topics'",
        id="no-topics",
    ),
    pytest.param(
        "---\ntitle: T\ntopics: communication\n---\n",
        3,
        "topics",
        "expected a list, found text",
        id="topics-not-a-list",
    ),
    pytest.param(
        "---\ntitle: T\ntopics: []\n---\n",
        3,
        "topics",
        "must list at least one item",
        id="topics-empty",
    ),
    pytest.param(
        CRAFTED.replace("      - level: 4\n", "      - levl: 4\n"),
        13,
        "topics[0].content[1].level",
        "missing the level",
        id="content-without-level",
    ),
    pytest.param(
        CRAFTED.replace("\n---\n\nBody", "\n\nBody"),
        1,
        None,
        "front matter has no closing ---",
        id="unclosed-front-matter",
    ),
    pytest.param(
        CRAFTED.replace('title: ""', "title: &t Skills").replace(
            "  - content:", "  - title: *t\n    content:"
        ),
        29,
        "topics[2].title",
        "anchors and aliases (& and *) are not supported",
        id="alias",
    ),
    pytest.param(
        CRAFTED.replace('["Writes SQL", ""]', '["Writes SQL", {text: no}]'),
        12,
        "topics[0].content[0].criteria[1]",
        "expected text, found a mapping",
        id="mapping-for-a-criterion",
    ),
    pytest.param(
        CRAFTED.replace("examples: [", "examples: [[nested], "),
        18,
        "topics[0].content[2].exampleCriteria[0].examples[0]",
        "expected text, found a list",
        id="list-for-an-example",
    ),
    pytest.param(
        CRAFTED.replace('  - title: "🤝 Collaboration"', "  - name: Technical Skills"),
        23,
        "topics[1].name",
        "duplicate dimension key 'technical-skills'",
        id="duplicate-topic",
    ),
    pytest.param(
        CRAFTED.replace("levels: 3", "levels: six"),
        6,
        "levels",
        "must be a whole number",
        id="levels-not-a-number",
    ),
    pytest.param(
        CRAFTED.replace("levels: 3", "levels: 100000000"),
        6,
        "levels",
        "must be a whole number from 1 to 500",
        id="levels-too-many",
    ),
    pytest.param(
        CRAFTED.replace("      - level: 4", "      - level: " + "9" * 5000),
        13,
        "topics[0].content[1].level",
        "is 5000 characters long; the limit is 20",
        id="huge-level",
    ),
    pytest.param(
        CRAFTED.replace("levels: 3", "levels: 3\nsidebarTitle: Again"),
        7,
        "sidebarTitle",
        "the key 'sidebarTitle' appears twice",
        id="duplicate-key",
    ),
    pytest.param(
        CRAFTED.replace("  ⭐️ Ingeniería de Datos  ", "x" * 201),
        2,
        "title",
        "is 201 characters long; the limit is 200",
        id="title-too-long",
    ),
    pytest.param(
        CRAFTED.replace("  - content:", '  - name: "a\\0b"\n    content:'),
        29,
        "topics[2].name",
        "contains a character that is not text",
        id="nul",
    ),
    pytest.param(
        CRAFTED.replace("  - content:\n      - level: 3\n        criteria: []\n", "  - a text\n"),
        29,
        "topics[2]",
        "expected a mapping of keys, found text",
        id="topic-not-a-mapping",
    ),
    pytest.param("---\n---\nBody\n", 1, None, "the front matter is empty", id="empty-front"),
    pytest.param("---\n- a\n- b\n---\n", 2, None, "expected a mapping", id="front-is-a-list"),
    pytest.param("title: x\n", 1, None, "the first line must be ---", id="no-front-matter"),
    pytest.param(
        "---\ntopics:\n  - name: a\n    content:\n      - level: 1\n        criteria: "
        + "[" * 900
        + "]" * 900
        + "\n---\n",
        6,
        "topics[0].content[0].criteria" + "[0]" * 15,
        "nested too deeply",
        id="deeply-nested",
    ),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), BAD_FILES)
def test_a_bad_file_gets_one_clear_message(text, line, field, message):
    with pytest.raises(LadderFileError) as raised:
        parse(text, "bad.md")

    error = raised.value
    assert message in str(error)
    assert str(error).startswith("bad.md")
    assert error.line == line
    if line is not None:
        assert f"line {line}" in str(error)
    assert error.field == field
    if field is not None:
        assert field in str(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: x\n---\n", True),
        ("---\r\ntitle: x\r\n---\r\n", True),
        ("---   \ntitle: x\n", True),  # unclosed: still Monzo, so parse names the problem
        ("----\ntitle: x\n----\n", True),
        ("title: x\n---\n", False),
        ("format: careerladder/v1\nname: x\n", False),
        ("--- title: x\n", False),
        ("# A heading\n\n---\n", False),
        ("", False),
        ("--", False),
    ],
)
def test_looks_like(text, expected):
    assert looks_like(text) is expected


def test_a_generated_topic_key_never_takes_a_named_topics_key():
    text = (
        "---\nlevels: 2\ntopics:\n"
        "  - content:\n      - level: 1\n        criteria: [Unnamed first]\n"
        "  - name: topic-1\n    content:\n      - level: 1\n        criteria: [Named]\n"
        "---\n"
    )

    spec = parse(text, "x.md")

    assert [d.key for d in spec.dimensions] == ["topic-1-2", "topic-1"]
