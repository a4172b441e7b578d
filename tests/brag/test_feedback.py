"""After each in-page action the answer says what happened (an "announce" event the page's live
region shows and reads out) and marks where keyboard focus goes (`data-focus-here`)."""

import datetime as dt
import json
import re

import pytest
import time_machine

from brag.models import BragEntry, Goal

from ..factories import BragEntryFactory, GoalFactory

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/brag/"}


def announced(response) -> str:
    return json.loads(response["HX-Trigger-After-Settle"])["announce"]["message"]


def focused(response) -> list[str]:
    """The opening tags that carry data-focus-here: app.js focuses the first."""
    return re.findall(r"<[a-z]+\b[^>]*\bdata-focus-here\b[^>]*>", response.text)


def test_quick_add_announces_the_entry_and_focuses_it(client, cast):
    client.force_login(cast.owner)

    response = client.post(
        "/brag/add/",
        {"title": "Cut CI time", "category": "projects", "impact": "22 to 9"},
        headers=HTMX,
    )

    entry = BragEntry.objects.get()
    assert announced(response) == "Added “Cut CI time”."
    assert len(focused(response)) == 1
    assert focused(response)[0].startswith(f'<article id="entry-{entry.pk}"')


def test_an_entry_the_filters_hide_is_announced_and_the_notice_focused(client, cast):
    client.force_login(cast.owner)
    headers = HTMX | {"HX-Current-URL": "http://testserver/brag/?category=operations"}

    response = client.post(
        "/brag/add/",
        {"title": "Cut CI time", "category": "projects", "impact": "22"},
        headers=headers,
    )

    assert announced(response) == "Added “Cut CI time”. Your filters hide it."
    assert focused(response)[0].startswith('<p class="message message--success"')


def test_a_refused_quick_add_focuses_the_first_field_in_error(client, cast):
    client.force_login(cast.owner)

    response = client.post(
        "/brag/add/", {"title": "Cut CI time", "category": "projects"}, headers=HTMX
    )

    assert response.status_code == 422
    assert announced(response) == "Nothing was added: see the fields marked."
    [tag] = focused(response)
    assert tag.startswith('<textarea name="impact"') and 'aria-invalid="true"' in tag
    assert not BragEntry.objects.exists()


def test_opening_the_editor_focuses_its_title(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original")
    client.force_login(cast.owner)

    response = client.get(f"/brag/{entry.pk}/edit/", headers=HTMX)

    [tag] = focused(response)
    assert tag.startswith('<input type="text" name="title"')
    assert f'id="id_entry{entry.pk}_title"' in tag


def test_the_editor_without_htmx_marks_nothing(client, cast):
    entry = BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    assert focused(client.get(f"/brag/{entry.pk}/edit/")) == []


def test_saving_announces_and_focuses_the_saved_entry(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original")
    client.force_login(cast.owner)
    data = {
        "title": "Renamed",
        "category": entry.category,
        "impact": entry.impact,
        "version": entry.version,
    }

    response = client.post(f"/brag/{entry.pk}/edit/", data, headers=HTMX)

    assert announced(response) == "Saved “Renamed”."
    [tag] = focused(response)
    assert tag.startswith(f'<article id="entry-{entry.pk}"')


def test_a_stale_save_focuses_the_message_and_saves_nothing(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original")
    client.force_login(cast.owner)
    data = {"title": "Renamed", "category": entry.category, "impact": entry.impact, "version": 0}

    response = client.post(f"/brag/{entry.pk}/edit/", data, headers=HTMX)

    assert response.status_code == 422
    assert announced(response) == "Nothing was saved: see the fields marked."
    [tag] = focused(response)
    assert tag.startswith('<div class="form-errors" role="alert"')
    assert BragEntry.objects.get().title == "Original"


def test_cancelling_the_editor_focuses_the_edit_link_again(client, cast):
    entry = BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    response = client.get(f"/brag/{entry.pk}/", headers=HTMX)

    [tag] = focused(response)
    assert tag.startswith('<a class="button button--quiet"') and f"/brag/{entry.pk}/edit/" in tag


def test_delete_focuses_undo_and_undo_focuses_the_entry(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Onboarded two hires")
    client.force_login(cast.owner)

    deleted = client.post(f"/brag/{entry.pk}/delete/", headers=HTMX)
    restored = client.post(f"/brag/{entry.pk}/undo/", headers=HTMX)

    assert announced(deleted) == "Deleted “Onboarded two hires”."
    assert focused(deleted) == ['<button type="submit" class="button" data-focus-here>']
    assert announced(restored) == "Restored “Onboarded two hires”."
    [tag] = focused(restored)
    assert tag.startswith(f'<article id="entry-{entry.pk}"')


def test_the_list_itself_marks_nothing(client, cast):
    BragEntryFactory(owner=cast.owner)
    GoalFactory(owner=cast.owner)
    client.force_login(cast.owner)

    assert focused(client.get("/brag/")) == []


@pytest.fixture
def in_q4_2026():
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def test_goals_announce_each_change_and_focus_it(client, cast, in_q4_2026):
    client.force_login(cast.owner)

    added = client.post("/brag/goals/add/", {"text": "Lead a design review"}, headers=HTMX)
    goal = Goal.objects.get()
    toggled = client.post(f"/brag/goals/{goal.pk}/toggle/", headers=HTMX)
    removed = client.post(f"/brag/goals/{goal.pk}/delete/", headers=HTMX)
    restored = client.post(f"/brag/goals/{goal.pk}/undo/", headers=HTMX)

    assert announced(added) == "Added “Lead a design review”."
    assert focused(added) == ['<li class="goal" data-focus-here>']
    assert announced(toggled) == "Marked “Lead a design review” as done."
    [toggle] = focused(toggled)
    assert 'class="goal__toggle"' in toggle and 'aria-pressed="true"' in toggle
    assert announced(removed) == "Removed “Lead a design review”."
    [undo] = focused(removed)
    assert undo.startswith('<button type="submit" class="button button--quiet"')
    assert announced(restored) == "Restored “Lead a design review”."
    assert focused(restored) == ['<li class="goal is-done" data-focus-here>']


def test_a_refused_goal_focuses_the_text_box(client, cast, in_q4_2026):
    client.force_login(cast.owner)

    response = client.post("/brag/goals/add/", {"text": " "}, headers=HTMX)

    assert response.status_code == 422
    [tag] = focused(response)
    assert 'name="text"' in tag and 'aria-invalid="true"' in tag
    assert not Goal.objects.exists()


def test_recognising_glue_work_announces_it_and_focuses_the_entry(client, cast):
    entry = BragEntryFactory(owner=cast.owner, glue_kind="onboarding", title="Onboarded hires")
    client.force_login(cast.manager)

    first = client.post(f"/brag/{entry.pk}/recognise/", headers=HTMX)
    again = client.post(f"/brag/{entry.pk}/recognise/", headers=HTMX)

    assert announced(first) == "Recognised “Onboarded hires”."
    [tag] = focused(first)
    assert tag.startswith(f'<article id="entry-{entry.pk}"')
    assert announced(again) == "You had already recognised “Onboarded hires”."


def test_a_comment_too_long_focuses_the_comment(client, cast):
    entry = BragEntryFactory(owner=cast.owner, glue_kind="onboarding", visibility="managers")
    client.force_login(cast.manager)

    response = client.post(f"/brag/{entry.pk}/recognise/", {"comment": "x" * 501}, headers=HTMX)

    assert response.status_code == 422
    assert announced(response).startswith("Not recognised: Ensure this value has at most 500")
    [tag] = focused(response)
    assert tag.startswith('<input type="text" name="comment"')
    assert not entry.recognitions.exists()
