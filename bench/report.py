"""Read wrk's results for bin/loadbench and write the table into docs/performance.md.

    wrk ... | python -m bench.report record --page NAME --who WHO --path PATH --out results.jsonl
    python -m bench.report write --results results.jsonl --meta meta.json --doc docs/performance.md

`record` reads the "BENCH {json}" line that bench/wrk.lua prints and fails (exit 1, with the
reason) when any answer had another status than expected, any socket error happened or nothing
was answered: a run of redirects to the sign-in page measures nothing. `write` prints the table
and replaces the part of the doc between the markers, leaving the prose around it alone.
"""

import argparse
import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
P95_TARGET_MS = 100.0
RATIO_TARGET = 0.2
YARDSTICK = "ping (yardstick)"


@dataclass(frozen=True)
class Result:
    page: str
    who: str
    path: str
    requests: int
    duration_us: int
    p50_us: int
    p95_us: int
    p99_us: int
    alone_us: int = 0  # the warm-up request, alone on an idle server

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1_000_000) if self.duration_us else 0.0

    @property
    def meets_p95(self) -> bool:
        return self.requests > 0 and self.p95_us / 1000 <= P95_TARGET_MS


class BrokenRun(Exception):
    """The run measured something else than the page: wrong statuses, socket errors, nothing."""


def parse_wrk(output: str, page: str, who: str, path: str, alone_us: int = 0) -> Result:
    """A page so slow that no answer came back within the run is a miss, not a broken run."""
    lines = [line for line in output.splitlines() if line.startswith("BENCH ")]
    if not lines:
        raise BrokenRun(f"{page}: wrk printed no BENCH line (did it run bench/wrk.lua?)")
    data = json.loads(lines[-1].removeprefix("BENCH "))
    problems = []
    if data["unexpected"]:
        problems.append(
            f"{data['unexpected']} of {data['requests']} answers were not {data['expect']} "
            f"(the first was {data['first_unexpected']})"
        )
    sockets = {name: data[name] for name in ("connect_errors", "read_errors", "write_errors")}
    if data["timeouts"] or any(sockets.values()):
        problems.append(f"socket errors {sockets}, timeouts {data['timeouts']}")
    if problems:
        raise BrokenRun(f"{page} ({who}, {path}): " + "; ".join(problems))
    return Result(
        page, who, path, data["requests"], data["duration_us"],
        data["p50_us"], data["p95_us"], data["p99_us"], alone_us,
    )  # fmt: skip


def ms(microseconds: int) -> str:
    return f"{microseconds / 1000:.1f}"


def machine() -> dict[str, str]:
    """What the figures depend on, read from this machine."""
    cpu = "unknown CPU"
    memory = "unknown"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        if found := re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE):
            cpu = found.group(1).strip()
        meminfo = Path("/proc/meminfo").read_text()
        if found := re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE):
            memory = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"cores": str(os.cpu_count()), "cpu": cpu, "memory": memory}


def render(results: list[Result], meta: dict) -> str:
    """The measured part of docs/performance.md, markers excluded."""
    ping = next((r for r in results if r.page == YARDSTICK), None)
    if ping is None or not ping.rps:
        raise BrokenRun("no yardstick (/ping/) result: nothing to compare the pages with")
    box = meta.get("machine") or machine()
    signin = ", ".join(f"{who} {seconds:.2f} s" for who, seconds in meta["signin_seconds"].items())
    lines = [
        f"Measured on {meta['date']}: {box['cores']} cores ({box['cpu']}), {box['memory']} RAM, "
        f"{meta['postgres']}, gunicorn {meta['workers']} {meta['worker_class']} workers, "
        f"wrk with {meta['connections']} connections and {meta['threads']} threads for "
        f"{meta['seconds']} s per page; wrk, gunicorn and PostgreSQL share the cores"
        + (f". {meta['note']}" if meta.get("note") else "")
        + ".",
        "",
        f"Data: `{meta['seed_command']}`, seeded in {meta['seed_seconds']:.1f} s.",
        "",
        f"Sign-in POST (slow by design: Django's default password hasher), one at a time on an "
        f"idle server: {signin}.",
        "",
        "“alone ms” is one request to the page before its load, on an otherwise idle server.",
        "",
        "| page | who | req/s | p50 ms | p95 ms | p99 ms | alone ms | × /ping/ "
        f"| p95 ≤ {P95_TARGET_MS:.0f} ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        # No answer within the run: every latency is longer than the run itself.
        late = f"> {meta['seconds'] * 1000}"
        p50, p95, p99 = (ms(r.p50_us), ms(r.p95_us), ms(r.p99_us)) if r.requests else (late,) * 3
        lines.append(
            f"| {r.page} | {r.who} | {r.rps:.1f} | {p50} | {p95} | {p99} | {ms(r.alone_us)} | "
            f"{r.rps / ping.rps:.2f} | {'yes' if r.meets_p95 else '**no**'} |"
        )
    pages = [r for r in results if r is not ping]
    lines.append("")
    if pages:
        heaviest = min(pages, key=lambda r: r.rps)
        ratio = heaviest.rps / ping.rps
        verdict = "met" if ratio >= RATIO_TARGET else "**missed**"
        lines.append(
            f"Heaviest page: {heaviest.page} ({heaviest.who}), {ratio:.2f} × /ping/'s "
            f"throughput; target ≥ {RATIO_TARGET} {verdict}."
        )
    slow = [f"{r.page} ({r.who})" for r in pages if not r.meets_p95]
    lines.append(
        f"Pages over p95 {P95_TARGET_MS:.0f} ms: {', '.join(slow)}."
        if slow
        else f"Every page meets p95 ≤ {P95_TARGET_MS:.0f} ms."
    )
    plans = meta.get("query_plans")
    lines += ["", "Query plans (`manage.py query_plans` at this size):", ""]
    if plans is None:
        lines.append("not run: `manage.py query_plans` does not exist yet.")
    else:
        lines += plans_summary(plans)
        lines += ["", "<details><summary>the whole output</summary>", "", "```text", plans.strip()]
        lines += ["```", "", "</details>"]
    return "\n".join(lines)


def plans_summary(plans: str) -> list[str]:
    """query_plans' line per page (its query count and SQL time) and its last verdict."""
    pages = [f"- {line}" for line in plans.splitlines() if re.match(r"^\S.*: \d+ queries \(", line)]
    verdicts = [line for line in plans.splitlines() if line.startswith("Verdict:")]
    failed = [line for line in plans.splitlines() if "query_plans failed" in line]
    return [*pages, "", *(failed or verdicts[-1:] or ["(no verdict printed)"])]


def replace_measured(doc: str, block: str) -> str:
    """The doc with `block` between the markers, the rest untouched; appended if there are none."""
    measured = f"{START}\n{block.strip()}\n{END}"
    if START not in doc or END not in doc:
        return f"{doc.rstrip()}\n\n{measured}\n"
    before, rest = doc.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{measured}{after}"


def read_results(path: Path) -> list[Result]:
    return [Result(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report")
    commands = parser.add_subparsers(dest="command", required=True)
    record = commands.add_parser("record", help="check one wrk run (stdin) and keep its figures")
    for name in ("--page", "--who", "--path"):
        record.add_argument(name, required=True)
    record.add_argument("--out", type=Path, required=True)
    record.add_argument("--alone-ms", type=float, default=0.0)
    write = commands.add_parser("write", help="print the table and write it into the doc")
    write.add_argument("--results", type=Path, required=True)
    write.add_argument("--meta", type=Path, required=True)
    write.add_argument("--doc", type=Path, required=True)
    args = parser.parse_args(argv)

    try:
        if args.command == "record":
            alone = round(args.alone_ms * 1000)
            result = parse_wrk(sys.stdin.read(), args.page, args.who, args.path, alone)
            with args.out.open("a") as out:
                out.write(json.dumps(asdict(result)) + "\n")
            print(
                f"  {result.rps:8.1f} req/s  p50 {ms(result.p50_us)}  p95 {ms(result.p95_us)}  "
                f"p99 {ms(result.p99_us)} ms"
            )
        else:
            block = render(read_results(args.results), json.loads(args.meta.read_text()))
            print(block)
            doc = args.doc.read_text() if args.doc.exists() else ""
            args.doc.write_text(replace_measured(doc, block))
    except BrokenRun as broken:
        print(f"BROKEN BENCHMARK: {broken}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
