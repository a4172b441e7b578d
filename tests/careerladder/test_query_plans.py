"""`manage.py query_plans`: the key pages are rendered as the organisation's people and counted,
and the plan walkers flag a whole read of a large table and pass an index lookup."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from brag.models import BragEntry
from careerladder.query_plans import (
    explainable,
    postgres_seq_scans,
    postgres_times,
    sqlite_full_scans,
)

from .access_world import DECIDER, MANAGER, STAFF, SUBJECT, World, build_world

# PostgreSQL's EXPLAIN (ANALYZE, FORMAT JSON) output, trimmed to the keys the walker reads.
SEQ_SCAN_PLAN = [
    {
        "Plan": {
            "Node Type": "Aggregate",
            "Actual Total Time": 41.5,
            "Plans": [
                {
                    "Node Type": "Hash Join",
                    "Plans": [
                        {"Node Type": "Seq Scan", "Relation Name": "brag_bragentry"},
                        {"Node Type": "Seq Scan", "Relation Name": "ladder_dimension"},
                    ],
                }
            ],
        },
        "Planning Time": 1.25,
    }
]
INDEX_PLAN = [
    {
        "Plan": {
            "Node Type": "Limit",
            "Actual Total Time": 0.3,
            "Plans": [
                {
                    "Node Type": "Index Scan",
                    "Relation Name": "brag_bragentry",
                    "Index Name": "brag_alive_owner_newest",
                }
            ],
        },
        "Planning Time": 0.1,
    }
]
SIZES = {"brag_bragentry": 200_000, "ladder_dimension": 6, "big_table": 50_000}


def test_a_seq_scan_of_a_large_table_is_flagged_and_a_small_one_is_not() -> None:
    scans = postgres_seq_scans(SEQ_SCAN_PLAN, SIZES)
    assert [(scan.table, scan.rows) for scan in scans] == [("brag_bragentry", 200_000)]
    assert str(scans[0]) == "Seq Scan on brag_bragentry (~200,000 rows)"


def test_an_index_scan_passes() -> None:
    assert postgres_seq_scans(INDEX_PLAN, SIZES) == []


def test_the_threshold_decides_what_is_large() -> None:
    assert postgres_seq_scans(SEQ_SCAN_PLAN, SIZES, threshold=300_000) == []
    assert len(postgres_seq_scans(SEQ_SCAN_PLAN, SIZES, threshold=5)) == 2


def test_times_are_execution_and_planning() -> None:
    assert postgres_times(SEQ_SCAN_PLAN) == (41.5, 1.25)


def test_sqlite_flags_a_bare_scan_of_a_big_table() -> None:
    details = ["SCAN big_table", "SEARCH ladder_dimension USING INTEGER PRIMARY KEY (rowid=?)"]
    scans = sqlite_full_scans(details, SIZES)
    assert [(scan.table, scan.node) for scan in scans] == [("big_table", "SCAN")]


@pytest.mark.parametrize(
    "detail",
    [
        "SEARCH big_table USING INDEX brag_alive_owner_newest (owner_id=?)",
        "SCAN big_table USING INDEX brag_alive_owner_newest",
        "SCAN big_table USING COVERING INDEX brag_alive_owner_figures",
        "SCAN ladder_dimension",  # a small table read whole is fine
        "USE TEMP B-TREE FOR ORDER BY",
    ],
)
def test_sqlite_passes_index_searches_and_small_tables(detail: str) -> None:
    assert sqlite_full_scans([detail], SIZES) == []


def test_a_server_side_cursor_is_explained_by_its_select() -> None:
    declared = 'DECLARE "_django_curs_1_sync_1" NO SCROLL CURSOR WITH HOLD FOR SELECT 1 FROM t'
    assert explainable(declared) == "SELECT 1 FROM t"
    assert explainable("SELECT 1") == "SELECT 1"
    assert explainable('UPDATE "django_session" SET x = 1') is None
    assert explainable("") is None


@pytest.fixture
def world(db) -> World:
    return build_world()


def run(world: World, *extra: str) -> str:
    out = io.StringIO()
    people = world.people
    call_command(
        "query_plans",
        "--engineer",
        people[SUBJECT].email,
        "--manager",
        people[MANAGER].email,
        "--decider",
        people[DECIDER].email,
        "--staff",
        people[STAFF].email,
        *extra,
        stdout=out,
    )
    return out.getvalue()


PAGES = [
    "home",
    "my brag document",
    "brag: any glue",
    "quick add (POST, rolled back)",
    "level map",
    "level diff",
    "version diff",
    "compare view",
    "manager dashboard",
    "team page (manager)",
    "packet",
    "promotion round",
    "Markdown export",
    "home (staff)",
]


def test_every_key_page_gets_a_count_line(world: World) -> None:
    output = run(world, "--threshold", "1000000")
    for page in PAGES:
        line = next((line for line in output.splitlines() if line.startswith(f"{page}: ")), "")
        assert " queries (" in line and "-> 200" in line, f"{page}: {line!r}\n{output}"
    assert "Verdict: no key page reads a large table whole." in output


def test_the_quick_add_probe_leaves_nothing_behind(world: World) -> None:
    before = BragEntry.objects.count()
    run(world, "--page", "quick add (POST, rolled back)")
    assert BragEntry.objects.count() == before
    assert not BragEntry.objects.filter(title="Query plan probe").exists()


def test_strict_fails_when_a_page_reads_a_table_whole(world: World) -> None:
    # With every table counted as large, SQLite's plain scans (small ladder tables) count.
    with pytest.raises(CommandError, match="reads a large table whole"):
        run(world, "--threshold", "0", "--strict")


def test_unknown_people_are_a_clear_error(world: World) -> None:
    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("query_plans", "--engineer", "nobody@example.org", stdout=io.StringIO())
