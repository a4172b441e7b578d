"""manage.py seed_org: a deterministic organisation that the app's own rules accept and its
pages render. Small sizes only: the two-minute figure at full size is measured, not tested."""

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from brag.markdown import render_markdown
from brag.models import BragEntry, Category, GlueKind, GlueRecognition, Goal, Visibility
from careerladder.orgseed_brag import WINS, fill
from ladder.models import Ladder, LadderVersion
from people.models import LevelChange, Membership, Team, User
from reviews.models import (
    Assessment,
    Kind,
    PromotionDecision,
    PromotionPacket,
    PromotionRound,
    Rating,
    ReviewCycle,
    ReviewNote,
    State,
)
from reviews.packet_models import MatrixStatus, Outcome, PacketStatus
from reviews.packet_services import submit_problems

from ..factories import UserFactory

TEAMS, ENGINEERS, ENTRIES = 3, 12, 5
TODAY = dt.date(2026, 5, 14)
SEED_DOMAIN = "seed.example"


def seed(*extra: str, seed: int = 7, today: dt.date = TODAY) -> str:
    out = StringIO()
    call_command(
        "seed_org",
        f"--teams={TEAMS}",
        f"--engineers={ENGINEERS}",
        f"--entries-per-engineer={ENTRIES}",
        f"--seed={seed}",
        f"--today={today.isoformat()}",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def person(local: str) -> User:
    return User.objects.get(email=f"{local}@{SEED_DOMAIN}")


def digest() -> str:
    """What the organisation says, by natural keys (ids differ from one build to the next)."""
    rows = sorted(
        BragEntry.objects.values_list(
            "owner__email", "date", "title", "category", "visibility", "glue_kind", "impact"
        )
    )
    rows += sorted(
        User.objects.values_list("email", "name", "current_level__code", "target_level__code")
    )
    rows += sorted(
        Rating.objects.values_list(
            "assessment__subject__email",
            "assessment__kind",
            "assessment__cycle__name",
            "assessment__state",
            "dimension_key",
            "level_code",
            "comment",
        )
    )
    rows += sorted(
        PromotionPacket.objects.values_list(
            "subject__email", "cycle__name", "status", "target_level_code", "ladder_version__number"
        )
    )
    rows += sorted(ReviewNote.objects.values_list("subject__email", "title", "body", "version"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def org(db) -> str:
    return seed()


def test_the_counts_match_the_arguments(org):
    assert Team.objects.count() == TEAMS
    assert Membership.objects.filter(role=Membership.Role.ENGINEER).count() == ENGINEERS
    assert Membership.objects.filter(role=Membership.Role.MANAGER).count() == TEAMS
    assert BragEntry.objects.count() == ENGINEERS * ENTRIES
    # Engineers, a manager per team, three deciders and one staff admin.
    assert User.objects.count() == ENGINEERS + TEAMS + 3 + 1
    assert f"{ENGINEERS * ENTRIES:>9,}  brag entries" in org


def test_the_contracts_accounts_have_their_roles_teams_and_rounds(org):
    for number in range(1, ENGINEERS + 1):
        engineer = person(f"engineer-{number:04d}")
        team = Team.objects.get(slug=f"team-{(number - 1) % TEAMS + 1:03d}")
        assert Membership.objects.filter(
            user=engineer, team=team, role=Membership.Role.ENGINEER
        ).exists()
        assert engineer.track.key == "ic" and engineer.target_level is not None
    manager = person("manager-001")
    assert Team.objects.get(name="Team 001").memberships.get(user=manager).role == "manager"
    assert list(person("engineer-0001").managers()) == [manager]
    past, current = ReviewCycle.objects.order_by("start")
    assert not past.is_open and current.is_open
    deciders = {person(f"decider-{n}") for n in (1, 2, 3)}
    for cycle in (past, current):
        assert set(PromotionRound.objects.get(cycle=cycle).deciders.all()) == deciders
    staff = person("staff")
    assert staff.is_staff and staff.track is None and not staff.memberships.exists()
    assert person("engineer-0001").check_password("careerladder-seed")


def test_engineer_0001_has_everything_the_contract_promises(org):
    engineer, manager = person("engineer-0001"), person("manager-001")
    current = ReviewCycle.objects.get(is_open=True)
    mine = Assessment.objects.get(cycle=current, subject=engineer, kind=Kind.SELF)
    theirs = Assessment.objects.get(cycle=current, subject=engineer, author=manager)
    assert mine.state == theirs.state == State.SUBMITTED
    assert theirs.shared_at is not None
    notes = ReviewNote.objects.filter(subject=engineer, author=manager)
    assert notes.filter(shared_at__isnull=True).exists()
    assert notes.filter(shared_at__isnull=False).exists()
    packet = PromotionPacket.objects.get(subject=engineer, cycle=current)
    assert packet.status == PacketStatus.SUBMITTED
    assert PromotionPacket.objects.decidable_by(person("decider-1")).filter(pk=packet.pk).exists()


def test_the_same_seed_builds_the_same_organisation_and_another_seed_does_not(org):
    first = digest()

    seed("--replace")
    assert digest() == first

    seed("--replace", seed=8)
    assert digest() != first


def test_every_category_glue_kind_and_visibility_is_there_and_tags_number_one_to_three(org):
    entries = BragEntry.objects.all()
    assert set(entries.values_list("category", flat=True)) == set(Category.values)
    assert set(entries.values_list("glue_kind", flat=True)) == {"", *GlueKind.values}
    assert set(entries.values_list("visibility", flat=True)) == set(Visibility.values)
    tags = BragEntry.dimensions.through.objects
    for entry in entries:
        assert 1 <= tags.filter(bragentry=entry).count() <= 3
    assert entries.filter(deleted_at__isnull=False).exists()
    dates = entries.values_list("date", flat=True)
    assert min(dates) >= TODAY - dt.timedelta(days=730) and max(dates) < TODAY
    assert GlueRecognition.objects.exists() and Goal.objects.exists()


def test_the_stored_html_is_the_rendered_markdown():
    for win in WINS:
        for text_template in (win.impact, win.role):
            text, html = fill(text_template, "the public API", 42, 7)
            assert html == render_markdown(text)


def test_seeded_entries_and_notes_carry_their_rendered_markdown(org):
    for entry in BragEntry.objects.all():
        assert entry.impact_html == render_markdown(entry.impact)
        assert entry.role_html == render_markdown(entry.role)
    for note in ReviewNote.objects.all():
        assert note.body_html == render_markdown(note.body)


def test_the_data_keeps_the_rules_the_services_keep(org):
    ladder = Ladder.objects.get(slug="engineering")
    assert ladder.is_default and ladder.versions.count() >= 3
    latest = ladder.versions.order_by("-number").first()
    past, current = ReviewCycle.objects.order_by("start")
    for assessment in Assessment.objects.filter(state=State.SUBMITTED):
        assert all(r.is_rated for r in assessment.ratings.all())
        assert assessment.ratings.count() == ladder.dimensions.count()
        expected = latest if assessment.cycle == current else assessment.ladder_version
        assert assessment.ladder_version == expected
        if assessment.cycle == past:
            assert assessment.ladder_version.number < latest.number
    assert not Assessment.objects.filter(state=State.DRAFT, ladder_version__isnull=False).exists()
    assert not Assessment.objects.filter(shared_at__isnull=False, kind=Kind.SELF).exists()
    for packet in PromotionPacket.objects.exclude(status=PacketStatus.DRAFT):
        assert submit_problems(packet) == []
        assert all(row.reason for row in packet.matrix.all() if row.status != MatrixStatus.MET)
    outcomes = set(PromotionDecision.objects.values_list("outcome", flat=True))
    assert outcomes == {Outcome.PROMOTED, Outcome.NOT_YET}
    for decision in PromotionDecision.objects.select_related("packet__subject"):
        assert decision.packet.cycle == past and decision.packet.status == PacketStatus.DECIDED
        if decision.outcome == Outcome.PROMOTED:
            subject = decision.packet.subject
            assert subject.current_level_id == decision.packet.target_level_id
            assert LevelChange.objects.filter(person=subject, to_level=subject.current_level)
        else:
            assert decision.gaps and all(gap["to_close"] for gap in decision.gaps)
    for note in ReviewNote.objects.all():
        numbers = sorted(note.versions.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert note.version == len(numbers) + (1 if note.shared_at else 0)


def test_new_rows_after_seeding_get_fresh_ids(org):
    # Entries and ratings are inserted with their ids; the sequences must have moved past them.
    entry = BragEntry.objects.create(
        owner=person("engineer-0001"), title="After the seed", category="projects", impact="x"
    )
    assert entry.pk > BragEntry.objects.exclude(pk=entry.pk).order_by("-pk").first().pk


def test_a_database_with_people_is_refused_and_left_as_it_was(db):
    UserFactory(email="someone@example.org")

    with pytest.raises(CommandError, match="--replace"):
        seed()

    assert list(User.objects.values_list("email", flat=True)) == ["someone@example.org"]
    assert not Team.objects.exists() and not BragEntry.objects.exists()
    assert not LadderVersion.objects.exists()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--teams=0"], "--teams: must be at least 1, got 0"),
        (["--engineers=-3"], "--engineers: must be at least 1, got -3"),
        (["--entries-per-engineer=0"], "--entries-per-engineer: must be at least 1, got 0"),
        (["--teams=ten"], "--teams: expected a whole number, got 'ten'"),
        (["--teams=5", "--engineers=3"], "every team needs at least one engineer"),
        (["--today=yesterday"], "expected a date such as 2026-05-01"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message_and_nothing_is_written(
    db, arguments, message
):
    with pytest.raises(CommandError, match=message):
        call_command("seed_org", *arguments, stdout=StringIO())

    assert not User.objects.exists() and not Ladder.objects.exists()


@pytest.fixture
def live_org(db) -> str:
    # Dated back from the real today, as the load benchmark uses it.
    return seed(today=dt.date.today())


def pages_for(local: str) -> list[str]:
    current = ReviewCycle.objects.get(is_open=True)
    packet = PromotionPacket.objects.get(subject=person("engineer-0001"), cycle=current)
    team = Team.objects.get(slug="team-001")
    everyone = [reverse("home"), reverse("brag:list"), reverse("ladder:default")]
    return {
        "engineer-0001": [
            *everyone,
            reverse("teams:team", args=[team.pk]),
            reverse("reviews:home"),
            reverse("reviews:packet", args=[packet.pk]),
        ],
        "manager-001": [
            *everyone,
            reverse("reviews:dashboard"),
            reverse("teams:team", args=[team.pk]),
            reverse("brag:person", args=[person("engineer-0001").pk]),
            reverse("reviews:standing", args=[person("engineer-0001").pk]),
            reverse("reviews:packet", args=[packet.pk]),
        ],
        "decider-1": [
            *everyone,
            reverse("reviews:round", args=[current.pk]),
            reverse("reviews:round", args=[ReviewCycle.objects.get(is_open=False).pk]),
            reverse("reviews:packet", args=[packet.pk]),
        ],
        "staff": [*everyone, reverse("admin:index")],
    }[local]


@pytest.mark.parametrize("local", ["engineer-0001", "manager-001", "decider-1", "staff"])
def test_the_seeded_organisation_renders(client, live_org, local):
    client.force_login(person(local))

    for url in pages_for(local):
        assert client.get(url).status_code == 200, url


def test_the_round_and_the_dashboard_show_the_seeded_people(client, live_org):
    engineer = person("engineer-0001")
    current = ReviewCycle.objects.get(is_open=True)
    client.force_login(person("decider-1"))
    assert engineer.display_name in client.get(reverse("reviews:round", args=[current.pk])).text
    client.force_login(person("manager-001"))
    assert engineer.display_name in client.get(reverse("reviews:dashboard")).text
