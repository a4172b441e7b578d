"""The team's glue figures against hand-computed numbers: who sees what, the 3-person rule and
the signals at and just past their edges."""

import datetime as dt

import pytest

from brag.glue_figures import team_and_role, team_figures
from brag.models import GlueRecognition
from brag.quarters import Quarter
from people.models import Membership, Team

from ..factories import BragEntryFactory, MembershipFactory, UserFactory

TODAY = dt.date(2026, 11, 15)
Q4 = Quarter(2026, 4)
Q3 = Quarter(2026, 3)
IN_Q4 = dt.date(2026, 10, 20)


def figures_for(viewer, quarters=(Q4,), today=TODAY):
    team, role = team_and_role(viewer, Team.objects.get(name="Platform").pk)
    return team_figures(viewer, team, role, list(quarters), today)


def entry(owner, glue="", visibility="managers", category="projects", date=IN_Q4, **kwargs):
    return BragEntryFactory(
        owner=owner,
        glue_kind=glue,
        visibility=visibility,
        category=category,
        date=date,
        **kwargs,
    )


@pytest.fixture
def crafted(cast):
    """owner: 2 onboarding (managers), 1 documentation (team), 1 project (team), 1 private
    glue, 1 deleted glue; teammate: 1 private glue, 1 project (managers); one Q3 glue entry."""
    entry(cast.owner, "onboarding", category="mentoring")
    entry(cast.owner, "onboarding", category="mentoring")
    entry(cast.owner, "documentation", visibility="team", category="operations")
    entry(cast.owner, visibility="team")
    entry(cast.owner, "postmortems", visibility="private", category="operations")
    entry(cast.owner, "postmortems", category="operations").soft_delete()
    entry(cast.teammate, "facilitation", visibility="private", category="mentoring")
    entry(cast.teammate)
    entry(cast.teammate, "interviewing", visibility="team", date=dt.date(2026, 8, 1))
    entry(cast.outsider, "onboarding", visibility="team")
    return cast


def test_manager_sees_per_person_figures_without_private_or_deleted(crafted):
    figures = figures_for(crafted.manager)
    owner = figures.per_person[crafted.owner.pk][Q4]
    assert (owner.entries, owner.glue, owner.projects) == (4, 3, 1)
    assert dict(owner.by_kind) == {"onboarding": 2, "documentation": 1}
    mate = figures.per_person[crafted.teammate.pk][Q4]
    assert (mate.entries, mate.glue) == (1, 0)
    assert (figures.team_range.entries, figures.team_range.glue) == (5, 3)
    kinds = dict(figures.glue_by_kind())
    assert kinds["Onboarding"].value == 2
    assert kinds["Documentation"].value == 1
    assert kinds["Postmortems"].value == 0
    assert [(p.name, glue, share) for p, glue, share in figures.carriers()] == [
        ("Owner", 3, 100),
        ("Teammate", 0, 0),
    ]
    assert crafted.outsider.pk not in figures.per_person
    entries = {row.person.name: row.entries_this_quarter for row in figures.members}
    assert entries == {"Owner": 4, "Teammate": 1, "Manager": None}


def test_csv_rows_per_person_per_quarter(crafted):
    rows = figures_for(crafted.manager, quarters=(Q3, Q4)).csv_rows()
    # person, email, quarter, entries, glue, then the nine kinds in GlueKind order.
    assert rows[0][:5] == ["Owner", "owner@example.org", "2026-Q3", 0, 0]
    assert rows[1] == ["Owner", "owner@example.org", "2026-Q4", 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0]
    assert rows[2][:5] == ["Teammate", "teammate@example.org", "2026-Q3", 1, 1]
    assert rows[3][:5] == ["Teammate", "teammate@example.org", "2026-Q4", 1, 0]


def test_teammate_sees_no_per_person_figures_and_own_entries_privately(crafted):
    figures = figures_for(crafted.teammate)
    assert figures.per_person == {}
    assert figures.carriers() == []
    assert figures.csv_rows() == []
    assert figures.signals == []
    # Team-visible Q4 entries: the owner's documentation and project (one person: hidden).
    assert (figures.team_range.entries, figures.team_range.glue) == (2, 1)
    assert all(figure.hidden for _, figure in figures.glue_by_kind())
    assert figures.carried_by().hidden
    # Their own figures count their private entry too.
    mine = figures.own_range()
    assert (mine.entries, mine.glue) == (2, 1)
    entries = {row.person.name: row.entries_this_quarter for row in figures.members}
    assert entries == {"Owner": None, "Teammate": 2, "Manager": None}
    labels = [label for label, _ in figures.chart_series()]
    assert labels == ["You (all your entries)"]


def test_owner_sees_their_private_entries_only_in_their_own_figures(crafted):
    figures = figures_for(crafted.owner)
    assert (figures.own_range().entries, figures.own_range().glue) == (5, 4)
    assert figures.team_range.entries == 2


def _third_engineer(cast):
    third = UserFactory(name="Third")
    MembershipFactory(team=Membership.objects.get(user=cast.owner).team, user=third)
    return third


def test_three_person_rule_hides_an_aggregate_over_two_people(cast):
    _third_engineer(cast)
    entry(cast.owner, "documentation", visibility="team")
    entry(cast.teammate, "documentation", visibility="team")
    figures = figures_for(cast.teammate)
    assert dict(figures.glue_by_kind())["Documentation"].hidden
    ((_, entries, glue),) = figures.team_quarters()
    assert entries.hidden and glue.hidden
    assert figures.carried_by().hidden


def test_three_person_rule_shows_an_aggregate_over_three_people(cast):
    third = _third_engineer(cast)
    for person in (cast.owner, cast.teammate, third):
        entry(person, "documentation", visibility="team")
    entry(third, "documentation", visibility="managers")  # not shared with the team
    figures = figures_for(cast.teammate)
    assert dict(figures.glue_by_kind())["Documentation"].value == 3
    assert dict(figures.glue_by_kind())["Onboarding"].hidden  # nobody: no figure
    ((_, entries, glue),) = figures.team_quarters()
    assert (entries.value, glue.value) == (3, 3)
    assert figures.carried_by().value == 3
    assert next(label for label, _ in figures.chart_series()) == "Team (shared with the team)"


def _signals(cast, kind):
    return [(s.person.name, s.quarter) for s in figures_for(cast.manager).signals if s.kind == kind]


@pytest.mark.parametrize(("limit", "flagged"), [(66, True), (67, False)])
def test_carrying_the_glue_just_past_and_at_the_limit(cast, limit, flagged):
    Team.objects.filter(name="Platform").update(glue_share_limit=limit)
    entry(cast.owner, "onboarding")
    entry(cast.owner, "documentation")
    entry(cast.teammate, "onboarding")
    entry(cast.teammate, "onboarding", visibility="private")  # does not count
    # The owner logs 2 of 3 glue entries: 66.7%.
    assert _signals(cast, "carrying") == ([("Owner", Q4)] if flagged else [])


def test_out_of_balance_needs_mostly_glue_and_no_project(cast):
    entry(cast.owner, "onboarding")
    entry(cast.owner, category="mentoring")  # 1 of 2: half, not mostly
    entry(cast.teammate, "onboarding")
    entry(cast.teammate, "documentation")
    entry(cast.teammate, category="mentoring")  # 2 of 3 and no project
    assert _signals(cast, "balance") == [("Teammate", Q4)]
    entry(cast.teammate, category="projects")  # 2 of 4: half, with a project
    assert _signals(cast, "balance") == []


def test_out_of_balance_is_cleared_by_a_visible_project(cast):
    entry(cast.owner, "onboarding")
    entry(cast.owner, "documentation")
    entry(cast.owner, category="projects")  # 2 of 3 glue, but a project
    assert _signals(cast, "balance") == []
    entry(cast.teammate, "onboarding")
    entry(cast.teammate, category="projects", visibility="private")  # the manager cannot see it
    assert _signals(cast, "balance") == [("Teammate", Q4)]


def test_unrecognised_glue_older_than_the_team_setting(cast):
    entry(cast.owner, "onboarding", date=TODAY - dt.timedelta(days=30))  # at the edge: not yet
    assert _signals(cast, "unrecognised") == []
    old = entry(cast.owner, "onboarding", date=TODAY - dt.timedelta(days=31))
    entry(cast.teammate, "onboarding", date=TODAY - dt.timedelta(days=60), visibility="private")
    entry(cast.teammate, date=TODAY - dt.timedelta(days=60))  # not glue
    assert _signals(cast, "unrecognised") == [("Owner", None)]
    GlueRecognition.objects.create(entry=old, by=cast.manager)
    assert _signals(cast, "unrecognised") == []


def test_signals_come_with_the_guides_advice(cast):
    entry(cast.owner, "onboarding")
    (signal, *_) = figures_for(cast.manager).signals
    assert signal.advice.startswith("Distribute it")


def test_not_a_member_has_no_team(cast):
    team = Team.objects.get(name="Platform")
    assert team_and_role(cast.outsider, team.pk) is None
    assert team_and_role(cast.staff, team.pk) is None
