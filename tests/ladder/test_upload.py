"""Importing a ladder from the upload page: staff only, same checks as the command."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from ladder.models import Ladder
from ladder.services import export_ladder_yaml

from .test_ladder_file import GOOD, database_state

UPLOAD = "/ladder/import/"


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/yaml")


def test_anonymous_visitors_are_sent_to_sign_in(client, default_ladder):
    assert client.get(UPLOAD)["Location"] == "/accounts/login/?next=/ladder/import/"


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_people_who_are_not_staff_are_refused(client, cast, role):
    client.force_login(getattr(cast, role))
    before = database_state()

    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, {"file": upload("good.yaml", GOOD)})

    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.text
    assert database_state() == before


def test_staff_see_the_form_and_the_ladders(client, cast):
    client.force_login(cast.staff)

    response = client.get(UPLOAD)

    assert response.status_code == 200
    assert 'type="file"' in response.text
    assert "<code>engineering</code>" in response.text


def test_staff_import_a_good_file_and_land_on_its_map(client, cast):
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {"file": upload("good.yaml", GOOD)}, follow=True)

    ladder = Ladder.objects.get(slug="test-ladder")
    assert response.redirect_chain == [("/ladder/test-ladder/", 302)]
    assert "Imported “Test ladder”: version 1 of its ladder." in response.text
    assert "Entire system / service" in response.text
    assert ladder.tracks.get().levels.count() == 2


def test_a_bad_file_is_answered_on_the_field_and_changes_nothing(client, cast):
    client.force_login(cast.staff)
    before = database_state()

    response = client.post(
        UPLOAD, {"file": upload("bad.yaml", GOOD.replace("      - code: L4", "      - code: L3"))}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "bad.yaml, line 19, tracks[0].levels[1].code: duplicate level code 'L3' in track 'ic'"
    ]
    assert "The ladder was not imported; nothing changed." in response.text
    assert database_state() == before


def test_an_existing_slug_needs_replace(client, cast):
    client.force_login(cast.staff)
    client.post(UPLOAD, {"file": upload("good.yaml", GOOD)})
    renamed = GOOD.replace("name: Test ladder", "name: Renamed")

    refused = client.post(UPLOAD, {"file": upload("good.yaml", renamed)})
    assert "exists already" in refused.context["form"].errors["file"][0]
    assert Ladder.objects.get(slug="test-ladder").name == "Test ladder"

    client.post(UPLOAD, {"file": upload("good.yaml", renamed), "replace": "on"})
    assert Ladder.objects.get(slug="test-ladder").name == "Renamed"


def test_no_file_is_refused(client, cast):
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["This field is required."]


def test_a_file_that_is_not_utf8_is_refused(client, cast):
    client.force_login(cast.staff)
    before = database_state()

    response = client.post(
        UPLOAD, {"file": upload("latin.yaml", "name: Caf\xe9".encode("latin-1"))}
    )

    assert response.context["form"].errors["file"] == ["latin.yaml: the file is not UTF-8 text."]
    assert database_state() == before


def test_a_file_over_the_limit_is_refused(client, cast, settings):
    settings.LADDER_UPLOAD_MAX_BYTES = 1024
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {"file": upload("big.yaml", GOOD + "#" * 2000)})

    assert response.context["form"].errors["file"] == ["The file is larger than 1 KB."]
    assert not Ladder.objects.filter(slug="test-ladder").exists()


FRAMEWORKS = Path(__file__).resolve().parents[1] / "fixtures" / "frameworks"
MONZO = (FRAMEWORKS / "monzo" / "backend.md").read_text(encoding="utf-8")
FT = (FRAMEWORKS / "financial-times" / "engineering.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "slug", "fmt"),
    [
        ("backend.md", MONZO, "monzo-backend", "monzo"),
        ("engineering.yml", FT, "ft-engineering", "ft"),
        ("good.yaml", GOOD, "test-ladder", "careerladder/v1"),
    ],
)
def test_staff_import_each_format_detected_from_the_content(client, cast, name, text, slug, fmt):
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {"file": upload(name, text)}, follow=True)

    ladder = Ladder.objects.get(slug=slug)
    assert response.redirect_chain == [(f"/ladder/{slug}/", 302)]
    assert (ladder.source_format, ladder.source_name) == (fmt, name)
    version = ladder.versions.get()
    assert (version.created_by, version.source) == (cast.staff, "upload")


def test_staff_can_force_the_format(client, cast):
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {"file": upload("backend.md", MONZO), "format": "ft"})

    assert response.status_code == 400
    assert "backend.md, line" in response.text
    assert not Ladder.objects.filter(slug="monzo-backend").exists()


def test_a_format_that_does_not_exist_is_refused_on_the_field(client, cast):
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {"file": upload("good.yaml", GOOD), "format": "excel"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_importing_the_same_file_again_makes_no_version(client, cast):
    client.force_login(cast.staff)
    client.post(UPLOAD, {"file": upload("backend.md", MONZO)})

    response = client.post(
        UPLOAD, {"file": upload("backend.md", MONZO), "replace": "on"}, follow=True
    )

    assert "has the same content already: no new version was made" in response.text
    assert Ladder.objects.get(slug="monzo-backend").versions.count() == 1


MONZO_WITHOUT_TOPICS = "---\ntitle: Backend\nlevels: 3\n---\nBody\n"
FT_UNKNOWN_THEME = FT.replace("theme: technical\n", "theme: astrology\n", 1)
FT_UNKNOWN_LEVEL = FT.replace("level: junior\n", "level: intern\n", 1)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bad.md", "---\ntitle: [unclosed\n---\n", "bad.md, line 3: this is not valid YAML"),
        ("bad.md", "---\ntitle: x\ntopics:\n\t- name: a\n---\n", "a tab in the indentation"),
        ("bad.md", MONZO_WITHOUT_TOPICS, "topics"),
        ("bad.yml", FT_UNKNOWN_THEME, "competencies["),
        ("bad.yml", FT_UNKNOWN_LEVEL, ".level"),
        ("bad.yaml", GOOD.replace("code: L4", "code: L3"), "duplicate level code 'L3'"),
        ("bad.yaml", GOOD.replace("key: autonomy", "key: scope"), "duplicate dimension key"),
        ("bad.csv", "name,level\nAda,L3\n", "not a ladder file of a known format"),
        ("bad.yaml", " \n", "bad.yaml: the file is empty"),
        ("deep.yaml", "format: careerladder/v1\nname: " + "[" * 900 + "]" * 900, "bad"),
    ],
    ids=[
        "front-matter",
        "tab",
        "monzo-no-topics",
        "ft-theme",
        "ft-level",
        "dup-level",
        "dup-dimension",
        "unknown",
        "empty",
        "deep",
    ],
)
def test_every_bad_file_is_named_and_changes_nothing(client, cast, name, text, expected):
    client.force_login(cast.staff)
    before = database_state()

    response = client.post(UPLOAD, {"file": upload(name, text), "replace": "on"})

    assert response.status_code == 400
    assert "The ladder was not imported; nothing changed." in response.text
    assert f"{name}:" in response.text or f"{name}, line" in response.text
    if expected != "bad":
        assert escape(expected) in response.text
    assert database_state() == before


def test_a_replace_that_drops_an_occupied_level_names_who(client, cast):
    client.force_login(cast.staff)
    text = export_ladder_yaml(Ladder.objects.get(slug="engineering"))
    start, end = text.index("      - code: L3"), text.index("      - code: L4")
    before = database_state()

    response = client.post(
        UPLOAD, {"file": upload("e.yaml", text[:start] + text[end:]), "replace": "on"}
    )

    assert response.status_code == 400
    assert "which 1 person is placed on or aiming for (Owner)" in response.text
    assert database_state() == before
