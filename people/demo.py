"""The demo organisation: two teams, a manager each, engineers at several levels."""

from typing import Any

from ladder.models import Level, Track
from ladder.services import load_default_ladder

from .models import Membership, Team, User

DEMO_PASSWORD = "ladder-demo-2026"
DOMAIN = "example.com"

# name, email local part, track key, current level, target level
TEAMS: dict[str, dict[str, Any]] = {
    "Platform": {
        "description": "Build and run the platform every product team ships on.",
        "manager": ("Maya Okafor", "maya", "management", "EM", "DIR"),
        "engineers": [
            ("Priya Raman", "priya", "ic", "L4", "L5"),
            ("Leo Martins", "leo", "ic", "L3", "L4"),
            ("Ada Chen", "ada", "ic", "L1-L2", "L3"),
        ],
    },
    "Payments": {
        "description": "Move money safely: checkout, billing and payouts.",
        "manager": ("Sam Whitfield", "sam", "management", "EM", "EM"),
        "engineers": [
            ("Grace Mensah", "grace", "ic", "L5", "L6+"),
            ("Tomás Rivera", "tomas", "ic", "L3", "L4"),
            ("Jonas Berg", "jonas", "ic", "L4", "L5"),
        ],
    },
}


def seed_people() -> list[tuple[str, str]]:
    """Create (or bring back to shape) the demo people and teams. Returns (email, role) pairs."""
    load_default_ladder()
    tracks = {t.key: t for t in Track.objects.filter(ladder__slug="engineering")}
    levels = {
        (level.track.key, level.code): level
        for level in Level.objects.filter(track__ladder__slug="engineering").select_related("track")
    }
    accounts = []
    admin = _person(("Alex Admin", "admin", None, None, None), tracks, levels)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    accounts.append((admin.email, "staff: admin, ladder import"))
    for team_name, spec in TEAMS.items():
        team, _ = Team.objects.update_or_create(
            slug=team_name.lower(),
            defaults={
                "name": team_name,
                "description": spec["description"],
                "handbook_url": f"https://wiki.example.com/{team_name.lower()}",
            },
        )
        manager = _person(spec["manager"], tracks, levels)
        Membership.objects.update_or_create(
            team=team, user=manager, defaults={"role": Membership.Role.MANAGER}
        )
        accounts.append((manager.email, f"manager of {team_name}"))
        for engineer_spec in spec["engineers"]:
            engineer = _person(engineer_spec, tracks, levels)
            Membership.objects.update_or_create(
                team=team, user=engineer, defaults={"role": Membership.Role.ENGINEER}
            )
            level = engineer.current_level.label if engineer.current_level else "no level"
            accounts.append((engineer.email, f"engineer in {team_name}, {level}"))
    return accounts


def _person(
    who: tuple[str, str, str | None, str | None, str | None],
    tracks: dict[str, Track],
    levels: dict[tuple[str, str], Level],
) -> User:
    """`who` is (name, email's local part, track key, current and target level codes)."""
    name, local, track_key, current, target = who
    email = f"{local}@{DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, name=name)
    user.name = name
    if track_key and current and target:
        user.track = tracks[track_key]
        user.current_level = levels[(track_key, current)]
        user.target_level = levels[(track_key, target)]
    user.full_clean()
    user.save()
    return user


def demo_engineers() -> list[User]:
    emails = [f"{spec[1]}@{DOMAIN}" for team in TEAMS.values() for spec in team["engineers"]]
    return list(User.objects.filter(email__in=emails).select_related("track"))
