"""`manage.py query_plans`: the key pages' queries and their plans, against the configured
database. Run it on a seeded organisation (seed_org) after ANALYZE; the rules and the plan
walkers are in careerladder/query_plans.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from careerladder.query_plans import (
    DEFAULT_THRESHOLD,
    PageResult,
    Query,
    find_cast,
    key_pages,
    render_page,
    table_sizes,
)

SQL_SHOWN = 160


def _short(sql: str) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= SQL_SHOWN else flat[: SQL_SHOWN - 1] + "…"


class Command(BaseCommand):
    help = (
        "Render the key pages as seed_org's people, count their queries and explain every "
        "SELECT: on PostgreSQL EXPLAIN (ANALYZE, BUFFERS), flagging sequential scans of large "
        "tables; on SQLite EXPLAIN QUERY PLAN, flagging full scans (best effort)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engineer", default="engineer-0001@seed.example")
        parser.add_argument("--manager", default="manager-001@seed.example")
        parser.add_argument("--decider", default="decider-1@seed.example")
        parser.add_argument("--staff", default="staff@seed.example")
        parser.add_argument(
            "--threshold",
            type=int,
            default=DEFAULT_THRESHOLD,
            help="A table with more rows than this must not be read whole (default %(default)s).",
        )
        parser.add_argument(
            "--heaviest", type=int, default=5, help="How many of the slowest queries to print."
        )
        parser.add_argument("--page", action="append", default=[], help="Only pages named so.")
        parser.add_argument("--no-plans", action="store_true", help="Count queries only.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Exit non-zero when any query reads a large table whole.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cast = find_cast(
                options["engineer"], options["manager"], options["decider"], options["staff"]
            )
        except LookupError as error:
            raise CommandError(
                f"{error}. Seed an organisation first (manage.py seed_org)."
            ) from None
        threshold = options["threshold"]
        plans = not options["no_plans"]
        sizes = table_sizes() if plans else {}
        verbose = options["verbosity"] >= 2
        pages = key_pages(cast)
        if options["page"]:
            wanted = {name.casefold() for name in options["page"]}
            pages = [page for page in pages if page.name.casefold() in wanted]
        self.stdout.write(f"Database: {connection.vendor}; large table: > {threshold:,} rows")
        if connection.vendor == "sqlite" and plans:
            self.stdout.write(
                "SQLite: EXPLAIN QUERY PLAN has no row estimates or timings; a bare "
                "'SCAN <table>' on a large table is flagged (best effort)."
            )
        results: list[PageResult] = []
        for page in pages:
            result = render_page(page, sizes, threshold, plans)
            results.append(result)
            self._page(result, verbose)
        if plans:
            self._heaviest(results, options["heaviest"])
        scans = [(result, query) for result in results for query in result.queries if query.scans]
        if not plans:
            return
        if scans:
            self.stdout.write(
                self.style.WARNING(f"Verdict: {len(scans)} queries read a large table whole:")
            )
            for result, query in scans:
                self.stdout.write(f"  {result.name}: {query.verdict}\n    {_short(query.sql)}")
            if options["strict"]:
                raise CommandError("A key page reads a large table whole (see above).")
        else:
            self.stdout.write(self.style.SUCCESS("Verdict: no key page reads a large table whole."))

    def _page(self, result: PageResult, verbose: bool) -> None:
        total = sum(query.time_ms or 0 for query in result.queries)
        timing = (
            f", {total:.1f} ms in SQL" if any(q.time_ms is not None for q in result.queries) else ""
        )
        flagged = f", {len(result.scans)} large-table scans" if result.scans else ""
        self.stdout.write(
            f"{result.name}: {len(result.queries)} queries ({result.person} "
            f"{result.url} -> {result.status}{timing}{flagged})"
        )
        for query in result.queries:
            if verbose or query.scans:
                self.stdout.write(
                    f"    {self._timing(query)}  {query.verdict}\n      {_short(query.sql)}"
                )

    @staticmethod
    def _timing(query: Query) -> str:
        if query.time_ms is None:
            return "    -    "
        return f"{query.time_ms:8.2f} ms (+{query.planning_ms or 0:.2f} ms planning)"

    def _heaviest(self, results: list[PageResult], count: int) -> None:
        seen: set[str] = set()
        ranked = []
        for result in results:
            for query in result.queries:
                if query.explained and query.sql not in seen:
                    seen.add(query.sql)
                    ranked.append((result, query))
        # On SQLite there are no timings: the flagged ones first, in page order.
        ranked.sort(key=lambda pair: (-(pair[1].time_ms or 0), not pair[1].scans))
        if not ranked:
            return
        self.stdout.write(f"\nThe {min(count, len(ranked))} heaviest queries:")
        for number, (result, query) in enumerate(ranked[:count], start=1):
            self.stdout.write(f"\n#{number} {self._timing(query).strip()} on {result.name}")
            self.stdout.write(query.sql)
            self.stdout.write(query.plan_text)
            self.stdout.write(f"Verdict: {query.verdict}")
        self.stdout.write("")
