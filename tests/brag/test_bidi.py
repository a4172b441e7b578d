"""Bidirectional controls (U+202E and its kin) and look-alike link hosts: refused with a
message on the field, nothing saved; in Markdown they are stripped when rendered."""

import pytest
from django.urls import reverse

from brag.forms import BragFilterForm, ExportForm
from brag.markdown import render_markdown
from brag.models import BragEntry, Goal
from brag.team_forms import TeamRangeForm
from careerladder.text import BIDI_MESSAGE

from ..factories import BragEntryFactory

HTMX = {"HX-Request": "true"}
RLO = "\u202e"
CONTROLS = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]


def entry_data(**values: str) -> dict[str, str]:
    return {"title": "Cut the build time", "category": "projects", "impact": "20 to 8 min"} | values


def state() -> list:
    return list(BragEntry.objects.values_list("title", "impact", "role", "skills", "links"))


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("field", ["title", "impact", "role", "skills"])
def test_quick_add_refuses_a_bidi_control_on_the_field(client, cast, field, control):
    client.force_login(cast.owner)

    response = client.post(
        reverse("brag:add"), entry_data(**{field: f"Shipped {control}gpj.exe"}), headers=HTMX
    )

    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors[field] == [BIDI_MESSAGE]
    assert not BragEntry.objects.exists()


def test_the_plain_form_post_says_so_too(client, cast):
    client.force_login(cast.owner)

    response = client.post(reverse("brag:add"), entry_data(title=f"Rev{RLO}iew"))

    assert response.status_code == 422
    assert "Remove the invisible characters" in response.text
    assert not BragEntry.objects.exists()


def test_the_right_to_left_marks_people_write_are_kept(client, cast):
    client.force_login(cast.owner)

    client.post(reverse("brag:add"), entry_data(title="שלום\u200f world"), headers=HTMX)

    assert BragEntry.objects.get().title == "שלום\u200f world"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (f"https://exa{RLO}elpm.com/", BIDI_MESSAGE),
        (f"https://example.com/{RLO}fdp.exe", BIDI_MESSAGE),
        ("https://exa\u200dmple.com/", "its host has invisible characters"),
        ("https://ex\u00adample.com/", "its host has invisible characters"),
        ("https://\u0430pple.com/", "mixes Latin letters with look-alike ones"),
        ("https://xn--pple-43d.com/", "mixes Latin letters with look-alike ones"),
        ("https://xn--zz.com/", "not a name a browser can look up"),
        ("javascript:alert(1)", "is not an http:// or https:// address"),
    ],
)
def test_a_link_whose_host_could_read_as_another_is_refused(client, cast, link, message):
    client.force_login(cast.owner)

    response = client.post(
        reverse("brag:add"),
        entry_data(links=f"https://example.org/fine\n{link}"),
        headers=HTMX,
    )

    assert response.status_code == 422
    [error] = response.context["form"].errors["links"]
    assert error.startswith("Link 2")
    assert message in error
    assert not BragEntry.objects.exists()


@pytest.mark.parametrize(
    "link",
    [
        "https://bücher.de/",
        "https://xn--bcher-kva.de/x",
        "https://日本語.jp/",
        "https://a.b.example.com:8443/p?q=1",
    ],
)
def test_honest_international_hosts_are_kept(client, cast, link):
    client.force_login(cast.owner)

    client.post(reverse("brag:add"), entry_data(links=link), headers=HTMX)

    assert BragEntry.objects.get().links == [link]


def test_an_edit_with_a_bidi_control_changes_nothing(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Before")
    before = state()
    client.force_login(cast.owner)

    response = client.post(
        reverse("brag:edit", args=[entry.pk]),
        entry_data(title=f"After{RLO}", version=str(entry.version)),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert response.context["form"].errors["title"] == [BIDI_MESSAGE]
    assert state() == before


def test_a_goal_with_a_bidi_control_is_refused(client, cast):
    client.force_login(cast.owner)

    response = client.post(reverse("brag:goal_add"), {"text": f"Lead {RLO}it"}, headers=HTMX)

    assert response.status_code == 422
    assert response.context["goal_form"].errors["text"] == [BIDI_MESSAGE]
    assert not Goal.objects.exists()


def test_the_filters_and_the_range_pickers_refuse_them_too(cast):
    search = BragFilterForm({"q": f"a{RLO}b"}, owner=cast.owner)
    export = ExportForm({"quarter": f"2026-Q{RLO}3"})
    team = TeamRangeForm({"quarter": f"26{RLO}-Q3"})

    assert search.errors["q"] == [BIDI_MESSAGE]
    assert export.errors["quarter"] == [BIDI_MESSAGE]
    assert team.errors["quarter"] == [BIDI_MESSAGE]


def test_markdown_strips_bidi_controls_from_text_and_links():
    html = render_markdown(f"read [the {RLO}doc](https://exa{RLO}mple.com/) \u2066now\u2069")

    assert not any(control in html for control in CONTROLS)
    assert 'href="https://example.com/"' in html


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- " * 2000 + "x", id="lists-nested-on-one-line"),
        pytest.param("1. " * 1300 + "x", id="numbered-lists-nested-on-one-line"),
        pytest.param("[" * 4000, id="unmatched-brackets"),
        pytest.param("***\n" * 1000, id="a-thousand-rules"),
        pytest.param("<a " * 1300, id="unmatched-angle-brackets"),
    ],
)
def test_markdown_shaped_to_hurt_the_renderer_is_shown_as_plain_text(text):
    html = render_markdown(f"<script>alert(1)</script>\n\n{text}")

    assert html.startswith("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert "<script" not in html and "<a " not in html


def test_an_impact_nested_two_thousand_deep_is_saved_and_shown(client, cast):
    client.force_login(cast.owner)

    response = client.post(reverse("brag:add"), entry_data(impact="- " * 1999 + "x"))

    assert response.status_code == 302
    entry = BragEntry.objects.get()
    assert entry.impact_html.startswith("<p>- - - ")
    assert client.get(reverse("brag:detail", args=[entry.pk])).status_code == 200


def test_ordinary_markdown_still_renders():
    html = render_markdown("- one\n- [two](https://example.org)\n\n> quoted\n\n---\n\n1. a\n2. b")

    assert "<ul>" in html and "<ol>" in html and "<blockquote>" in html and "<hr>" in html
    assert 'href="https://example.org"' in html
