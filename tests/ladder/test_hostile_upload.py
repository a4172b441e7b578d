"""Hostile ladder files: nested a thousand deep, or with bidirectional controls in a name, a key
or a criterion. Each format, through the upload page and through `import_ladder`: one clear
message naming the line and the field, never a 500 or a traceback, and nothing imported."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ladder.forms import LadderUploadForm
from ladder.importers import read_ladder
from ladder.ladder_file import MAX_DEPTH
from ladder.spec import LadderFileError

from .test_import_ft import CRAFTED as FT
from .test_import_monzo import CRAFTED as MONZO
from .test_ladder_file import GOOD, database_state

UPLOAD = "/ladder/import/"
RLO = "\u202e"
DEEP = "[" * 900 + "]" * 900
# Block style costs a line per level: 60 deep is deep enough, and small.
DEEP_BLOCK = "extra:\n" + "".join(f"{'  ' * n}-\n" for n in range(1, 61)) + "  " * 61 + "x\n"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (format, file name, a deep file, the line and the field the message names)
DEEP_FILES = [
    pytest.param(
        "careerladder/v1",
        "deep.yaml",
        GOOD.replace("holds_back: [Avoiding", f"holds_back: [{DEEP}, Avoiding"),
        line_of(GOOD, "holds_back"),
        "tracks[0].levels[1].holds_back[0]",
        id="careerladder-v1",
    ),
    pytest.param(
        "careerladder/v1",
        "deep-block.yaml",
        GOOD + DEEP_BLOCK,
        line_of(GOOD, "holds_back") + 2 + 19,  # where the 20th list opens
        "extra" + "[0]" * 19,
        id="careerladder-v1-block-style",
    ),
    pytest.param(
        "monzo",
        "deep.md",
        MONZO.replace('criteria: ["Designs pipelines"]', f"criteria: [{DEEP}]"),
        line_of(MONZO, "Designs pipelines"),
        "topics[0].content[1].criteria[0]",
        id="monzo-front-matter",
    ),
    pytest.param(
        "ft",
        "deep.yml",
        FT.replace("    weight: 3\n", f"    weight: {DEEP}\n"),
        None,
        "competencies[2].weight",
        id="financial-times",
    ),
]


def upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="application/yaml")


@pytest.fixture
def staff_client(client, cast):
    client.force_login(cast.staff)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(("format", "name", "text", "line", "field"), DEEP_FILES)
def test_a_deeply_nested_file_is_refused_by_the_reader(format, name, text, line, field):
    with pytest.raises(LadderFileError) as raised:
        read_ladder(text, name, format=format)

    error = raised.value
    assert f"nested more than {MAX_DEPTH} deep" in str(error)
    assert error.line is not None
    if line is not None:
        assert error.line == line
    if field is not None:
        assert error.field.startswith(field)
        assert field in str(error)


@pytest.mark.parametrize(("format", "name", "text", "line", "field"), DEEP_FILES)
def test_a_deeply_nested_upload_is_refused_on_the_page(
    staff_client, format, name, text, line, field
):
    before = database_state()

    response = staff_client.post(UPLOAD, {"file": upload(name, text)})

    assert response.status_code == 400
    assert "nested too deeply" in response.text
    assert f"{name}, line " in response.text
    assert database_state() == before


@pytest.mark.parametrize(("format", "name", "text", "line", "field"), DEEP_FILES)
def test_a_deeply_nested_upload_with_the_format_forced_is_refused(
    staff_client, format, name, text, line, field
):
    before = database_state()

    response = staff_client.post(UPLOAD, {"file": upload(name, text), "format": format})

    assert response.status_code == 400
    assert "nested too deeply" in response.text
    assert database_state() == before


@pytest.mark.parametrize(("format", "name", "text", "line", "field"), DEEP_FILES)
def test_import_ladder_refuses_a_deep_file_with_one_message(
    tmp_path: Path, default_ladder, format, name, text, line, field
):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = database_state()

    with pytest.raises(CommandError) as raised:
        call_command("import_ladder", str(path))

    message = str(raised.value)
    assert message.startswith(f"{path}, line ")
    assert "nested too deeply" in message
    assert "Traceback" not in message
    # Raised `from None`: nothing chained for manage.py to print as a traceback.
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__
    assert database_state() == before


def test_nesting_at_the_limit_is_still_read():
    """Depth alone is not refused below the limit: the reader's own error is what comes."""
    # The root, tracks, a track, levels, a level and holds_back are six already.
    inside = "[" * (MAX_DEPTH - 6) + "x" + "]" * (MAX_DEPTH - 6)
    text = GOOD.replace("holds_back: [Avoiding", f"holds_back: [{inside}, Avoiding")

    with pytest.raises(LadderFileError) as raised:
        read_ladder(text, "edge.yaml")

    assert "expected text, found a list" in str(raised.value)


# Bidirectional controls ---------------------------------------------------------------------

BIDI_FILES = [
    pytest.param(
        GOOD.replace("name: Test ladder", f"name: Test{RLO} ladder"), 2, "name", id="v1-ladder-name"
    ),
    pytest.param(
        GOOD.replace("slug: test-ladder", f"slug: test{RLO}-ladder"), 3, "slug", id="v1-slug"
    ),
    pytest.param(
        GOOD.replace("key: scope", f"key: sc{RLO}ope"),
        6,
        "dimensions[0].key",
        id="v1-dimension-key",
    ),
    pytest.param(
        GOOD.replace("name: Autonomy", f"name: Auto{RLO}nomy"),
        9,
        "dimensions[1].name",
        id="v1-dimension-name",
    ),
    pytest.param(GOOD.replace("key: ic", f"key: i{RLO}c"), 12, "tracks[0].key", id="v1-track-key"),
    pytest.param(
        GOOD.replace("name: Individual", "name: \u2066Individual"),
        13,
        "tracks[0].name",
        id="v1-track-name",
    ),
    pytest.param(
        GOOD.replace("code: L3", f"code: L{RLO}3"),
        15,
        "tracks[0].levels[0].code",
        id="v1-level-code",
    ),
    pytest.param(
        GOOD.replace("name: Senior", f"name: Sen{RLO}ior"),
        20,
        "tracks[0].levels[1].name",
        id="v1-level-name",
    ),
    pytest.param(
        GOOD.replace("You write the design doc before", f"You write the {RLO}design doc before"),
        27,
        "tracks[0].levels[1].expectations.autonomy.criteria[0]",
        id="v1-criterion",
    ),
    pytest.param(
        GOOD.replace("another]", f"ano{RLO}ther]"),
        29,
        "tracks[0].levels[1].expectations.autonomy.criteria[1].examples[1]",
        id="v1-example",
    ),
]


@pytest.mark.parametrize(("text", "line", "field"), BIDI_FILES)
def test_bidi_controls_in_a_ladder_file_are_refused_naming_the_line(text, line, field):
    with pytest.raises(LadderFileError) as raised:
        read_ladder(text, "bidi.yaml")

    error = raised.value
    assert "change the text's direction" in str(error)
    assert (error.line, error.field) == (line, field)
    assert f"bidi.yaml, line {line}, {field}:" in str(error)


@pytest.mark.parametrize(
    ("format", "text", "field"),
    [
        pytest.param(
            "monzo",
            MONZO.replace("Writes SQL", f"Writes {RLO}SQL"),
            "topics[0].content[0].criteria[0]",
            id="monzo-criterion",
        ),
        pytest.param(
            "monzo",
            MONZO.replace('title: "🤝', f'title: "{RLO}🤝'),
            "topics[1].title",
            id="monzo-topic-title",
        ),
        pytest.param(
            "ft",
            FT.replace("name: Senior analyst", f"name: Senior{RLO} analyst"),
            "levels[1].name",
            id="ft-level-name",
        ),
        pytest.param(
            "ft", FT.replace("- id: impact", f"- id: imp{RLO}act"), "themes[1].id", id="ft-theme-id"
        ),
        pytest.param(
            "ft",
            FT.replace("Checks their numbers.", f"Checks {RLO}their numbers."),
            "competencies[1].summary",
            id="ft-criterion",
        ),
    ],
)
def test_bidi_controls_are_refused_in_every_format(format, text, field):
    with pytest.raises(LadderFileError) as raised:
        read_ladder(text, "bidi-file", format=format)

    assert "change the text's direction" in str(raised.value)
    assert raised.value.field == field
    assert raised.value.line is not None


def test_a_name_made_from_the_file_name_is_checked_too():
    """A Monzo file without a title is named after its file: that name is a text of the ladder."""
    text = MONZO.replace('title: "  ⭐️ Ingeniería de Datos  "\n', "")

    with pytest.raises(LadderFileError) as raised:
        read_ladder(text, f"frameworks/data{RLO}dm.md", format="monzo")

    assert raised.value.field == "name"
    assert "change the text's direction" in str(raised.value)


def test_an_upload_with_a_bidi_control_is_refused_on_the_field(staff_client):
    before = database_state()

    response = staff_client.post(UPLOAD, {"file": upload("bidi.yaml", BIDI_FILES[3].values[0])})

    assert response.status_code == 400
    assert "bidi.yaml, line 9, dimensions[1].name: contains invisible characters" in response.text
    assert database_state() == before


def test_a_file_name_with_a_bidi_control_is_refused_on_the_field(db):
    """Django's upload parser drops such characters from a posted name; the form does not
    count on it, since the name is quoted in every message about the file."""
    form = LadderUploadForm({}, {"file": upload(f"ladder{RLO}lmay.yaml", GOOD)})

    assert not form.is_valid()
    assert form.errors["file"] == [
        "The file name: Remove the invisible characters that change the text's direction "
        "(such as U+202E): they can make it read differently from what it says."
    ]


def test_a_posted_file_name_never_shows_the_control(staff_client):
    response = staff_client.post(UPLOAD, {"file": upload(f"ladder{RLO}lmay.yaml", "x: [")})

    assert response.status_code == 400
    assert RLO not in response.text


def test_import_ladder_refuses_bidi_controls_with_one_message(tmp_path: Path, db):
    path = tmp_path / "bidi.yaml"
    path.write_text(BIDI_FILES[0].values[0], encoding="utf-8")

    with pytest.raises(CommandError, match=r"line 2, name: contains invisible characters"):
        call_command("import_ladder", str(path))

    assert database_state()[0] == []
