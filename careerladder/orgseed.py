"""A whole engineering organisation, built fast and the same every time: `manage.py seed_org`.

The demo (seed_demo) builds six people through the pages' own service functions; this builds a
thousand engineers and two hundred thousand brag entries, so it writes rows in bulk. It stays
true to what the services would have written: the ladder and its versions go through the
ladder's own loading and versioning (there are three of them, and few); everything per person
(people, entries, tags, assessments, ratings, notes, packets, decisions) is bulk-inserted with
the fields the services would have set (Markdown rendered into the *_html columns, natural keys
next to foreign keys, submitted things pinned to the ladder version they were read against).

Determinism: every choice comes from a `random.Random` seeded with the seed and the name of the
phase (string seeds are hashed with SHA-512, not with Python's per-process hash), and every date
and time is computed from the anchor day (`--today`, default the local date), never from the
clock. The same seed, sizes and anchor give the same rows, ids aside. Bulk inserts skip save()
and its signals, so the audit trail records the ladder and the promotion rounds only.

This module holds the people and the ladder and runs the phases; the brag document is in
orgseed_brag.py, cycles, assessments, notes and packets in orgseed_reviews.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction

from brag.quarters import Quarter
from ladder.models import Dimension, Ladder, LadderVersion, Level, Track, VersionSource
from ladder.services import ladder_to_spec, load_default_ladder, load_spec, make_default
from people.models import LevelChange, Membership, Team, User

DEFAULT_PASSWORD = "careerladder-seed"
DOMAIN = "seed.example"
LADDER_SLUG = "engineering"
BATCH = 2000
UTC = dt.UTC

# The IC levels engineers stand on now, by order (L1-L2 … L6+), weighted like a real org.
LEVEL_WEIGHTS = (15, 30, 30, 18, 7)

FIRST_NAMES = (  # noqa: SIM905  (a list of words reads better as words)
    "Ada Amara Ana Arjun Ayesha Ben Bianca Carlos Chen Chloe Dara Diego Elif Emeka Erik "
    "Fatima Femi Grace Hana Hugo Ines Ivan Jonas Juno Kai Kenji Lars Lea Leo Lina Luca Maya "
    "Mei Mina Nadia Nils Noah Olu Omar Priya Rafael Rosa Sam Sana Sofia Tariq Theo Tomas "
    "Yara Zoe"
).split()
LAST_NAMES = (  # noqa: SIM905  (a list of words reads better as words)
    "Abebe Adeyemi Alvarez Andersen Berg Brennan Chen Costa Dubois Eriksen Fischer Garcia "
    "Gupta Haddad Hansen Ito Jansen Kapoor Kim Kowalski Larsen Lopez Mensah Moreau Nakamura "
    "Novak Okafor Olsen Osei Park Patel Petrov Quinn Raman Rivera Rossi Santos Schmidt "
    "Silva Singh Tanaka Torres Varga Wang Weber Whitfield Yilmaz Zhang"
).split()
TEAM_AREAS = (
    ("Payments", "Move money safely: checkout, billing and payouts."),
    ("Platform", "Build and run the platform every product team ships on."),
    ("Search", "Help people find what they came for, fast."),
    ("Identity", "Sign-in, accounts and permissions for every product."),
    ("Data", "Pipelines, the warehouse and the metrics everyone reads."),
    ("Mobile", "The iOS and Android apps."),
    ("Growth", "Onboarding, activation and the experiments behind them."),
    ("Reliability", "On-call tooling, observability and incident response."),
)
TIME_ZONES = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


class SeedError(Exception):
    """The organisation cannot be built as asked; nothing was written."""


@dataclass(frozen=True)
class OrgSize:
    teams: int
    engineers: int
    entries_per_engineer: int
    seed: int
    today: dt.date
    password: str = DEFAULT_PASSWORD


@dataclass
class Person:
    """An engineer as the later phases need them, without reloading users."""

    user: User
    number: int  # 1-based: engineer-0001 is 1
    team: int  # 0-based index into Org.teams
    level: int  # index into Org.ic_levels, now
    target: int
    # Where they stood in the past cycle, and the past round's outcome for them, if any.
    past_level: int
    past_target: int
    past_packet: str = ""  # "", "promoted" or "not_yet"
    packet: str = ""  # in the open round: "", "draft" or "submitted"

    @property
    def has_packet(self) -> bool:
        return bool(self.past_packet or self.packet)


@dataclass
class Org:
    size: OrgSize
    ladder: Ladder
    versions: list[LadderVersion]  # oldest first
    dimensions: list[Dimension]
    ic_track: Track
    ic_levels: list[Level]
    teams: list[Team] = field(default_factory=list)
    managers: list[User] = field(default_factory=list)  # one per team, same index
    engineers: list[Person] = field(default_factory=list)
    deciders: list[User] = field(default_factory=list)
    staff: User | None = None

    def rng(self, phase: str) -> random.Random:
        return random.Random(f"{self.size.seed}:{phase}")

    def at(self, day: dt.date, hour: int = 17, minute: int = 0) -> dt.datetime:
        """A moment of `day`, never after the start of the anchor day: no time comes from the
        clock, and nothing is dated in the future whenever the command runs that day."""
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=UTC)
        return min(moment, dt.datetime.combine(self.size.today, dt.time(0), tzinfo=UTC))

    def manager_of(self, person: Person) -> User:
        return self.managers[person.team]


@contextmanager
def stamped_by_hand(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk inserts keep the times we give auto_now(_add) fields: the history of an entry
    logged a year ago says a year ago. Restored on the way out, error or not."""
    fields = [model._meta.get_field(name) for model, name in model_fields]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]  # type: ignore[union-attr]
    for f in fields:
        f.auto_now = f.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[union-attr]


def bulk[M: models.Model](model: type[M], rows: list[M]) -> list[M]:
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


def insert_rows(model: type[models.Model], names: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT plain tuples (values in the order of `names`, field names or attnames): one
    executemany per batch on SQLite, one COPY on PostgreSQL. For the largest tables only
    (entries, their tags, recognitions, ratings and their evidence): building and compiling a
    model instance per row is most of bulk_create's time there, and the two-minute budget for
    1,000 engineers × 200 entries leaves no room for it. Values are adapted the way the ORM
    adapts them (dates, times, JSON)."""
    fields = [cast(models.Field, model._meta.get_field(name)) for name in names]
    ops = connection.ops
    adapters: list[Callable[[Any], Any] | None] = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapters.append(functools.cache(ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            adapters.append(functools.cache(ops.adapt_datefield_value))
        elif isinstance(f, models.JSONField):
            adapters.append(lambda value: ops.adapt_json_value(value, None))
        else:
            adapters.append(None)
    quote = ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            batch = [
                tuple(
                    value if adapt is None else adapt(value)
                    for adapt, value in zip(adapters, row, strict=True)
                )
                for row in rows[start : start + BATCH * 5]
            ]
            if connection.vendor == "postgresql":
                # COPY: one statement for the batch instead of one INSERT per row.
                table = quote(model._meta.db_table)
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in batch:
                        copy.write_row(values)
            else:
                cursor.executemany(sql, batch)


def next_id(model: type[models.Model]) -> int:
    """The first id to give rows inserted by `insert_rows` with their ids, so that what refers
    to them (tags, evidence) knows them without reading them back. The command holds the
    database in one transaction; reset_ids() moves the id sequence past them at the end."""
    return (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def reset_ids(*tables: type[models.Model]) -> None:
    """After explicit ids: PostgreSQL's sequences start after them (SQLite needs nothing)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(tables)):
            cursor.execute(sql)


Report = Callable[[str, float], None]


def build_org(size: OrgSize, *, replace: bool = False, report: Report | None = None) -> None:
    """Build the organisation in one transaction; `report(phase, seconds)` after each phase.
    Raises SeedError, having changed nothing, when people exist and `replace` is not given."""
    from .orgseed_brag import seed_brag
    from .orgseed_reviews import seed_reviews

    def timed[T](name: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = step()
        if report is not None:
            report(name, time.perf_counter() - started)
        return result

    with transaction.atomic():
        if connection.vendor == "sqlite":
            # A bigger page cache for this connection: the inserts touch every index.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        if User.objects.exists():
            if not replace:
                raise SeedError(
                    f"The database has {User.objects.count()} people already. seed_org builds "
                    "an organisation in an empty database; run it with --replace to delete "
                    "the people, teams, brag documents, reviews and the engineering ladder "
                    "first."
                )
            timed("delete existing data", flush_org)
        org = timed("ladder and its versions", lambda: seed_ladder(size))
        timed("people and teams", lambda: seed_people(org))
        documents = timed("brag entries, tags, goals, recognitions", lambda: seed_brag(org))
        timed(
            "cycles, assessments, notes, packets, decisions", lambda: seed_reviews(org, documents)
        )
        committing = time.perf_counter()
    if report is not None:
        # Where PostgreSQL checks the deferred foreign keys of every row written.
        report("commit", time.perf_counter() - committing)


# The ladder ---------------------------------------------------------------------------------

# What changed in the ladder over the two years the data spans: two edits, so that with the
# default ladder's own first version there are three, and the past cycle reads an older one.
LADDER_EDITS: list[tuple[str, Callable[..., None]]] = [
    (
        "seed_org: clearer Senior expectations",
        lambda spec: _edit_level(
            spec,
            "L4",
            signals=["You are the person others ask before they change your system."],
        ),
    ),
    (
        "seed_org: Staff reads across teams",
        lambda spec: _edit_level(
            spec,
            "L5",
            signals=["Another team changed its plan because of a document you wrote."],
            holds_back=["Solving every problem yourself instead of growing the people around."],
        ),
    ),
]


def _edit_level(
    spec: object, code: str, signals: list[str], holds_back: list[str] | None = None
) -> None:
    track = spec.track("ic")  # type: ignore[attr-defined]
    level = track.level(code)
    level.signals = [*level.signals, *signals]
    level.holds_back = [*level.holds_back, *(holds_back or [])]


def seed_ladder(size: OrgSize) -> Org:
    """The default ladder, loaded if missing and made the default, with two later edits made
    through the ladder's own loading, so that it has at least three versions."""
    ladder = load_default_ladder() or Ladder.objects.get(slug=LADDER_SLUG)
    if not ladder.is_default:
        make_default(ladder)
    for source, edit in LADDER_EDITS:
        spec = ladder_to_spec(ladder)
        edit(spec)
        load_spec(spec, source=source, replace=True, via=VersionSource.IMPORT)
    versions = list(ladder.versions.order_by("number"))
    if len(versions) == 3:
        # Backdated across the two years, so that the history reads as it happened: the past
        # cycle was read against the second version, the open one against the third. A
        # queryset update: a version refuses save() once recorded.
        opened = Quarter.of(size.today).start
        days = [size.today - dt.timedelta(days=730), size.today - dt.timedelta(days=400)]
        for version, day in zip(versions, [*days, opened - dt.timedelta(days=2)], strict=True):
            when = dt.datetime.combine(min(day, size.today), dt.time(9), tzinfo=UTC)
            LadderVersion.objects.filter(pk=version.pk).update(created=when)
    ic_track = ladder.tracks.get(key="ic")
    return Org(
        size=size,
        ladder=ladder,
        versions=versions,
        dimensions=list(ladder.dimensions.order_by("order", "pk")),
        ic_track=ic_track,
        ic_levels=list(ic_track.levels.order_by("order", "pk")),
    )


# People -------------------------------------------------------------------------------------


def seed_people(org: Org) -> None:
    size, rng = org.size, org.rng("people")
    password = make_password(size.password)  # once: hashing is slow on purpose
    management = {level.code: level for level in Level.objects.filter(track__key="management")}
    management_track = Track.objects.get(ladder=org.ladder, key="management")
    top = len(org.ic_levels) - 1
    joined_before = size.today - dt.timedelta(days=800)

    def user(email: str, **fields: Any) -> User:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return User(
            email=email,
            name=fields.pop("name", name),
            password=password,
            date_joined=org.at(joined_before - dt.timedelta(days=rng.randint(0, 1500)), 9),
            time_zone=rng.choice(TIME_ZONES),
            **fields,
        )

    org.teams = bulk(
        Team,
        [
            Team(
                name=f"Team {number:03d}",
                slug=f"team-{number:03d}",
                description=TEAM_AREAS[(number - 1) % len(TEAM_AREAS)][1],
                handbook_url=f"https://wiki.seed.example/team-{number:03d}",
            )
            for number in range(1, size.teams + 1)
        ],
    )
    managers = [
        user(
            f"manager-{number:03d}@{DOMAIN}",
            track=management_track,
            current_level=management["EM"],
            target_level=management["EM" if number % 3 else "DIR"],
        )
        for number in range(1, size.teams + 1)
    ]
    deciders = [
        user(
            f"decider-{number}@{DOMAIN}",
            track=track,
            current_level=level,
            target_level=level,
        )
        for number, track, level in [
            (1, management_track, management["DIR"]),
            (2, management_track, management["VP"]),
            (3, org.ic_track, org.ic_levels[top]),
        ]
    ]
    staff = user(f"staff@{DOMAIN}", name="Staff Admin", is_staff=True, is_superuser=True)

    people: list[Person] = []
    for number in range(1, size.engineers + 1):
        level = rng.choices(range(len(LEVEL_WEIGHTS)), weights=LEVEL_WEIGHTS)[0]
        roll = rng.random()
        if number == 1:
            level = 2  # engineer-0001: Senior aiming at Staff, so they have a packet to show
        # About one in eight had a packet in the past round; most of those were promoted.
        # engineer-0002 and -0003 make sure that the round has both outcomes.
        if number == 2 or (number != 3 and roll < 0.09 and level > 0):
            level = max(level, 1)
            past, outcome = level - 1, "promoted"
        elif number == 3 or (roll < 0.13 and level < top):
            level = min(level, top - 1)
            past, outcome = level, "not_yet"
        else:
            past, outcome = level, ""
        person = Person(
            user=user(f"engineer-{number:04d}@{DOMAIN}"),
            number=number,
            team=(number - 1) % size.teams,
            level=level,
            target=min(level + 1, top),
            past_level=past,
            past_target=min(past + 1, top),
            past_packet=outcome,
        )
        if number == 1:
            person.packet = "submitted"
        elif outcome != "promoted" and level < top and rng.random() < 0.12:
            person.packet = "submitted" if rng.random() < 0.65 else "draft"
        person.user.track = org.ic_track
        person.user.current_level = org.ic_levels[person.level]
        person.user.target_level = org.ic_levels[person.target]
        people.append(person)

    users = bulk(User, [*managers, *deciders, staff, *(p.user for p in people)])
    org.managers = users[: len(managers)]
    org.deciders = users[len(managers) : len(managers) + len(deciders)]
    org.staff = users[len(managers) + len(deciders)]
    org.engineers = people
    bulk(
        Membership,
        [
            Membership(team=team, user=manager, role=Membership.Role.MANAGER)
            for team, manager in zip(org.teams, org.managers, strict=True)
        ]
        + [
            Membership(team=org.teams[p.team], user=p.user, role=Membership.Role.ENGINEER)
            for p in people
        ],
    )


def record_promotions(org: Org, effective: dt.date, cycle_name: str) -> None:
    """The level history of everyone the past round promoted (what decide() writes)."""
    with stamped_by_hand((LevelChange, "created")):
        bulk(
            LevelChange,
            [
                LevelChange(
                    person=p.user,
                    track=org.ic_track,
                    from_level=org.ic_levels[p.past_level],
                    to_level=org.ic_levels[p.level],
                    from_label=org.ic_levels[p.past_level].label,
                    to_label=org.ic_levels[p.level].label,
                    effective=effective,
                    reason=f"Promoted in {cycle_name}"[:250],
                    created=org.at(effective, 10),
                )
                for p in org.engineers
                if p.past_packet == "promoted"
            ],
        )


# Replacing ----------------------------------------------------------------------------------


def flush_org() -> None:
    """Delete what seed_org builds: people and teams with their brag documents and reviews, and
    the engineering ladder (so that its versions number from 1 again). The large tables go by
    plain DELETEs, children first: loading 200,000 entries to delete them one by one through
    the collector would take longer than building them. People then go through the ORM, so
    that their sign-in data (addresses, authenticators, sessions' owners) goes with them."""
    from brag.models import BragEntry, GlueRecognition, Goal
    from reviews.models import (
        Assessment,
        MatrixRow,
        PacketEdit,
        PacketProject,
        PromotionDecision,
        PromotionPacket,
        PromotionRound,
        Rating,
        ReviewCycle,
        ReviewNote,
        ReviewNoteVersion,
    )

    models_: list[type[models.Model]] = [
        PromotionDecision,
        PacketEdit,
        MatrixRow.evidence.through,
        MatrixRow,
        PacketProject,
        PromotionPacket,
        PromotionRound.deciders.through,
        PromotionRound,
        ReviewNoteVersion,
        ReviewNote,
        Rating.evidence.through,
        Rating,
        Assessment,
        ReviewCycle,
        GlueRecognition,
        BragEntry.dimensions.through,
        BragEntry,
        Goal,
        LevelChange,
        Membership,
        Team,
    ]
    if connection.vendor == "postgresql":
        # One TRUNCATE: no row-by-row foreign-key checks. Every table that refers to these is
        # in the list (PostgreSQL refuses otherwise, and nothing is lost).
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models_)
        with connection.cursor() as cursor:
            # Foreign keys checks still pending in this transaction (rows written before, in
            # an outer transaction) run first: TRUNCATE refuses a table that has some. Django
            # declares its foreign keys deferred, so DEFERRED afterwards is how they were.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        for model in models_:
            model._default_manager.all()._raw_delete(model._default_manager.db)
    User.objects.all().delete()
    Ladder.objects.filter(slug=LADDER_SLUG).delete()
