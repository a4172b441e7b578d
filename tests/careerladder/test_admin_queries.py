"""The admin's team page and its delete confirmations ask the same number of queries whatever
the size of the team or of a person's records, and a confirmation still lists exactly what the
delete removes (careerladder/admin_privacy.py counts what staff may not read in the database)."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brag.models import BragEntry, GlueRecognition
from careerladder.text import BIDI_MESSAGE
from ladder.models import Dimension
from people.models import Membership, Team, User
from reviews.models import Kind, Rating, ReviewCycle
from reviews.services import start_assessment

from ..conftest import Cast
from ..factories import BragEntryFactory, GoalFactory, MembershipFactory, TeamFactory, UserFactory

MAX_QUERIES = 15


def queries(client: Client, url: str) -> int:
    """The page's queries the second time it is asked (the first starts the session)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def team_of(size: int) -> Team:
    team = TeamFactory(name=f"Team of {size}")
    for n in range(size):
        user = UserFactory(email=f"member-{size}-{n}@example.org", name=f"Member {size}-{n}")
        MembershipFactory(team=team, user=user)
    return team


def person_with(entries: int, cycle: ReviewCycle, cast: Cast) -> User:
    """Someone at the owner's level with `entries` brag entries (each tagged with dimensions
    and recognised by the manager), a goal, and a self-assessment whose ratings cite them."""
    owner = cast.owner
    person = UserFactory(
        email=f"person-{entries}@example.org",
        track=owner.track,
        current_level=owner.current_level,
        target_level=owner.target_level,
    )
    recogniser = cast.manager
    dimensions = list(Dimension.objects.all()[:2])
    made = [BragEntryFactory(owner=person, dimensions=dimensions) for _ in range(entries)]
    for entry in made:
        GlueRecognition.objects.create(entry=entry, by=recogniser, comment="Thanks")
    GoalFactory(owner=person)
    assessment = start_assessment(cycle, person, person, Kind.SELF)
    for rating in assessment.ratings.all():
        rating.evidence.add(*made)
    return person


@pytest.fixture
def cycle(db) -> ReviewCycle:
    return ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )


def test_a_team_page_asks_as_many_queries_for_30_members_as_for_3(admin_client, cast):
    small, large = team_of(3), team_of(30)

    counts = [
        queries(admin_client, reverse("admin:people_team_change", args=[team.pk]))
        for team in (small, large)
    ]

    assert counts[0] == counts[1]
    assert counts[1] <= MAX_QUERIES


def test_a_team_page_shows_each_member_chosen_in_the_search(admin_client, cast):
    team = Team.objects.get(name="Platform")

    page = admin_client.get(reverse("admin:people_team_change", args=[team.pk])).text

    for membership in Membership.objects.filter(team=team).select_related("user"):
        assert f'<option value="{membership.user_id}" selected>{membership.user}</option>' in page
    assert "admin-autocomplete" in page  # staff still find people to add by searching


def test_staff_add_change_and_remove_members_in_one_save(admin_client, cast):
    team = Team.objects.get(name="Platform")
    rows = list(Membership.objects.filter(team=team).order_by("pk"))
    data = {
        "name": team.name,
        "slug": team.slug,
        "glue_share_limit": team.glue_share_limit,
        "unrecognised_after_days": team.unrecognised_after_days,
        "memberships-TOTAL_FORMS": len(rows) + 1,
        "memberships-INITIAL_FORMS": len(rows),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data |= {
            f"memberships-{index}-id": row.pk,
            f"memberships-{index}-team": team.pk,
            f"memberships-{index}-user": row.user_id,
            f"memberships-{index}-role": row.role,
        }
    owner_row = rows.index(Membership.objects.get(team=team, user=cast.owner))
    teammate_row = rows.index(Membership.objects.get(team=team, user=cast.teammate))
    data[f"memberships-{owner_row}-role"] = Membership.Role.MANAGER
    data[f"memberships-{teammate_row}-DELETE"] = "on"
    data |= {
        f"memberships-{len(rows)}-team": team.pk,
        f"memberships-{len(rows)}-user": cast.outsider.pk,
        f"memberships-{len(rows)}-role": Membership.Role.ENGINEER,
    }

    response = admin_client.post(reverse("admin:people_team_change", args=[team.pk]), data)

    assert response.status_code == 302
    members = dict(Membership.objects.filter(team=team).values_list("user__email", "role"))
    assert members["owner@example.org"] == Membership.Role.MANAGER
    assert "teammate@example.org" not in members
    assert members["outsider@example.org"] == Membership.Role.ENGINEER


def test_a_team_sent_back_with_an_error_shows_the_newly_chosen_person(admin_client, cast):
    """The widget names a person it did not load with the row by asking for them, as Django
    does; and nothing is saved."""
    team = Team.objects.get(name="Platform")
    row = Membership.objects.get(team=team, user=cast.owner)
    data = {
        "name": "Platform \u202eweivrevo",
        "slug": team.slug,
        "glue_share_limit": team.glue_share_limit,
        "unrecognised_after_days": team.unrecognised_after_days,
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 1,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "memberships-0-id": row.pk,
        "memberships-0-team": team.pk,
        "memberships-0-user": cast.outsider.pk,
        "memberships-0-role": row.role,
    }

    response = admin_client.post(reverse("admin:people_team_change", args=[team.pk]), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [BIDI_MESSAGE]
    assert f'<option value="{cast.outsider.pk}" selected>Outsider</option>' in response.text
    assert Membership.objects.get(pk=row.pk).user == cast.owner
    assert Team.objects.get(pk=team.pk).name == "Platform"


def test_deleting_a_team_of_30_asks_as_many_queries_as_a_team_of_3(admin_client, cast):
    small, large = team_of(3), team_of(30)

    counts = [
        queries(admin_client, reverse("admin:people_team_delete", args=[team.pk]))
        for team in (small, large)
    ]

    assert counts[0] == counts[1]
    assert counts[1] <= MAX_QUERIES
    page = admin_client.get(reverse("admin:people_team_delete", args=[large.pk])).text
    assert page.count("<li>Membership: Member 30-") == 30
    assert "<li>Membership: Member 30-29 · Engineer in Team of 30</li>" in page


def test_deleting_a_person_asks_as_many_queries_for_30_entries_as_for_3(admin_client, cast, cycle):
    few, many = person_with(3, cycle, cast), person_with(30, cycle, cast)

    counts = [
        queries(admin_client, reverse("admin:people_user_delete", args=[person.pk]))
        for person in (few, many)
    ]

    assert counts[0] == counts[1]


def plural(label: str) -> str:
    return str(apps.get_model(label)._meta.verbose_name_plural)


@pytest.mark.parametrize("entries", [3, 30])
def test_the_confirmation_counts_exactly_what_the_delete_removes(
    admin_client, cast, cycle, entries
):
    """Evidence rows go with the person's entries and with their ratings: those reached both
    ways are counted once, as the delete removes them once, and those reached one way only
    (their rating citing someone else's entry, someone else's rating citing theirs) are
    counted too."""
    person = person_with(entries, cycle, cast)
    MembershipFactory(team=Team.objects.get(name="Platform"), user=person)
    theirs = BragEntryFactory(owner=cast.owner)
    Rating.objects.filter(assessment__subject=person).first().evidence.add(theirs)
    owners = start_assessment(cycle, cast.owner, cast.owner, Kind.SELF)
    owners.ratings.first().evidence.add(*BragEntry.objects.filter(owner=person)[:2])

    response = admin_client.get(reverse("admin:people_user_delete", args=[person.pk]))
    _, removed = User.objects.get(pk=person.pk).delete()

    shown = dict(response.context["model_count"])
    assert shown == {plural(label): count for label, count in removed.items() if count}
    assert shown[plural("brag.BragEntry_dimensions")] == 2 * entries
    dimensions = Dimension.objects.filter(ladder=cast.owner.track.ladder).count()
    assert shown[plural("reviews.Rating_evidence")] == dimensions * entries + 1 + 2
    assert f"Brag entries: {entries}" in response.text
