"""axe-core on every main page for every persona, at 1280 px: zero violations of any impact.

axe's own rules cover "every input labelled" (label, select-name, aria-input-field-name, ...);
the charts' text equivalents are checked here besides, since axe passes an svg it cannot see
inside. The axe script is the one axe-playwright-python ships: nothing is fetched.

One test builds the demo world once (it takes seconds) and visits every page, so that one
failure lists everything there is to fix rather than the first page that fails."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page

from .conftest import DESKTOP
from .main_pages import MainPage, build_world, visit_main_pages

pytestmark = pytest.mark.browser

# Every rule axe runs by default (WCAG 2.0-2.2 A and AA, and its best practices).
AXE_OPTIONS = {"resultTypes": ["violations"]}

# An svg or figure is a chart only if someone can perceive it: aria-hidden ones are decoration.
UNNAMED_CHARTS = """() => {
  const text = (ids) => (ids || "").split(/\\s+/).filter(Boolean)
    .map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
  const named = (el) => Boolean((el.getAttribute("aria-label") || "").trim()
    || text(el.getAttribute("aria-labelledby")));
  const said = (el) => Boolean(el && el.textContent.trim());
  const show = (el) => el.outerHTML.slice(0, 120);
  const problems = [];
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.closest("[aria-hidden=true]")) continue;
    if (svg.getAttribute("role") !== "img") {
      problems.push(`svg without role="img": ${show(svg)}`);
    } else if (!named(svg) && !said(svg.querySelector(":scope > title"))) {
      problems.push(`svg without a name: ${show(svg)}`);
    }
  }
  for (const figure of document.querySelectorAll("figure")) {
    if (figure.closest("[aria-hidden=true]")) continue;
    if (!named(figure) && !said(figure.querySelector(":scope > figcaption"))) {
      problems.push(`figure without a caption: ${show(figure)}`);
    }
  }
  return problems;
}"""


def describe(violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " >> ".join(str(part) for part in node["target"])
            # The summary's first line is "Fix any of the following:"; the second says what.
            why = (node.get("failureSummary") or "").splitlines()[1:2]
            lines.append(f"      {target}: {why[0].strip() if why else ''}")
    return lines


def test_every_main_page_has_no_axe_violations(browser: Browser, live_server, console_errors):
    build_world()
    axe = Axe()

    def check(page: Page, main_page: MainPage) -> list[str]:
        # No page loads content on its own after "load" (no hx-trigger="load"): goto's wait is
        # enough. axe goes in through page.evaluate, which the CSP does not govern: no
        # bypass_csp needed.
        problems = describe(axe.run(page, options=AXE_OPTIONS).response["violations"])
        return problems + [f"  chart: {problem}" for problem in page.evaluate(UNNAMED_CHARTS)]

    checked, report = visit_main_pages(browser, live_server.url, DESKTOP, console_errors, check)
    assert not report, f"axe found problems on {checked} main pages:\n" + "\n".join(report)
