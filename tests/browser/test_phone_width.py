"""No main page scrolls sideways on a 375 px phone, for any persona.

One test builds the demo world once and visits every page, so that one failure names every
page that overflows and, for each, the elements that stick out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from .conftest import PHONE
from .main_pages import MainPage, build_world, visit_main_pages

pytestmark = pytest.mark.browser

# The elements that stick out past the right edge while their parent does not: where an
# overflow starts, not every ancestor and descendant it drags along. Content inside a box that
# scrolls or clips on its own does not move the page, so it is left out.
OVERFLOW = """() => {
  const edge = window.innerWidth;
  const scrolls = ["auto", "scroll", "hidden", "clip"];
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls.includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const sticksOut = (el) => el.getBoundingClientRect().right > edge + 0.5;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "")
    + [...el.classList].map((c) => `.${c}`).join("");
  const path = (el) => {
    const parts = [];
    for (let at = el; at && at !== document.body && parts.length < 4; at = at.parentElement) {
      parts.unshift(name(at));
    }
    return parts.join(" > ");
  };
  const starts = (el) => !(el.parentElement && sticksOut(el.parentElement));
  const offenders = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && starts(el) && !clipped(el))
    .map((el) => {
      const box = el.getBoundingClientRect();
      return {path: path(el), width: Math.round(box.width), right: Math.round(box.right)};
    })
    .sort((a, b) => b.right - a.right);
  const scrollWidth = document.documentElement.scrollWidth;
  return {scrollWidth, innerWidth: edge, offenders: offenders.slice(0, 5)};
}"""


def check(page: Page, main_page: MainPage) -> list[str]:
    found = page.evaluate(OVERFLOW)
    if found["scrollWidth"] <= found["innerWidth"]:
        return []
    lines = [
        f"  {found['scrollWidth']} px wide in a {found['innerWidth']} px window; sticking out:"
    ]
    lines += [
        f"      {item['path']} ({item['width']} px wide, right edge at {item['right']} px)"
        for item in found["offenders"]
    ]
    return lines


def test_no_main_page_is_wider_than_a_phone(browser: Browser, live_server, console_errors):
    build_world()
    checked, report = visit_main_pages(browser, live_server.url, PHONE, console_errors, check)
    assert not report, f"of {checked} main pages at 375 px, some scroll sideways:\n" + "\n".join(
        report
    )
