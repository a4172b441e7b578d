"""One world for the access matrix and the IDOR pass: the people of the access table and one
of every object a person owns, each carrying a secret string that must never reach a reader
the table does not allow. Real rows through the app's own service functions; nothing mocked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from brag.models import BragEntry, GlueRecognition, Goal, Visibility
from ladder.models import Ladder, Level
from ladder.services import load_default_ladder
from people.models import Membership, Team, User
from reviews.models import Assessment, Kind, Rating, ReviewCycle
from reviews.note_models import ReviewNote
from reviews.note_services import create_note, delete_note, share_note
from reviews.packet_models import PacketProject, PromotionPacket, PromotionRound
from reviews.packet_services import start_packet, submit_packet
from reviews.services import share, start_assessment, submit

from ..factories import BragEntryFactory, GoalFactory, MembershipFactory, TeamFactory, UserFactory

# The roles of the access table, in the order the matrix writes its columns.
ANON = "anonymous"
SUBJECT = "subject"
TEAMMATE = "teammate"
MANAGER = "manager"
OTHER_MANAGER = "other_manager"
DECIDER = "decider"
STAFF = "staff"
ROLES = (ANON, SUBJECT, TEAMMATE, MANAGER, OTHER_MANAGER, DECIDER, STAFF)


@dataclass
class Belongings:
    """Everything one engineer owns or is the subject of, with the secret each one carries."""

    owner: User
    private_entry: BragEntry
    managers_entry: BragEntry
    team_entry: BragEntry
    glue_entry: BragEntry  # team-visible glue work, recognised by the manager
    deleted_entry: BragEntry
    goal: Goal
    deleted_goal: Goal
    self_assessment: Assessment  # submitted, in `cycle`
    manager_assessment: Assessment  # submitted and shared, in `cycle`
    draft_self: Assessment  # in `later_cycle`
    draft_manager: Assessment  # in `later_cycle`
    draft_rating: Rating  # of `draft_self`
    draft_manager_rating: Rating
    private_note: ReviewNote
    shared_note: ReviewNote
    deleted_note: ReviewNote
    packet: PromotionPacket  # submitted, in `cycle`
    draft_packet: PromotionPacket  # in `later_cycle`
    recognition: GlueRecognition
    secrets: dict[str, str]  # what -> a string only the access table's readers may see

    def secret(self, what: str) -> str:
        return self.secrets[what]


def _levels(ladder: Ladder) -> dict[str, Level]:
    return {
        level.code: level for level in Level.objects.filter(track__ladder=ladder, track__key="ic")
    }


def place(user: User, levels: dict[str, Level], current: str, target: str) -> User:
    user.track = levels[current].track
    user.current_level = levels[current]
    user.target_level = levels[target]
    user.save()
    return user


def _rate(assessment: Assessment, code: str) -> Assessment:
    level = Level.objects.get(track=assessment.track, code=code)
    assessment.ratings.update(level=level, comment=f"{assessment.kind} rating comment")
    return assessment


def plant(
    owner: User, manager: User, cycle: ReviewCycle, later: ReviewCycle, tag: str
) -> Belongings:
    """One of everything for `owner` (placed on a track, managed by `manager`). `tag` makes
    every secret unique to this person, so that a leak names whose object leaked."""

    made: dict[str, str] = {}

    def secret(what: str) -> str:
        made[what] = f"SECRET-{tag}-{what}"
        return made[what]

    def entry(what: str, visibility: str, **extra: object) -> BragEntry:
        return BragEntryFactory(
            owner=owner,
            title=secret(what),
            impact=secret(f"{what}-impact"),
            visibility=visibility,
            **extra,
        )

    private_entry = entry("private-entry", Visibility.PRIVATE)
    managers_entry = entry("managers-entry", Visibility.MANAGERS)
    team_entry = entry("team-entry", Visibility.TEAM)
    glue_entry = entry("glue-entry", Visibility.TEAM, glue_kind="documentation")
    deleted_entry = entry("deleted-entry", Visibility.TEAM)
    deleted_entry.soft_delete()
    goal = GoalFactory(owner=owner, text=secret("goal"))
    deleted_goal = GoalFactory(owner=owner, text=secret("deleted-goal"), deleted_at=timezone.now())

    self_assessment = _rate(start_assessment(cycle, owner, owner, Kind.SELF), "L3")
    Rating.objects.filter(assessment=self_assessment).update(comment=secret("self-rating"))
    submit(self_assessment)
    manager_assessment = _rate(start_assessment(cycle, owner, manager, Kind.MANAGER), "L4")
    Rating.objects.filter(assessment=manager_assessment).update(comment=secret("manager-rating"))
    submit(manager_assessment)
    manager_assessment = Assessment.objects.get(pk=manager_assessment.pk)
    share(manager_assessment)
    draft_self = start_assessment(later, owner, owner, Kind.SELF)
    Rating.objects.filter(assessment=draft_self).update(comment=secret("draft-self-rating"))
    draft_manager = start_assessment(later, owner, manager, Kind.MANAGER)
    Rating.objects.filter(assessment=draft_manager).update(comment=secret("draft-manager-rating"))

    private_note = create_note(
        owner, manager, title=secret("private-note"), body=secret("private-note-body"), cycle=cycle
    )
    shared_note = create_note(
        owner, manager, title=secret("shared-note"), body=secret("shared-note-body"), cycle=cycle
    )
    share_note(shared_note, manager)
    deleted_note = create_note(
        owner, manager, title=secret("deleted-note"), body=secret("deleted-note-body")
    )
    delete_note(deleted_note, manager)

    packet = start_packet(owner, cycle, manager)
    projects = [entry(f"project-{n}", Visibility.MANAGERS) for n in range(3)]
    PacketProject.objects.bulk_create(
        PacketProject(packet=packet, entry=project, order=n) for n, project in enumerate(projects)
    )
    packet.matrix.update(status="met")
    PromotionPacket.objects.filter(pk=packet.pk).update(
        summary=secret("packet-summary"), recommendation="promote", influence=secret("influence")
    )
    packet = submit_packet(PromotionPacket.objects.get(pk=packet.pk), manager)
    draft_packet = start_packet(owner, later, owner)
    PromotionPacket.objects.filter(pk=draft_packet.pk).update(
        summary=secret("draft-packet-summary"), growth=secret("draft-packet-growth")
    )
    recognition = GlueRecognition.objects.create(
        entry=glue_entry, by=manager, comment=secret("recognition")
    )
    return Belongings(
        owner=owner,
        private_entry=private_entry,
        managers_entry=managers_entry,
        team_entry=team_entry,
        glue_entry=glue_entry,
        deleted_entry=deleted_entry,
        goal=goal,
        deleted_goal=deleted_goal,
        self_assessment=Assessment.objects.get(pk=self_assessment.pk),
        manager_assessment=Assessment.objects.get(pk=manager_assessment.pk),
        draft_self=draft_self,
        draft_manager=draft_manager,
        draft_rating=draft_self.ratings.order_by("pk").first(),
        draft_manager_rating=draft_manager.ratings.order_by("pk").first(),
        private_note=private_note,
        shared_note=shared_note,
        deleted_note=deleted_note,
        packet=PromotionPacket.objects.get(pk=packet.pk),
        draft_packet=PromotionPacket.objects.get(pk=draft_packet.pk),
        recognition=recognition,
        secrets=made,
    )


@dataclass
class World:
    people: dict[str, User]  # by role; no entry for ANON
    team: Team
    other_team: Team
    ladder: Ladder
    cycle: ReviewCycle  # open, with a promotion round decided by DECIDER
    later_cycle: ReviewCycle  # open, no round
    round: PromotionRound
    mine: Belongings  # the subject's
    outsider: User  # an engineer of the other team, reporting to OTHER_MANAGER

    @property
    def subject(self) -> User:
        return self.people[SUBJECT]


def cycles() -> tuple[ReviewCycle, ReviewCycle]:
    cycle = ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    later = ReviewCycle.objects.create(
        name="Review Q1 2027", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31)
    )
    return cycle, later


def plant_admin_objects(subject: User, outsider: User) -> None:
    """One row for each admin model that has none yet, so that every admin object page has
    an object to open."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from django.contrib.auth.models import Group

    Group.objects.create(name="Reviewers")
    EmailAddress.objects.create(user=subject, email=subject.email, primary=True, verified=True)
    # On someone outside the subject's team: an authenticator changes how that person signs in.
    RecoveryCodes.activate(outsider)


def build_world() -> World:
    """The access table's cast: a team (manager, subject, teammate), another team with its
    manager and an engineer, a decider of the cycle's round in no team, and staff (a
    superuser, so that the admin answers as it does to whoever runs the instance)."""
    ladder = load_default_ladder() or Ladder.objects.get(slug="engineering")
    levels = _levels(ladder)
    team, other_team = TeamFactory(name="Platform"), TeamFactory(name="Payments")

    def person(role: str, **extra: object) -> User:
        return UserFactory(
            email=f"{role}@example.org", name=role.replace("_", " ").title(), **extra
        )

    people = {
        SUBJECT: place(person(SUBJECT), levels, "L3", "L4"),
        TEAMMATE: place(person(TEAMMATE), levels, "L4", "L5"),
        MANAGER: person(MANAGER),
        OTHER_MANAGER: person(OTHER_MANAGER),
        DECIDER: person(DECIDER),
        STAFF: person(STAFF, is_staff=True, is_superuser=True),
    }
    outsider = place(person("outsider"), levels, "L4", "L5")
    for user, team_, role in [
        (people[SUBJECT], team, Membership.Role.ENGINEER),
        (people[TEAMMATE], team, Membership.Role.ENGINEER),
        (people[MANAGER], team, Membership.Role.MANAGER),
        (outsider, other_team, Membership.Role.ENGINEER),
        (people[OTHER_MANAGER], other_team, Membership.Role.MANAGER),
    ]:
        MembershipFactory(team=team_, user=user, role=role)
    cycle, later = cycles()
    promotion_round = PromotionRound.objects.create(cycle=cycle)
    promotion_round.deciders.add(people[DECIDER])
    mine = plant(people[SUBJECT], people[MANAGER], cycle, later, "subject")
    plant_admin_objects(people[SUBJECT], outsider)
    return World(
        people=people,
        team=team,
        other_team=other_team,
        ladder=ladder,
        cycle=cycle,
        later_cycle=later,
        round=promotion_round,
        mine=mine,
        outsider=outsider,
    )


@contextmanager
def shared[T](build: Callable[[], T]) -> Iterator[T]:
    """A world built once for a whole test module, inside a transaction rolled back when the
    module ends. Each test's own transaction (pytest-django's `db`) nests inside it as a
    savepoint, so that nothing a test writes reaches the next one."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, transaction.atomic():
        yield build()
        transaction.set_rollback(True)
