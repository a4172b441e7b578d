"""Who manages whom: the one answer every access rule builds on."""

from people.models import Membership, User

from ..factories import MembershipFactory, TeamFactory, UserFactory


def test_managers_of_an_engineer_are_the_managers_of_their_teams(cast):
    assert list(User.objects.managers_of(cast.owner)) == [cast.manager]
    assert list(cast.owner.managers()) == [cast.manager]
    assert list(cast.outsider.managers()) == []


def test_reports_of_a_manager_are_the_engineers_of_their_teams(cast):
    assert set(User.objects.reports_of(cast.manager)) == {cast.owner, cast.teammate}
    assert list(cast.owner.reports()) == []


def test_teammates_are_the_other_engineers_of_the_same_team(cast):
    assert list(cast.owner.teammates()) == [cast.teammate]
    assert cast.manager not in cast.owner.teammates()
    assert cast.outsider not in cast.owner.teammates()


def test_a_person_in_several_teams_has_each_teams_managers_once(db):
    engineer, first_manager, second_manager = UserFactory(), UserFactory(), UserFactory()
    for team_manager in (first_manager, second_manager):
        team = TeamFactory()
        MembershipFactory(team=team, user=engineer, role=Membership.Role.ENGINEER)
        MembershipFactory(team=team, user=team_manager, role=Membership.Role.MANAGER)
    # A manager of both teams is listed once.
    shared = TeamFactory()
    MembershipFactory(team=shared, user=engineer)
    MembershipFactory(team=shared, user=first_manager, role=Membership.Role.MANAGER)

    assert sorted(engineer.managers(), key=lambda u: u.pk) == [first_manager, second_manager]
    assert list(first_manager.reports()) == [engineer]


def test_a_manager_who_is_an_engineer_elsewhere_has_both_answers(db):
    lead, director, report = UserFactory(), UserFactory(), UserFactory()
    leads_team, directs_team = TeamFactory(), TeamFactory()
    MembershipFactory(team=leads_team, user=lead, role=Membership.Role.MANAGER)
    MembershipFactory(team=leads_team, user=report, role=Membership.Role.ENGINEER)
    MembershipFactory(team=directs_team, user=director, role=Membership.Role.MANAGER)
    MembershipFactory(team=directs_team, user=lead, role=Membership.Role.ENGINEER)

    assert list(lead.reports()) == [report]
    assert list(lead.managers()) == [director]
    assert list(report.managers()) == [lead]
    assert list(director.reports()) == [lead]


def test_nobody_manages_themselves(db):
    person = UserFactory()
    team = TeamFactory()
    MembershipFactory(team=team, user=person, role=Membership.Role.MANAGER)

    assert list(person.managers()) == []
    assert list(person.reports()) == []


def test_managers_of_is_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(cast.owner.managers())
