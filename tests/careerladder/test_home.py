"""The home page: what waits on me, by the hats I wear, each item a way to act; below it where
I stand, my teams and my managers. The list's rules are tested in tests/reviews/test_todo.py."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brag.models import Visibility
from ladder.models import Level
from people.models import Membership, User
from reviews.models import Assessment, Kind, ReviewCycle
from reviews.note_services import create_note
from reviews.services import start_assessment, submit

from ..factories import BragEntryFactory, MembershipFactory, UserFactory

TODAY = timezone.localdate()


@pytest.fixture
def open_cycle(db) -> ReviewCycle:
    return ReviewCycle.objects.create(
        name="Review now", start=TODAY - dt.timedelta(days=10), end=TODAY + dt.timedelta(days=30)
    )


# Where I stand and whom I work with ----------------------------------------------------------


def test_an_engineer_sees_their_place_and_a_link_to_what_changes_next(client, cast):
    client.force_login(cast.owner)

    response = client.get("/")

    assert response.status_code == 200
    assert "Mid (L3)" in response.text
    assert "Senior (L4)" in response.text
    link = '/ladder/engineering/ic/diff/?from_level=L3&amp;to_level=L4">What changes from L3 to L4'
    assert f'href="{link}' in response.text
    assert "Your manager: Manager" in response.text
    assert f'Your teammates: <a href="/brag/people/{cast.teammate.pk}/">Teammate</a>' in (
        response.text
    )
    assert "Platform" in response.text


def test_a_manager_sees_whom_they_manage(client, cast):
    client.force_login(cast.manager)

    response = client.get("/")

    assert (
        f'You manage: <a href="/brag/people/{cast.owner.pk}/">Owner</a>, '
        f'<a href="/brag/people/{cast.teammate.pk}/">Teammate</a>'
    ) in response.text
    assert "not placed on a track yet" in response.text


def test_the_outsider_sees_no_one_from_the_other_team(client, cast):
    client.force_login(cast.outsider)

    response = client.get("/")

    assert "Owner" not in response.text
    assert "Teammate" not in response.text
    assert "Payments" in response.text


def test_someone_in_no_team_is_told_so(client, db):
    client.force_login(UserFactory())

    response = client.get("/")

    assert "You are not in a team yet." in response.text


# The to-do list ------------------------------------------------------------------------------


def test_nothing_to_do_says_so(client, cast):
    BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    text = client.get("/").text

    assert "What waits on you" in text
    assert "Nothing waits on you right now." in text
    assert "As an engineer" not in text


def test_an_engineer_is_asked_to_log_a_win_with_a_link_to_the_brag_document(client, cast):
    client.force_login(cast.owner)

    text = client.get("/").text

    assert '<h3 id="todo-engineer">As an engineer</h3>' in text
    assert "Nothing in your brag document this week yet" in text
    assert '<a class="button todo__action" href="/brag/">Log a win</a>' in text
    assert "Nothing waits on you right now." not in text


def test_the_start_button_starts_the_self_assessment(client, cast, open_cycle):
    client.force_login(cast.owner)
    action = f"/reviews/cycles/{open_cycle.pk}/start/"

    assert f'method="post" action="{action}"' in client.get("/").text

    response = client.post(action)

    mine = Assessment.objects.get(subject=cast.owner, kind=Kind.SELF)
    assert response["Location"] == mine.get_absolute_url()
    assert "Your self-assessment for Review now is a draft: 0 of" in client.get("/").text


def test_the_assess_button_starts_the_managers_assessment(client, cast, open_cycle):
    client.force_login(cast.manager)
    text = client.get("/").text

    assert '<h3 id="todo-manager">As a manager</h3>' in text
    assert f'<input type="hidden" name="subject" value="{cast.owner.pk}">' in text

    response = client.post(f"/reviews/cycles/{open_cycle.pk}/start/", {"subject": cast.owner.pk})

    mine = Assessment.objects.get(subject=cast.owner, author=cast.manager)
    assert response["Location"] == mine.get_absolute_url()


@pytest.mark.parametrize("is_staff", [True, False])
def test_people_without_a_track_are_not_offered_a_start_that_fails(
    client, cast, open_cycle, is_staff
):
    person = UserFactory(name="No Track", is_staff=is_staff)
    MembershipFactory(team=cast.owner.memberships.get().team, user=person)
    client.force_login(person)

    text = client.get("/").text

    assert "Start my self-assessment" not in text
    assert f"/reviews/cycles/{open_cycle.pk}/start/" not in text


def test_staffs_link_to_people_without_a_track_opens_the_filtered_admin_list(client, cast):
    User.objects.filter(pk=cast.staff.pk).update(is_superuser=True)
    UserFactory(name="Newcomer", email="newcomer@example.org")
    client.force_login(cast.staff)

    text = client.get("/").text
    url = "/admin/people/user/?is_active__exact=1&amp;is_staff__exact=0&amp;track__isnull=True"

    assert '<h3 id="todo-staff">As staff</h3>' in text
    assert f'href="{url}">Place them on a track</a>' in text
    listed = client.get(url.replace("&amp;", "&"))
    assert listed.status_code == 200
    assert "newcomer@example.org" in listed.text
    assert "owner@example.org" not in listed.text


def test_a_shared_assessment_links_the_engineer_to_the_compare_view(client, cast, open_cycle):
    from reviews.services import share

    from ..reviews.conftest import rate_all

    BragEntryFactory(owner=cast.owner)
    submit(rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)))
    theirs = rate_all(start_assessment(open_cycle, cast.owner, cast.manager, Kind.MANAGER), "L4")
    submit(theirs)
    client.force_login(cast.owner)

    assert "shared their assessment" not in client.get("/").text

    share(Assessment.objects.get(pk=theirs.pk))
    text = client.get("/").text
    assert "Manager shared their assessment of you for Review now." in text
    compare = f"/reviews/people/{cast.owner.pk}/?cycle={open_cycle.pk}"
    assert f'href="{compare}">Compare it with yours</a>' in text
    assert client.get(compare).status_code == 200


# Privacy -------------------------------------------------------------------------------------


def test_the_engineer_reads_nothing_of_the_managers_private_work(client, cast, open_cycle):
    create_note(cast.owner, cast.manager, title="Private worry", body="Body")
    start_assessment(open_cycle, cast.owner, cast.manager, Kind.MANAGER)
    client.force_login(cast.owner)

    text = client.get("/").text

    assert "Private worry" not in text
    assert "Your assessment of" not in text
    assert "shared their assessment" not in text


def test_a_private_glue_entry_raises_no_signal_for_the_manager(client, cast):
    BragEntryFactory(
        owner=cast.owner,
        title="Secret glue",
        glue_kind="onboarding",
        visibility=Visibility.PRIVATE,
        date=TODAY - dt.timedelta(days=60),
    )
    client.force_login(cast.manager)

    text = client.get("/").text

    assert "glue work that no manager has acknowledged" not in text
    assert "Secret glue" not in text


@pytest.mark.parametrize("role", ["teammate", "outsider"])
def test_teammates_and_outsiders_see_nothing_of_the_owners_reviews(client, cast, open_cycle, role):
    from ..reviews.conftest import rate_all

    submit(rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)))
    client.force_login(getattr(cast, role))

    text = client.get("/").text
    todo = text[text.index("What waits on you") : text.index("Where you stand")]

    assert "Owner" not in todo


# Queries -------------------------------------------------------------------------------------


def _grow(cast, open_cycle, n: int) -> None:
    team = cast.manager.memberships.get().team
    levels = {level.code: level for level in Level.objects.filter(track__key="ic")}
    for _ in range(n):
        person = UserFactory(track=levels["L3"].track, current_level=levels["L3"])
        MembershipFactory(team=team, user=person, role=Membership.Role.ENGINEER)
        BragEntryFactory(owner=person, glue_kind="onboarding", date=TODAY - dt.timedelta(days=90))
        start_assessment(open_cycle, person, person, Kind.SELF)
        start_assessment(open_cycle, person, cast.manager, Kind.MANAGER)


def _count(client, user: User) -> int:
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    return len(queries)


def test_the_home_page_query_count_does_not_grow_with_reports(client, cast, open_cycle):
    _grow(cast, open_cycle, 1)
    small = {who: _count(client, getattr(cast, who)) for who in ("owner", "manager")}
    _grow(cast, open_cycle, 6)
    large = {who: _count(client, getattr(cast, who)) for who in ("owner", "manager")}

    assert small == large
    assert max(large.values()) <= 15
