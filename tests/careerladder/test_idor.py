"""The IDOR pass: engineer A (and, from another team, A's manager) asks for every object of
engineer B by its id, with GET and POST, on every URL pattern that takes one. The answer is a
404 (or 405 for a method the view never takes), except where the access table lets a
teammate read (B's team-visible entries, B's document, their common team page). No response
A gets, on those pages or on any page of A's own, carries a string of B's that A may not read.

Two worlds: A and B in different teams, and in the same team."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ladder.models import Ladder, Level
from ladder.services import load_default_ladder
from people.email_change import make_token
from people.models import Membership, Team, User
from reviews.packet_models import PromotionRound

from ..factories import MembershipFactory, TeamFactory, UserFactory
from .access_world import Belongings, cycles, place, plant, shared

# What a teammate may read of B's: the team-visible entries (titles and impact), and the
# manager's recognition shown on the glue one (README: recognition is seen on the entry; the
# access table has no row for it, so this reading of it is the one to confirm).
TEAM_READABLE = {
    "team-entry", "team-entry-impact", "glue-entry", "glue-entry-impact", "recognition",
}  # fmt: skip


@dataclass
class IdorWorld:
    same_team: bool
    a: Belongings
    b: Belongings
    attackers: dict[str, User]  # "engineer A", and "A's manager" when B is in another team
    b_team: Team

    def readable_by(self, attacker: str) -> set[str]:
        """Which of B's secrets this attacker may read: a teammate the team-visible ones."""
        return TEAM_READABLE if self.same_team and attacker == "engineer A" else set()


def build(same_team: bool) -> IdorWorld:
    ladder = load_default_ladder() or Ladder.objects.get(slug="engineering")
    levels = {lv.code: lv for lv in Level.objects.filter(track__ladder=ladder, track__key="ic")}
    a_team = TeamFactory(name="Team A")
    b_team = a_team if same_team else TeamFactory(name="Team B")
    a = place(UserFactory(email="a@example.org", name="Engineer A"), levels, "L3", "L4")
    b = place(UserFactory(email="b@example.org", name="Engineer B"), levels, "L3", "L4")
    a_manager = UserFactory(email="a-manager@example.org", name="Manager A")
    b_manager = a_manager if same_team else UserFactory(email="b-manager@example.org")
    MembershipFactory(team=a_team, user=a, role=Membership.Role.ENGINEER)
    MembershipFactory(team=b_team, user=b, role=Membership.Role.ENGINEER)
    MembershipFactory(team=a_team, user=a_manager, role=Membership.Role.MANAGER)
    if not same_team:
        MembershipFactory(team=b_team, user=b_manager, role=Membership.Role.MANAGER)
    cycle, later = cycles()
    # B's manager decides the round, so that B's submitted packet has readers besides B's side.
    PromotionRound.objects.create(cycle=cycle).deciders.add(UserFactory(email="d@example.org"))
    attackers = {"engineer A": a}
    if not same_team:
        attackers["A's manager"] = a_manager
    return IdorWorld(
        same_team=same_team,
        a=plant(a, a_manager, cycle, later, "A"),
        b=plant(b, b_manager, cycle, later, "B"),
        attackers=attackers,
        b_team=b_team,
    )


@pytest.fixture(scope="module", params=["other team", "same team"])
def world(request: Any, django_db_setup: None, django_db_blocker: Any) -> Iterator[IdorWorld]:
    with django_db_blocker.unblock(), shared(lambda: build(request.param == "same team")) as w:
        yield w


# B's objects, by the URL patterns that take them: (label, kwargs, POST body) per object.
Target = tuple[str, Callable[[IdorWorld], dict[str, Any]], Callable[[IdorWorld], dict[str, Any]]]


def objs(*names: str, key: str = "pk") -> list[Target]:
    return [(name, _kw(key, name), lambda w: {}) for name in names]


def _kw(key: str, name: str) -> Callable[[IdorWorld], dict[str, Any]]:
    return lambda w: {key: getattr(w.b, name).pk}


def rating(assessment: str, rating_name: str) -> Target:
    return (
        assessment,
        lambda w: {"pk": getattr(w.b, assessment).pk, "rating_id": getattr(w.b, rating_name).pk},
        lambda w: {},
    )


def packet(name: str, **extra: str) -> Target:
    return (name, lambda w: {"pk": getattr(w.b, name).pk, **extra}, lambda w: {})


ENTRIES = ("private_entry", "managers_entry", "team_entry", "glue_entry", "deleted_entry")
ASSESSMENTS = ("self_assessment", "manager_assessment", "draft_self", "draft_manager")
NOTES = ("private_note", "shared_note", "deleted_note")
PACKETS = ("packet", "draft_packet")
PERSON: list[Target] = [("B", lambda w: {"person_id": w.b.owner.pk}, lambda w: {})]

TARGETS: dict[str, list[Target]] = {
    "brag:detail": objs(*ENTRIES),
    "brag:edit": objs(*ENTRIES),
    "brag:delete": objs(*ENTRIES),
    "brag:undo": objs(*ENTRIES),
    "brag:recognise": objs(*ENTRIES),
    "brag:goal_toggle": objs("goal", "deleted_goal"),
    "brag:goal_delete": objs("goal", "deleted_goal"),
    "brag:goal_undo": objs("goal", "deleted_goal"),
    "brag:person": PERSON,
    "brag:person_export": PERSON,
    "brag:person_print": PERSON,
    "teams:team": [("B's team", lambda w: {"team_id": w.b_team.pk}, lambda w: {})],
    "teams:csv": [("B's team", lambda w: {"team_id": w.b_team.pk}, lambda w: {})],
    "reviews:start": [
        ("B", lambda w: {"cycle_id": w.b.draft_self.cycle_id}, lambda w: {"subject": w.b.owner.pk})
    ],
    "reviews:assessment": objs(*ASSESSMENTS),
    "reviews:submit": objs(*ASSESSMENTS),
    "reviews:share": objs(*ASSESSMENTS),
    "reviews:rating": [
        rating("draft_self", "draft_rating"),
        rating("draft_manager", "draft_manager_rating"),
    ],
    "reviews:picker": [
        rating("draft_self", "draft_rating"),
        rating("draft_manager", "draft_manager_rating"),
    ],
    "reviews:standing": PERSON,
    "reviews:notes": PERSON,
    "reviews:note": objs(*NOTES),
    "reviews:note_share": objs(*NOTES),
    "reviews:note_delete": objs(*NOTES),
    "reviews:note_undo": objs(*NOTES),
    "reviews:note_history": objs(*NOTES),
    "reviews:packet_start": PERSON,
    "reviews:packet": objs(*PACKETS),
    "reviews:packet_section": [
        packet(name, section=section) for name in PACKETS for section in ("influence", "summary")
    ],
    "reviews:packet_projects": objs(*PACKETS),
    "reviews:packet_matrix": [packet(name, dimension_key="scope") for name in PACKETS],
    "reviews:packet_draft": objs(*PACKETS),
    "reviews:packet_share": objs(*PACKETS),
    "reviews:packet_submit": objs(*PACKETS),
    "reviews:packet_export": objs(*PACKETS),
    "reviews:packet_print": objs(*PACKETS),
    "reviews:round": [("B's cycle", lambda w: {"cycle_id": w.b.packet.cycle_id}, lambda w: {})],
    "reviews:packet_decide": objs(*PACKETS),
    # B's email-change link, followed by A: refused, B's address unchanged.
    "settings_confirm_email": [
        (
            "B's link",
            lambda w: {"token": make_token(w.b.owner, "b-new@example.org")},
            lambda w: {},
        )
    ],
}

# What a teammate gets from B's objects: these read as the access table says; all else 404.
TEAMMATE_READS = {
    ("brag:detail", "team_entry"),
    ("brag:detail", "glue_entry"),
    ("brag:person", "B"),
    ("brag:person_export", "B"),
    ("brag:person_print", "B"),
    ("teams:team", "B's team"),
}
# Answers that are neither a read nor a write of B's object: a closed refusal for anyone.
REFUSED_FOR_ANYONE = {"settings_confirm_email": 400}

# Patterns whose parameters name no one's object: the level map is everyone's; the account
# pages' keys are allauth's own (tested in tests/people).
PUBLIC_PREFIXES = ("ladder:", "account_", "mfa_", "admin")


def patterns() -> Iterator[tuple[str, str, bool]]:
    """(key, route, takes parameters) for every pattern outside the admin."""

    def walk(entries: list[Any], prefix: str, ns: str) -> Iterator[tuple[str, str, bool]]:
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = (
                    f"{ns}:{entry.namespace}" if ns and entry.namespace else entry.namespace or ns
                )
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                key = (f"{ns}:{entry.name}" if ns else entry.name) if entry.name else route
                yield key, route, bool(entry.pattern.regex.groupindex) or "<" in route

    yield from walk(get_resolver().url_patterns, "", "")


def test_every_pattern_taking_an_id_has_its_targets() -> None:
    missing = sorted(
        key
        for key, _, takes in patterns()
        if takes and not key.startswith(PUBLIC_PREFIXES) and key not in TARGETS
    )
    assert not missing, "patterns that take an id but have no target in the IDOR pass:\n" + (
        "\n".join(missing)
    )


def request_as(person: User, method: str, url: str, data: dict[str, Any]) -> Any:
    """In a savepoint rolled back afterwards, so that a write that got through (a bug this
    pass looks for) cannot hide the next one."""
    client = Client()
    with transaction.atomic():
        client.force_login(person)
        response = client.post(url, data) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response


def leaked(world: IdorWorld, attacker: str, response: Any) -> list[str]:
    text = response.content.decode("utf-8", errors="replace")
    allowed = world.readable_by(attacker)
    return [
        what for what, value in world.b.secrets.items() if what not in allowed and value in text
    ]


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_b_objects_with_a_session(name: str, world: IdorWorld, db: None) -> None:
    problems = []
    for attacker, person in world.attackers.items():
        for label, kwargs, body in TARGETS[name]:
            url = reverse(name, kwargs=kwargs(world))
            for method in ("GET", "POST"):
                response = request_as(person, method, url, body(world))
                status = response.status_code
                reads = (
                    world.readable_by(attacker)
                    and method == "GET"
                    and (name, label) in TEAMMATE_READS
                )
                expected = {200} if reads else {404, 405, REFUSED_FOR_ANYONE.get(name, 404)}
                if status not in expected:
                    problems.append(f"{attacker} {method} {url} ({label}): {status}")
                if leaks := leaked(world, attacker, response):
                    problems.append(f"{attacker} {method} {url} ({label}) shows {leaks}")
    assert not problems, "\n".join(problems)


def test_b_email_is_unchanged_by_a_following_b_link(world: IdorWorld, db: None) -> None:
    token = make_token(world.b.owner, "b-new@example.org")
    client = Client()
    client.force_login(world.a.owner)
    client.post(reverse("settings_confirm_email", args=[token]))
    assert User.objects.get(pk=world.b.owner.pk).email == "b@example.org"
    assert User.objects.get(pk=world.a.owner.pk).email == "a@example.org"


def own_pages() -> list[str]:
    """Every page without parameters outside the admin and the sign-in pages: A's own views
    (home, lists, exports, dashboards, the personal download, the audit trail)."""
    return sorted(
        key for key, _, takes in patterns() if not takes and not key.startswith(PUBLIC_PREFIXES)
    )


@pytest.mark.parametrize("name", own_pages())
def test_a_own_pages_show_nothing_of_b(name: str, world: IdorWorld, db: None) -> None:
    url = reverse(name) if ":" in name or name.isidentifier() else "/" + name
    problems = []
    for attacker, person in world.attackers.items():
        response = request_as(person, "GET", url, {})
        assert response.status_code < 500, f"{attacker} GET {url}: {response.status_code}"
        if leaks := leaked(world, attacker, response):
            problems.append(f"{attacker} GET {url} shows {leaks}")
    assert not problems, "\n".join(problems)
