"""The ladder file formats page: docs/ladder-format.md, rendered in the app for everyone signed
in, and linked from the import page."""

import re

import pytest
from django.urls import resolve, reverse

from careerladder import docs
from careerladder.docs import render_doc_text

from ..people.html_ids import id_problems

URL = "/ladder/-/format/"


def test_it_has_a_name_and_no_ladder_can_take_its_address(db):
    assert reverse("ladder:format") == URL
    assert resolve(URL).url_name == "format"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(URL)["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider", "staff"])
def test_everyone_signed_in_reads_the_doc(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.get(URL)

    assert response.status_code == 200
    html = response.text
    assert (
        "<h1>Ladder files: <code>careerladder/v1</code>, Monzo and the Financial Times</h1>" in html
    )
    assert "<h2>Monzo's framework Markdown</h2>" in html
    assert "<th>name for <code>--format</code></th>" in html
    assert "format: careerladder/v1          # required, always this value" in html
    assert id_problems(html) == []


def test_staff_get_a_way_back_to_the_import_page_and_others_do_not(client, cast):
    client.force_login(cast.staff)
    assert 'href="/ladder/import/"' in client.get(URL).text.split('<main id="main"')[1]

    client.force_login(cast.owner)
    assert 'href="/ladder/import/"' not in client.get(URL).text


def test_it_is_read_only(client, cast):
    client.force_login(cast.staff)

    assert client.post(URL).status_code == 405


def test_the_import_page_links_to_it(client, cast):
    client.force_login(cast.staff)

    html = client.get("/ladder/import/").text

    assert f'<a href="{URL}">ladder file formats</a>' in html
    assert "docs/ladder-format.md" not in html


def test_links_to_files_of_the_repository_keep_their_text_and_lose_their_target(client, cast):
    client.force_login(cast.owner)

    html = client.get(URL).text

    assert "<code>ladder/defaults/engineering.yaml</code></a>" in html
    assert "../ladder/defaults" not in html


def test_tables_scroll_in_their_own_box_named_by_their_headings(client, cast):
    client.force_login(cast.owner)

    html = client.get(URL).text

    boxes = re.findall(
        r'<div class="doc-table" role="region" aria-label="([^"]*)" tabindex="0">', html
    )
    assert boxes == [
        "Table: format, what it is, name for --format",
        "Table: where, key, required, what it is",
    ]
    assert html.count("<table>") == 2


def test_two_tables_with_the_same_headings_get_different_names():
    table = "| a & b | c |\n| --- | --- |\n| 1 | 2 |\n\n"

    html = render_doc_text(table + table)

    assert re.findall(r'aria-label="([^"]*)"', html) == [
        "Table: a &amp; b, c",
        "Table: a &amp; b, c (2)",
    ]


def test_a_missing_doc_is_a_clear_404_not_a_500(client, cast, monkeypatch, tmp_path):
    monkeypatch.setattr(docs, "DOCS_DIR", tmp_path)
    client.force_login(cast.owner)

    response = client.get(URL)

    assert response.status_code == 404


def test_the_doc_is_read_again_when_it_changes(client, cast, monkeypatch, tmp_path):
    monkeypatch.setattr(docs, "DOCS_DIR", tmp_path)
    doc = tmp_path / "ladder-format.md"
    client.force_login(cast.owner)

    doc.write_text("# First\n", encoding="utf-8")
    assert "<h1>First</h1>" in client.get(URL).text
    # Another size: the two writes may fall within one tick of the file system's clock.
    doc.write_text("# Second, longer\n", encoding="utf-8")
    assert "<h1>Second, longer</h1>" in client.get(URL).text


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<p style="color: red" onclick="alert(1)">styled</p>',
        '<iframe src="https://example.org"></iframe>',
    ],
)
def test_markup_in_a_doc_is_rendered_inert(markdown):
    html = render_doc_text(markdown)

    assert not re.search(r"<(script|img|iframe)|onerror|onclick|style=|javascript:", html)


def test_a_doc_keeps_the_markup_it_needs():
    html = render_doc_text(
        "## Keys\n\n| a | b |\n| --- | --- |\n| `x` | [web](https://example.org) |\n"
    )

    assert "<h2>Keys</h2>" in html
    assert "<td><code>x</code></td>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">web</a>' in html
