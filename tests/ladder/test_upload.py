"""Importing a ladder from the upload page: staff only, same checks as the command."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ladder.models import Ladder

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
    assert "Only staff can import a ladder." in response.text
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
