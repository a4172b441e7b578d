from dataclasses import dataclass

import pytest

from ladder.models import Ladder, Level
from ladder.services import load_default_ladder
from people.models import Membership, User

from .factories import MembershipFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # The real hasher is slow on purpose; tests create many people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def default_ladder(db) -> Ladder:
    return load_default_ladder() or Ladder.objects.get(slug="engineering")


@dataclass
class Cast:
    """The same people in every test file: an engineer who owns things, their manager, a
    teammate in the same team, an outsider in another team, and a staff admin."""

    owner: User
    manager: User
    teammate: User
    outsider: User
    staff: User


@pytest.fixture
def cast(db, default_ladder: Ladder) -> Cast:
    levels = {level.code: level for level in Level.objects.filter(track__key="ic")}
    team, other_team = TeamFactory(name="Platform"), TeamFactory(name="Payments")
    people = {}
    for role_name, team_, role, code in [
        ("owner", team, Membership.Role.ENGINEER, "L3"),
        ("manager", team, Membership.Role.MANAGER, None),
        ("teammate", team, Membership.Role.ENGINEER, "L4"),
        ("outsider", other_team, Membership.Role.ENGINEER, "L4"),
    ]:
        user = UserFactory(email=f"{role_name}@example.org", name=role_name.title())
        if code:
            user.track = levels[code].track
            user.current_level = levels[code]
            user.target_level = levels["L4"] if code == "L3" else levels["L5"]
            user.save()
        MembershipFactory(team=team_, user=user, role=role)
        people[role_name] = user
    staff = UserFactory(email="staff@example.org", name="Staff", is_staff=True)
    return Cast(staff=staff, **people)
