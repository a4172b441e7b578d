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


def wider_than(page: Page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0: it fits the viewport)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_self_assess_by_keyboard_with_evidence_then_confirm_and_compare(
    page: Page, db, console_errors
):
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
    BragEntry.objects.create(
        owner=person, title="Mentored two juniors", category="mentoring", impact="Both promoted"
    )
    ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    sign_in(page, person.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("button", name="Start my self-assessment").click()
    expect(page.get_by_role("heading", name="My self-assessment")).to_be_visible()
    expect(page.get_by_text("You write the design doc first")).to_be_visible()
    announcer = page.locator("#announcer")

    # Each level shows what it expects while choosing; arrow keys move within the group.
    scope = page.locator("#dimension-scope")
    senior = scope.get_by_role("radio", name="Senior engineer (E2)")
    expect(senior).to_have_accessible_description("A system")
    expect(scope.get_by_text("A system", exact=True)).to_be_visible()
    scope.get_by_role("radio", name="Not rated yet").focus()
    for _ in range(3):  # Below the first level, Engineer (E1), Senior engineer (E2)
        page.keyboard.press("ArrowDown")
    expect(senior).to_be_checked()
    expect(senior).to_be_focused()
    expect(announcer).to_have_text("Saved")
    expect(page.locator("#submit-bar")).to_contain_text("1 of 2 rated")

    # The picker opens with focus on its list, and filters by title or impact.
    scope.get_by_role("button", name="Attach evidence…").focus()
    page.keyboard.press("Enter")
    picker = scope.get_by_role("group", name="Entries to attach to Scope")
    expect(picker).to_be_focused()
    expect(picker.get_by_text("Tagged Scope")).to_be_visible()
    page.keyboard.press("Tab")
    search = picker.get_by_label("Search my entries")
    expect(search).to_be_focused()
    page.keyboard.type("promoted")
    expect(picker.get_by_label(re.compile("Mentored two juniors"))).to_be_visible()
    expect(picker.get_by_label(re.compile("Led the billing rewrite"))).to_be_hidden()
    expect(picker.get_by_text("Tagged Scope")).to_be_hidden()
    page.keyboard.press("Enter")  # does not post the rating form
    search.fill("zzz")
    expect(picker.get_by_text("No entries match “zzz”.")).to_be_visible()
    search.fill("billing")
    page.keyboard.press("Tab")
    billing = picker.get_by_label(re.compile("Led the billing rewrite"))
    expect(billing).to_be_focused()
    with page.expect_response(re.compile(r"/ratings/\d+/$")) as saved:
        page.keyboard.press("Space")
    assert saved.value.status == 200
    expect(announcer).to_have_text("Attached as evidence: “Led the billing rewrite”.")
    expect(billing).to_be_focused()
    expect(scope.get_by_text("No evidence attached yet.")).to_be_hidden()

    influence = page.locator("#dimension-influence")
    influence.get_by_role("radio", name="Not rated yet").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(influence.get_by_role("radio", name="Engineer (E1)")).to_be_checked()
    influence.get_by_label("Comment").fill("Mostly my own code so far.")
    expect(page.locator("#submit-bar")).to_contain_text("2 of 2 rated")

    # Progress and Submit stay in view at the bottom of the sheet, and on a phone.
    page.locator("footer").scroll_into_view_if_needed()
    expect(page.get_by_role("button", name="Submit…")).to_be_in_viewport()
    page.set_viewport_size({"width": 375, "height": 740})
    expect(page.get_by_role("button", name="Submit…")).to_be_in_viewport()
    assert wider_than(page) == 0
    page.set_viewport_size({"width": 1280, "height": 900})

    # Submit asks first and says it cannot be undone; cancelling changes nothing.
    page.get_by_role("button", name="Submit…").click()
    dialog = page.get_by_role("dialog", name="Submit your self-assessment?")
    expect(dialog).to_contain_text("This cannot be undone")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert Assessment.objects.get().state == State.DRAFT
    page.get_by_role("button", name="Submit…").click()
    dialog.get_by_role("button", name="Submit, read-only from now on").click()

    expect(page.get_by_role("heading", name="Where I stand")).to_be_visible()
    table = page.locator("table.standing-table")
    expect(table.get_by_role("row", name=re.compile("Scope"))).to_contain_text(
        "Senior engineer (E2)"
    )
    expect(table.get_by_role("row", name=re.compile("Scope"))).to_contain_text("1 entry")
    expect(table.get_by_role("row", name=re.compile("Influence"))).to_contain_text(
        "No evidence yet"
    )
    expect(table.get_by_role("columnheader", name="Self vs manager")).to_be_visible()
    expect(page.locator("svg polygon.radar__series")).to_have_count(2)  # target and self
    page.set_viewport_size({"width": 375, "height": 740})
    assert wider_than(page) == 0

    assessment = Assessment.objects.get()
    assert assessment.state == State.SUBMITTED
    assert list(assessment.ratings.get(dimension__key="scope").evidence.all()) == [win]
    assert (
        assessment.ratings.get(dimension__key="influence").comment == "Mostly my own code so far."
    )
    assert console_errors == []
