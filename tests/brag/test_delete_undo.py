"""Delete with Undo: the entry comes back exactly; only the owner does either."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from brag.models import BragEntry, Goal, Visibility

from ..factories import BragEntryFactory, GoalFactory

HTMX = {"HX-Request": "true"}


def snapshot(entry: BragEntry) -> dict:
    entry = BragEntry.objects.get(pk=entry.pk)
    fields = {f.attname: getattr(entry, f.attname) for f in BragEntry._meta.concrete_fields}
    fields.pop("deleted_at")
    fields["dimensions"] = sorted(entry.dimensions.values_list("pk", flat=True))
    return fields


@pytest.fixture
def entry(cast):
    dimensions = list(cast.owner.track.ladder.dimensions.filter(key__in=["scope", "influence"]))
    return BragEntryFactory(
        owner=cast.owner,
        title="Onboarded two hires",
        role="Paired **daily**",
        skills="Mentoring",
        links=["https://wiki.example.com/onboarding"],
        glue_kind="onboarding",
        visibility=Visibility.TEAM,
        date=dt.date(2026, 10, 1),
        dimensions=dimensions,
    )


def test_delete_then_undo_restores_every_field_and_tag(client, cast, entry):
    before = snapshot(entry)
    client.force_login(cast.owner)

    deleted = client.post(f"/brag/{entry.pk}/delete/", headers=HTMX)

    assert "Deleted “Onboarded two hires”." in deleted.text
    assert f'hx-post="/brag/{entry.pk}/undo/"' in deleted.text
    assert "Onboarded two hires" not in client.get("/brag/").text.split('id="entries"')[1]

    restored = client.post(f"/brag/{entry.pk}/undo/", headers=HTMX)

    assert restored.text.lstrip().startswith(f'<article id="entry-{entry.pk}"')
    assert snapshot(entry) == before
    assert BragEntry.objects.get(pk=entry.pk).deleted_at is None


def test_without_htmx_the_list_offers_the_undo(client, cast, entry):
    client.force_login(cast.owner)

    response = client.post(f"/brag/{entry.pk}/delete/", follow=True)

    assert response.redirect_chain == [(f"/brag/?undo={entry.pk}", 302)]
    assert "Deleted “Onboarded two hires”." in response.text
    client.post(f"/brag/{entry.pk}/undo/")
    assert BragEntry.objects.get(pk=entry.pk).deleted_at is None


@pytest.mark.parametrize("undo", ["%C2%B2", "9" * 30, "abc"])
def test_an_undo_that_names_no_id_offers_nothing(client, cast, entry, undo):
    entry.soft_delete()
    client.force_login(cast.owner)
    client.raise_request_exception = False

    response = client.get(f"/brag/?undo={undo}")

    assert response.status_code == 200
    assert "Deleted “Onboarded two hires”." not in response.text


def test_a_deleted_entry_disappears_for_readers_too(client, cast, entry):
    entry.soft_delete()
    client.force_login(cast.teammate)

    assert client.get(f"/brag/{entry.pk}/").status_code == 404
    assert "Onboarded two hires" not in client.get(f"/brag/people/{cast.owner.pk}/").text


@pytest.mark.parametrize("role", ["manager", "teammate", "outsider", "staff"])
def test_nobody_else_can_delete(client, cast, entry, role):
    client.force_login(getattr(cast, role))

    assert client.post(f"/brag/{entry.pk}/delete/").status_code == 404
    assert BragEntry.objects.get(pk=entry.pk).deleted_at is None


@pytest.mark.parametrize("role", ["manager", "teammate", "outsider", "staff"])
def test_nobody_else_can_undo(client, cast, entry, role):
    entry.soft_delete()
    client.force_login(getattr(cast, role))

    assert client.post(f"/brag/{entry.pk}/undo/").status_code == 404
    assert BragEntry.objects.get(pk=entry.pk).deleted_at is not None


def test_undo_of_an_entry_that_is_not_deleted_is_404(client, cast, entry):
    client.force_login(cast.owner)

    assert client.post(f"/brag/{entry.pk}/undo/").status_code == 404


def test_delete_needs_a_post(client, cast, entry):
    client.force_login(cast.owner)

    assert client.get(f"/brag/{entry.pk}/delete/").status_code == 405
    assert BragEntry.objects.get(pk=entry.pk).deleted_at is None


def test_purge_removes_only_what_was_deleted_over_30_days_ago(cast, entry):
    recent = BragEntryFactory(owner=cast.owner)
    kept = BragEntryFactory(owner=cast.owner)
    old_goal, new_goal = GoalFactory(owner=cast.owner), GoalFactory(owner=cast.owner)
    long_ago = timezone.now() - dt.timedelta(days=31)
    BragEntry.objects.filter(pk=entry.pk).update(deleted_at=long_ago)
    BragEntry.objects.filter(pk=recent.pk).update(deleted_at=timezone.now() - dt.timedelta(days=29))
    Goal.objects.filter(pk=old_goal.pk).update(deleted_at=long_ago)
    Goal.objects.filter(pk=new_goal.pk).update(deleted_at=timezone.now())

    out = StringIO()
    call_command("purge_deleted", stdout=out)

    assert out.getvalue().strip() == "Purged 1 entry and 1 goal(s)."
    assert set(BragEntry.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}
    assert list(Goal.objects.values_list("pk", flat=True)) == [new_goal.pk]
