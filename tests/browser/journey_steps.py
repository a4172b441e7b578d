"""Steps the engineer and manager journeys share: the live region, the sheet's rows, and moving
keyboard focus the way a keyboard user does, one Tab at a time."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

# What a person reads in a whole-page answer (Django's messages) and in the live region after an
# in-page action (careerladder/feedback.py).
SUBMITTED = "Submitted. It is read-only from now on."
# Enough for the longest way through a page: the header, the navigation and a sheet row.
MAX_PRESSES = 120


def announcer(page: Page) -> Locator:
    return page.locator("#announcer")


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has keyboard focus, as a keyboard user does: the
    test fails if the element cannot be reached that way."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_PRESSES):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{MAX_PRESSES} presses of {key} never reached {target}")


def sheet_row(page: Page, dimension: str) -> Locator:
    """One dimension of the assessment sheet: the list item under its heading."""
    heading = page.get_by_role("heading", name=dimension, exact=True, level=2)
    return page.get_by_role("listitem").filter(has=heading)


def choose_level(page: Page, row: Locator, level: str) -> None:
    """In a sheet row's radio group, by keyboard: Tab lands on the level chosen so far (or the
    first, when none is), the arrow keys move to `level`; each move saves."""
    radios = row.get_by_role("radio")
    checked = row.get_by_role("radio", checked=True)
    start = checked if checked.count() else radios.first
    tab_to(page, start)
    wanted = row.get_by_role("radio", name=level, exact=True)
    position = "radio => [...radio.form.querySelectorAll('[type=radio]')].indexOf(radio)"
    steps = wanted.evaluate(position) - start.evaluate(position)
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect(wanted).to_be_checked()
    expect(wanted).to_be_focused()
    if steps:
        expect(announcer(page)).to_have_text("Saved")


def form_titled(page: Page, heading: str) -> Locator:
    """The form that a heading names ("Log a win", "Write a note"), to tell its fields from the
    filters' fields of the same label on the same page."""
    return page.locator("form").filter(has=page.get_by_role("heading", name=heading, exact=True))


def confirm_submit(page: Page, name: str) -> None:
    """The confirmation "Submit…" opens: it says it cannot be undone and starts on Cancel, so that
    a stray Enter never submits. Shift+Tab reaches the button that does, and Enter presses it."""
    dialog = page.get_by_role("dialog", name=name)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("This cannot be undone")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Submit, read-only from now on")).to_be_focused()
    page.keyboard.press("Enter")


def entry_titled(page: Page, title: str) -> Locator:
    """A brag entry, the article under its heading."""
    heading = page.get_by_role("heading", name=re.compile(rf"^{re.escape(title)}$"))
    return page.get_by_role("article").filter(has=heading)
