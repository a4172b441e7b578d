"""Several ladders at once: exactly one is the default, each team uses one, and a person on a
second ladder sees that ladder everywhere: level map, diff, brag tags, assessments, home."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from ladder.models import Ladder, Level
from ladder.services import import_ladder_text, make_default
from people.models import Membership
from reviews.models import ReviewCycle
from reviews.services import start_assessment

from ..factories import MembershipFactory, TeamFactory, UserFactory

MONZO = Path(__file__).resolve().parents[1] / "fixtures" / "frameworks" / "monzo" / "backend.md"


@pytest.fixture
def data_team(cast):
    """A second ladder (Monzo's backend framework) used by a second team with one engineer."""
    monzo = import_ladder_text(MONZO.read_text(encoding="utf-8"), "backend.md").ladder
    team = TeamFactory(name="Data", ladder=monzo)
    engineer = UserFactory(email="dana@example.org", name="Dana")
    MembershipFactory(team=team, user=engineer)
    manager = UserFactory(email="mo@example.org", name="Mo")
    MembershipFactory(team=team, user=manager, role=Membership.Role.MANAGER)
    track = monzo.tracks.get()
    engineer.track = track
    engineer.current_level = track.levels.get(code="3")
    engineer.target_level = track.levels.get(code="4")
    engineer.full_clean()
    engineer.save()
    return monzo, engineer, manager


def test_the_first_ladder_is_the_default_and_a_later_import_is_not(data_team):
    monzo, _, _ = data_team

    assert Ladder.objects.default().slug == "engineering"
    assert not Ladder.objects.get(pk=monzo.pk).is_default


def test_making_another_ladder_the_default_moves_the_one_flag(data_team):
    monzo, _, _ = data_team

    make_default(monzo)

    assert list(Ladder.objects.filter(is_default=True)) == [monzo]
    assert Ladder.objects.default() == monzo


def test_the_database_refuses_two_default_ladders(data_team):
    monzo, _, _ = data_team

    with pytest.raises(IntegrityError):
        Ladder.objects.filter(pk=monzo.pk).update(is_default=True)


def test_the_navigation_opens_the_persons_own_ladder(client, data_team):
    monzo, engineer, _ = data_team
    client.force_login(engineer)

    response = client.get("/ladder/")

    assert response.status_code == 200
    assert f'<p class="eyebrow">{monzo.name}</p>' in response.text
    assert "Single task / function" not in response.text  # the default ladder's text
    assert 'class="is-current"' in response.text
    assert "Adapted from Monzo" in response.text  # the attribution in the footer


def test_a_manager_of_the_second_team_opens_its_ladder(client, data_team):
    monzo, _, manager = data_team
    client.force_login(manager)

    response = client.get("/ladder/")

    assert f'<p class="eyebrow">{monzo.name}</p>' in response.text


def test_the_diff_compares_levels_of_the_persons_ladder(client, data_team):
    monzo, engineer, _ = data_team
    client.force_login(engineer)

    response = client.get(f"/ladder/{monzo.slug}/engineering/diff/")

    assert response.status_code == 200
    assert "Level 3" in response.text and "Level 4" in response.text


def test_brag_dimension_tags_are_the_persons_ladder_dimensions(client, data_team):
    monzo, engineer, _ = data_team
    client.force_login(engineer)

    page = client.get("/brag/").text

    for dimension in monzo.dimensions.all():
        assert dimension.name in page
    assert "Failure Impact" not in page


def test_an_engineer_without_a_track_tags_with_their_teams_ladder(client, data_team):
    monzo, engineer, _ = data_team
    engineer.track = engineer.current_level = engineer.target_level = None
    engineer.save()
    client.force_login(engineer)

    page = client.get("/brag/").text

    assert monzo.dimensions.first().name in page
    assert "Failure Impact" not in page


def test_an_assessment_rates_the_second_ladders_dimensions(client, data_team):
    monzo, engineer, _ = data_team
    cycle = ReviewCycle.objects.create(
        name="H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31)
    )

    assessment = start_assessment(cycle, engineer, engineer, "self")

    keys = set(assessment.ratings.values_list("dimension_key", flat=True))
    assert keys == set(monzo.dimensions.values_list("key", flat=True))
    client.force_login(engineer)
    sheet = client.get(assessment.get_absolute_url()).text
    assert "Level 3 (3)" in sheet


def test_home_shows_the_level_of_the_second_ladder(client, data_team):
    _, engineer, _ = data_team
    client.force_login(engineer)

    home = client.get("/").text

    assert "Level 3 (3)" in home
    assert "Level 4 (4)" in home


def test_a_track_outside_the_teams_ladder_is_refused(data_team):
    _, engineer, _ = data_team
    engineer.track = Level.objects.get(track__key="ic", code="L3").track
    engineer.current_level = engineer.target_level = None

    with pytest.raises(ValidationError) as raised:
        engineer.full_clean()

    assert "Pick a track of your team's ladder" in str(raised.value.message_dict["track"])


def test_a_team_cannot_move_to_a_ladder_its_people_are_not_on(data_team):
    monzo, _, _ = data_team
    team = TeamFactory(name="Mixed")
    MembershipFactory(team=team, user=UserFactory(name="Ivo", track=monzo.tracks.get()))
    team.ladder = Ladder.objects.get(slug="engineering")

    with pytest.raises(ValidationError) as raised:
        team.full_clean()

    assert "Ivo of this team is on a track of another ladder" in str(raised.value)


def test_two_ladders_of_the_same_name_are_told_apart_by_slug(client, cast):
    sample = MONZO.parent.parent / "financial-times" / "engineering.yml"
    import_ladder_text(sample.read_text(encoding="utf-8"), sample.name)  # also "Engineering"
    client.force_login(cast.owner)

    page = client.get("/ladder/").text

    assert ">Engineering (engineering)</a>" in page
    assert ">Engineering (ft-engineering)</a>" in page
