"""Which queries the key pages run, and whether any of them reads a whole large table.

`manage.py query_plans` renders the key pages in-process as the seeded organisation's people
(seed_org's accounts), captures every query, and asks the database for each SELECT's plan:
PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` (run in a transaction that is rolled
back), or SQLite's `EXPLAIN QUERY PLAN` (best effort: SQLite has no row estimates or timings).
The plan walkers below are plain functions over the plan, so that the rule they apply ("no
sequential scan of a table larger than the threshold") is tested on fixed plans."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from people.models import Membership, User

# A table with more rows than this (the planner's estimate) must not be read whole.
DEFAULT_THRESHOLD = 10_000

# SQLite's EXPLAIN QUERY PLAN says "SCAN t" for a full table read, "SCAN t USING INDEX i" for a
# walk along an index (whole, but in index order) and "SEARCH t USING INDEX i (x=?)" for a lookup.
# Savepoints come from measuring inside a transaction; a request in production has none.
_SAVEPOINT = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)
_DECLARE = re.compile(
    r"^\s*DECLARE\s+\S+\s+.*?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+(?P<query>.*)$", re.I | re.S
)
_SQLITE_SCAN = re.compile(r"^SCAN (?:TABLE )?(?P<table>\w+)(?: AS \w+)?$")


@dataclass
class Scan:
    """A whole-table read of a large table: which, how many rows it holds, and the plan node."""

    table: str
    rows: int
    node: str = "Seq Scan"

    def __str__(self) -> str:
        return f"{self.node} on {self.table} (~{self.rows:,} rows)"


@dataclass
class Query:
    sql: str
    time_ms: float | None = None  # PostgreSQL's actual execution time; None on SQLite
    planning_ms: float | None = None
    plan_text: str = ""
    scans: list[Scan] = field(default_factory=list)
    explained: bool = False

    @property
    def verdict(self) -> str:
        if not self.explained:
            return "not explained (not a SELECT)"
        if self.scans:
            return "SCANS A LARGE TABLE: " + "; ".join(str(scan) for scan in self.scans)
        return "ok: no large table read whole"


@dataclass
class PageResult:
    name: str
    url: str
    person: str
    status: int
    queries: list[Query]

    @property
    def scans(self) -> list[Scan]:
        return [scan for query in self.queries for scan in query.scans]


@dataclass
class Page:
    name: str
    url: str
    person: User
    method: str = "get"
    data: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)


# Plan walkers -------------------------------------------------------------------------------


def postgres_plan_nodes(plan: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every node of a PostgreSQL JSON plan (one node, with "Plans" below it), depth first."""
    yield plan
    for child in plan.get("Plans", []):
        yield from postgres_plan_nodes(child)


def postgres_seq_scans(
    explained: list[Mapping[str, Any]] | Mapping[str, Any],
    table_rows: Mapping[str, int],
    threshold: int = DEFAULT_THRESHOLD,
) -> list[Scan]:
    """The sequential scans, in the output of `EXPLAIN (FORMAT JSON)`, of tables whose row count
    (pg_class.reltuples, in `table_rows`) is above `threshold`."""
    documents = explained if isinstance(explained, list) else [explained]
    scans = []
    for document in documents:
        for node in postgres_plan_nodes(document["Plan"]):
            if node.get("Node Type") != "Seq Scan":
                continue
            table = node.get("Relation Name", "")
            rows = table_rows.get(table, 0)
            if rows > threshold:
                scans.append(Scan(table, rows))
    return scans


def postgres_times(explained: list[Mapping[str, Any]] | Mapping[str, Any]) -> tuple[float, float]:
    """(execution, planning) in milliseconds: the top node's actual total time, and the
    planner's time, which a prepared statement would not pay again."""
    document = explained[0] if isinstance(explained, list) else explained
    plan = document["Plan"]
    return float(plan.get("Actual Total Time", 0.0)), float(document.get("Planning Time", 0.0))


def sqlite_full_scans(
    details: list[str], table_rows: Mapping[str, int], threshold: int = DEFAULT_THRESHOLD
) -> list[Scan]:
    """The `SCAN <table>` lines of SQLite's EXPLAIN QUERY PLAN (no index used) on tables with
    more than `threshold` rows. A SEARCH, or a SCAN along an index, passes."""
    scans = []
    for detail in details:
        match = _SQLITE_SCAN.match(detail.strip())
        if match is None:
            continue
        table = match["table"]
        rows = table_rows.get(table, 0)
        if rows > threshold:
            scans.append(Scan(table, rows, node="SCAN"))
    return scans


# Asking the database -----------------------------------------------------------------------


def explainable(sql: str) -> str | None:
    """The SELECT to explain in a captured statement: itself, or the one a server-side cursor
    (`.iterator()` on PostgreSQL) declares; None for writes and everything else."""
    declared = _DECLARE.match(sql)
    if declared:
        sql = declared["query"]
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return sql if head in {"SELECT", "WITH"} else None


def table_sizes() -> dict[str, int]:
    """Rows per table: the planner's estimate on PostgreSQL (run ANALYZE first; a table never
    analyzed is counted), a count on SQLite (it keeps no estimate unless ANALYZE was run).
    The names come from the catalogue, never from input."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, c.reltuples::bigint FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
            )
            estimates = {name: int(rows) for name, rows in cursor.fetchall()}
            # -1: never analyzed (a fresh table); counted instead of taken for empty.
            for table in [name for name, rows in estimates.items() if rows < 0]:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                estimates[table] = int(cursor.fetchone()[0])
            return estimates
        sizes = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            sizes[table] = int(cursor.fetchone()[0])
        return sizes


def explain(sql: str, sizes: Mapping[str, int], threshold: int) -> Query:
    """The plan of one captured query, run inside a transaction that is rolled back (ANALYZE
    executes the statement)."""
    query = Query(sql)
    select = explainable(sql)
    if select is None:
        return query
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {select}")
            document = cursor.fetchone()[0]
            document = json.loads(document) if isinstance(document, str) else document
            query.time_ms, query.planning_ms = postgres_times(document)
            query.scans = postgres_seq_scans(document, sizes, threshold)
            cursor.execute(f"EXPLAIN (ANALYZE) {select}")
            query.plan_text = "\n".join(row[0] for row in cursor.fetchall())
        elif connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {select}")
            details = [str(row[-1]) for row in cursor.fetchall()]
            query.plan_text = "\n".join(details)
            query.scans = sqlite_full_scans(details, sizes, threshold)
        else:
            return query
        transaction.set_rollback(True)
    query.explained = True
    return query


# The key pages -----------------------------------------------------------------------------


@dataclass
class Cast:
    engineer: User
    manager: User
    decider: User | None
    staff: User | None


def find_cast(engineer: str, manager: str, decider: str, staff: str) -> Cast:
    """The people the pages are rendered as, by email (seed_org's accounts by default)."""

    def get(email: str) -> User | None:
        return User.objects.filter(email__iexact=email).first()

    found_engineer, found_manager = get(engineer), get(manager)
    if found_engineer is None or found_manager is None:
        pairs = [(engineer, found_engineer), (manager, found_manager)]
        missing = ", ".join(email for email, who in pairs if who is None)
        raise LookupError(f"Nobody with these addresses: {missing}")
    return Cast(found_engineer, found_manager, get(decider), get(staff))


def key_pages(cast: Cast) -> list[Page]:
    """The pages the issue names, each as the person who uses it."""
    from brag.models import ladder_dimensions_for
    from ladder.models import Ladder
    from reviews.models import PromotionPacket, PromotionRound

    engineer, manager = cast.engineer, cast.manager
    pages = [
        Page("home", "/", engineer),
        Page("my brag document", "/brag/", engineer),
        Page("brag: category", "/brag/?category=projects", engineer),
        Page("brag: any glue", "/brag/?glue=any", engineer),
        Page("brag: one glue kind", "/brag/?glue=mentoring", engineer),
        Page("brag: search", "/brag/?q=latency", engineer),
        Page("brag: page 3", "/brag/?page=3", engineer),
    ]
    dimension = ladder_dimensions_for(engineer).first()
    if dimension is not None:
        pages.append(Page("brag: dimension", f"/brag/?dimension={dimension.key}", engineer))
    pages.append(
        Page(
            "quick add (POST, rolled back)",
            "/brag/add/",
            engineer,
            method="post",
            data={"title": "Query plan probe", "category": "projects", "impact": "Cut 5 ms"},
            headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/brag/"},
        )
    )
    ladder = engineer.ladder() or Ladder.objects.default()
    if ladder is not None:
        pages.append(Page("level map", f"/ladder/{ladder.slug}/", engineer))
        track = engineer.track or ladder.tracks.first()
        if track is not None:
            pages.append(Page("level diff", f"/ladder/{ladder.slug}/{track.key}/diff/", engineer))
        pages.append(Page("version diff", f"/ladder/{ladder.slug}/-/versions/compare/", engineer))
    pages += [
        Page("compare view", f"/reviews/people/{engineer.pk}/", manager),
        Page("manager dashboard", "/reviews/team/", manager),
        Page("report's brag document", f"/brag/people/{engineer.pk}/", manager),
    ]
    team = Membership.objects.filter(user=engineer).order_by("team__name").first()
    if team is not None:
        pages.append(Page("team page (manager)", f"/teams/{team.team_id}/", manager))
        pages.append(Page("team page (engineer)", f"/teams/{team.team_id}/", engineer))
    packet = (
        PromotionPacket.objects.filter(subject=engineer).order_by("-cycle__start", "-pk").first()
    )
    if packet is not None:
        pages.append(Page("packet", f"/reviews/packets/{packet.pk}/", engineer))
    if cast.decider is not None:
        round_ = (
            PromotionRound.objects.filter(deciders=cast.decider).order_by("-cycle__start").first()
        )
        if round_ is not None:
            pages.append(
                Page("promotion round", f"/reviews/cycles/{round_.cycle_id}/round/", cast.decider)
            )
    pages.append(Page("Markdown export", "/brag/export.md", engineer))
    if cast.staff is not None:
        pages.append(Page("home (staff)", "/", cast.staff))
    return pages


def render_page(page: Page, sizes: Mapping[str, int], threshold: int, plans: bool) -> PageResult:
    """Render one page as its person and explain every SELECT it ran."""
    client = Client()
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ALLOWED_HOSTS=hosts):
        client.force_login(page.person)
        # Writes (quick add) are rolled back: measuring must not change the organisation.
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                call = getattr(client, page.method)
                response = call(
                    page.url, page.data or None, headers=dict(page.headers), secure=True
                )
            statements = [
                entry["sql"]
                for entry in captured.captured_queries
                if not _SAVEPOINT.match(entry["sql"])
            ]
            queries = [
                explain(sql, sizes, threshold) if plans else Query(sql) for sql in statements
            ]
            transaction.set_rollback(True)
    return PageResult(page.name, page.url, page.person.email, response.status_code, queries)
