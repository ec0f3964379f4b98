"""The core benchmark's markdown report (benchmarks/results-<date>.md), and the plain tables of the others."""

import datetime as dt
import os
import sys

from django.conf import settings

from benchmarks.measure import describe_access, git_commit, mib, ms, secs
from cases.views import PAGE_SIZE

BASELINE = "no permission filter (reference)"


def tables(title: str, sections: dict[str, dict[str, str]]) -> str:
    """A report of one `| what | measured |` table per section."""
    lines = [f"# {title}, {dt.date.today().isoformat()}", ""]
    for heading, rows in sections.items():
        lines += [f"## {heading}", "", "| what | measured |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in rows.items()]
        lines.append("")
    return "\n".join(lines)


def render(args, today, last_sweep, data, gen, server, inbox, sweep, numbering, audit_r, wall) -> str:
    lines = []
    add = lines.append
    s1, s2 = sweep["runs"]
    per_clock = s1["seconds"] / max(s1["clocks"], 1)
    base_per_clock = sweep["base_raw_s"] / max(sweep["due_rows"], 1)
    sweep_ratio = s1["seconds"] / sweep["base_raw_s"] if sweep["base_raw_s"] else 0
    v, b = audit_r["verify"], audit_r["baseline"]

    add(f"# SIGAP benchmark results — {dt.date.today().isoformat()}")
    add("")
    add(
        f"Command: `.venv/bin/python -m benchmarks core --cases {args.cases}"
        + (" --start-postgres" if args.start_postgres else "")
        + f"` (seed {args.seed}, {args.repeat} inbox repetitions, {args.references} references, {args.threads} "
        f"threads, sweep backlog {args.sweep_backlog:.0%}). Commit {git_commit()}."
    )
    add("")
    add(
        f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, PostgreSQL {server['server_version']} "
        f"(shared_buffers {server['shared_buffers']}, work_mem {server['work_mem']}, fsync {server['fsync']}, "
        f"synchronous_commit {server['synchronous_commit']}, jit {server['jit']}"
        f"{'' if server['jit_available'] else ' (not available)'}, max_parallel_workers_per_gather "
        f"{server['max_parallel_workers_per_gather']}). Database size {server['database_size']}."
    )
    add("")
    add(
        f"Data: {data['cases']:,} cases ("
        + ", ".join(f"{kind} {n:,}" for kind, n in sorted(data["kinds"].items(), key=lambda item: -item[1]))
        + "; case rows of every kind, detail rows for `uji`), "
        f"{data['clocks']:,} deadline clocks "
        f"({data['running_clocks']:,} running), {data['events']:,} audit events in valid hash chains, "
        f"{data['permissions']:,} guardian object permissions, {data['exclusions']:,} exclusions"
        + (
            f"; generated with COPY in {gen['generate_seconds']:.0f} s, VACUUM ANALYZE {gen['vacuum_seconds']:.0f} s"
            if gen
            else "; reused database"
        )
        + f". Sweep date {today}; clocks carry the warnings of the {last_sweep} sweep. Whole run {wall:.0f} s."
    )
    add("")
    add("## Summary")
    add("")
    add("| # | what | measured | baseline (same run) | ratio |")
    add("|---|---|---|---|---|")
    for label, r in inbox.items():
        if label == BASELINE:
            continue
        hand = r["hand"]
        add(
            f"| 1 | inbox page 1 + count, {label}: median / p95 | {ms(r['total_median'])} / {ms(r['total_p95'])} "
            f"| {ms(hand['total_median'])} / {ms(hand['total_p95'])} (hand-written SQL, same rules, same page) "
            f"| {r['total_median'] / hand['total_median']:.1f}× |"
        )
    add(
        f"| 2 | deadline sweep, run 1: {s1['clocks']:,} clocks acted on, {s1['outbox']:,} outbox rows | "
        f"{secs(s1['seconds'])} ({per_clock * 1000:.3f} ms/clock, {s1['queries_per_batch'] or 0:.1f} queries/batch) "
        f"| {secs(sweep['base_raw_s'])} raw SQL writing the same clocks and rows ({base_per_clock * 1000:.3f} "
        f"ms/clock) | {sweep_ratio:.1f}× |"
    )
    add(
        f"| 2 | deadline sweep, run 2 (idempotent: {s2['clocks']} clocks, {s2['outbox']} messages) | "
        f"{ms(s2['seconds'])}, {sweep['idle_rows_read']:,} clock rows read by its stage queries | "
        f"{ms(sweep['base_count_s'])} to COUNT the {sweep['running']:,} running clocks | "
        f"{s2['seconds'] / sweep['base_count_s']:.1f}× |"
    )
    for mode, base_mode, label in (
        ("serial", "base_serial", "serially"),
        ("concurrent", "base_concurrent", f"{args.threads} threads"),
    ):
        r, bb = numbering[mode], numbering[base_mode]
        add(
            f"| 3 | `next_reference` ×{r['calls']:,}, {label}; duplicates: {r['duplicates']} | "
            f"{r['calls'] / r['seconds']:,.0f}/s ({r['seconds'] / r['calls'] * 1000:.2f} ms/call) | "
            f"{bb['calls'] / bb['seconds']:,.0f}/s single-row UPDATE ({bb['seconds'] / bb['calls'] * 1000:.2f} ms) | "
            f"{r['seconds'] / r['calls'] / (bb['seconds'] / bb['calls']):.1f}× |"
        )
    va, inc, ib = audit_r["verify_again"], audit_r["incremental"], audit_r["incremental_baseline"]
    add(
        f"| 4 | `verify_audit` full check, {audit_r['events']:,} events: first run / again | {secs(v['seconds'])} "
        f"/ {secs(va['seconds'])} ({va['per_event_us']:.1f} µs/event) | {secs(b['seconds'])} reading the same "
        f"rows without hashing ({b['per_event_us']:.1f} µs/event) | {v['seconds'] / b['seconds']:.2f}× / "
        f"{va['seconds'] / b['seconds']:.2f}× |"
    )
    add(
        f"| 4 | full check: peak RSS growth | {mib(v['peak_growth'])} ({v['per_case_bytes']:.0f} B/case) | "
        f"{mib(b['peak_growth'])} | +{mib(v['peak_growth'] - b['peak_growth'])} |"
    )
    add(
        f"| 4 | `verify_audit --incremental`, {audit_r['new_events']:,} new events on {audit_r['new_cases']:,} "
        f"cases | {secs(inc['seconds'])} | {secs(ib['seconds'])} reading the new events | "
        f"{inc['seconds'] / ib['seconds']:.1f}× |"
    )
    add("")
    add("## 1. Inbox")
    add("")
    add(
        "`cases.views.inbox` without a filter (open cases, nearest due date first): `selectors.inbox_cases(user)` "
        "through `cases.pagination.CappedPaginator` — the count exact up to "
        f"{settings.SIGAP_INBOX_EXACT_COUNT_LIMIT:,} cases, beyond that the page says "
        f'"lebih dari {settings.SIGAP_INBOX_EXACT_COUNT_LIMIT:,}" — then page 1 '
        f"({PAGE_SIZE} rows). {args.repeat} repetitions after 2 warm-up requests; each request re-reads the user's "
        "roles, as a real request does. The baseline is the same page written by hand in SQL with the same "
        "visibility rules (`run.hand_written_inbox`), also reading the user's roles, run through the same "
        "connection; the run asserts that it returns the same count and the same 25 cases in the same order. "
        "*Exact count* is what the page's count cost before it was capped (measured, not shown on the page)."
    )
    add("")
    add(
        "| persona | counted | count median | page median | total median | total p95 | queries | hand-written "
        "total median / p95 | ratio | exact count (visible) | cases_case in the COUNT plan | cases_case in the "
        "page plan |"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, r in inbox.items():
        hand = r.get("hand")
        add(
            f"| {label} | {r['visible']:,} | {ms(r['count_median'])} | {ms(r['page_median'])} | "
            f"{ms(r['total_median'])} | {ms(r['total_p95'])} | {r['queries_per_request']:.0f} | "
            + (
                f"{ms(hand['total_median'])} / {ms(hand['total_p95'])} | "
                f"{r['total_median'] / hand['total_median']:.2f}× | "
                f"{ms(r['exact_count_median'])} ({r['exact_visible']:,}) | "
                if hand
                else "— | — | — | "
            )
            + f"{describe_access(r['count_summary'], 'cases_case')} | "
            f"{describe_access(r['page_summary'], 'cases_case')} |"
        )
    add("")
    add("Indexes used / tables read sequentially (EXPLAIN ANALYZE of each persona's two queries):")
    add("")
    for label, r in inbox.items():
        for what in ("count", "page"):
            s = r[f"{what}_summary"]
            add(
                f"- {label}, {what}: indexes {', '.join(f'`{i}`' for i in s['indexes']) or 'none'}; "
                f"sequential scans {', '.join(f'`{t}`' for t in s['seq_tables']) or 'none'}; "
                f"{s['subplans']} SubPlan(s); {s['execution_ms']} ms in PostgreSQL"
                + (f" of which JIT {s['jit_ms']:.0f} ms" if s["jit_ms"] else "")
            )
    add("")
    add("## 2. Deadline sweep")
    add("")
    add(
        f"`cases.deadlines.sweep({today})` over {sweep['running']:,} running clocks; "
        f"{args.sweep_backlog:.0%} of them were never swept, the rest carry the warnings a sweep on {last_sweep} "
        "left. The after-commit outbox nudge is counted instead of run (with Redis it is a publish; delivery "
        "is a worker's job). Baseline: the clocks and outbox rows are put back as they were (and vacuumed), then "
        "one hand-written SQL statement per batch (lock, mark, find recipients, insert into the outbox) does the "
        "same work in the same batches and transactions; the run asserts it marked the same clocks and wrote the "
        "same outbox rows (recipient, dedupe key, subject, body, link, case) as the sweep."
    )
    add("")
    add(
        "| run | breach / h1 / h3 | clocks | outbox rows | batches | nudges | time | per clock | queries | "
        "queries/batch |"
    )
    add("|---|---|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(sweep["runs"], start=1):
        c = r["counts"]
        add(
            f"| sweep {i} | {c['breach']:,} / {c['h1']:,} / {c['h3']:,} | {r['clocks']:,} | {r['outbox']:,} | "
            f"{r['batches']} | {r['nudges']:,} | {secs(r['seconds']) if r['clocks'] else ms(r['seconds'])} | "
            + (f"{r['seconds'] / r['clocks'] * 1000:.3f} ms" if r["clocks"] else "—")
            + f" | {r['queries']:,} | "
            + (f"{r['queries_per_batch']:.1f}" if r["queries_per_batch"] is not None else "—")
            + " |"
        )
    add(
        f"| baseline: raw SQL, the same clocks and outbox rows | | {sweep['due_rows']:,} | {s1['outbox']:,} | "
        f"{sweep['raw_batches']} | | {secs(sweep['base_raw_s'])} | {base_per_clock * 1000:.3f} ms | | 1 |"
    )
    add(f"| baseline: COUNT running clocks | | {sweep['running']:,} | | | | {ms(sweep['base_count_s'])} | | 1 | |")
    add("")
    add(f"Sweep 1 takes {sweep_ratio:.1f}× the raw-SQL baseline. Each stage's query once nothing is left to do:")
    add("")
    for stage, summary in sweep["idle_summaries"].items():
        add(f"- {stage}: {describe_access(summary, 'cases_deadlineclock')}, {summary['execution_ms']} ms in PostgreSQL")
    add("## 3. Reference numbering")
    add("")
    add("| mode | calls | time | per call (wall) | calls/s | duplicates |")
    add("|---|---|---|---|---|---|")
    names = {
        "serial": "`next_reference`, serial",
        "concurrent": f"`next_reference`, {args.threads} threads",
        "base_serial": "baseline: single-row `UPDATE … SET last = last + 1`, serial",
        "base_concurrent": f"baseline: single-row UPDATE, {args.threads} threads",
    }
    for key, r in numbering.items():
        add(
            f"| {names[key]} | {r['calls']:,} | {secs(r['seconds'])} | {r['seconds'] / r['calls'] * 1000:.2f} ms | "
            f"{r['calls'] / r['seconds']:,.0f} | {'—' if r['duplicates'] is None else r['duplicates']} |"
        )
    add("")
    add("Concurrent numbers are asserted distinct and gapless (1…N); the concurrent UPDATE loop loses no update.")
    add("")
    add("## 4. Audit verification")
    add("")
    add(
        "Each pass in a fresh process (as `manage.py verify_audit` runs from cron), on a warm database cache. "
        "The full check's first run also writes every case's verified position (`AuditVerifiedHead`); run "
        "again it writes none, as a weekly check would. The baseline reads the same rows with the same query "
        "and pages (`cases.audit._full_event_rows`). Then "
        f"{audit_r['new_events']:,} events are appended through `audit.record` to {audit_r['new_cases']:,} cases "
        "(a fixed number, whatever the table size) and `--incremental` runs; its baseline reads just those "
        "events (its cases are those with events above the checkpoint's id, and those with a problem on record; "
        "the write fence makes the id complete — docs/operations.md). Each pass asserts it covered the events "
        "and cases its baseline did."
    )
    add("")
    add("| pass | events read | cases | time | per event | peak RSS growth | per case |")
    add("|---|---|---|---|---|---|---|")
    for key, label in (
        ("verify", "full check, first run"),
        ("verify_again", "full check, again"),
        ("baseline", "baseline: read the same events, no hashing"),
        ("incremental", "`--incremental`"),
        ("incremental_baseline", "baseline: read the new events"),
    ):
        r = audit_r[key]
        n, c = r.get("events_checked", 0), r.get("cases_checked")
        cases_cell = "—" if c is None else f"{c:,}"
        per_event = f"{r['per_event_us']:.1f} µs" if n else "—"
        add(
            f"| {label} | {n:,} | {cases_cell} | {secs(r['seconds'])} | {per_event} | {mib(r['peak_growth'])} | "
            f"{r['per_case_bytes']:.0f} B |"
        )
    add("")
    add("## Query plans (EXPLAIN ANALYZE, BUFFERS)")
    plans = [
        (f"Inbox, {label}: {what} query", r[f"{what}_plan"]) for label, r in inbox.items() for what in ("count", "page")
    ]
    plans.append(("Sweep, breach-stage batch query before sweep 1 (without FOR UPDATE)", sweep["stage_plan"]))
    for stage, plan in sweep["idle_plans"].items():
        plans.append((f"Sweep, {stage}-stage batch query after sweep 2 (nothing left to do)", plan))
    for title, plan in plans:
        add("")
        add(f"<details><summary>{title}</summary>")
        add("")
        add("```")
        add(plan)
        add("```")
        add("</details>")
    add("")
    return "\n".join(lines)
