"""The Markdown export in the guide's template, and the page to print."""

import datetime as dt

import pytest

from brag.models import Visibility

from ..factories import BragEntryFactory, GoalFactory

EXPECTED = """\
# Brag Document — Owner — Q3 2026

## Projects

- **Payments retry service** (14 Aug 2026)
  - My role: Designed the retry queue;
    led two engineers through the rollout.
  - Impact: Recovered payments from 61% to 84%.
  - Skills demonstrated: Go
  - Ladder dimensions: Scope, Autonomy
  - Links: <https://wiki.example.com/retry>

## Design and Architecture

- Nothing logged here for this period.

## Mentoring and Team Building

- **Onboarded two new hires** (2 Sep 2026)
  - Impact: Ramp-up from 8 weeks to 4.
  - Glue work: Onboarding

## Operational Excellence

- Nothing logged here for this period.

## Learning and Growth

- Nothing logged here for this period.

## What I Want to Do Next

- [x] Lead a cross-team design
- Give a talk at the guild
"""


@pytest.fixture
def quarter(cast):
    dimensions = list(cast.owner.track.ladder.dimensions.filter(key__in=["scope", "autonomy"]))
    BragEntryFactory(
        owner=cast.owner,
        date=dt.date(2026, 8, 14),
        title="Payments retry service",
        role="Designed the retry queue;\nled two engineers through the rollout.",
        impact="Recovered payments from 61% to 84%.",
        skills="Go",
        links=["https://wiki.example.com/retry"],
        dimensions=dimensions,
        visibility=Visibility.MANAGERS,
    )
    BragEntryFactory(
        owner=cast.owner,
        date=dt.date(2026, 9, 2),
        title="Onboarded two new hires",
        category="mentoring",
        impact="Ramp-up from 8 weeks to 4.",
        glue_kind="onboarding",
        visibility=Visibility.TEAM,
    )
    BragEntryFactory(
        owner=cast.owner, date=dt.date(2026, 9, 9), title="Private note", visibility="private"
    )
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 10, 1), title="Next quarter")
    GoalFactory(owner=cast.owner, year=2026, quarter=3, text="Lead a cross-team design", done=True)
    GoalFactory(owner=cast.owner, year=2026, quarter=3, text="Give a talk at the guild")
    GoalFactory(owner=cast.owner, year=2026, quarter=4, text="Not this quarter")


def test_the_owner_exports_a_quarter_in_the_guides_template(client, cast, quarter):
    client.force_login(cast.owner)

    response = client.get("/brag/export.md?quarter=2026-Q3")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="brag-document-owner-2026-Q3.md"'
    )
    text = response.content.decode()
    assert "- **Private note**" in text  # the owner's own export holds everything
    assert (
        text.replace(
            "- **Private note** (9 Sep 2026)\n  - Impact: Cut the build from 20 to 8 minutes\n", ""
        )
        == EXPECTED
    )


def test_a_date_range_export(client, cast, quarter):
    client.force_login(cast.owner)

    response = client.get("/brag/export.md?start=2026-09-01&end=2026-10-31")

    text = response.content.decode()
    assert text.startswith("# Brag Document — Owner — 1 Sep 2026 – 31 Oct 2026\n")
    assert "Onboarded two new hires" in text
    assert "Next quarter" in text
    assert "Payments retry service" not in text
    assert "Not this quarter" in text and "Give a talk at the guild" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("quarter=2026-Q9", "Write the quarter as 2026-Q3."),
        ("start=2026-09-01", "Give both the first and the last day of the range."),
        ("start=2026-09-30&end=2026-09-01", "The range ends before it starts."),
    ],
)
def test_a_bad_period_is_refused_with_a_message(client, cast, query, message):
    client.force_login(cast.owner)

    response = client.get(f"/brag/export.md?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_manager_exports_only_what_is_shared_with_managers(client, cast, quarter):
    client.force_login(cast.manager)

    text = client.get(f"/brag/people/{cast.owner.pk}/export.md?quarter=2026-Q3").content.decode()

    assert "Payments retry service" in text
    assert "Onboarded two new hires" in text
    assert "Private note" not in text
    assert "Lead a cross-team design" not in text  # goals are the owner's alone


def test_a_teammate_exports_only_what_is_shared_with_the_team(client, cast, quarter):
    client.force_login(cast.teammate)

    text = client.get(f"/brag/people/{cast.owner.pk}/export.md?quarter=2026-Q3").content.decode()

    assert "Onboarded two new hires" in text
    assert "Payments retry service" not in text
    assert "Private note" not in text
    assert "Lead a cross-team design" not in text


def test_an_outsider_gets_a_404(client, cast, quarter):
    client.force_login(cast.outsider)

    assert client.get(f"/brag/people/{cast.owner.pk}/export.md").status_code == 404
    assert client.get(f"/brag/people/{cast.owner.pk}/print/").status_code == 404


def test_anonymous_visitors_cannot_export(client, db):
    assert client.get("/brag/export.md")["Location"].startswith("/accounts/login/")


def test_the_print_page_follows_the_same_rules(client, cast, quarter):
    client.force_login(cast.manager)

    response = client.get(f"/brag/people/{cast.owner.pk}/print/?quarter=2026-Q3")

    assert response.status_code == 200
    assert "<h1>Brag Document — Owner — Q3 2026</h1>" in response.text
    assert "Payments retry service" in response.text
    assert "Private note" not in response.text
    assert '<script src="/static/js/print.js"' in response.text


def test_the_owner_prints_their_own(client, cast, quarter):
    client.force_login(cast.owner)

    response = client.get("/brag/print/?quarter=2026-Q3")

    assert "Private note" in response.text
    assert "Glue work: Onboarding" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("quarter=9999-Q4", "Write the quarter as 2026-Q3."),
        ("quarter=0000-Q1", "Write the quarter as 2026-Q3."),
        ("start=0001-01-01&end=9999-12-31", "Export at most five years at a time."),
    ],
)
def test_absurd_periods_are_refused_not_crashed_on(client, cast, query, message):
    client.force_login(cast.owner)

    for url in ("/brag/export.md", "/brag/print/", f"/brag/people/{cast.owner.pk}/print/"):
        response = client.get(f"{url}?{query}")
        if response.status_code == 302:  # my own person page sends me to my document
            continue
        assert response.status_code == 400
        assert message in response.content.decode()
