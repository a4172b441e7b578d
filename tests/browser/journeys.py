"""What every journey does the way a person does it: sign in through the form, use the main
navigation (behind the Menu button on a phone), and keep a screenshot of each main page.

Screenshots go to $SCREENSHOTS_DIR (default build/screenshots/, not committed) as
`<name>-<viewport width>.png`; `make screenshots` points it at docs/screenshots/, which the README
shows. Keep the names stable: the README links to them."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCREENSHOTS_DIR = ROOT / "build" / "screenshots"


def sign_in(page: Page, email: str, password: str) -> None:
    """From wherever the page is, as a person who types the address of the sign-in page."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def sign_out(page: Page) -> None:
    """Forget the session, as another person picking up the same browser would start afresh."""
    page.context.clear_cookies()


def follow_nav(page: Page, name: str) -> None:
    """Click a link of the main navigation, opening the phone's menu first when it hides it."""
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        menu = page.get_by_role("button", name=re.compile(r"^Menu\b"))
        if menu.count() and menu.first.is_visible():
            menu.first.click()
    link.click()


def screenshots_dir() -> Path:
    configured = os.environ.get("SCREENSHOTS_DIR")
    return Path(configured) if configured else DEFAULT_SCREENSHOTS_DIR


def shoot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save what the person sees now as `<name>-<width>.png`. The caret and animations are
    held still, so that a screenshot changes only when the page does."""
    viewport = page.viewport_size
    width = viewport["width"] if viewport else 0
    directory = screenshots_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}-{width}.png"
    # The announcer's toast is for the moment after an action; it would cover the page it
    # describes, so the picture leaves it out (the journeys assert its text instead). Set through
    # the CSSOM, which the CSP allows, and put back as it was.
    toggle = (
        "(hide) => { const a = document.getElementById('announcer');"
        " if (a) a.style.visibility = hide ? 'hidden' : ''; }"
    )
    page.evaluate(toggle, True)
    try:
        page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")
    finally:
        page.evaluate(toggle, False)
    return path
