"""In a real browser: a manager drafts a promotion packet from evidence, writes and shares the
summary, sets the evidence matrix and submits; a decider says "not yet" naming a gap; the
engineer reads the decision and what would close the gap."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from ladder.models import Dimension
from reviews.models import ReviewCycle
from reviews.packet_models import PacketStatus, PromotionPacket, PromotionRound

from ..factories import BragEntryFactory, UserFactory
from .test_level_map_browser import sign_in

pytestmark = pytest.mark.browser

WINS = {
    "Led the billing rewrite": ["scope", "influence"],
    "Ran the cross-team API guild": ["influence"],
    "Cut deploys from 40 to 6 minutes": ["technical-depth", "scope"],
    "Owned the March outage postmortem": ["failure-impact", "ambiguity"],
}
SUMMARY = "Owner carries Platform's biggest projects; influence beyond the team is still thin."
TO_CLOSE = "Lead one change that two other teams adopt."


def open_reviews(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()


def test_draft_share_submit_decide_not_yet_and_read_it(page: Page, cast, console_errors):
    dimensions = {d.key: d for d in Dimension.objects.filter(ladder=cast.owner.track.ladder)}
    for title, keys in WINS.items():
        BragEntryFactory(
            owner=cast.owner, title=title, dimensions=[dimensions[key] for key in keys]
        )
    cycle = ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    decider = UserFactory(email="decider@example.org", name="Dana Decider")
    PromotionRound.objects.create(cycle=cycle).deciders.add(decider)

    announcer = page.locator("#announcer")
    # The manager starts the packet from their dashboard and drafts it from the evidence.
    sign_in(page, cast.manager.email)
    open_reviews(page)
    page.get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", name="My team")).to_be_visible()
    page.get_by_role("button", name="Start a packet for Owner").click()
    expect(page.get_by_role("heading", name="Promotion packet: Owner")).to_be_visible()
    page.get_by_role("button", name="Draft from evidence").click()
    # In place: the line saying what was drafted has keyboard focus, and the page says it too.
    drafted = page.locator("#packet-body").get_by_text(re.compile(r"^Drafted from evidence: 4 p"))
    expect(drafted).to_be_focused()
    expect(announcer).to_have_text(re.compile(r"^Drafted from evidence: 4 projects"))
    projects = page.locator("#section-projects")
    for title in WINS:
        expect(projects.get_by_role("link", name=title)).to_be_visible()

    # The summary and recommendation: saved in place, then shared with Owner.
    summary = page.locator("#section-summary")
    summary.get_by_label("Manager's summary").fill(SUMMARY)
    summary.get_by_label("Promote").check()
    summary.get_by_role("button", name="Save").click()
    expect(summary.get_by_role("status")).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    expect(summary).to_be_focused()
    expect(announcer).to_have_text("Saved the manager’s summary and recommendation.")
    summary.get_by_role("button", name="Share with Owner").click()
    shared = summary.get_by_text(re.compile(r"^Shared with Owner by Manager on"))
    expect(shared).to_be_focused()
    expect(announcer).to_have_text(re.compile(r"^Shared with Owner: they can read the summary"))

    # "Other entries" of a row load when opened, by keyboard: focus goes to the first of them.
    failure = page.locator("#section-matrix-failure-impact")
    failure.locator("summary", has_text="Other entries (3)").focus()
    page.keyboard.press("Enter")
    expect(failure.locator("details input[type=checkbox]").first).to_be_focused()
    expect(announcer).to_have_text("3 other entries listed.")

    # Every row of the evidence matrix gets a status; Influence is a gap.
    submit = page.locator("#submit-bar").get_by_role("button", name="Submit")
    expect(submit).to_be_disabled()
    for key, dimension in dimensions.items():
        row = page.locator(f"#section-matrix-{key}")
        expect(row.get_by_role("heading", name=dimension.name)).to_be_visible()
        if key == "influence":
            row.get_by_label("Gap", exact=True).check()
            row.get_by_label("Why").fill("Nothing yet adopted outside Platform.")
        else:
            row.get_by_label("Met", exact=True).check()
        row.get_by_role("button", name="Save").click()
        expect(row.get_by_role("status")).to_have_text(re.compile(r"^Saved "))
        expect(row).to_be_focused()
    expect(announcer).to_have_text(re.compile(r"^Saved [A-Za-z -]+: met\.$"))
    expect(page.locator("#section-matrix-scope")).to_contain_text("Led the billing rewrite")
    submit.click()
    expect(page.get_by_text(re.compile(r"^Submitted on .* by Manager\."))).to_be_focused()
    expect(announcer).to_have_text(re.compile(r"^Submitted\. The packet is read-only now"))
    expect(page.get_by_role("button", name="Draft from evidence")).to_have_count(0)
    packet = PromotionPacket.objects.get()
    assert packet.status == PacketStatus.SUBMITTED
    assert packet.projects.count() == 4

    # The decider reads the round and says "not yet", naming Influence as the gap.
    page.context.clear_cookies()
    sign_in(page, decider.email)
    open_reviews(page)
    page.get_by_role("link", name="read the packets").click()
    expect(page.get_by_role("heading", name="Promotion round")).to_be_visible()
    card = page.get_by_role("article", name="Owner")
    expect(card.get_by_text("Promote", exact=True)).to_be_visible()  # the recommendation
    expect(card.get_by_text(SUMMARY)).to_be_visible()
    card.get_by_role("link", name="Decide").click()
    card = page.get_by_role("article", name="Owner")  # the card comes back with its form open
    expect(card.get_by_label("Promoted", exact=True)).to_be_focused()
    card.get_by_label("Not yet", exact=True).check()
    card.get_by_label("Reason").fill("Strong delivery; the case beyond the team is not there yet.")
    card.get_by_label("Influence (a gap in the matrix)").check()
    card.get_by_label("What would close the gap in Influence").fill(TO_CLOSE)
    card.get_by_role("button", name="Record the decision").click()
    expect(card.get_by_role("heading", name="Decision: Not yet")).to_be_visible()
    expect(card.get_by_role("region", name="Decision: Not yet")).to_be_focused()
    expect(announcer).to_have_text(re.compile(r"^Decided: not yet for Owner\."))
    expect(card.get_by_role("button", name="Record the decision")).to_have_count(0)

    # The engineer reads the decision, the gap and what would close it.
    page.context.clear_cookies()
    sign_in(page, cast.owner.email)
    open_reviews(page)
    page.get_by_role("link", name="Where I stand").click()
    expect(page.get_by_role("heading", name="Where I stand")).to_be_visible()
    expect(page.get_by_role("region", name="Decision: Not yet")).to_contain_text(TO_CLOSE)
    page.get_by_role("link", name="Promotion packet").click()
    expect(page.get_by_role("heading", name="My promotion packet")).to_be_visible()
    decision = page.get_by_role("region", name="Decision: Not yet")
    expect(decision).to_contain_text("the case beyond the team is not there yet")
    expect(decision.get_by_role("term")).to_have_text("Influence")
    expect(decision.get_by_role("definition")).to_have_text(TO_CLOSE)
    expect(decision).to_contain_text("Decided by Dana Decider")
    expect(page.locator("#section-summary")).to_contain_text(SUMMARY)  # shared, so readable
    assert console_errors == []
