"""A year of realistic brag entries and this quarter's goals for each demo engineer."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ladder.models import Dimension
from people.models import User

from .models import BragEntry, Category, GlueKind, Goal, Visibility
from .quarters import Quarter

# title, category, role, impact, skills, dimension keys, glue kind
WINS: list[tuple[str, str, str, str, str, list[str], str]] = [
    (
        "Cut CI build time",
        Category.PROJECTS,
        "Profiled the pipeline, split the test suite into shards and cached dependencies.",
        "Build time down from 22 to 9 minutes for 40 engineers: about 90 engineer-hours a month.",
        "Build tooling, profiling",
        ["scope", "technical-depth"],
        "",
    ),
    (
        "Payments retry service",
        Category.PROJECTS,
        "Designed and built the retry queue; led two engineers through the rollout.",
        "Failed card payments recovered rose from 61% to 84%, about €40K a month.",
        "Distributed systems, Go, leading a small project",
        ["scope", "autonomy", "failure-impact"],
        "",
    ),
    (
        "Search latency",
        Category.PROJECTS,
        "Found the N+1 query behind slow search pages and added the missing index.",
        "p99 search latency from 800 ms to 200 ms.",
        "PostgreSQL, performance analysis",
        ["technical-depth"],
        "",
    ),
    (
        "RFC: one way to emit events",
        Category.DESIGN,
        "Wrote the RFC, ran two review sessions, folded in the feedback.",
        "Adopted by 3 teams; replaces four home-grown event libraries.",
        "Technical writing, consensus building",
        ["influence", "ambiguity", "scope"],
        GlueKind.DESIGN_REVIEWS,
    ),
    (
        "Design review for the mobile sync API",
        Category.DESIGN,
        "Reviewed the design with the mobile team and proposed a versioned contract.",
        "Caught a data-loss case before launch; 2 breaking changes avoided.",
        "API design",
        ["influence", "failure-impact"],
        GlueKind.DESIGN_REVIEWS,
    ),
    (
        "Chose the queue for background jobs",
        Category.DESIGN,
        "Compared three options against our load and on-call cost; wrote the decision record.",
        "Saved an estimated 3 months of build time by buying instead of building.",
        "Trade-off analysis",
        ["autonomy", "ambiguity"],
        "",
    ),
    (
        "Onboarded two new hires",
        Category.MENTORING,
        "Paired daily in their first two weeks; rewrote the setup guide as we went.",
        "Both shipped to production in week 2; ramp-up from 8 weeks to 4.",
        "Mentoring, documentation",
        ["influence"],
        GlueKind.ONBOARDING,
    ),
    (
        "Mentored a mid-level engineer on system design",
        Category.MENTORING,
        "Weekly sessions working through real design docs.",
        "They led their first design review this quarter.",
        "Coaching",
        ["influence"],
        GlueKind.MENTORING,
    ),
    (
        "Interview loop for backend roles",
        Category.MENTORING,
        "Rewrote the system-design exercise and trained 5 interviewers.",
        "Interview-to-offer time down from 21 to 12 days.",
        "Hiring",
        ["influence", "scope"],
        GlueKind.INTERVIEWING,
    ),
    (
        "Runbook for the payments on-call",
        Category.OPERATIONS,
        "Wrote runbooks for the 6 most frequent pages.",
        "Median time to mitigate from 47 to 18 minutes.",
        "Operations, writing",
        ["failure-impact"],
        GlueKind.DOCUMENTATION,
    ),
    (
        "Postmortem: checkout outage",
        Category.OPERATIONS,
        "Facilitated the blameless postmortem and tracked the 7 follow-ups to done.",
        "No repeat of the incident in 2 quarters.",
        "Facilitation, incident response",
        ["failure-impact", "influence"],
        GlueKind.POSTMORTEMS,
    ),
    (
        "Alerting clean-up",
        Category.OPERATIONS,
        "Deleted or tuned noisy alerts with the on-call rotation.",
        "Pages per week from 35 to 9.",
        "Observability",
        ["scope"],
        "",
    ),
    (
        "Coordinated the API deprecation across teams",
        Category.PROJECTS,
        "Ran the weekly sync with 4 client teams and kept the migration tracker.",
        "All clients migrated two weeks before the deadline.",
        "Coordination",
        ["influence", "ambiguity"],
        GlueKind.COORDINATION,
    ),
    (
        "Ran the team's planning sessions",
        Category.MENTORING,
        "Facilitated quarterly planning and the retro.",
        "The team kept its commitments for the first time in three quarters.",
        "Facilitation",
        ["influence"],
        GlueKind.FACILITATION,
    ),
    (
        "Learned Rust for the ingestion worker",
        Category.LEARNING,
        "Read the book, then rewrote the parser as a side project.",
        "Parser throughput up 5x in the prototype; shared it at the guild.",
        "Rust",
        ["technical-depth"],
        "",
    ),
    (
        "Internal talk: reading query plans",
        Category.LEARNING,
        "Prepared and gave a 30-minute talk with live examples.",
        "About 60 engineers attended; the recording has 140 views.",
        "Teaching, PostgreSQL",
        ["influence", "technical-depth"],
        GlueKind.DOCUMENTATION,
    ),
    (
        "Wrote the architecture overview",
        Category.DESIGN,
        "Documented the services, their owners and the main data flows.",
        "New hires now read one page instead of asking around for a week.",
        "Documentation",
        ["scope"],
        GlueKind.DOCUMENTATION,
    ),
    (
        "Fixed flaky end-to-end tests",
        Category.OPERATIONS,
        "Tracked down timing assumptions in 12 tests.",
        "Flaky failures on main from 1 in 5 runs to 1 in 200.",
        "Testing",
        ["technical-depth"],
        "",
    ),
]

GOALS = [
    "Lead the design of the next payments integration",
    "Write one RFC that another team adopts",
    "Mentor a new hire through their first on-call week",
    "Give a talk at the engineering guild",
]

VISIBILITIES = [Visibility.MANAGERS, Visibility.MANAGERS, Visibility.TEAM, Visibility.PRIVATE]


def seed_brag(engineers: list[User], today: dt.date | None = None) -> int:
    """Give each engineer entries across categories, glue kinds, visibilities and the last four
    quarters, unless they have entries already. Returns how many entries were created."""
    today = today or timezone.localdate()
    dimensions = {d.key: d for d in Dimension.objects.filter(ladder__slug="engineering")}
    created = 0
    for index, person in enumerate(sorted(engineers, key=lambda p: p.email)):
        if BragEntry.objects.filter(owner=person).exists():
            continue
        rng = random.Random(f"{person.email}-careerladder-demo")
        wins = rng.sample(WINS, k=14)
        for number, (title, category, role, impact, skills, keys, glue) in enumerate(wins):
            # Spread over about a year, newest first, one every three to four weeks.
            day = today - dt.timedelta(days=number * 26 + rng.randint(0, 8) + index)
            entry = BragEntry.objects.create(
                owner=person,
                date=min(day, today),
                title=title,
                category=category,
                role=role,
                impact=impact,
                skills=skills,
                glue_kind=glue,
                visibility=VISIBILITIES[(number + index) % len(VISIBILITIES)],
                links=["https://wiki.example.com/" + title.lower().replace(" ", "-")[:40]]
                if number % 3 == 0
                else [],
            )
            entry.dimensions.set([dimensions[key] for key in keys if key in dimensions])
            # Logged on the Friday of that week, as the habit goes.
            logged = dt.datetime.combine(
                entry.date + dt.timedelta(days=max(0, 4 - entry.date.weekday())),
                dt.time(16, 30),
                tzinfo=person.zone,
            )
            BragEntry.objects.filter(pk=entry.pk).update(created=min(logged, timezone.now()))
            created += 1
        quarter = Quarter.of(today)
        for done, period in [(False, quarter), (True, quarter.previous())]:
            for text in rng.sample(GOALS, k=2):
                Goal.objects.create(
                    owner=person, year=period.year, quarter=period.number, text=text, done=done
                )
    return created
