"""The ladder's models and the default ladder as the guide writes it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from ladder.models import Expectation, Ladder, Level
from ladder.services import load_default_ladder

from ..factories import DimensionFactory, ExpectationFactory, LevelFactory, TrackFactory

# Each row of the guide's level map, as the seed file runs it together: the dimension, then the
# cells for Junior (L1-L2), Mid (L3), Senior (L4), Staff (L5) and Principal (L6+). One typo of
# the guide is corrected: its Principal × Ambiguity cell opens its quotation with a closing mark.
GUIDE_ROWS = [
    "ScopeSingle task / functionFeature / small projectEntire system / service"
    "Multiple systems / cross-teamOrg-wide / company-wide",
    "AutonomyNeeds guidance on approachNeeds guidance on directionSelf-directed, sets direction "
    "for othersDefines technical direction for a domainShapes company technical strategy",
    "InfluenceOwn codeTeam codebaseTeam + adjacent teamsEngineering orgEntire company",
    "Technical DepthLearns patternsApplies patterns correctlyChooses and adapts patterns"
    "Creates patterns others followDefines industry-level patterns",
    "AmbiguityWell-defined tasksLoosely defined featuresAmbiguous problemsUndefined problem "
    "spaces\u201cWe don\u2019t even know the question yet\u201d",
    "Failure ImpactBug in a functionBroken featureService outageCross-team architectural debt"
    "Company-wide strategic misalignment",
]


def test_the_default_ladder_has_the_guides_level_map(default_ladder):
    ic = default_ladder.tracks.get(key="ic")
    levels = list(ic.levels.all())
    assert [(level.name, level.code) for level in levels] == [
        ("Junior", "L1-L2"),
        ("Mid", "L3"),
        ("Senior", "L4"),
        ("Staff", "L5"),
        ("Principal", "L6+"),
    ]
    rows = []
    for dimension in default_ladder.dimensions.all():
        cells = [
            Expectation.objects.get(level=level, dimension=dimension).summary for level in levels
        ]
        rows.append(dimension.name + "".join(cells))
    assert rows == GUIDE_ROWS
    assert Expectation.objects.filter(level__track=ic).count() == 30


def test_the_default_ladder_has_each_transitions_signals(default_ladder):
    levels = {level.code: level for level in Level.objects.filter(track__key="ic")}
    assert levels["L1-L2"].signals == []
    assert levels["L3"].signals[0] == "You break down tasks yourself before starting"
    assert len(levels["L3"].signals) == 5
    assert levels["L4"].signals[0] == "You write the design doc before you write the code"
    assert len(levels["L4"].signals) == 6
    assert levels["L5"].holds_back[1] == "Not writing — design docs, RFCs, blog posts, postmortems"
    assert levels["L6+"].holds_back[-1] == (
        "Not developing a point of view on where the industry is heading"
    )
    assert levels["L4"].summary.startswith("You shift from “I completed the ticket”")


def test_the_default_ladder_has_the_management_track(default_ladder):
    management = default_ladder.tracks.get(key="management")
    assert list(management.levels.values_list("name", flat=True)) == [
        "Tech Lead Manager",
        "Engineering Manager",
        "Director",
        "VP",
    ]
    assert "Impact through people and organizational design" in management.description


def test_loading_the_default_ladder_twice_changes_nothing(default_ladder):
    assert load_default_ladder() is None
    assert Ladder.objects.count() == 1
    assert Expectation.objects.count() == 30


def test_an_expectation_must_use_a_dimension_of_its_own_ladder(db):
    level = LevelFactory()
    foreign_dimension = DimensionFactory()  # on another ladder
    expectation = Expectation(level=level, dimension=foreign_dimension, summary="Anything")

    with pytest.raises(ValidationError) as raised:
        expectation.full_clean()

    assert "Pick a dimension of this level's ladder." in raised.value.message_dict["dimension"]


def test_a_level_code_is_unique_within_its_track(db):
    track = TrackFactory()
    LevelFactory(track=track, code="L4")
    LevelFactory(code="L4")  # another track may reuse it

    with pytest.raises(IntegrityError):
        LevelFactory(track=track, code="L4")


def test_one_expectation_per_level_and_dimension(db):
    expectation = ExpectationFactory()

    with pytest.raises(IntegrityError):
        ExpectationFactory(level=expectation.level, dimension=expectation.dimension)


def test_signals_must_be_a_list_of_texts(db):
    level = LevelFactory.build(track=TrackFactory(), signals="not a list")

    with pytest.raises(ValidationError) as raised:
        level.full_clean()

    assert "signals" in raised.value.message_dict
