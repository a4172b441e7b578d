"""In a real browser: self-assess two dimensions with autosave and the evidence picker, submit,
and see where I stand."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from brag.models import BragEntry
from ladder.models import Level
from ladder.services import import_ladder_text
from reviews.models import Assessment, ReviewCycle, State

from ..factories import UserFactory
from .test_level_map_browser import sign_in

pytestmark = pytest.mark.browser

TWO_DIMENSIONS = """\
format: careerladder/v1
name: Small
slug: small
dimensions:
  - {key: scope, name: Scope}
  - {key: influence, name: Influence}
tracks:
  - key: ic
    name: Engineer
    levels:
      - {code: E1, name: Engineer, expectations: {scope: A feature, influence: My code}}
      - code: E2
        name: Senior engineer
        expectations: {scope: A system, influence: My team}
        signals: [You write the design doc first]
"""


def test_self_assess_with_autosave_and_evidence_then_compare(page: Page, db, console_errors):
    ladder = import_ladder_text(TWO_DIMENSIONS, "small.yaml").ladder
    track = ladder.tracks.get()
    e1, e2 = Level.objects.get(code="E1"), Level.objects.get(code="E2")
    person = UserFactory(
        email="ana@example.org", name="Ana", track=track, current_level=e1, target_level=e2
    )
    win = BragEntry.objects.create(
        owner=person, title="Led the billing rewrite", category="projects", impact="3 teams"
    )
    win.dimensions.set([ladder.dimensions.get(key="scope")])
    ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    sign_in(page, person.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("button", name="Start my self-assessment").click()
    expect(page.get_by_role("heading", name="My self-assessment")).to_be_visible()
    expect(page.get_by_text("You write the design doc first")).to_be_visible()

    scope = page.locator("#dimension-scope")
    scope.get_by_label("Level that fits best").select_option(label="Senior engineer (E2)")
    expect(scope.get_by_text(re.compile(r"^Saved \d\d:\d\d$"))).to_be_visible()
    scope.get_by_role("button", name="Attach evidence…").click()
    expect(scope.get_by_text("Tagged Scope")).to_be_visible()
    with page.expect_response(re.compile(r"/ratings/\d+/$")) as saved:
        scope.get_by_label(re.compile("Led the billing rewrite")).check()
    assert saved.value.status == 200
    expect(scope.get_by_text("No evidence attached yet.")).to_be_hidden()

    influence = page.locator("#dimension-influence")
    influence.get_by_label("Level that fits best").select_option(label="Engineer (E1)")
    influence.get_by_label("Comment").fill("Mostly my own code so far.")

    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Where I stand")).to_be_visible()
    table = page.locator("table.standing-table")
    expect(table.get_by_role("row", name=re.compile("Scope"))).to_contain_text(
        "Senior engineer (E2)"
    )
    expect(table.get_by_role("row", name=re.compile("Scope"))).to_contain_text("1 entry")
    expect(table.get_by_role("row", name=re.compile("Influence"))).to_contain_text(
        "No evidence yet"
    )
    expect(page.locator("svg polygon.radar__series")).to_have_count(2)  # target and self

    assessment = Assessment.objects.get()
    assert assessment.state == State.SUBMITTED
    assert (
        assessment.ratings.get(dimension__key="influence").comment == "Mostly my own code so far."
    )
    assert console_errors == []
