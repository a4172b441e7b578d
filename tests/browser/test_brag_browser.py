"""In a real browser: quick-add an entry, edit it, delete it, undo, and see it back."""

import re

import pytest
from playwright.sync_api import Page, expect

from brag.models import BragEntry

from .test_level_map_browser import sign_in

pytestmark = pytest.mark.browser


def expect_announced(page: Page, text: str) -> None:
    """The live region says it, and stays in view at 1280×800 wherever the page is scrolled."""
    announcer = page.locator("#announcer")
    expect(announcer).to_have_text(text)
    expect(announcer).to_be_in_viewport(ratio=1)


def test_quick_add_edit_delete_undo(page: Page, cast, console_errors):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, cast.owner.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Brag document").click()
    expect(page.get_by_role("heading", name="My brag document")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    # Quick add: title, category and impact are enough.
    quick_add = page.locator("#quick-add")
    quick_add.get_by_label("Title", exact=True).fill("Cut CI build time")
    quick_add.get_by_label("Category").select_option(label="Projects")
    quick_add.get_by_label("Impact", exact=True).fill("Made the build faster")
    hint = quick_add.locator("#impact-hint-new")
    expect(hint).to_have_text("No number in it yet: a number makes the impact land.")
    expect(quick_add.get_by_text("Quantify it: how much, how many")).to_have_count(1)
    quick_add.get_by_label("Impact", exact=True).fill("Build from 22 to 9 minutes")
    expect(hint).to_be_hidden()
    quick_add.get_by_role("button", name="Add to my brag document").click()

    entry = page.locator("article.entry", has_text="Cut CI build time")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Build from 22 to 9 minutes")
    expect(quick_add.get_by_label("Title", exact=True)).to_have_value("")
    expect(page.get_by_text("Nothing logged this week yet.")).to_be_hidden()
    # Focus is on the new entry, so the next Tab reaches its Edit link, not the page top.
    expect(entry).to_be_focused()
    expect_announced(page, "Added “Cut CI build time”.")
    page.keyboard.press("Tab")
    expect(entry.get_by_role("link", name="Edit")).to_be_focused()

    # Inline edit, by keyboard: the editor opens with focus on its first field.
    page.keyboard.press("Enter")
    editor = page.locator("form.entry--editing")
    expect(editor.get_by_label("Title", exact=True)).to_be_focused()
    # Cancel puts focus back on the Edit link.
    editor.get_by_role("link", name="Cancel").click()
    expect(entry.get_by_role("link", name="Edit")).to_be_focused()

    entry.get_by_role("link", name="Edit").click()
    expect(editor.get_by_label("Title", exact=True)).to_be_focused()
    editor.get_by_label("Title", exact=True).fill("Cut CI build time by 59%")
    editor.get_by_role("button", name="Save").click()
    entry = page.locator("article.entry", has_text="Cut CI build time by 59%")
    expect(entry).to_be_visible()
    expect(entry).to_be_focused()
    expect_announced(page, "Saved “Cut CI build time by 59%”.")

    # Delete: focus on Undo; undo by keyboard: focus on the restored entry.
    entry.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Deleted “Cut CI build time by 59%”.")).to_be_visible()
    expect(page.locator("article.entry")).to_have_count(0)
    expect(page.get_by_role("button", name="Undo")).to_be_focused()
    expect_announced(page, "Deleted “Cut CI build time by 59%”.")
    page.keyboard.press("Enter")
    restored = page.locator("article.entry", has_text="Cut CI build time by 59%")
    expect(restored).to_be_visible()
    expect(restored).to_be_focused()
    expect_announced(page, "Restored “Cut CI build time by 59%”.")

    assert page.evaluate("window.stillTheSamePage") is True  # all of it without a reload
    page.reload()
    expect(page.locator("article.entry", has_text="Cut CI build time by 59%")).to_be_visible()
    saved = BragEntry.objects.get()
    assert (saved.title, saved.deleted_at, saved.version) == ("Cut CI build time by 59%", None, 2)
    assert console_errors == []


def test_goals_move_focus_and_say_what_changed(page: Page, cast, console_errors):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, cast.owner.email)
    page.goto("/brag/")
    goals = page.get_by_role("region", name=re.compile("What I want to do next"))

    goals.get_by_label("What I want to do next").fill("Lead a design review")
    goals.get_by_label("What I want to do next").press("Enter")
    goal = goals.get_by_role("listitem").filter(has_text="Lead a design review")
    expect(goal).to_be_focused()
    expect_announced(page, "Added “Lead a design review”.")

    goal.get_by_role("button", name="Mark “Lead a design review” as done").click()
    toggle = goals.get_by_role("button", name="Mark “Lead a design review” as not done")
    expect(toggle).to_be_focused()
    expect_announced(page, "Marked “Lead a design review” as done.")

    goals.get_by_role("button", name="Remove “Lead a design review”").click()
    expect(goals.get_by_role("button", name="Undo")).to_be_focused()
    expect_announced(page, "Removed “Lead a design review”.")
    page.keyboard.press("Enter")
    expect(goals.get_by_role("listitem").filter(has_text="Lead a design review")).to_be_focused()
    expect_announced(page, "Restored “Lead a design review”.")
    assert console_errors == []


def test_filters_swap_the_list_and_stay_in_the_url(page: Page, cast):
    BragEntry.objects.create(
        owner=cast.owner,
        title="Wrote the runbook",
        category="operations",
        impact="MTTR from 47 to 18 minutes",
        glue_kind="documentation",
    )
    BragEntry.objects.create(
        owner=cast.owner,
        title="Shipped search",
        category="projects",
        impact="p99 from 800 to 200 ms",
    )
    sign_in(page, cast.owner.email)
    page.goto("/brag/")

    page.locator("#filters").get_by_label("Glue work").select_option("any")

    expect(page).to_have_url(re.compile(r"glue=any"))
    expect(page.locator("article.entry", has_text="Wrote the runbook")).to_be_visible()
    expect(page.locator("article.entry", has_text="Shipped search")).to_be_hidden()
    clear = page.locator("#filters").get_by_role("link", name="Clear")
    expect(clear).to_be_visible()  # without a reload

    page.locator("#filters").get_by_label("Glue work").select_option("")
    expect(page.locator("article.entry", has_text="Shipped search")).to_be_visible()
    expect(clear).to_have_count(0)


def test_the_search_box_on_a_reports_document_names_them(page: Page, cast):
    sign_in(page, cast.manager.email)
    page.goto(f"/brag/people/{cast.owner.pk}/")

    expect(page.get_by_label("Search")).to_have_attribute("placeholder", "Search Owner’s entries")
