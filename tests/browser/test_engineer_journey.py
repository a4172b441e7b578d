"""An engineer's journey, on a laptop and on a phone: Ada (Platform, Junior) signs in, glances at
the level map, logs three wins with quick add (glue work, a quantified impact, a third) tagged
with ladder dimensions, finishes her self-assessment of this quarter by keyboard alone (levels
in the radio groups, evidence found with the picker's search), submits it through the
confirmation, and exports her brag document as Markdown.

Ada, not Priya: in the demo world Ada's self-assessment of the open cycle is a draft (every
dimension rated already, as the demo seeds it), Priya's is submitted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from brag.models import BragEntry
from reviews.models import Assessment, Kind, State

from .journey_steps import (
    SUBMITTED,
    announcer,
    choose_level,
    confirm_submit,
    entry_titled,
    form_titled,
    sheet_row,
    tab_to,
)
from .journeys import follow_nav, shoot, sign_in
from .main_pages import PASSWORD, build_world

pytestmark = pytest.mark.browser

ADA = "ada@example.com"
# title, category, impact, dimensions, glue kind
GLUE = (
    "Ran the incident reviews of the quarter",
    "Operational Excellence",
    "Every incident had a written review, and each follow-up an owner.",
    ["Influence"],
    "Postmortems",
)
QUANTIFIED = (
    "Cut the deploy pipeline time",
    "Projects",
    "Deploys take 12 minutes instead of 35, for 40 engineers.",
    ["Scope", "Technical Depth"],
    "",
)
THIRD = (
    "Designed the feature flag cleanup",
    "Design and Architecture",
    "Stale flags are found and removed by a weekly job; 60 removed in its first run.",
    ["Autonomy"],
    "",
)


def log_a_win(page: Page, win: tuple[str, str, str, list[str], str]) -> None:
    title, category, impact, dimensions, glue_kind = win
    quick_add = form_titled(page, "Log a win")
    quick_add.get_by_label("Title").fill(title)
    quick_add.get_by_label("Category").select_option(label=category)
    quick_add.get_by_label("Impact", exact=True).fill(impact)
    quick_add.get_by_text("More: my role, skills, links, dimensions", exact=False).click()
    tags = quick_add.get_by_role("group", name="Ladder dimensions")
    for dimension in dimensions:
        tags.get_by_label(dimension, exact=True).check()
    if glue_kind:
        quick_add.get_by_label("Glue work").select_option(label=glue_kind)
    quick_add.get_by_role("button", name="Add to my brag document").click()
    # Said in the live region, and keyboard focus on the new entry: the next Tab goes on from it.
    expect(announcer(page)).to_have_text(f"Added “{title}”.")
    expect(announcer(page)).to_be_in_viewport()
    entry = entry_titled(page, title)
    expect(entry).to_be_focused()
    for dimension in dimensions:
        expect(entry.get_by_text(dimension, exact=True)).to_be_visible()


def test_log_wins_self_assess_by_keyboard_and_export(journey_page: Page, console_errors: list[str]):
    build_world()
    page = journey_page

    sign_in(page, ADA, PASSWORD)
    todo = page.get_by_role("region", name="What waits on you")
    expect(todo).to_contain_text("has every dimension rated: submit it.")
    page.get_by_role("region", name="Where you stand").get_by_role(
        "link", name="See the whole level map"
    ).click()
    expect(page.get_by_role("heading", name="Level map")).to_be_visible()
    shoot(page, "level-map")

    # Three wins with quick add, each tagged with the dimensions it is evidence for.
    follow_nav(page, "Brag document")
    expect(page.get_by_role("heading", name="My brag document")).to_be_visible()
    for win in (GLUE, QUANTIFIED, THIRD):
        log_a_win(page, win)
    glue = entry_titled(page, GLUE[0])
    expect(glue.get_by_text("Glue: Postmortems")).to_be_visible()
    expect(glue.get_by_text("No number yet")).to_be_visible()
    expect(entry_titled(page, QUANTIFIED[0]).get_by_text("No number yet")).to_have_count(0)
    # The screenshot starts at this quarter's heading: the three new entries on top.
    page.get_by_role("heading", name=re.compile(r"^Q\d \d{4}$")).first.evaluate(
        "heading => heading.scrollIntoView()"
    )
    shoot(page, "brag")

    # The self-assessment, from home's to-do list; on the sheet, the keyboard alone.
    follow_nav(page, "Home")
    todo.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="My self-assessment")).to_be_visible()

    choose_level(page, sheet_row(page, "Scope"), "Junior (L1-L2)")
    attach(page, "Scope", search="deploy", title=QUANTIFIED[0])
    choose_level(page, sheet_row(page, "Influence"), "Mid (L3)")
    attach(page, "Influence", search="incident reviews", title=GLUE[0])
    expect(page.locator("#submit-bar")).to_contain_text("6 of 6 rated")
    shoot(page, "assessment")

    # Back up to "Submit…", which stays in view; the confirmation starts on Cancel.
    submit = page.get_by_role("button", name="Submit…")
    expect(submit).to_be_in_viewport()
    tab_to(page, submit, backwards=True)
    page.keyboard.press("Enter")
    confirm_submit(page, "Submit your self-assessment?")

    expect(page.get_by_role("heading", name="Where I stand")).to_be_visible()
    expect(page.get_by_text(SUBMITTED)).to_be_visible()
    shoot(page, "where-i-stand")
    mine = Assessment.objects.get(subject__email=ADA, kind=Kind.SELF, cycle__is_open=True)
    assert mine.state == State.SUBMITTED
    ratings = {rating.dimension_key: rating for rating in mine.ratings.all()}
    assert ratings["scope"].level_code == "L1-L2"
    assert ratings["influence"].level_code == "L3"
    assert QUANTIFIED[0] in {entry.title for entry in ratings["scope"].evidence.all()}
    assert GLUE[0] in {entry.title for entry in ratings["influence"].evidence.all()}

    # The brag document as Markdown, for the review meeting.
    follow_nav(page, "Brag document")
    with page.expect_download() as download:
        page.get_by_role("link", name="(Markdown)").first.click()
    assert download.value.suggested_filename.endswith(".md")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    for title, *_ in (GLUE, QUANTIFIED, THIRD):
        assert title in text
    assert "Glue work: Postmortems" in text
    assert QUANTIFIED[2] in text
    assert BragEntry.objects.filter(owner__email=ADA, title__in=[GLUE[0], THIRD[0]]).count() == 2
    assert console_errors == []


def attach(page: Page, dimension: str, *, search: str, title: str) -> None:
    """From the row's level, on to "Attach evidence…": Enter opens the picker with focus on it,
    Tab reaches its search box, typing narrows the list, Tab and Space attach the entry."""
    row = sheet_row(page, dimension)
    tab_to(page, row.get_by_role("button", name="Attach evidence…"))
    page.keyboard.press("Enter")
    picker = row.get_by_role("group", name=f"Entries to attach to {dimension}")
    expect(picker).to_be_focused()
    page.keyboard.press("Tab")
    expect(picker.get_by_label("Search my entries")).to_be_focused()
    page.keyboard.type(search)
    expect(picker.get_by_role("status")).to_have_text(re.compile(r"^\d+ of \d+ entries match\.$"))
    entry = picker.get_by_role("checkbox", name=title)
    expect(entry).to_be_visible()
    page.keyboard.press("Tab")
    expect(entry).to_be_focused()
    page.keyboard.press("Space")
    expect(announcer(page)).to_have_text(f"Attached as evidence: “{title}”.")
    expect(entry).to_be_checked()
