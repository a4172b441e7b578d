"""In a real browser: a manager opens the team page and sees that Owner carries the team's glue
work and that none of it has been acknowledged; the manager acknowledges one entry with a
comment, in place; Owner then reads it recognised in their brag document."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ..factories import BragEntryFactory
from .test_level_map_browser import sign_in

pytestmark = pytest.mark.browser

GLUE = {
    "Wrote the onboarding guide": 60,
    "Documented the deploy runbook": 67,
    "Wrote the incident template": 74,
}
ACKNOWLEDGED = "Documented the deploy runbook"
COMMENT = "This runbook halved our on-call pages. Thank you."


def open_team_page(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Platform", exact=True).click()
    expect(page.get_by_role("heading", name="Platform", level=1)).to_be_visible()


def test_manager_sees_a_signal_acknowledges_glue_and_the_engineer_reads_it(
    page: Page, cast, console_errors
):
    today = timezone.localdate()
    for title, days_ago in GLUE.items():
        BragEntryFactory(
            owner=cast.owner,
            title=title,
            date=today - dt.timedelta(days=days_ago),
            glue_kind="documentation",
            visibility="managers",
        )
    BragEntryFactory(
        owner=cast.teammate, title="Shipped the search API", date=today - dt.timedelta(days=61)
    )

    # The manager opens the team page from home and widens the range to the last four quarters.
    sign_in(page, cast.manager.email)
    open_team_page(page)
    page.get_by_label("Range").select_option(label="The last four quarters")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/teams/\d+/\?range=last4"))
    signals = page.get_by_role("region", name="Signals")
    carrying = signals.get_by_role("listitem").filter(has_text="Carrying the glue: Owner")
    expect(carrying.first).to_be_visible()
    expect(carrying.first).to_contain_text("Distribute it")
    unrecognised = signals.get_by_role("listitem").filter(has_text="Unrecognised: Owner")
    expect(unrecognised).to_contain_text(
        "3 glue entries older than 30 days that no manager has acknowledged"
    )
    expect(unrecognised).to_contain_text("Get it recognised")
    expect(signals).not_to_contain_text("Teammate")
    carriers = page.get_by_role("region", name="Who carries it")
    expect(carriers.get_by_role("row", name="Owner")).to_contain_text("100%")

    # From home, the manager opens Owner's brag document and acknowledges one entry in place.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    page.locator("p", has_text="You manage").get_by_role("link", name="Owner").click()
    expect(page.get_by_role("heading", name="Owner’s brag document")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    entry = page.get_by_role("article").filter(has=page.get_by_role("heading", name=ACKNOWLEDGED))
    expect(entry.get_by_text("Glue: Documentation")).to_be_visible()
    entry.get_by_label("Comment (optional)").fill(COMMENT)
    entry.get_by_role("button", name="Acknowledge").click()
    expect(entry.get_by_role("status")).to_have_text("Recognised.")
    # Focus moves to the entry (its Acknowledge form is gone) and the live region says it.
    expect(entry).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(f"Recognised “{ACKNOWLEDGED}”.")
    expect(page.locator("#announcer")).to_be_in_viewport(ratio=1)
    expect(entry.get_by_text(f"Recognised by Manager · {COMMENT}")).to_be_visible()
    expect(entry.get_by_role("button", name="Acknowledge")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(2)  # the other two

    # Back on the team page, the signal counts one entry fewer.
    open_team_page(page)
    expect(page.get_by_role("region", name="Signals")).to_contain_text(
        "Unrecognised: Owner. 2 glue entries older than 30 days"
    )

    # Owner reads the recognition on the entry in their own brag document.
    page.context.clear_cookies()
    sign_in(page, cast.owner.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Brag document").click()
    expect(page.get_by_role("heading", name="My brag document")).to_be_visible()
    mine = page.get_by_role("article").filter(has=page.get_by_role("heading", name=ACKNOWLEDGED))
    expect(mine.get_by_text(f"Recognised by Manager · {COMMENT}")).to_be_visible()
    expect(mine.get_by_role("button", name="Acknowledge")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"^Recognised by"))).to_have_count(1)
    assert console_errors == []
