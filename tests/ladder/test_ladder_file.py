"""Importing and exporting ladder files: the round trip, and every bad file answered with one
message that names the file, the line and the field, while the database stays as it was."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ladder.ladder_file import LadderFileError, parse_ladder
from ladder.models import Criterion, Dimension, Expectation, Ladder, LadderVersion, Level, Track
from ladder.services import export_ladder_yaml, import_ladder_text

DOCS_EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "ladder-format.md"

GOOD = """\
format: careerladder/v1
name: Test ladder
slug: test-ladder
description: For tests
dimensions:
  - key: scope
    name: Scope
  - key: autonomy
    name: Autonomy
    description: How much direction you need
tracks:
  - key: ic
    name: Individual contributor
    levels:
      - code: L3
        name: Mid
        expectations:
          scope: Feature / small project
      - code: L4
        name: Senior
        summary: Owns a system
        expectations:
          scope: Entire system / service
          autonomy:
            summary: Self-directed, sets direction for others
            criteria:
              - You write the design doc before you write the code
              - text: Other engineers come to you with questions
                examples: [a question about the billing service, another]
        signals: [You write the design doc first]
        holds_back: [Avoiding cross-functional conversations]
"""


def database_state() -> list:
    """Everything a ladder import can touch, as plain values."""
    return [
        list(Ladder.objects.values_list("slug", "name", "description").order_by("slug")),
        list(Dimension.objects.values_list("ladder__slug", "key", "name", "description", "order")),
        list(Track.objects.values_list("ladder__slug", "key", "name", "description", "order")),
        list(
            Level.objects.values_list(
                "track__key", "code", "name", "summary", "order", "signals", "holds_back"
            )
        ),
        list(Expectation.objects.values_list("level__code", "dimension__key", "summary")),
        list(Criterion.objects.values_list("expectation__summary", "text", "examples", "order")),
        list(LadderVersion.objects.values_list("ladder__slug", "number", "content_hash")),
    ]


def test_a_good_file_imports_every_part(db):
    ladder = import_ladder_text(GOOD, "good.yaml").ladder

    assert ladder.name == "Test ladder"
    assert [d.key for d in ladder.dimensions.all()] == ["scope", "autonomy"]
    senior = Level.objects.get(code="L4")
    assert senior.summary == "Owns a system"
    assert senior.signals == ["You write the design doc first"]
    assert senior.holds_back == ["Avoiding cross-functional conversations"]
    autonomy = senior.expectations.get(dimension__key="autonomy")
    assert autonomy.summary == "Self-directed, sets direction for others"
    criteria = list(autonomy.criteria.all())
    assert [c.text for c in criteria] == [
        "You write the design doc before you write the code",
        "Other engineers come to you with questions",
    ]
    assert criteria[1].examples == ["a question about the billing service", "another"]
    # A level may leave a dimension out.
    assert not Level.objects.get(code="L3").expectations.filter(dimension__key="autonomy").exists()


def test_export_then_import_gives_an_identical_ladder(db):
    import_ladder_text(GOOD, "good.yaml")
    before = database_state()
    exported = export_ladder_yaml(Ladder.objects.get(slug="test-ladder"))

    Ladder.objects.all().delete()
    import_ladder_text(exported, "exported.yaml")

    assert database_state() == before
    assert export_ladder_yaml(Ladder.objects.get(slug="test-ladder")) == exported


def test_the_default_ladder_round_trips(default_ladder):
    exported = export_ladder_yaml(default_ladder)
    before = database_state()

    import_ladder_text(exported, "engineering.yaml", replace=True)

    assert database_state() == before
    assert parse_ladder(exported) == parse_ladder(
        (Path(__file__).resolve().parents[2] / "ladder/defaults/engineering.yaml").read_text()
    )


def test_the_full_example_in_the_docs_imports(db):
    text = DOCS_EXAMPLE.read_text()
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]

    ladder = import_ladder_text(example, "docs example").ladder

    assert ladder.tracks.count() >= 1
    assert Level.objects.filter(track__ladder=ladder).count() >= 2


BAD_FILES = [
    pytest.param(
        GOOD.replace(
            "  - key: autonomy\n    name: Autonomy", "  - key: autonomy\n    name: [Autonomy"
        ),
        10,
        None,
        "not valid YAML",
        id="invalid-yaml",
    ),
    pytest.param(
        GOOD.replace("      - code: L3", "\t  - code: L3"),
        15,
        None,
        "a tab in the indentation",
        id="tab-in-indentation",
    ),
    pytest.param(
        GOOD.replace("      - code: L4\n        name: Senior\n", "      - code: L4\n"),
        19,
        "tracks[0].levels[1]",
        "missing required key 'name'",
        id="missing-key",
    ),
    pytest.param(
        GOOD.replace("          scope: Entire system / service", "          reach: Everywhere"),
        23,
        "tracks[0].levels[1].expectations.reach",
        "'reach' is not a declared dimension",
        id="undeclared-dimension",
    ),
    pytest.param(
        GOOD.replace("      - code: L4", "      - code: L3"),
        19,
        "tracks[0].levels[1].code",
        "duplicate level code 'L3'",
        id="duplicate-level-code",
    ),
    pytest.param(
        GOOD.replace("        signals: [You write the design doc first]", "        signals: 3"),
        30,
        "tracks[0].levels[1].signals",
        "expected a list, found int",
        id="wrong-type",
    ),
    pytest.param(
        GOOD.replace("dimensions:\n", "name: Again\ndimensions:\n"),
        5,
        "name",
        "the key 'name' appears twice",
        id="duplicate-key",
    ),
    pytest.param(
        GOOD.replace("format: careerladder/v1", "format: careerladder/v9"),
        1,
        "format",
        "must be 'careerladder/v1'",
        id="unknown-format",
    ),
    pytest.param(
        GOOD.replace(
            "    name: Individual contributor\n",
            "    name: Individual contributor\n    colour: red\n",
        ),
        14,
        "tracks[0].colour",
        "unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        GOOD.replace("  - key: scope\n", "  - key: Scope Area\n"),
        6,
        "dimensions[0].key",
        "not a valid key",
        id="bad-key",
    ),
    pytest.param("", None, None, "the file is empty", id="empty-file"),
    pytest.param(" \n\n", None, None, "the file is empty", id="blank-file"),
    pytest.param("hello: world\n", None, None, "not a ladder file of a known format", id="unknown"),
    pytest.param(
        GOOD.replace("name: Test ladder", "name: &x Test ladder").replace(
            "    name: Scope", "    name: *x"
        ),
        7,
        "dimensions[0].name",
        "anchors and aliases (& and *) are not supported",
        id="alias",
    ),
    pytest.param(
        "format: careerladder/v1\na: &x [*x]\n",
        2,
        "a[0]",
        "anchors and aliases",
        id="self-referencing-alias",
    ),
    pytest.param(
        GOOD.replace("      - code: L3", "      - code: " + "9" * 5000),
        15,
        "tracks[0].levels[0].code",
        "is 5000 characters long; the limit is 20",
        id="huge-number",
    ),
    pytest.param(
        GOOD.replace("name: Test ladder", 'name: "Test\\0ladder"'),
        2,
        "name",
        "contains a character that is not text",
        id="nul",
    ),
    pytest.param(
        GOOD.replace("name: Test ladder", 'name: "Test \\ud800"'),
        2,
        "name",
        "contains a character that is not text",
        id="lone-surrogate",
    ),
    pytest.param(
        GOOD.replace(
            "        expectations:\n          scope: Feature / small project\n",
            "        expectations: 0\n",
        ),
        17,
        "tracks[0].levels[0].expectations",
        "expected a mapping of dimension keys, found int",
        id="expectations-wrong-type",
    ),
    pytest.param(
        GOOD.replace(
            "        signals: [You write the design doc first]", "        signals: [yes, '']"
        ),
        30,
        "tracks[0].levels[1].signals[1]",
        "must not be empty",
        id="empty-signal",
    ),
    pytest.param(
        GOOD.replace("name: Test ladder", "name: !!binary aGVsbG8="),
        2,
        "name",
        "the YAML tag 'tag:yaml.org,2002:binary' is not supported here",
        id="unsupported-tag",
    ),
    pytest.param(
        GOOD + "#" * (600 * 1024),
        None,
        None,
        "the limit is 524288",
        id="file-too-large",
    ),
    pytest.param(
        GOOD.replace(
            "tracks:\n",
            "tracks:\n"
            + "".join(
                f"  - {{key: t{n}, name: T, levels: [{{code: A, name: A}}]}}\n" for n in range(501)
            ),
        ),
        11,
        "tracks",
        "lists 502 items; the limit is 500",
        id="too-many-items",
    ),
]


@pytest.mark.parametrize(("text", "line", "field", "message"), BAD_FILES)
def test_a_bad_file_gets_one_clear_message_and_changes_nothing(
    default_ladder, text, line, field, message
):
    before = database_state()

    with pytest.raises(LadderFileError) as raised:
        import_ladder_text(text, "bad.yaml", replace=True)

    error = raised.value
    assert message in str(error)
    assert str(error).startswith("bad.yaml")
    assert error.line == line
    if line is not None:
        assert f"line {line}" in str(error)
    if field is not None:
        assert error.field == field
        assert field in str(error)
    assert database_state() == before


def test_dropping_a_level_people_are_on_is_refused_whole(cast):
    """People sit on L3: a file that drops L3 is refused, and nothing else changes either."""
    text = export_ladder_yaml(Ladder.objects.get(slug="engineering"))
    text = text.replace("name: Engineering", "name: Renamed").replace("code: L3", "code: L3-new")
    before = database_state()

    with pytest.raises(LadderFileError) as raised:
        import_ladder_text(text, "engineering.yaml", replace=True)

    assert str(raised.value) == (
        "engineering.yaml, line 30, tracks[0].levels: the file leaves out level 'L3' of track "
        "'ic', which 1 person is placed on or aiming for (Owner); move them to another level first"
    )
    assert database_state() == before


def test_replacing_keeps_expectations_in_place(default_ladder):
    ids = set(Expectation.objects.values_list("pk", flat=True))
    text = export_ladder_yaml(default_ladder).replace("Service outage", "A service is down")

    import_ladder_text(text, "engineering.yaml", replace=True)

    assert set(Expectation.objects.values_list("pk", flat=True)) == ids
    assert Expectation.objects.filter(summary="A service is down").count() == 1


def test_numbers_and_dates_keep_the_text_written_in_the_file(db):
    text = (
        GOOD.replace("      - code: L3", "      - code: 010")
        .replace("      - code: L4", "      - code: 1.10")
        .replace("name: Test ladder", "name: 2026-11-22")
    )

    ladder = import_ladder_text(text, "numbers.yaml").ladder

    assert ladder.name == "2026-11-22"
    assert list(Level.objects.values_list("code", flat=True)) == ["010", "1.10"]


def test_replacing_keeps_people_on_their_levels(cast):
    text = export_ladder_yaml(Ladder.objects.get(slug="engineering"))
    text = text.replace("scope: Entire system / service", "scope: A whole system")

    import_ladder_text(text, "engineering.yaml", replace=True)

    cast.teammate.refresh_from_db()
    assert cast.teammate.current_level.code == "L4"
    assert cast.teammate.current_level.expectations.get(dimension__key="scope").summary == (
        "A whole system"
    )


def test_importing_an_existing_slug_without_replace_is_refused(default_ladder):
    before = database_state()
    text = export_ladder_yaml(default_ladder)

    with pytest.raises(LadderFileError, match="exists already") as raised:
        import_ladder_text(text, "engineering.yaml")

    assert (raised.value.line, raised.value.field) == (3, "slug")
    assert database_state() == before


def test_import_command_loads_a_file(db, tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)

    call_command("import_ladder", str(path))

    assert Ladder.objects.get(slug="test-ladder").tracks.get().levels.count() == 2


def test_import_command_reports_the_line_and_field(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("      - code: L4", "      - code: L3"))

    with pytest.raises(CommandError) as raised:
        call_command("import_ladder", str(path))

    assert str(raised.value) == (
        f"{path}, line 19, tracks[0].levels[1].code: duplicate level code 'L3' in track 'ic'"
    )
    assert not Ladder.objects.exists()


def test_import_command_replace_flag_updates_in_place(db, tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    call_command("import_ladder", str(path))
    path.write_text(GOOD.replace("name: Test ladder", "name: Renamed ladder"))

    with pytest.raises(CommandError, match="exists already"):
        call_command("import_ladder", str(path))
    call_command("import_ladder", str(path), "--replace")

    assert Ladder.objects.get(slug="test-ladder").name == "Renamed ladder"
    assert Ladder.objects.count() == 1


def test_import_command_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_ladder", str(tmp_path / "nowhere.yaml"))


def test_export_command_writes_a_file_that_imports_back(default_ladder, tmp_path):
    path = tmp_path / "out.yaml"

    call_command("export_ladder", "engineering", "-o", str(path))

    assert parse_ladder(path.read_text()) == parse_ladder(export_ladder_yaml(default_ladder))


def test_export_command_refuses_an_unknown_slug(default_ladder):
    with pytest.raises(CommandError, match="No ladder with slug 'nope'"):
        call_command("export_ladder", "nope")
