"""Playwright driving the system's Chromium (Debian's package), never a downloaded browser.

Without a Chromium binary the browser tests are skipped locally; CI sets REQUIRE_BROWSER=1 so
that they fail instead of silently skipping.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    ViewportSize,
    sync_playwright,
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        message = "no Chromium found: install Debian's chromium package or set CHROMIUM_PATH"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
    # make around it are still synchronous, so allow them for as long as the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def console_errors() -> list[str]:
    return []


DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 800}


def open_page(
    browser: Browser, base_url: str, viewport: ViewportSize, console_errors: list[str]
) -> tuple[BrowserContext, Page]:
    """A page in a context of its own (its own cookies), recording into `console_errors` what
    a person would not see: script errors and failed requests (422, a form sent back with its
    errors, is an answer, not a failure)."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    context.set_default_timeout(10_000)
    new_page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(f"{message.text} {message.location.get('url', '')}")

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.status != 422:
            console_errors.append(f"{response.status} {response.url}")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: console_errors.append(str(error)))
    new_page.on("response", on_response)
    return context, new_page


@pytest.fixture
def page(browser: Browser, live_server, console_errors: list[str]) -> Iterator[Page]:
    context, new_page = open_page(
        browser, live_server.url, {"width": 1280, "height": 900}, console_errors
    )
    yield new_page
    context.close()


@pytest.fixture(params=[DESKTOP, PHONE], ids=lambda viewport: f"{viewport['width']}px")
def viewport(request: pytest.FixtureRequest) -> ViewportSize:
    """The journeys run twice: on a laptop and on a phone."""
    return request.param


@pytest.fixture
def journey_page(
    browser: Browser, live_server, console_errors: list[str], viewport: ViewportSize
) -> Iterator[Page]:
    context, new_page = open_page(browser, live_server.url, viewport, console_errors)
    yield new_page
    context.close()
