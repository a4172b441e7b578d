"""Quick add: title, category and impact are enough; bad input changes nothing."""

import datetime as dt

import pytest
import time_machine

from brag.models import BragEntry, Visibility

from ..factories import DimensionFactory

ADD = "/brag/add/"
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/brag/"}


def minimal(**extra: str) -> dict:
    return {"title": "Cut CI time", "category": "projects", "impact": "22 to 9 minutes"} | extra


def test_anonymous_visitors_cannot_add(client, db):
    response = client.post(ADD, minimal())

    assert response.status_code == 302
    assert not BragEntry.objects.exists()


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider"])
def test_everyone_adds_to_their_own_document_only(client, cast, role):
    person = getattr(cast, role)
    client.force_login(person)

    client.post(ADD, minimal(owner=str(cast.owner.pk)))

    entry = BragEntry.objects.get()
    assert entry.owner == person


def test_quick_add_with_htmx_inserts_the_entry_and_resets_the_form(client, cast):
    client.force_login(cast.owner)

    response = client.post(ADD, minimal(), headers=HTMX)

    entry = BragEntry.objects.get()
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="entries"')
    assert f'<article id="entry-{entry.pk}" class="entry is-new' in response.text
    assert '<form id="quick-add"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert 'value="Cut CI time"' not in response.text  # the form comes back empty
    assert entry.visibility == Visibility.MANAGERS  # the default
    assert entry.date == cast.owner.local_today()


def test_without_htmx_adding_redirects_to_the_list(client, cast):
    client.force_login(cast.owner)

    response = client.post(ADD, minimal(), follow=True)

    assert response.redirect_chain == [("/brag/", 302)]
    assert "Added “Cut CI time”." in response.text


def test_every_field_is_saved(client, cast):
    scope = cast.owner.track.ladder.dimensions.get(key="scope")
    client.force_login(cast.owner)

    client.post(
        ADD,
        minimal(
            date="2026-11-02",
            role="Led **the rollout**",
            skills="Profiling",
            links="https://ci.example.com/run/1\nhttp://wiki.example.com/ci",
            dimensions=[str(scope.pk)],
            glue_kind="documentation",
            visibility="team",
        ),
    )

    entry = BragEntry.objects.get()
    assert entry.date == dt.date(2026, 11, 2)
    assert entry.role_html == "<p>Led <strong>the rollout</strong></p>"
    assert entry.links == ["https://ci.example.com/run/1", "http://wiki.example.com/ci"]
    assert list(entry.dimensions.all()) == [scope]
    assert (entry.glue_kind, entry.visibility) == ("documentation", "team")


BAD_INPUT = [
    pytest.param({"title": ""}, "title", "This field is required.", id="empty-title"),
    pytest.param({"title": "   "}, "title", "This field is required.", id="blank-title"),
    pytest.param(
        {"title": "x" * 201},
        "title",
        "Ensure this value has at most 200 characters (it has 201).",
        id="title-too-long",
    ),
    pytest.param(
        {"impact": "x" * 4001},
        "impact",
        "Ensure this value has at most 4000 characters (it has 4001).",
        id="impact-too-long",
    ),
    pytest.param({"impact": ""}, "impact", "This field is required.", id="no-impact"),
    pytest.param({"category": "gossip"}, "category", "Select a valid choice.", id="bad-category"),
    pytest.param(
        {"date": "2026-11-21"},
        "date",
        "The date of the work cannot be in the future.",
        id="future-date",
    ),
    pytest.param(
        {"links": "javascript:alert(1)"},
        "links",
        "Link 1 (javascript:alert(1)) is not an http:// or https:// address.",
        id="javascript-link",
    ),
    pytest.param(
        {"links": "https://ok.example\ndata:text/html,<script>alert(1)</script>"},
        "links",
        "Link 2 (data:text/html,<script>alert(1)</script>) is not an http:// or https:// address.",
        id="data-link",
    ),
    pytest.param(
        {"visibility": "everyone"}, "visibility", "Select a valid choice.", id="bad-visibility"
    ),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_message_on_the_field_and_saves_nothing(
    client, cast, change, field, message
):
    client.force_login(cast.owner)

    # Friday 20 November 2026, 23:30 in UTC: it is already Saturday 21st in Auckland, not here.
    with time_machine.travel(dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)):
        response = client.post(ADD, minimal(**change), headers=HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#quick-add"
    assert any(message in error for error in response.context["form"].errors[field])
    assert not BragEntry.objects.exists()


def test_today_in_my_time_zone_is_not_the_future(client, cast):
    cast.owner.time_zone = "Pacific/Auckland"
    cast.owner.save()
    client.force_login(cast.owner)

    with time_machine.travel(dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)):
        client.post(ADD, minimal(date="2026-11-21"))

    assert BragEntry.objects.get().date == dt.date(2026, 11, 21)


def test_a_dimension_from_another_ladder_is_refused(client, cast):
    foreign = DimensionFactory()  # on another ladder
    client.force_login(cast.owner)

    response = client.post(ADD, minimal(dimensions=[str(foreign.pk)]), headers=HTMX)

    assert response.status_code == 422
    assert response.context["form"].errors["dimensions"] == [
        f"Select a valid choice. {foreign.pk} is not one of the available choices."
    ]
    assert not BragEntry.objects.exists()


def test_bad_input_without_htmx_shows_the_page_with_the_message(client, cast):
    client.force_login(cast.owner)

    response = client.post(ADD, minimal(title=""))

    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "<html" in response.text


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('owned')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click me](javascript:alert(1))",
        '<a href="data:text/html,hi" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_markup_in_any_markdown_field_renders_inert(client, cast, payload):
    client.force_login(cast.owner)
    client.post(ADD, minimal(title=payload[:200], impact=payload, role=payload, skills=payload))

    page = client.get("/brag/").text

    entries = page.split('<section id="entries"')[1]
    # Escaped text is inert; what must never appear is live markup.
    for live in ("<script", "<img", "<iframe", 'onerror="', 'onclick="', 'href="javascript:'):
        assert live not in entries
    assert 'href="data:' not in entries
    entry = BragEntry.objects.get()
    for html in (entry.impact_html, entry.role_html, entry.skills_html):
        assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_the_quantify_hint_appears_without_a_number(client, cast):
    client.force_login(cast.owner)

    vague = client.post("/brag/quantify/", {"impact": "Made the build faster"})
    precise = client.post("/brag/quantify/", {"impact": "Build from 22 to 9 minutes"})
    empty = client.post("/brag/quantify/", {"impact": ""})

    assert "No number in it yet: a number makes the impact land." in vague.text
    assert "No number" not in precise.text
    assert "No number" not in empty.text


def test_the_hint_does_not_repeat_the_help_under_the_impact_field(client, cast):
    client.force_login(cast.owner)

    page = client.get("/brag/").text
    vague = client.post("/brag/quantify/", {"impact": "Made the build faster"}).text

    help_text = "how much, how many, how fast, for how many people?"
    assert page.lower().count(help_text) == 1
    assert help_text not in vague.lower()


def test_an_unquantified_entry_is_still_saved(client, cast):
    client.force_login(cast.owner)

    client.post(ADD, minimal(impact="Made the build faster"))

    assert BragEntry.objects.get().is_quantified is False


def test_an_entry_hidden_by_the_current_filters_is_announced(client, cast):
    client.force_login(cast.owner)
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/brag/?category=learning"}

    response = client.post(ADD, minimal(), headers=headers)

    assert "Added “Cut CI time”. Your filters hide it" in response.text
    assert BragEntry.objects.get().category == "projects"


def test_the_form_starts_on_today_in_my_time_zone(client, cast):
    cast.owner.time_zone = "America/Los_Angeles"
    cast.owner.save()
    client.force_login(cast.owner)

    # 06:00 UTC on 6 March is still 5 March in Los Angeles.
    with time_machine.travel(dt.datetime(2026, 3, 6, 6, 0, tzinfo=dt.UTC)):
        page = client.get("/brag/").text
        client.post(ADD, minimal(date="2026-03-05"))

    assert 'name="date" value="2026-03-05"' in page
    assert BragEntry.objects.get().date == dt.date(2026, 3, 5)
