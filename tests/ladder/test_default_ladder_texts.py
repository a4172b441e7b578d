"""The default ladder's texts: quotation marks that open and close, and the correction brought
to an installation that loaded the ladder before it was fixed."""

import pytest
from django.core.management import call_command

from ladder.ladder_file import parse_ladder
from ladder.models import Expectation, LadderVersion, VersionSource
from ladder.services import (
    DEFAULT_LADDER_ERRATA,
    DEFAULT_LADDER_FILE,
    correct_default_ladder,
    record_version,
)

SHIPPED = DEFAULT_LADDER_ERRATA[0][3]
CORRECTED = "\u201cWe don\u2019t even know the question yet\u201d"


def default_texts() -> list[tuple[str, str]]:
    text = DEFAULT_LADDER_FILE.read_text(encoding="utf-8")
    return list(parse_ladder(text, DEFAULT_LADDER_FILE.name).texts())


def test_no_text_of_the_default_ladder_opens_with_a_closing_mark():
    opening_with_a_closing_mark = [
        (path, text) for path, text in default_texts() if text.startswith(("\u201d", "\u2019"))
    ]

    assert opening_with_a_closing_mark == []


def test_every_quotation_of_the_default_ladder_is_opened_and_closed():
    unbalanced = [
        (path, text)
        for path, text in default_texts()
        if text.count("\u201c") != text.count("\u201d")
    ]

    assert unbalanced == []


def ambiguity_at_principal() -> Expectation:
    return Expectation.objects.get(
        level__track__key="ic", level__code="L6+", dimension__key="ambiguity"
    )


@pytest.fixture
def loaded_before_the_fix(default_ladder):
    """An installation that loaded the default ladder as it first shipped."""
    Expectation.objects.filter(pk=ambiguity_at_principal().pk).update(summary=SHIPPED)
    default_ladder.versions.all().delete()
    record_version(default_ladder, via=VersionSource.DEFAULT)
    return default_ladder


def test_the_level_map_shows_the_quotation_as_the_guide_means_it(client, cast):
    client.force_login(cast.owner)

    html = client.get("/ladder/engineering/ic/").text

    assert "\u201cWe don\u2019t even know the question yet\u201d" in html
    assert "\u201dWe don" not in html


def test_an_installation_loaded_before_the_fix_gets_it_as_a_new_version(loaded_before_the_fix):
    ladder = loaded_before_the_fix

    version = correct_default_ladder()

    assert version is not None
    assert (version.number, version.source) == (2, VersionSource.DEFAULT)
    assert ambiguity_at_principal().summary == CORRECTED
    # The past keeps what it said, for the assessments made on it.
    first = LadderVersion.objects.get(ladder=ladder, number=1)
    assert SHIPPED in str(first.content)
    assert CORRECTED in str(version.content)


def test_the_command_run_at_every_start_brings_the_fix_once(loaded_before_the_fix, capsys):
    call_command("load_default_ladder")
    assert "Corrected the default ladder's texts: version 2." in capsys.readouterr().out

    call_command("load_default_ladder")
    assert "nothing to do" in capsys.readouterr().out
    assert loaded_before_the_fix.versions.count() == 2


def test_a_text_someone_changed_since_is_left_as_it_is(loaded_before_the_fix):
    Expectation.objects.filter(pk=ambiguity_at_principal().pk).update(summary="Our own words")

    assert correct_default_ladder() is None
    assert ambiguity_at_principal().summary == "Our own words"


def test_a_fresh_installation_needs_no_correction(default_ladder):
    assert correct_default_ladder() is None
    assert default_ladder.versions.count() == 1


def test_without_the_default_ladder_there_is_nothing_to_correct(db):
    assert correct_default_ladder() is None
