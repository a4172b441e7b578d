"""Descriptions of ladders, tracks and dimensions on the level map: safe Markdown under the page's
own headings, plain text with its line breaks kept, hostile text inert, each text rendered once."""

import re
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careerladder import docs
from careerladder.docs import RenderedDescriptions, render_description
from ladder.models import Dimension, Ladder, Track

from ..factories import (
    DimensionFactory,
    ExpectationFactory,
    LadderFactory,
    LevelFactory,
    TrackFactory,
)

MONZO = Path(__file__).parents[1] / "fixtures" / "frameworks" / "monzo" / "backend.md"
HEADING = re.compile(r"<h([1-6])[\s>]")
HOSTILE = (
    "<script>alert('ladder')</script>\n\n"
    '[click](javascript:alert(1)) <a href="javascript:alert(2)">raw</a>\n\n'
    '<img src=x onerror="alert(3)"> <iframe src="https://example.com/"></iframe>\n\n'
    '<div style="color: red" onclick="alert(4)">styled</div>\n\n'
    '<h1 class="takeover">Owned</h1>\n\n'
    "[relative](/admin/) [fine](https://example.com/docs)"
)


@pytest.fixture(autouse=True)
def fresh_cache():
    docs.rendered_descriptions.clear()
    yield
    docs.rendered_descriptions.clear()


def outline_problems(html: str) -> list[str]:
    """Where a heading is more than one level below the one before it (axe's heading-order)."""
    levels = [int(level) for level in HEADING.findall(html)]
    return [
        f"h{before} then h{after}"
        for before, after in zip([0, *levels], levels, strict=False)
        if after > before + 1
    ]


def ladder_with(slug: str, *, description: str = "", dimension: str = "", track: str = "") -> str:
    """A ladder with one track, level and expectation and these descriptions; its map's URL."""
    ladder: Ladder = LadderFactory.create(slug=slug, description=description)
    the_track: Track = TrackFactory.create(ladder=ladder, description=track)
    the_dimension: Dimension = DimensionFactory.create(ladder=ladder, description=dimension)
    ExpectationFactory.create(level=LevelFactory.create(track=the_track), dimension=the_dimension)
    return f"/ladder/{slug}/{the_track.key}/"


def test_staff_import_monzos_framework_and_its_intro_reads_as_text(client, cast):
    client.force_login(cast.staff)
    upload = SimpleUploadedFile("backend.md", MONZO.read_bytes(), content_type="text/markdown")
    imported = client.post("/ladder/import/", {"file": upload}, follow=True)
    slug = imported.redirect_chain[-1][0].strip("/").split("/")[-1]
    client.force_login(cast.owner)

    html = client.get(f"/ladder/{slug}/").text

    assert "###" not in html
    assert "<h2>About our engineering progression frameworks</h2>" in html
    assert "<li>make development and career plans</li>" in html
    assert "<li>Comms &amp; Feedback - How you interact with others</li>" in html
    assert outline_problems(html) == []


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_the_default_ladders_plain_descriptions_keep_their_line_breaks(client, cast, role):
    client.force_login(getattr(cast, role))

    html = client.get("/ladder/engineering/ic/").text

    assert '<div class="lede prose"><p>Your career is not a ladder.' in html
    assert "your organization.<br>\nLevels are about impact" in html
    assert "Staff, Principal, Distinguished, Fellow.<br>\nPrimary lever:" in html
    assert "prewrap" not in html.split("<footer")[0]


def test_hostile_descriptions_come_out_inert(client, cast):
    url = ladder_with("hostile", description=HOSTILE, dimension=HOSTILE, track=HOSTILE)
    client.force_login(cast.owner)

    response = client.get(url)

    html = response.text
    assert response.status_code == 200
    assert html.count("Owned") == 3  # the text of the raw heading stays, as text
    for inert in ("alert(", "javascript:", "onerror", "onclick", "<iframe", 'style="', "takeover"):
        assert inert not in html
    assert '<a href="/admin/"' not in html
    assert '<a href="https://example.com/docs" rel="noopener noreferrer">fine</a>' in html
    assert outline_problems(html) == []


def test_headings_in_a_dimensions_description_become_bold_lines_in_its_row(client, cast):
    url = ladder_with("rows", dimension="## Why it matters\nBecause.")
    client.force_login(cast.owner)

    html = client.get(url).text

    assert (
        '<div class="dimension-description prose"><p><strong>Why it matters</strong></p>\n'
        "<p>Because.</p></div>"
    ) in html


@pytest.mark.parametrize(
    "text",
    [
        "[" * 200_000,
        "- " * 5_000 + "x",
        "<" * 300_000,
        "[a](b " * 3_000,
        ("[ " * 99 + "\n\n") * 480,
        "word " * 100_000,
    ],
    ids=["brackets", "nested-lists", "angles", "open-links", "many-blocks", "huge"],
)
def test_text_the_renderer_would_choke_on_is_shown_plain_and_fast(text):
    started = time.perf_counter()

    html = render_description(text)

    assert time.perf_counter() - started < 2
    assert html.startswith("<p>")
    assert "<a" not in html
    assert "<<" not in html


def test_a_hostile_huge_description_still_gives_a_map(client, cast):
    url = ladder_with("huge", description="<script>x</script>" * 20_000)
    client.force_login(cast.owner)

    response = client.get(url)

    assert response.status_code == 200
    assert "<script>x" not in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("### A\n\n### B", [2, 2]),
        ("# A\n\n## B\n\n### C", [2, 3, 4]),
        ("#### A\n\n# B", [2, 2]),
        ("# A\n\n#### B\n\n## C\n\n###### D", [2, 3, 3, 4]),
        ("# A\n\n## B\n\n### C\n\n#### D\n\n##### E\n\n###### F", [3, 4, 5, 6, 6, 6]),
    ],
)
def test_headings_move_under_the_page_and_never_skip_a_level(text, levels):
    html = render_description(text, levels[0])

    assert [int(level) for level in HEADING.findall(html)] == levels
    page = "".join(f"<h{level}>" for level in range(1, levels[0]))
    assert outline_problems(page + html) == []


def test_a_list_right_under_a_line_of_text_is_a_list_and_code_is_left_alone():
    html = render_description("Helps with:\n- plans\n- pay\n\n```\nnot:\n- a list\n```")

    assert "<p>Helps with:</p>\n<ul>\n<li>plans</li>\n<li>pay</li>\n</ul>" in html
    assert "<pre><code>not:\n- a list\n</code></pre>" in html


def test_each_text_is_rendered_once_and_shared():
    first = docs.rendered_descriptions.get("Same **text**", 2)

    assert first == "<p>Same <strong>text</strong></p>"
    assert docs.rendered_descriptions.get("Same **text**", 2) is first
    assert render_description("Same **text**") == first
    assert len(docs.rendered_descriptions) == 1
    render_description("Same **text**", None)
    assert len(docs.rendered_descriptions) == 2


def test_the_cache_keeps_only_the_most_recently_used_texts():
    cache = RenderedDescriptions(2)
    one = cache.get("one", 2)
    two = cache.get("two", 2)
    assert cache.get("one", 2) is one
    cache.get("three", 2)

    assert len(cache) == 2
    assert cache.get("one", 2) is one
    assert cache.get("two", 2) is not two  # dropped, so rendered again


def test_an_empty_description_renders_nothing():
    assert render_description("") == ""
    assert render_description("  \n ") == ""
    assert len(docs.rendered_descriptions) == 0
