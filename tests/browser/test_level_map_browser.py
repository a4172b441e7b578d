"""In a real browser: sign in, read the level map, compare two levels with the diff control."""

import re

import pytest
from playwright.sync_api import Page, expect

from ..factories import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_sign_in_read_the_level_map_and_compare_levels(page: Page, cast, console_errors):
    sign_in(page, cast.owner.email)
    expect(page.get_by_role("heading", name="Hello, Owner")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Level map").click()
    table = page.locator("table.level-map")
    expect(table.locator("thead th")).to_have_count(6)  # "Dimension" and five levels
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(table.get_by_role("cell", name="Entire system / service")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Failure Impact")).to_be_visible()

    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/diff/\?from_level=L3&to_level=L4$"))
    expect(page.get_by_role("heading", name="from Mid (L3) to Senior (L4)")).to_be_visible()

    # Changing a level swaps the comparison in place: no reload, and the URL follows.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("To").select_option("L6+")
    heading = page.get_by_role("heading", name="from Mid (L3) to Principal (L6+)")
    expect(heading).to_be_visible()
    expect(page).to_have_url(re.compile(r"from_level=L3&to_level=L6%2B$"))
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.get_by_text("Your decisions affect hundreds of engineers")).to_be_visible()

    # The URL is a bookmark: opened afresh it shows the same comparison.
    page.reload()
    expect(heading).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is None

    assert console_errors == []


def test_on_a_phone_the_level_map_reads_as_one_card_per_dimension(page: Page, cast):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, cast.teammate.email)

    page.goto("/ladder/")

    expect(page.locator("table.level-map thead")).to_be_hidden()
    cell = page.locator('td[data-label="Senior (L4)"]').first
    expect(cell).to_be_visible()
    box = cell.bounding_box()
    assert box is not None and box["width"] > 300  # full width, not a squeezed column
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390  # nothing overflows sideways
