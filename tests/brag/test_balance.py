"""My balance: my glue share per quarter, worded for my level, on my own brag page only."""

import datetime as dt

import pytest
import time_machine

from brag.balance import Stage, balance_of, stage_of
from ladder.models import Level

from ..factories import BragEntryFactory

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def glue(owner, day, **fields):
    return BragEntryFactory(owner=owner, date=day, glue_kind="onboarding", **fields)


def test_the_share_per_quarter_matches_a_hand_count(cast):
    owner = cast.owner
    # Q4 2026: two glue entries and a project: 67%, and a project, so not out of balance.
    glue(owner, dt.date(2026, 10, 2))
    glue(owner, dt.date(2026, 11, 3), visibility="private")
    BragEntryFactory(owner=owner, date=dt.date(2026, 11, 4), category="projects")
    # Q3 2026: two glue entries and a non-project: 67%, mostly glue without a project.
    glue(owner, dt.date(2026, 7, 1))
    glue(owner, dt.date(2026, 9, 30))
    BragEntryFactory(owner=owner, date=dt.date(2026, 8, 1), category="learning")
    # Q1 2026: one glue entry and one learning: exactly half is not "mostly".
    glue(owner, dt.date(2026, 1, 1))
    BragEntryFactory(owner=owner, date=dt.date(2026, 3, 31), category="learning")
    # Not counted: before the four quarters, deleted, someone else's.
    glue(owner, dt.date(2025, 12, 31))
    glue(owner, dt.date(2026, 10, 5)).soft_delete()
    glue(cast.teammate, dt.date(2026, 10, 5))

    with time_machine.travel(NOW):
        rows = balance_of(owner).quarters

    assert [
        (row.quarter.label, row.total, row.glue, row.share, row.mostly_glue_without_project)
        for row in rows
    ] == [
        ("Q1 2026", 2, 1, 50, False),
        ("Q2 2026", 0, 0, None, False),
        ("Q3 2026", 3, 2, 67, True),
        ("Q4 2026", 3, 2, 67, False),
    ]


@pytest.mark.parametrize(
    ("code", "stage", "words"),
    [
        ("L1-L2", Stage.EARLY, "Early in your career, the guide’s advice is more code"),
        ("L3", Stage.EARLY, "Early in your career, the guide’s advice is more code"),
        ("L4", Stage.SENIOR, "At your level, glue work is part of the job"),
        ("L5", Stage.STAFF, "At staff level, the ratio shifts to more organisational work"),
        ("L6+", Stage.STAFF, "At staff level, the ratio shifts to more organisational work"),
        (None, Stage.UNPLACED, "Set your level in your profile"),
    ],
)
def test_the_advice_is_worded_for_my_level(client, cast, code, stage, words):
    owner = cast.owner
    owner.current_level = Level.objects.get(track=owner.track, code=code) if code else None
    owner.save()
    client.force_login(owner)

    assert stage_of(owner) == stage
    with time_machine.travel(NOW):
        text = client.get("/brag/").text
    assert "My balance" in text
    assert words in text


def test_my_page_shows_the_table_and_links_to_my_teams_glue_work(client, cast):
    glue(cast.owner, dt.date(2026, 11, 3))
    BragEntryFactory(owner=cast.owner, date=dt.date(2026, 8, 1), category="learning")
    glue(cast.owner, dt.date(2026, 8, 2))
    glue(cast.owner, dt.date(2026, 8, 3))
    team = cast.owner.memberships.get().team
    client.force_login(cast.owner)

    with time_machine.travel(NOW):
        text = client.get("/brag/").text.split('id="balance"')[1]

    assert '<th scope="row">Q4 2026</th><td>1</td><td>1</td><td>100%' in text
    assert "Mostly glue, no project" in text
    assert "create systems (onboarding docs, runbooks, templates)" in text
    assert f'href="/teams/{team.pk}/"' in text


def test_with_nothing_logged_it_says_so(client, cast):
    client.force_login(cast.owner)

    with time_machine.travel(NOW):
        text = client.get("/brag/").text

    assert "No entries in the last four quarters yet." in text


@pytest.mark.parametrize("role", ["manager", "teammate"])
def test_nobody_else_sees_my_balance(client, cast, role):
    glue(cast.owner, dt.date(2026, 11, 3), visibility="team")
    client.force_login(getattr(cast, role))

    with time_machine.travel(NOW):
        text = client.get(f"/brag/people/{cast.owner.pk}/").text

    assert "My balance" not in text


def test_my_balance_links_to_the_teams_handbook(client, cast):
    team = cast.owner.memberships.get().team
    team.handbook_url = "https://wiki.example.com/platform"
    team.save()
    client.force_login(cast.owner)

    page = client.get("/brag/").text

    assert 'href="https://wiki.example.com/platform"' in page
    assert "handbook: docs, runbooks, templates" in page
