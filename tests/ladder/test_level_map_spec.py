"""The live ladder as a spec (`ladder_to_spec`, read as plain values): what the level map shows
and what a version records, in the ladder's own order, so that the map and a ladder's history
never disagree."""

from django.urls import reverse

from ladder.models import Criterion, Expectation, Ladder
from ladder.services import ladder_to_spec

from ..factories import DimensionFactory, ExpectationFactory, LevelFactory, TrackFactory


def test_the_default_ladder_reads_as_its_recorded_version(default_ladder: Ladder) -> None:
    recorded = default_ladder.versions.order_by("-number").first()
    assert recorded is not None
    assert ladder_to_spec(default_ladder) == recorded.spec


def test_criteria_signals_and_order_are_read_in_the_ladders_order(default_ladder: Ladder) -> None:
    track = TrackFactory(key="growing", order=0)
    # Added in reverse order, so that only the `order` fields put them right.
    second = DimensionFactory(ladder=track.ladder, key="second", order=2)
    first = DimensionFactory(ladder=track.ladder, key="first", order=1)
    high = LevelFactory(track=track, code="H", order=2, signals=["leads"], holds_back=["hides"])
    low = LevelFactory(track=track, code="L", order=1)
    for level in (high, low):
        for dimension in (second, first):
            expectation = ExpectationFactory(level=level, dimension=dimension)
            Criterion.objects.create(expectation=expectation, text="Later", order=2)
            Criterion.objects.create(
                expectation=expectation,
                text="Sooner",
                examples=["an example"],
                ref="ref-1",
                proficiency="Foundational",
                order=1,
            )
    # An expectation on another ladder's dimension is no part of this ladder.
    ExpectationFactory(level=low, dimension=DimensionFactory(key="elsewhere"))

    spec = ladder_to_spec(track.ladder)

    growing = spec.track("growing")
    assert growing is not None
    assert [level.code for level in growing.levels] == ["L", "H"]
    assert list(growing.levels[0].expectations) == ["first", "second"]
    criteria = growing.levels[0].expectations["first"].criteria
    assert [criterion.text for criterion in criteria] == ["Sooner", "Later"]
    assert criteria[0].examples == ["an example"]
    assert growing.levels[1].signals == ["leads"]


def test_the_map_shows_a_change_made_outside_the_write_paths(client, cast) -> None:
    # No version records this edit: the map reads the rows, not the latest version.
    expectation = Expectation.objects.filter(level__track__key="ic").first()
    assert expectation is not None
    expectation.summary = "Rewritten in a shell, with no version recorded"
    expectation.save()
    client.force_login(cast.owner)

    response = client.get(reverse("ladder:map", args=["engineering", "ic"]))

    assert "Rewritten in a shell, with no version recorded" in response.text
