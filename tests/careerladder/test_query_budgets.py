"""Query budgets: every page a person opens with GET runs the same number of queries whatever
the size of the organisation, and at most MAX_QUERIES.

The pages are the access matrix's GET rows (so a new page is measured the day it gets its row),
opened by each of the engineer, the manager, the decider and staff wherever the table lets
them in. The world is the matrix's, measured once after it has grown by GROWTH and once after
it has grown by ten times that: more teammates (each with entries, assessments, notes and a
submitted packet in the round), more of the subject's entries of every kind, evidence, notes,
recognitions and ladder versions. A page whose count moves with the data has an N+1."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from brag.models import BragEntry, Category, GlueKind, GlueRecognition, Visibility
from ladder.models import Dimension, Expectation, VersionSource
from ladder.services import record_version
from people.models import Membership, User
from reviews.models import Rating
from reviews.note_services import create_note, share_note
from reviews.packet_models import MatrixRow, PacketProject

from ..factories import GoalFactory, MembershipFactory, UserFactory
from .access_world import DECIDER, MANAGER, STAFF, SUBJECT, World, _levels, place, plant, shared
from .test_access_matrix import ROWS, Row

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
# Staff's delete confirmations for a ladder and for a person: Django's deletion collector asks
# one query per relation it must load (to cascade further, or to say what protects the object),
# and these two reach further than 15 relations. Their counts stay the same at any size (the
# other test holds them to that); records staff may not read are counted in one query
# (careerladder/admin_privacy.py). Bringing them lower means re-deriving the cascade by hand.
BEYOND_BUDGET = {
    "GET admin:ladder_ladder_delete as staff": 20,
    "GET admin:people_user_delete as staff": 19,
}
GROWTH = 2  # the small world adds this much of everything; the large one ten times as much
MEASURED_ROLES = (SUBJECT, MANAGER, DECIDER, STAFF)


def pages() -> list[tuple[Row, str]]:
    return [
        (row, role)
        for row in ROWS
        if row.method == "GET"
        for role in MEASURED_ROLES
        if row.expected[role] == 200
    ]


def grow(world: World, times: int, start: int) -> None:
    """Add `times` of everything to the world; `start` keeps names and secrets unique."""
    manager, subject = world.people[MANAGER], world.subject
    levels = _levels(world.ladder)
    dimensions = list(Dimension.objects.filter(ladder=world.ladder).order_by("order"))
    kinds = itertools.cycle(GlueKind.values)
    for n in range(start, start + times):
        # A teammate with one of everything, their packet submitted into the round.
        teammate = place(
            UserFactory(email=f"grown-{n}@example.org", name=f"Grown {n}"), levels, "L3", "L4"
        )
        MembershipFactory(team=world.team, user=teammate, role=Membership.Role.ENGINEER)
        plant(teammate, manager, world.cycle, world.later_cycle, f"grown-{n}")
        # More of the subject's own: entries of every category, visibility and glue kind.
        made = BragEntry.objects.bulk_create(
            BragEntry(
                owner=subject,
                title=f"Grown win {n} {category}",
                category=category,
                impact=f"Saved {n} hours for 12 people",
                visibility=visibility,
                glue_kind=next(kinds) if category == Category.values[-1] else "",
            )
            for category in Category.values
            for visibility in Visibility.values
        )
        BragEntry.dimensions.through.objects.bulk_create(
            BragEntry.dimensions.through(bragentry_id=entry.pk, dimension_id=dimension.pk)
            for entry in made
            for dimension in dimensions[: 1 + entry.pk % 3]
        )
        glue = [entry for entry in made if entry.glue_kind and entry.visibility != "private"]
        GlueRecognition.objects.bulk_create(
            GlueRecognition(entry=entry, by=manager, comment=f"Thanks {n}") for entry in glue
        )
        GoalFactory(owner=subject, text=f"Grown goal {n}")
        readable = [entry for entry in made if entry.visibility != Visibility.PRIVATE]
        mine = world.mine
        for rating in Rating.objects.filter(
            assessment__in=[mine.self_assessment, mine.draft_self, mine.manager_assessment]
        ):
            rating.evidence.add(*readable)
        for row in MatrixRow.objects.filter(packet__in=[mine.packet, mine.draft_packet]):
            row.evidence.add(*readable)
        order = PacketProject.objects.filter(packet=mine.draft_packet).count()
        PacketProject.objects.create(packet=mine.draft_packet, entry=readable[0], order=order)
        note = create_note(
            subject, manager, title=f"Grown note {n}", body="Body", cycle=world.cycle
        )
        if n % 2:
            share_note(note, manager)
        # A new version of the ladder.
        expectation = Expectation.objects.filter(level__track__ladder=world.ladder).first()
        assert expectation is not None
        Expectation.objects.filter(pk=expectation.pk).update(summary=f"{expectation.summary} ({n})")
        record_version(world.ladder, via=VersionSource.ADMIN)


def measure(world: World) -> dict[str, int]:
    """Each page's query count, asked a second time so that the first request's one-off work
    (the session's start, caches) is not counted."""
    counts: dict[str, int] = {}
    for row, role in pages():
        client = Client()
        client.force_login(world.people[role])
        url, data = row.url(world), row.data(world) if row.data else {}
        client.get(url, data)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data)
        assert response.status_code == 200, f"{row.id} as {role}: {response.status_code}"
        counts[f"{row.id} as {role}"] = len(queries)
    return counts


@dataclass
class Budgets:
    counts: dict[str, tuple[int, int]]  # page -> (queries in the small world, in the large one)
    people: tuple[int, int]  # grown teammates in each world
    entries: tuple[int, int]  # the subject's grown entries in each world


def _sizes(world: World) -> tuple[int, int]:
    people = User.objects.filter(email__startswith="grown-").count()
    entries = BragEntry.objects.filter(owner=world.subject, title__startswith="Grown").count()
    return people, entries


@pytest.fixture(scope="module")
def budgets(django_db_setup: None, django_db_blocker: Any) -> Iterator[Budgets]:
    from .access_world import build_world

    with django_db_blocker.unblock(), shared(build_world) as world:
        grow(world, GROWTH, 0)
        small, small_sizes = measure(world), _sizes(world)
        grow(world, 9 * GROWTH, GROWTH)
        large, large_sizes = measure(world), _sizes(world)
        yield Budgets(
            counts={page: (small[page], large[page]) for page in small},
            people=(small_sizes[0], large_sizes[0]),
            entries=(small_sizes[1], large_sizes[1]),
        )


def _ids() -> list[str]:
    return [f"{row.id} as {role}" for row, role in pages()]


def test_pages_are_measured_for_every_persona() -> None:
    measured = {role for _, role in pages()}
    assert measured == set(MEASURED_ROLES)
    assert len(pages()) > 60


def test_the_large_world_is_ten_times_the_small_one(budgets: Budgets) -> None:
    assert budgets.people == (GROWTH, 10 * GROWTH)
    per_growth = len(Category.values) * len(Visibility.values)
    assert budgets.entries == (GROWTH * per_growth, 10 * GROWTH * per_growth)


@pytest.mark.parametrize("page", _ids())
def test_query_count_does_not_grow_with_the_data(page: str, budgets: Budgets) -> None:
    small, large = budgets.counts[page]
    assert large == small, f"{page}: {small} queries with the small world, {large} with 10×"


@pytest.mark.parametrize("page", _ids())
def test_query_count_is_within_the_budget(page: str, budgets: Budgets) -> None:
    small, large = budgets.counts[page]
    budget = BEYOND_BUDGET.get(page, MAX_QUERIES)
    assert max(small, large) <= budget, f"{page}: {max(small, large)} queries"


def test_pages_beyond_the_budget_are_only_the_named_ones() -> None:
    """An exemption names a page that exists, and no more than the two delete confirmations."""
    assert set(BEYOND_BUDGET) <= set(_ids())
    assert all(page.startswith("GET admin:") and "_delete as" in page for page in BEYOND_BUDGET)
