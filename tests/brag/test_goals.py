"""What I want to do next: one list per quarter, the owner's to write."""

import datetime as dt

import pytest
import time_machine

from brag.models import Goal

from ..factories import GoalFactory

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def in_q4_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_owner_adds_a_goal_for_this_quarter(client, cast):
    client.force_login(cast.owner)

    response = client.post("/brag/goals/add/", {"text": "Lead a design review"}, headers=HTMX)

    goal = Goal.objects.get()
    assert (goal.owner, goal.year, goal.quarter) == (cast.owner, 2026, 4)
    assert response.text.lstrip().startswith('<section id="goals"')
    assert "Lead a design review" in response.text


def test_an_empty_goal_is_refused(client, cast):
    client.force_login(cast.owner)

    response = client.post("/brag/goals/add/", {"text": "  "}, headers=HTMX)

    assert response.status_code == 422
    assert "This field is required." in response.text
    assert not Goal.objects.exists()


def test_a_goal_over_the_limit_is_refused(client, cast):
    client.force_login(cast.owner)

    response = client.post("/brag/goals/add/", {"text": "x" * 501}, headers=HTMX)

    assert "Ensure this value has at most 500 characters (it has 501)." in response.text
    assert not Goal.objects.exists()


def test_done_remove_and_undo(client, cast):
    goal = GoalFactory(owner=cast.owner, text="Ship it")
    client.force_login(cast.owner)

    client.post(f"/brag/goals/{goal.pk}/toggle/", headers=HTMX)
    assert Goal.objects.get(pk=goal.pk).done is True

    removed = client.post(f"/brag/goals/{goal.pk}/delete/", headers=HTMX)
    assert "Removed “Ship it”." in removed.text
    assert not Goal.objects.alive().exists()

    client.post(f"/brag/goals/{goal.pk}/undo/", headers=HTMX)
    restored = Goal.objects.alive().get()
    assert (restored.text, restored.done) == ("Ship it", True)


@pytest.mark.parametrize("role", ["manager", "teammate", "outsider"])
@pytest.mark.parametrize("action", ["toggle", "delete", "undo"])
def test_nobody_else_changes_my_goals(client, cast, role, action):
    goal = GoalFactory(owner=cast.owner)
    if action == "undo":
        goal.deleted_at = NOW
        goal.save()
    client.force_login(getattr(cast, role))

    assert client.post(f"/brag/goals/{goal.pk}/{action}/").status_code == 404
    after = Goal.objects.get(pk=goal.pk)
    assert (after.done, after.deleted_at) == (goal.done, goal.deleted_at)


@pytest.mark.parametrize("role", ["manager", "teammate"])
def test_goals_are_the_owners_alone(client, cast, role):
    GoalFactory(owner=cast.owner, text="Become the on-call lead")
    client.force_login(getattr(cast, role))

    page = client.get(f"/brag/people/{cast.owner.pk}/").text
    export = client.get(f"/brag/people/{cast.owner.pk}/export.md?quarter=2026-Q4").content

    assert "Become the on-call lead" not in page
    assert b"Become the on-call lead" not in export
