"""seed_org's brag documents: two years of entries per engineer across every category, glue kind
and visibility, tagged to 1-3 dimensions, some deleted; goals; managers' glue recognitions.

Markdown is rendered once per template, not once per entry: the numbers and names filled into a
template are plain words and digits, which Markdown and the cleaner leave as they are, so the
filled HTML equals rendering the filled text (a test holds us to that)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from brag.markdown import render_markdown
from brag.models import BragEntry, Category, GlueKind, GlueRecognition, Goal, Visibility
from brag.quarters import Quarter

from .orgseed import Org, Person, bulk, insert_rows, next_id, reset_ids, stamped_by_hand

# Engineers are written in groups, so that memory stays flat at any size.
GROUP = 50
DAYS = 730

SERVICES = (
    "checkout",
    "billing",
    "payouts",
    "search",
    "ingestion",
    "notifications",
    "the mobile app",
    "sign-in",
    "the data warehouse",
    "the public API",
    "onboarding",
    "the admin console",
    "reporting",
    "the job queue",
    "feature flags",
    "the design system",
)


@dataclass(frozen=True)
class Win:
    """A kind of win. {service} in the title and impact, {a} and {b} (numbers) in the impact."""

    title: str
    category: str
    role: str
    impact: str
    skills: str
    dimensions: tuple[str, ...]
    glue: str = ""


WINS: tuple[Win, ...] = (
    Win(
        "Cut CI build time for {service}",
        Category.PROJECTS,
        "Profiled the pipeline, split the test suite into shards and cached dependencies.",
        "Build time down from {a} to {b} minutes for the whole team.",
        "Build tooling, profiling",
        ("scope", "technical-depth"),
    ),
    Win(
        "Shipped the retry queue for {service}",
        Category.PROJECTS,
        "Designed and built the queue; led **two engineers** through the rollout.",
        "Failed requests recovered rose from {b}% to {a}%.",
        "Distributed systems, leading a small project",
        ("scope", "autonomy", "failure-impact"),
    ),
    Win(
        "Fixed slow pages in {service}",
        Category.PROJECTS,
        "Found the N+1 query behind the slow pages and added the missing index.",
        "p99 latency from {a}0 ms to {b}0 ms.",
        "PostgreSQL, performance analysis",
        ("technical-depth",),
    ),
    Win(
        "Migrated {service} to the new platform",
        Category.PROJECTS,
        "Planned the cut-over, wrote the migration scripts, ran the rollback drill.",
        "No downtime; the old cluster was switched off a month early.",
        "Planning, migrations",
        ("scope", "ambiguity"),
    ),
    Win(
        "Coordinated the {service} deprecation across teams",
        Category.PROJECTS,
        "Ran the weekly sync with the client teams and kept the migration tracker.",
        "All {a} clients migrated {b} days before the deadline.",
        "Coordination",
        ("influence", "ambiguity"),
        GlueKind.COORDINATION,
    ),
    Win(
        "RFC: one way to emit events from {service}",
        Category.DESIGN,
        "Wrote the RFC, ran two review sessions, folded in the feedback.",
        "Adopted by {a} teams; replaces the home-grown libraries.",
        "Technical writing, consensus building",
        ("influence", "ambiguity", "scope"),
        GlueKind.DESIGN_REVIEWS,
    ),
    Win(
        "Design review for {service}",
        Category.DESIGN,
        "Reviewed the design with the owning team and proposed a versioned contract.",
        "Caught a data-loss case before launch.",
        "API design",
        ("influence", "failure-impact"),
        GlueKind.DESIGN_REVIEWS,
    ),
    Win(
        "Chose the storage for {service}",
        Category.DESIGN,
        "Compared the options against our load and on-call cost; wrote the decision record.",
        "Saved an estimated {a} weeks of build time by buying instead of building.",
        "Trade-off analysis",
        ("autonomy", "ambiguity"),
    ),
    Win(
        "Wrote the architecture overview of {service}",
        Category.DESIGN,
        "Documented the components, their owners and the main data flows.",
        "New hires read one page instead of asking around for a week.",
        "Documentation",
        ("scope",),
        GlueKind.DOCUMENTATION,
    ),
    Win(
        "Onboarded new hires to {service}",
        Category.MENTORING,
        "Paired daily in their first two weeks; rewrote the setup guide as we went.",
        "Both shipped to production in week {b}; ramp-up time cut in half.",
        "Mentoring, documentation",
        ("influence",),
        GlueKind.ONBOARDING,
    ),
    Win(
        "Mentored an engineer on system design",
        Category.MENTORING,
        "Weekly sessions working through real design documents.",
        "They led their first design review this quarter.",
        "Coaching",
        ("influence",),
        GlueKind.MENTORING,
    ),
    Win(
        "Interview loop for {service} roles",
        Category.MENTORING,
        "Rewrote the exercise and trained {a} interviewers.",
        "Interview-to-offer time down by {b} days.",
        "Hiring",
        ("influence", "scope"),
        GlueKind.INTERVIEWING,
    ),
    Win(
        "Ran the team's planning and retros",
        Category.MENTORING,
        "Facilitated quarterly planning and the retrospectives.",
        "The team kept its commitments for the first time in three quarters.",
        "Facilitation",
        ("influence",),
        GlueKind.FACILITATION,
    ),
    Win(
        "Organised the engineering guild",
        Category.MENTORING,
        "Booked speakers, kept the calendar and wrote up each session.",
        "About {a} engineers attend each month.",
        "Organising",
        ("influence",),
        GlueKind.OTHER,
    ),
    Win(
        "Runbooks for the {service} on-call",
        Category.OPERATIONS,
        "Wrote runbooks for the most frequent pages.",
        "Median time to mitigate from {a} to {b} minutes.",
        "Operations, writing",
        ("failure-impact",),
        GlueKind.DOCUMENTATION,
    ),
    Win(
        "Postmortem: {service} outage",
        Category.OPERATIONS,
        "Facilitated the blameless postmortem and tracked the follow-ups to done.",
        "No repeat of the incident in {a} quarters.",
        "Facilitation, incident response",
        ("failure-impact", "influence"),
        GlueKind.POSTMORTEMS,
    ),
    Win(
        "Alerting clean-up in {service}",
        Category.OPERATIONS,
        "Deleted or tuned noisy alerts with the on-call rotation.",
        "Pages per week from {a} to {b}.",
        "Observability",
        ("scope",),
    ),
    Win(
        "Fixed flaky end-to-end tests in {service}",
        Category.OPERATIONS,
        "Tracked down timing assumptions in the suite.",
        "Flaky failures on main from 1 in {b} runs to 1 in {a}0.",
        "Testing",
        ("technical-depth",),
    ),
    Win(
        "Led the incident response for {service}",
        Category.OPERATIONS,
        "Incident commander for the outage; kept the status page honest.",
        "Service restored while customers were told what was going on.",
        "Incident response",
        ("failure-impact", "autonomy"),
    ),
    Win(
        "Learned Rust for the {service} worker",
        Category.LEARNING,
        "Read the book, then rewrote the parser as a side project.",
        "Parser throughput up {a}x in the prototype; shared it at the guild.",
        "Rust",
        ("technical-depth",),
    ),
    Win(
        "Internal talk: reading query plans",
        Category.LEARNING,
        "Prepared and gave a 30-minute talk with live examples from {service}.",
        "About {a}0 engineers attended; the recording has {b}0 views.",
        "Teaching, PostgreSQL",
        ("influence", "technical-depth"),
        GlueKind.DOCUMENTATION,
    ),
    Win(
        "Took the distributed systems course",
        Category.LEARNING,
        "Worked through the course and its labs in the evenings.",
        "Applied the ideas to the {service} consistency bug.",
        "Distributed systems",
        ("technical-depth", "ambiguity"),
    ),
)

GOALS = (
    "Lead the design of the next {service} integration",
    "Write one RFC that another team adopts",
    "Mentor a new hire through their first on-call week",
    "Give a talk at the engineering guild",
    "Own the {service} roadmap for a quarter",
    "Pair with the data team on the **metrics** they need",
)

RECOGNITION_COMMENTS = (
    "",
    "Thank you: the team runs smoother for it.",
    "Seen, and it matters. Bring it to the review.",
    "This saved us a week.",
)

# Glue work half as likely as other wins: about a third of all entries, not a half.
WIN_WEIGHTS = tuple(1 if win.glue else 2 for win in WINS)

ENTRY_COLUMNS = (
    "id",
    "owner_id",
    "date",
    "title",
    "category",
    "role",
    "role_html",
    "impact",
    "impact_html",
    "skills",
    "skills_html",
    "links",
    "glue_kind",
    "visibility",
    "version",
    "created",
    "updated",
    "deleted_at",
)

# Of 100 entries: private, shared with managers, shared with the team.
VISIBILITY_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Visibility.PRIVATE, 15),
    (Visibility.MANAGERS, 55),
    (Visibility.TEAM, 30),
)


@dataclass(frozen=True, slots=True)
class EntryRef:
    """What the reviews need of an entry, without keeping 200,000 model instances."""

    pk: int
    date: dt.date
    visibility: str
    glue: str
    alive: bool
    dimensions: tuple[int, ...]

    @property
    def shared(self) -> bool:
        return self.alive and self.visibility != Visibility.PRIVATE


@dataclass
class Document:
    """One engineer's entries, oldest first, and the same per dimension for evidence."""

    entries: list[EntryRef] = field(default_factory=list)
    by_dimension: dict[int, list[EntryRef]] = field(default_factory=dict)

    def before(self, day: dt.date, dimension: int | None = None) -> list[EntryRef]:
        pool = self.entries if dimension is None else self.by_dimension.get(dimension, [])
        return pool[: bisect_right(pool, day, key=lambda e: e.date)]


@cache
def rendered(text: str) -> str:
    return render_markdown(text)


def fill(template: str, service: str, a: int, b: int) -> tuple[str, str]:
    """(text, html) of a template: the HTML of the template filled, which equals rendering."""
    values = {"service": service, "a": a, "b": b}
    return template.format(**values), rendered(template).format(**values)


def seed_brag(org: Org) -> dict[int, Document]:
    """Entries and their tags, goals and recognitions; returns each engineer's document by
    user id for the reviews to pick evidence from."""
    documents: dict[int, Document] = {}
    counter = 0
    for start in range(0, len(org.engineers), GROUP):
        group = org.engineers[start : start + GROUP]
        counter = _seed_entries(org, group, documents, counter)
    reset_ids(BragEntry)
    _seed_goals(org)
    _seed_recognitions(org, documents)
    return documents


def _seed_entries(
    org: Org, group: list[Person], documents: dict[int, Document], counter: int
) -> int:
    keys = {d.key: d.pk for d in org.dimensions}
    dimension_ids = list(keys.values())
    visibilities = [visibility for visibility, _ in VISIBILITY_WEIGHTS]
    weights = [weight for _, weight in VISIBILITY_WEIGHTS]
    today = org.size.today
    undo_from = org.at(today) - dt.timedelta(days=29)
    past_end = Quarter.of(today).previous().end
    entries: list[tuple] = []
    tags: list[tuple[int, int]] = []
    refs: dict[int, list[EntryRef]] = {}
    pk = next_id(BragEntry)
    for person in group:
        # Per engineer, so that one person's entries do not depend on everyone before them.
        rng = org.rng(f"brag:{person.number}")
        mine = refs.setdefault(person.user.pk, [])
        for index in range(org.size.entries_per_engineer):
            if counter < len(WINS):
                # The first entries of the organisation walk through every kind of win and
                # every visibility, so that even a tiny organisation has them all.
                win, visibility = WINS[counter], visibilities[counter % len(visibilities)]
            else:
                win = rng.choices(WINS, weights=WIN_WEIGHTS)[0]
                visibility = rng.choices(visibilities, weights=weights)[0]
            counter += 1
            service = rng.choice(SERVICES)
            a, b = rng.randint(2, 60), rng.randint(2, 60)
            a, b = max(a, b), min(a, b)  # "from {a} to {b}": down, as wins usually go
            impact, impact_html = fill(win.impact, service, a, b)
            role, role_html = fill(win.role, service, a, b)
            day = today - dt.timedelta(days=rng.randint(1, DAYS))
            # One entry in fifty deleted, at a fixed place so that small organisations have one.
            deleted = counter % 50 == 4
            if person.has_packet and index < 3:
                # A packet names three projects the manager and the deciders can read, done
                # before the past round: the first three entries of its subject are those.
                day = past_end - dt.timedelta(days=rng.randint(7, 200))
                deleted = False
                if visibility == Visibility.PRIVATE:
                    visibility = Visibility.MANAGERS
            logged = org.at(day + dt.timedelta(days=max(0, 4 - day.weekday())), 16, 30)
            link = rng.random() < 0.25
            entries.append(
                (
                    pk,
                    person.user.pk,
                    day,
                    win.title.format(service=service)[:200],
                    win.category,
                    role,
                    role_html,
                    impact,
                    impact_html,
                    win.skills,
                    rendered(win.skills),
                    [f"https://wiki.seed.example/{service.replace(' ', '-')}/{counter}"]
                    if link
                    else [],
                    win.glue,
                    visibility,
                    1,
                    logged,
                    logged,
                    # Deleted lately: older deletions would have been purged after 30 days.
                    undo_from + dt.timedelta(days=rng.randint(0, 28)) if deleted else None,
                )
            )
            chosen = [keys[k] for k in win.dimensions if k in keys]
            if len(chosen) < 3 and rng.random() < 0.3:
                chosen.append(rng.choice(dimension_ids))
            dimensions = tuple(dict.fromkeys(chosen or [dimension_ids[0]]))[:3]
            tags += [(pk, dimension) for dimension in dimensions]
            mine.append(EntryRef(pk, day, visibility, win.glue, not deleted, dimensions))
            pk += 1
    insert_rows(BragEntry, ENTRY_COLUMNS, entries)
    insert_rows(BragEntry.dimensions.through, ("bragentry_id", "dimension_id"), tags)
    for owner, mine in refs.items():
        document = documents[owner] = Document(sorted(mine, key=lambda e: (e.date, e.pk)))
        for ref in document.entries:
            for dimension in ref.dimensions:
                document.by_dimension.setdefault(dimension, []).append(ref)
    return counter


def _seed_goals(org: Org) -> None:
    """Two goals for this quarter (one done for some) and two done last quarter."""
    this = Quarter.of(org.size.today)
    goals = []
    for person in org.engineers:
        rng = org.rng(f"goals:{person.number}")
        for period, done in [(this, None), (this.previous(), True)]:
            for text in rng.sample(GOALS, k=2):
                text = text.format(service=rng.choice(SERVICES))
                goals.append(
                    Goal(
                        owner=person.user,
                        year=period.year,
                        quarter=period.number,
                        text=text,
                        text_html=rendered(text),
                        done=rng.random() < 0.3 if done is None else done,
                        created=org.at(period.start + dt.timedelta(days=3), 10),
                    )
                )
    with stamped_by_hand((Goal, "created")):
        bulk(Goal, goals)


def _seed_recognitions(org: Org, documents: dict[int, Document]) -> None:
    """A manager acknowledges about a third of the glue work they can read (shared, alive)."""
    rng = org.rng("recognitions")
    recognitions: list[tuple] = []
    for person in org.engineers:
        manager = org.manager_of(person)
        for ref in documents.get(person.user.pk, Document()).entries:
            if ref.glue and ref.shared and rng.random() < 0.35:
                when = org.at(ref.date + dt.timedelta(days=rng.randint(3, 12)), 11)
                recognitions.append((ref.pk, manager.pk, rng.choice(RECOGNITION_COMMENTS), when))
    insert_rows(GlueRecognition, ("entry_id", "by_id", "comment", "created"), recognitions)
