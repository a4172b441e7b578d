"""The load benchmark's own parts: reading wrk's results, the table it writes, the pages it drives.

The load run itself needs PostgreSQL, gunicorn and wrk (`make bench`); these check the pieces that
decide whether its figures mean anything.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from bench.pages import QUICK_ADD, key_pages
from bench.report import (
    END,
    START,
    YARDSTICK,
    BrokenRun,
    Result,
    main,
    parse_wrk,
    render,
    replace_measured,
)
from brag.models import BragEntry
from people.models import User

ROOT = Path(__file__).resolve().parents[2]


def wrk_output(**changes: int) -> str:
    figures = {
        "requests": 5000, "duration_us": 10_000_000, "p50_us": 12_300, "p95_us": 45_600,
        "p99_us": 78_900, "unexpected": 0, "first_unexpected": 0, "expect": 200,
        "status_errors": 0, "connect_errors": 0, "read_errors": 0, "write_errors": 0, "timeouts": 0,
    } | changes  # fmt: skip
    return (
        f"Running 10s test @ http://127.0.0.1:8000/\n  8 connections\nBENCH {json.dumps(figures)}\n"
    )


def result(page: str, requests: int, p95_ms: float) -> Result:
    return Result(page, "engineer", "/x/", requests, 10_000_000, 1000, int(p95_ms * 1000), 99_000)


META = {
    "date": "2026-12-02",
    "note": "",
    "machine": {"cores": "2", "cpu": "AMD EPYC", "memory": "23.5 GiB"},
    "postgres": "PostgreSQL 15.18",
    "workers": 5,
    "worker_class": "sync",
    "connections": 8,
    "threads": 2,
    "seconds": 10,
    "seed_command": "manage.py seed_org --engineers 1000",
    "seed_seconds": 95.25,
    "signin_seconds": {"engineer": 0.41, "manager": 0.39},
    "query_plans": None,
}


def test_a_wrk_run_gives_its_throughput_and_percentiles() -> None:
    measured = parse_wrk(wrk_output(), "home", "engineer", "/")
    assert measured.rps == 500.0
    assert (measured.p50_us, measured.p95_us, measured.p99_us) == (12_300, 45_600, 78_900)
    assert measured.meets_p95


def test_a_run_with_redirects_to_sign_in_is_refused() -> None:
    with pytest.raises(BrokenRun, match=r"37 of 5000 answers were not 200 \(the first was 302\)"):
        parse_wrk(wrk_output(unexpected=37, first_unexpected=302), "home", "engineer", "/")


@pytest.mark.parametrize("changes", [{"read_errors": 3}, {"timeouts": 1}, {"connect_errors": 8}])
def test_socket_errors_and_timeouts_are_refused(changes: dict[str, int]) -> None:
    with pytest.raises(BrokenRun, match="home"):
        parse_wrk(wrk_output(**changes), "home", "engineer", "/")


def test_a_page_that_answered_nothing_within_the_run_is_a_miss_not_a_broken_run() -> None:
    silent = parse_wrk(wrk_output(requests=0, p50_us=0, p95_us=0, p99_us=0), "round", "d", "/r/")
    assert not silent.meets_p95
    table = render([result(YARDSTICK, 10_000, 10), silent], META)
    assert "| round | d | 0.0 | > 10000 | > 10000 | > 10000 | 0.0 | 0.00 | **no** |" in table
    assert "target ≥ 0.2 **missed**" in table


def test_output_without_the_lua_report_is_refused() -> None:
    with pytest.raises(BrokenRun, match="no BENCH line"):
        parse_wrk("Requests/sec: 1000.00\n", "home", "engineer", "/")


def test_the_table_gives_ratios_to_ping_and_names_the_misses() -> None:
    table = render(
        [result(YARDSTICK, 10_000, 10), result("home", 3000, 80), result("packet", 1000, 250)],
        META,
    )
    assert "| home | engineer | 300.0 | 1.0 | 80.0 | 99.0 | 0.0 | 0.30 | yes |" in table
    assert "| packet | engineer | 100.0 | 1.0 | 250.0 | 99.0 | 0.0 | 0.10 | **no** |" in table
    assert "Heaviest page: packet (engineer), 0.10 × /ping/'s throughput" in table
    assert "target ≥ 0.2 **missed**" in table
    assert "Pages over p95 100 ms: packet (engineer)." in table
    assert "seeded in 95.2 s" in table
    assert "engineer 0.41 s, manager 0.39 s" in table
    assert "2 cores (AMD EPYC)" in table
    assert "not run: `manage.py query_plans` does not exist yet." in table


def test_the_table_says_when_every_target_is_met() -> None:
    table = render([result(YARDSTICK, 10_000, 10), result("home", 5000, 60)], META)
    assert "target ≥ 0.2 met." in table
    assert "Every page meets p95 ≤ 100 ms." in table


def test_the_query_plans_summary_keeps_each_page_and_the_verdict() -> None:
    plans = (
        "Database: postgresql; large table: > 10,000 rows\n"
        "home: 9 queries (engineer / -> 200, 3.1 ms in SQL)\n"
        "    12.00 ms  Seq Scan on brag_bragentry\n"
        "Verdict: 1 queries read a large table whole:\n"
    )
    table = render([result(YARDSTICK, 10_000, 10)], META | {"query_plans": plans})
    assert "- home: 9 queries (engineer / -> 200, 3.1 ms in SQL)" in table
    assert "Verdict: 1 queries read a large table whole:" in table
    assert "Seq Scan on brag_bragentry" in table  # in the whole output, folded


def test_without_the_yardstick_there_is_no_table() -> None:
    with pytest.raises(BrokenRun, match="yardstick"):
        render([result("home", 3000, 80)], META)


def test_a_rerun_replaces_only_the_measured_part() -> None:
    doc = (
        f"# Performance\n\nHow to run it.\n\n{START}\nold figures\n{END}\n\n## Profiling\n\nprose\n"
    )
    once = replace_measured(doc, "new figures")
    assert once == doc.replace("old figures", "new figures")
    assert replace_measured(once, "newer figures") == doc.replace("old figures", "newer figures")


def test_a_doc_without_markers_gets_them_at_the_end() -> None:
    written = replace_measured("# Performance\n\nprose\n", "figures")
    assert written == f"# Performance\n\nprose\n\n{START}\nfigures\n{END}\n"


def test_record_and_write_keep_the_prose_of_the_doc(tmp_path: Path, monkeypatch) -> None:
    results, meta, doc = tmp_path / "r.jsonl", tmp_path / "meta.json", tmp_path / "doc.md"
    meta.write_text(json.dumps(META))
    doc.write_text(f"intro\n{START}\nold\n{END}\noutro\n")
    for page, requests in ((YARDSTICK, 9000), ("home", 3000)):
        monkeypatch.setattr("sys.stdin", io.StringIO(wrk_output(requests=requests)))
        args = ["record", "--page", page, "--who", "engineer", "--path", "/", "--out"]
        assert main([*args, str(results)]) == 0
    assert main(["write", "--results", str(results), "--meta", str(meta), "--doc", str(doc)]) == 0
    written = doc.read_text()
    assert written.startswith(f"intro\n{START}\n") and written.endswith(f"{END}\noutro\n")
    assert "| home | engineer | 300.0 |" in written and "old" not in written


def test_record_fails_loudly_on_a_broken_run(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(wrk_output(unexpected=5, first_unexpected=404)))
    out = tmp_path / "r.jsonl"
    args = ["record", "--page", "home", "--who", "engineer", "--path", "/", "--out", str(out)]
    assert main(args) == 1
    assert "BROKEN BENCHMARK" in capsys.readouterr().err
    assert not out.exists()


def test_make_bench_runs_the_load_benchmark() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^bench: setup\n\tbin/loadbench$", makefile, re.MULTILINE)
    assert os.access(ROOT / "bin" / "loadbench", os.X_OK)
    performance = (ROOT / "docs" / "performance.md").read_text()
    assert performance.count(START) == 1 and performance.count(END) == 1


@pytest.mark.django_db
def test_every_page_the_benchmark_drives_answers_its_person_with_the_expected_status(
    client,
) -> None:
    call_command("seed_org", teams=2, engineers=6, entries_per_engineer=5, seed=1, verbosity=0)
    people = {
        "engineer": User.objects.get(email="engineer-0001@seed.example"),
        "manager": User.objects.get(email="manager-001@seed.example"),
        "decider": User.objects.get(email="decider-1@seed.example"),
    }
    pages = key_pages(people["engineer"], people["manager"], people["decider"])
    assert pages[0].name == YARDSTICK and pages[-1].method == "POST"
    for page in pages:
        client.force_login(people[page.who])
        if page.method == "POST":
            response = client.post(
                page.path,
                page.body,
                content_type="application/x-www-form-urlencoded",
                headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/brag/"},
            )
        else:
            response = client.get(page.path)
        assert response.status_code == page.expect, (page.name, page.path)
    assert BragEntry.objects.filter(owner=people["engineer"], title=QUICK_ADD["title"]).exists()
