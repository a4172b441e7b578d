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
