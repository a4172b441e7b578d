"""A decider's journey, on a laptop and on a phone: from home's to-do list to the promotion
round, where Priya's submitted packet waits; decide "not yet" naming a gap and what would close
it; then Priya reads the decision from her own to-do list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from reviews.packet_models import PacketStatus, PromotionPacket

from .journeys import follow_nav, shoot, sign_in, sign_out
from .main_pages import PASSWORD, PERSONAS, build_world

pytestmark = pytest.mark.browser

REASON = "Strong delivery on Platform; the case beyond the team is not there yet."
TO_CLOSE = "Lead one change that two other teams adopt."


def test_decide_not_yet_with_a_named_gap_and_the_engineer_reads_it(
    journey_page: Page, console_errors: list[str]
):
    build_world()
    page = journey_page

    sign_in(page, PERSONAS["decider"], PASSWORD)
    todo = page.get_by_role("region", name="What waits on you")
    expect(todo).to_contain_text("1 packet waits for your decision in the promotion round")
    todo.get_by_role("link", name="Read the packets").click()
    expect(page.get_by_role("heading", name="Promotion round", exact=True)).to_be_visible()
    card = page.get_by_role("article", name="Priya Raman")
    expect(card.get_by_text("Submitted", exact=True)).to_be_visible()
    shoot(page, "round")

    card.get_by_role("link", name="Decide on Priya Raman").click()
    card = page.get_by_role("article", name="Priya Raman")  # back with its form open
    card.get_by_label("Not yet", exact=True).check()
    card.get_by_label("Reason").fill(REASON)
    card.get_by_label("Influence", exact=True).check()
    card.get_by_label("What would close the gap in Influence").fill(TO_CLOSE)
    card.get_by_role("button", name="Record the decision").click()
    decision = card.get_by_role("region", name="Decision: Not yet")
    expect(decision).to_contain_text(REASON)
    expect(decision.get_by_role("term")).to_have_text("Influence")
    expect(decision).to_contain_text("Decided by Sam Whitfield")
    expect(card.get_by_role("button", name="Record the decision")).to_have_count(0)
    decision.scroll_into_view_if_needed()
    shoot(page, "round-decided")
    assert (
        PromotionPacket.objects.get(subject__email=PERSONAS["engineer"], cycle__is_open=True).status
        == PacketStatus.DECIDED
    )

    # Priya learns it from her home, and reads what would close the gap.
    sign_out(page)
    sign_in(page, PERSONAS["engineer"], PASSWORD)
    todo = page.get_by_role("region", name="What waits on you")
    todo.get_by_role("link", name="Read the decision").click()
    expect(page.get_by_role("heading", name="My promotion packet")).to_be_visible()
    decision = page.get_by_role("region", name="Decision: Not yet")
    expect(decision).to_contain_text(REASON)
    expect(decision.get_by_role("term")).to_have_text("Influence")
    expect(decision.get_by_role("definition")).to_have_text(TO_CLOSE)
    decision.scroll_into_view_if_needed()
    shoot(page, "decision")

    follow_nav(page, "Reviews")
    page.get_by_role("link", name="Where I stand").click()
    expect(page.get_by_role("heading", name="Where I stand")).to_be_visible()
    expect(page.get_by_role("region", name="Decision: Not yet")).to_contain_text(TO_CLOSE)
    expect(page).to_have_url(re.compile(r"/reviews/people/\d+/"))
    assert console_errors == []
