"""A ladder's versions: the history page, and what changed between two versions (a page, an
HTMX fragment and a bookmarkable URL). Every signed-in person may read every ladder."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladder.models import Expectation, Ladder
from ladder.services import export_ladder_yaml, import_ladder_text

HISTORY = "/ladder/engineering/-/versions/"
DIFF = "/ladder/engineering/-/versions/compare/"

SMALL = """\
format: careerladder/v1
name: Small ladder
slug: small
attribution: Adapted from the Example framework, CC BY 4.0
dimensions:
  - key: scope
    name: Scope
tracks:
  - key: ic
    name: Individual contributor
    levels:
      - code: L3
        name: Mid
        expectations:
          scope: Owns a feature end to end
"""


def reword(ladder: Ladder, new: str, by=None) -> None:
    """Import the ladder's own export with its L3 scope expectation reworded: a new version."""
    ic = Expectation.objects.filter(level__track__ladder=ladder, level__track__key="ic")
    old = ic.get(level__code="L3", dimension__key="scope").summary
    text = export_ladder_yaml(ladder)
    assert f"scope: {old}\n" in text
    text = text.replace(f"scope: {old}\n", f"scope: {new}\n")
    imported = import_ladder_text(text, f"{ladder.slug}.yaml", replace=True, by=by)
    assert imported.version is not None


def test_anonymous_visitors_are_sent_to_sign_in(client, default_ladder):
    for url in (HISTORY, DIFF):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ["owner", "manager", "teammate", "outsider", "staff"])
def test_everyone_signed_in_reads_the_history(client, cast, role):
    reword(cast.owner.track.ladder, "Feature / medium project", by=cast.staff)
    client.force_login(getattr(cast, role))

    response = client.get(HISTORY)

    assert response.status_code == 200
    assert '<th scope="row">Version 2</th>' in response.text
    assert '<th scope="row">Version 1</th>' in response.text
    assert response.text.index("Version 2") < response.text.index("Version 1")


def test_an_unknown_ladder_is_not_found(client, cast):
    client.force_login(cast.owner)

    assert client.get("/ladder/nope/-/versions/").status_code == 404
    assert client.get("/ladder/nope/-/versions/compare/").status_code == 404


def test_the_history_says_who_made_each_version_from_what(client, cast):
    import_ladder_text(SMALL, "small.yaml", by=cast.staff)
    import_ladder_text(
        SMALL.replace("a feature", "a service"), "small-v2.yaml", replace=True, by=cast.staff
    )
    client.force_login(cast.teammate)

    response = client.get(reverse("ladder:history", args=["small"]))

    text = response.text
    assert text.count('<th scope="row">Version ') == 2
    assert text.count("<td>Staff</td>") == 2
    assert "small-v2.yaml (careerladder/v1) through manage.py import_ladder" in text
    assert "small.yaml (careerladder/v1) through manage.py import_ladder" in text
    assert "1 dimension,\n" in text and "1 expectation,\n" in text
    assert 'href="/ladder/small/?version=2">Level map</a>' in text
    assert 'href="/ladder/small/export.yaml?version=1" download>YAML</a>' in text
    assert 'href="/ladder/small/-/versions/compare/?from=1&amp;to=2">What changed</a>' in text
    assert text.count(">What changed</a>") == 1  # the first version has nothing before it
    assert '<option value="1" selected>Version 1</option>' in text
    assert '<option value="2" selected>Version 2</option>' in text
    assert "Adapted from the Example framework, CC BY 4.0" in text


def test_a_ladder_with_one_version_has_nothing_to_compare(client, cast):
    client.force_login(cast.owner)

    history, diff = client.get(HISTORY), client.get(DIFF)

    assert '<td><span class="muted">—</span></td>' in history.text  # loaded by nobody
    assert "there is nothing to compare yet" in history.text
    assert diff.status_code == 200
    assert "there is nothing to compare yet" in diff.text


def test_the_diff_shows_the_reworded_words(client, cast):
    reword(cast.owner.track.ladder, "Feature / large project", by=cast.staff)
    client.force_login(cast.outsider)

    response = client.get(DIFF, {"from": "1", "to": "2"})

    assert response.status_code == 200
    text = response.text
    assert "From version 1 to version 2" in text
    assert "Feature / <del>small</del><ins>large</ins> project" in text
    assert "<h3>Track: Individual contributor</h3>" in text
    assert '<h4>Mid <span class="level-code">L3</span></h4>' in text
    assert "<h5>Scope</h5>" in text
    assert "1 change." in text
    assert ", by Staff, from engineering.yaml (careerladder/v1)" in text


def test_every_kind_of_change_is_shown_grouped_by_track_and_level(client, cast):
    import_ladder_text(SMALL, "small.yaml")
    changed = SMALL.replace("name: Small ladder", "name: Smaller ladder").replace(
        "name: Scope", "name: Reach\n  - key: influence\n    name: Influence"
    )
    changed = changed.replace("name: Mid", "name: Intermediate") + (
        "        signals: [You write tests unasked]\n"
        "      - code: L4\n        name: Senior\n"
        "  - key: em\n    name: Engineering manager\n    levels:\n"
        "      - code: M1\n        name: Manager\n"
    )
    import_ladder_text(changed, "small.yaml", replace=True)
    client.force_login(cast.owner)

    text = client.get(reverse("ladder:version_diff", args=["small"])).text

    assert "7 changes." in text
    words = '<span class="change-what">Name:</span> <span class="words">'
    assert f"{words}<del>Small</del><ins>Smaller</ins> ladder</span>" in text
    assert "Added dimension <ins>Influence</ins>" in text
    assert f"Reach · {words}<del>Scope</del><ins>Reach</ins></span>" in text
    assert "Added track <ins>Engineering manager</ins>" in text
    assert "Added level <ins>Senior (L4)</ins>" in text
    assert f"{words}<del>Mid</del><ins>Intermediate</ins></span>" in text
    assert "Added signal: <ins>You write tests unasked</ins>" in text
    # No expectation changed: no dimension heading under the level.
    assert "<h5>" not in text


def test_without_a_choice_it_compares_the_latest_with_the_one_before(client, cast):
    ladder = cast.owner.track.ladder
    reword(ladder, "Feature / large project")
    reword(ladder, "Feature / huge project")
    client.force_login(cast.owner)

    response = client.get(DIFF)

    assert "From version 2 to version 3" in response.text
    assert "<del>large</del><ins>huge</ins>" in response.text


def test_either_order_and_the_url_is_bookmarkable(client, cast):
    ladder = cast.owner.track.ladder
    reword(ladder, "Feature / large project")
    reword(ladder, "Feature / huge project")
    client.force_login(cast.manager)

    response = client.get(DIFF + "?from=3&to=1")

    assert "<del>huge</del><ins>small</ins>" in response.text
    assert "<title>From version 3 to 1 · Engineering · Careerladder</title>" in response.text


def test_versions_with_the_same_content_have_no_differences(client, cast):
    ladder = cast.owner.track.ladder
    reword(ladder, "Feature / large project")
    reword(ladder, "Feature / small project")
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from": "1", "to": "3"})

    assert "No differences" in response.text


def test_user_text_is_escaped(client, cast):
    reword(cast.owner.track.ladder, "Feature / <b>big</b> project")
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from": "1", "to": "2"})

    assert "<b>" not in response.text
    assert "&lt;b&gt;big&lt;/b&gt;" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=abc&to=1", "From: Enter a whole number."),
        ("from=1&to=1", "To: Pick a version other than the one you compare it with."),
        ("from=2", "To: This field is required."),
    ],
)
def test_a_bad_choice_gets_a_message_and_a_400(client, cast, query, message):
    reword(cast.owner.track.ladder, "Feature / large project")
    client.force_login(cast.owner)

    response = client.get(f"{DIFF}?{query}")

    assert response.status_code == 400
    assert message in response.text
    assert "From version" not in response.text


def test_a_bad_choice_in_htmx_is_swapped_in_with_a_422(client, cast):
    reword(cast.owner.track.ladder, "Feature / large project")
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from": "2", "to": "2"}, headers={"HX-Request": "true"})

    assert response.status_code == 422
    assert "Pick a version other than the one you compare it with." in response.text


@pytest.mark.parametrize("query", ["from=99&to=1", "from=1&to=99", f"from={10**20}&to=1"])
def test_a_number_that_is_no_version_is_not_found(client, cast, query):
    reword(cast.owner.track.ladder, "Feature / large project")
    client.force_login(cast.owner)

    assert client.get(f"{DIFF}?{query}").status_code == 404


def test_an_htmx_request_gets_only_the_fragment(client, cast):
    reword(cast.owner.track.ladder, "Feature / large project")
    client.force_login(cast.owner)

    response = client.get(DIFF, {"from": "1", "to": "2"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="diff"')
    assert "<html" not in response.text
    assert "<del>small</del><ins>large</ins>" in response.text
    assert "HX-Request" in response["Vary"]


def test_going_back_restores_the_whole_page(client, cast):
    reword(cast.owner.track.ladder, "Feature / large project")
    client.force_login(cast.owner)

    response = client.get(
        DIFF,
        {"from": "1", "to": "2"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.text
    assert "<del>small</del><ins>large</ins>" in response.text


@pytest.mark.parametrize("page", ["history", "diff"])
def test_the_query_count_does_not_grow_with_the_versions(
    client, cast, django_assert_num_queries, page
):
    ladder = cast.owner.track.ladder
    url = HISTORY if page == "history" else DIFF
    reword(ladder, "Feature / project 1", by=cast.staff)
    client.force_login(cast.owner)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    for n in range(2, 20):
        reword(ladder, f"Feature / project {n}", by=cast.staff)
    assert ladder.versions.count() == 20

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Version 20" in response.text
