"""An admin's journey, on a laptop and on a phone: sign in, import a ladder file (Monzo's
backend framework), create a team that reads that ladder in the admin and add a person to it;
then that person finds the team on their home."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ladder.models import Ladder
from people.models import Membership, Team

from ..factories import PASSWORD, UserFactory
from .journeys import follow_nav, shoot, sign_in, sign_out

pytestmark = pytest.mark.browser

LADDER_FILE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "frameworks" / "monzo" / "backend.md"
)


def test_import_a_ladder_create_a_team_and_add_a_person(
    journey_page: Page, console_errors: list[str], default_ladder
):
    UserFactory(email="alex@example.org", name="Alex Admin", is_staff=True, is_superuser=True)
    UserFactory(email="ana@example.org", name="Ana Lima")
    page = journey_page

    sign_in(page, "alex@example.org", PASSWORD)
    follow_nav(page, "Import a ladder")
    expect(page.get_by_role("heading", name="Import a ladder")).to_be_visible()
    shoot(page, "import")
    page.get_by_label("Ladder file").set_input_files(LADDER_FILE)
    page.get_by_role("button", name="Import").click()
    imported = page.get_by_text(re.compile(r"^Imported “Backend .*”: version 1 of its ladder\.$"))
    expect(imported).to_be_visible()
    ladder = Ladder.objects.get(slug="monzo-backend")
    expect(page.get_by_role("heading", name="Level map")).to_be_visible()
    ladders = page.get_by_role("navigation", name="Ladders")
    expect(ladders.get_by_role("link", name=ladder.name)).to_be_visible()
    shoot(page, "imported-ladder")

    # The team, in the admin: its ladder is the one just imported, Ana its first engineer.
    follow_nav(page, "Admin")
    page.get_by_role("link", name="Teams", exact=True).click()
    page.get_by_role("link", name="Add team").click()
    page.get_by_label("Name:").press_sequentially("Search")  # typed: the slug follows each key
    expect(page.get_by_label("Slug:")).to_have_value("search")  # filled in from the name
    page.get_by_label("Ladder:").select_option(label=ladder.name)
    memberships = page.get_by_role("group", name="Memberships")
    person = memberships.get_by_role("row").nth(1)
    person.get_by_role("combobox").first.click()  # the admin's person search, focused on open
    page.keyboard.type("Ana")
    page.get_by_role("option", name="Ana Lima").click()
    expect(person).to_contain_text("Ana Lima")
    shoot(page, "admin-team")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The team “Search” was added successfully.")).to_be_visible()
    listed = page.get_by_role("table").get_by_role("link", name="Search", exact=True)
    expect(listed).to_be_visible()
    team = Team.objects.get(slug="search")
    assert team.ladder == ladder
    assert list(team.memberships.values_list("user__name", "role")) == [
        ("Ana Lima", Membership.Role.ENGINEER)
    ]

    # Ana finds her new team on her home, and opens it.
    sign_out(page)
    sign_in(page, "ana@example.org", PASSWORD)
    teams = page.get_by_role("region", name="Your teams")
    expect(teams).to_contain_text("Engineer")
    teams.get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Search"))).to_be_visible()
    assert console_errors == []
