"""The import page: each field's help and errors are the elements its aria-describedby names,
with the form fresh and with errors on it; no id twice."""

from ..people.html_ids import id_problems, references
from .test_upload import UPLOAD, upload


def test_the_fresh_form_names_only_elements_it_has(client, cast):
    client.force_login(cast.staff)

    html = client.get(UPLOAD).text

    assert id_problems(html) == []
    assert references(html, "aria-describedby") == [
        "id_file_helptext",
        "id_format_helptext",
        "id_replace_helptext",
    ]


def test_a_refused_file_is_named_by_the_file_field(client, cast):
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {"file": upload("bad.yaml", "format: careerladder/v1\n")})

    assert response.status_code == 400
    assert id_problems(response.text) == []
    assert "id_file_error" in references(response.text, "aria-describedby")


def test_no_file_and_an_unknown_format_are_named_by_their_fields(client, cast):
    client.force_login(cast.staff)

    response = client.post(UPLOAD, {"format": "nope"})

    assert response.status_code == 400
    assert id_problems(response.text) == []
    described = set(references(response.text, "aria-describedby"))
    assert {"id_file_error", "id_format_error", "id_format_helptext"} <= described
