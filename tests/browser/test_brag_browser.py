"""In a real browser: quick-add an entry, edit it, delete it, undo, and see it back."""

import re

import pytest
from playwright.sync_api import Page, expect

from brag.models import BragEntry

from .test_level_map_browser import sign_in

pytestmark = pytest.mark.browser


def test_quick_add_edit_delete_undo(page: Page, cast, console_errors):
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
    expect(hint).to_have_text(re.compile(r"^How much, how many, how fast"))
    quick_add.get_by_label("Impact", exact=True).fill("Build from 22 to 9 minutes")
    expect(hint).to_be_hidden()
    quick_add.get_by_role("button", name="Add to my brag document").click()

    entry = page.locator("article.entry", has_text="Cut CI build time")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Build from 22 to 9 minutes")
    expect(quick_add.get_by_label("Title", exact=True)).to_have_value("")
    expect(page.get_by_text("Nothing logged this week yet.")).to_be_hidden()

    # Inline edit.
    entry.get_by_role("link", name="Edit").click()
    editor = page.locator("form.entry--editing")
    editor.get_by_label("Title", exact=True).fill("Cut CI build time by 59%")
    editor.get_by_role("button", name="Save").click()
    entry = page.locator("article.entry", has_text="Cut CI build time by 59%")
    expect(entry).to_be_visible()

    # Delete, then undo.
    entry.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Deleted “Cut CI build time by 59%”.")).to_be_visible()
    expect(page.locator("article.entry")).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("article.entry", has_text="Cut CI build time by 59%")).to_be_visible()

    assert page.evaluate("window.stillTheSamePage") is True  # all of it without a reload
    page.reload()
    expect(page.locator("article.entry", has_text="Cut CI build time by 59%")).to_be_visible()
    saved = BragEntry.objects.get()
    assert (saved.title, saved.deleted_at, saved.version) == ("Cut CI build time by 59%", None, 2)
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
