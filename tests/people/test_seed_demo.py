"""`manage.py seed_demo`: a demo organisation with known passwords."""

from io import StringIO

from django.core.management import call_command

from ladder.models import Ladder
from people.demo import DEMO_PASSWORD
from people.models import Membership, Team, User


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_creates_two_teams_with_a_manager_and_engineers_at_several_levels(db):
    output = seed()

    assert Ladder.objects.filter(slug="engineering").exists()
    teams = list(Team.objects.all())
    assert {team.name for team in teams} == {"Platform", "Payments"}
    for team in teams:
        roles = list(team.memberships.values_list("role", flat=True))
        assert roles.count(Membership.Role.MANAGER) == 1
    engineers = User.objects.filter(memberships__role=Membership.Role.ENGINEER)
    assert 4 <= engineers.count() <= 6
    assert engineers.values("current_level").distinct().count() >= 4
    assert "priya@example.com" in output
    assert f"Password for every demo account: {DEMO_PASSWORD}" in output


def test_the_printed_accounts_sign_in(client, db):
    seed()

    response = client.post(
        "/accounts/login/", {"login": "priya@example.com", "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert User.objects.get(email="admin@example.com").is_staff


def test_demo_managers_manage_their_teams_engineers(db):
    seed()

    maya = User.objects.get(email="maya@example.com")
    assert {u.email for u in maya.reports()} == {
        "priya@example.com",
        "leo@example.com",
        "ada@example.com",
    }
    assert list(User.objects.get(email="ada@example.com").managers()) == [maya]


def test_running_it_twice_adds_nothing(db):
    seed()
    counts = (User.objects.count(), Team.objects.count(), Membership.objects.count())

    seed()

    assert (User.objects.count(), Team.objects.count(), Membership.objects.count()) == counts


def test_if_empty_leaves_a_database_with_people_alone(db):
    User.objects.create_user("someone@example.org", "pw")

    output = seed("--if-empty")

    assert "People exist already; no demo data added." in output
    assert not Team.objects.exists()


def test_each_demo_engineer_gets_a_year_of_varied_entries(db):
    from brag.models import BragEntry, Goal
    from brag.quarters import Quarter

    seed()

    engineers = User.objects.filter(memberships__role=Membership.Role.ENGINEER)
    for engineer in engineers:
        entries = BragEntry.objects.filter(owner=engineer)
        assert entries.count() >= 10
        assert entries.values("category").distinct().count() >= 4
        assert entries.exclude(glue_kind="").exists()
        assert entries.values("visibility").distinct().count() == 3
        quarters = {Quarter.of(day) for day in entries.values_list("date", flat=True)}
        assert len(quarters) >= 4
        assert all(entry.dimensions.exists() for entry in entries)
        assert Goal.objects.filter(owner=engineer).exists()
    assert not BragEntry.objects.filter(owner__email="maya@example.com").exists()


def test_seeding_twice_does_not_duplicate_entries(db):
    from brag.models import BragEntry

    seed()
    count = BragEntry.objects.count()

    seed()

    assert BragEntry.objects.count() == count


def test_the_demo_has_a_closed_and_an_open_cycle_with_assessments_in_several_states(db):
    from reviews.models import Assessment, ReviewCycle

    seed()

    assert list(ReviewCycle.objects.values_list("is_open", flat=True)) == [True, False]
    states = set(Assessment.objects.values_list("kind", "state"))
    assert {("self", "draft"), ("self", "submitted"), ("manager", "submitted")} <= states
    assert Assessment.objects.filter(shared_at__isnull=False).exists()
    closed = ReviewCycle.objects.get(is_open=False)
    assert closed.assessments.filter(state="submitted").count() >= 8


def test_a_demo_engineer_has_something_to_compare(client, db):
    seed()
    priya = User.objects.get(email="priya@example.com")
    client.force_login(priya)

    page = client.get(f"/reviews/people/{priya.pk}/").text

    assert '<polygon class="radar__series radar__self"' in page
    assert "History" in page
