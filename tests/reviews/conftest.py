import datetime as dt

import pytest

from ladder.models import Level
from reviews.models import Assessment, Kind, ReviewCycle
from reviews.services import start_assessment, submit


@pytest.fixture
def cycle(db) -> ReviewCycle:
    return ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )


def rate_all(assessment: Assessment, code: str = "L3") -> Assessment:
    level = Level.objects.get(track=assessment.track, code=code)
    assessment.ratings.update(level=level)
    return assessment


@pytest.fixture
def self_assessment(cast, cycle) -> Assessment:
    return start_assessment(cycle, cast.owner, cast.owner, Kind.SELF)


@pytest.fixture
def manager_assessment(cast, cycle) -> Assessment:
    return start_assessment(cycle, cast.owner, cast.manager, Kind.MANAGER)


@pytest.fixture
def submitted_self(self_assessment) -> Assessment:
    submit(rate_all(self_assessment))
    return Assessment.objects.get(pk=self_assessment.pk)


@pytest.fixture
def submitted_manager(manager_assessment) -> Assessment:
    submit(rate_all(manager_assessment, "L4"))
    return Assessment.objects.get(pk=manager_assessment.pk)


@pytest.fixture
def second_manager(cast):
    """Another manager of the owner's team: reads and edits the owner's notes and packet."""
    from people.models import Membership

    from ..factories import MembershipFactory, UserFactory

    manager = UserFactory(email="second-manager@example.org", name="Second Manager")
    team = cast.manager.memberships.get().team
    MembershipFactory(team=team, user=manager, role=Membership.Role.MANAGER)
    return manager


@pytest.fixture
def decider(cast, cycle):
    """A decider of the cycle's promotion round, in no team of the owner's."""
    from reviews.models import PromotionRound

    from ..factories import UserFactory

    person = UserFactory(email="decider@example.org", name="Decider")
    PromotionRound.objects.create(cycle=cycle).deciders.add(person)
    return person


@pytest.fixture
def packet(cast, cycle):
    """A draft packet for the owner (Mid L3 aiming at Senior L4), started by their manager."""
    from reviews.packet_services import start_packet

    return start_packet(cast.owner, cycle, cast.manager)
