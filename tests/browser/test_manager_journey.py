"""A manager's journey, on a laptop and on a phone: Maya (manages Platform) follows home's to-do
list to assess Priya, whose self-assessment waits for hers; rates every dimension, submits
through the confirmation and lands on the compare view, where she shares it with Priya; writes
a private review note; starts Ada's promotion packet from the dashboard and drafts it from
evidence; follows the glue signal to the team page and acknowledges a report's glue work. Then
Priya reads the shared assessment and finds nothing of the private note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from brag.models import GlueRecognition
from reviews.models import Assessment, Kind, State
from reviews.note_models import ReviewNote
from reviews.packet_models import PromotionPacket

from .journey_steps import SUBMITTED, announcer, confirm_submit, form_titled, sheet_row
from .journeys import follow_nav, shoot, sign_in, sign_out
from .main_pages import PASSWORD, PERSONAS, build_world

pytestmark = pytest.mark.browser

# Maya's ratings of Priya (Senior, aiming for Staff): Staff where her evidence says so.
RATINGS = {
    "Scope": "Senior (L4)",
    "Autonomy": "Senior (L4)",
    "Influence": "Staff (L5)",
    "Technical Depth": "Staff (L5)",
    "Ambiguity": "Senior (L4)",
    "Failure Impact": "Senior (L4)",
}
NOTE_TITLE = "Before calibration: the gap beyond Platform"
NOTE_BODY = "Influence outside Platform is still thin: ask who else adopted the event RFC."
ACK_COMMENT = "Thank you: this is the work that keeps the team running."


def test_assess_compare_share_note_packet_and_glue(journey_page: Page, console_errors: list[str]):
    build_world()
    page = journey_page

    sign_in(page, PERSONAS["manager"], PASSWORD)
    todo = page.get_by_role("region", name="What waits on you")
    waiting = todo.get_by_role("listitem").filter(has_text="Priya Raman submitted")
    expect(waiting).to_contain_text("it waits for yours.")
    shoot(page, "home", full_page=True)
    waiting.get_by_role("button", name="Assess Priya").click()

    # The sheet: every dimension rated, each level with what it expects on that dimension.
    expect(
        page.get_by_role("heading", name="Maya Okafor’s assessment of Priya Raman")
    ).to_be_visible()
    for dimension, level in RATINGS.items():
        choice = sheet_row(page, dimension).get_by_role("radio", name=level, exact=True)
        expect(choice).to_have_accessible_description(re.compile(r"\w"))
        choice.check()
    expect(page.locator("#submit-bar")).to_contain_text(f"{len(RATINGS)} of {len(RATINGS)} rated")
    expect(announcer(page)).to_have_text("Saved")
    page.get_by_role("button", name="Submit…").click()
    confirm_submit(page, "Submit your assessment of Priya Raman?")

    # The compare view, where sharing is the next step.
    expect(page.get_by_role("heading", name="Where Priya Raman stands")).to_be_visible()
    expect(page.get_by_text(SUBMITTED)).to_be_visible()
    per_dimension = page.get_by_role("region", name="Per dimension")
    expect(per_dimension.get_by_role("row", name=re.compile("^Influence"))).to_contain_text(
        "Staff (L5)"
    )
    shoot(page, "compare")
    page.get_by_role("button", name="Share with Priya").click()
    expect(page.get_by_text("Shared with Priya Raman: they can read it now.")).to_be_visible()
    expect(page.get_by_role("button", name="Share with Priya")).to_have_count(0)
    assessment = Assessment.objects.get(
        subject__email=PERSONAS["engineer"], kind=Kind.MANAGER, cycle__is_open=True
    )
    assert assessment.state == State.SUBMITTED
    assert assessment.shared_at is not None

    # A private note, beside the comparison.
    page.get_by_role("link", name="Review notes").click()
    expect(page.get_by_role("heading", name="Review notes about Priya Raman")).to_be_visible()
    write = form_titled(page, "Write a note")
    write.get_by_label("Title").fill(NOTE_TITLE)
    write.get_by_label("Note", exact=True).fill(NOTE_BODY)
    write.get_by_role("button", name="Save the note").click()
    expect(announcer(page)).to_have_text(f"Saved “{NOTE_TITLE}”. It is private until you share it.")
    note = page.get_by_role("article").filter(has=page.get_by_role("link", name=NOTE_TITLE))
    expect(note).to_be_focused()
    expect(note.get_by_text("Private", exact=True)).to_be_visible()

    # Ada's promotion packet, started from the dashboard and drafted from her evidence.
    follow_nav(page, "Reviews")
    page.get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", name="My team")).to_be_visible()
    shoot(page, "dashboard")
    page.get_by_role("button", name="Start a packet for Ada Chen").click()
    expect(page.get_by_role("heading", name="Promotion packet: Ada Chen")).to_be_visible()
    page.get_by_role("button", name="Draft from evidence").click()
    expect(announcer(page)).to_contain_text("Drafted from evidence:")
    notice = page.get_by_role("main").get_by_text(re.compile(r"^Drafted from evidence: "))
    expect(notice).to_be_focused()
    packet = PromotionPacket.objects.get(subject__email="ada@example.com", cycle__is_open=True)
    assert packet.projects.exists()
    expect(page.get_by_role("region", name="Projects").get_by_role("listitem")).not_to_have_count(0)
    shoot(page, "packet")

    # The glue signal on home leads to the team page; a report's glue work, acknowledged.
    follow_nav(page, "Home")
    signal = todo.get_by_role("listitem").filter(has_text="glue work that no manager")
    signal.get_by_role("link", name="See the signals").click()
    expect(page.get_by_role("heading", name="Platform", level=1)).to_be_visible()
    signals = page.get_by_role("region", name="Signals")
    expect(signals).to_contain_text("Unrecognised: Leo Martins")
    # The screenshot starts at the page's top: the team, then its signals.
    page.get_by_role("heading", name="Platform", level=1).evaluate("h => h.scrollIntoView()")
    shoot(page, "team")
    members = page.get_by_role("region", name="Members")
    members.get_by_role("link", name="Leo Martins").click()
    expect(page.get_by_role("heading", name="Leo Martins’s brag document")).to_be_visible()
    entry = (
        page.get_by_role("article").filter(has=page.get_by_role("button", name="Acknowledge")).first
    )
    title = entry.get_by_role("heading").inner_text()
    entry.get_by_label("Comment (optional)").fill(ACK_COMMENT)
    entry.get_by_role("button", name="Acknowledge").click()
    acknowledged = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )
    expect(acknowledged).to_be_focused()
    expect(acknowledged).to_contain_text(f"Recognised by Maya Okafor · {ACK_COMMENT}")
    expect(announcer(page)).to_have_text(f"Recognised “{title}”.")
    assert GlueRecognition.objects.filter(
        entry__owner__email="leo@example.com", entry__title=title, comment=ACK_COMMENT
    ).exists()

    # Priya reads the shared assessment; the private note is on none of her pages.
    sign_out(page)
    sign_in(page, PERSONAS["engineer"], PASSWORD)
    todo = page.get_by_role("region", name="What waits on you")
    shared = todo.get_by_role("listitem").filter(has_text="Maya Okafor shared their assessment")
    shared.get_by_role("link", name="Compare it with yours").click()
    expect(page.get_by_role("heading", name="Where I stand")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Manager \(Maya Okafor\): submitted"))).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(NOTE_TITLE)
    page.get_by_role("link", name="Notes shared with me").click()
    expect(page.get_by_role("heading", name="Notes my managers shared with me")).to_be_visible()
    expect(page.get_by_role("link", name="What I will say in calibration")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(NOTE_TITLE)
    expect(page.get_by_role("main")).not_to_contain_text(NOTE_BODY)
    follow_nav(page, "Home")
    expect(page.get_by_role("main")).not_to_contain_text(NOTE_TITLE)
    assert not ReviewNote.objects.get(title=NOTE_TITLE).is_shared
    assert console_errors == []
