"""Measuring: timers, query counters, EXPLAIN and its summary, and the units the reports print.

Django's connection is a lazy proxy: importing it before django.setup() is fine, it is only used after.
"""

import math
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent


def note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def timed(fn, repeat: int) -> list[float]:
    """Seconds of each of `repeat` calls of `fn`."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


class QueryCounter:
    """connection.execute_wrapper that counts statements (cheap, unlike CaptureQueriesContext)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(fn, repeat: int) -> dict:
    """`fn` after two warm-up calls (plans, templates, imports): the median and p95 seconds of `repeat` calls, the
    SQL statements per call, and the Python heap peak (tracemalloc) of one more call."""
    for _ in range(2):
        fn()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        samples = timed(fn, repeat)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "median": statistics.median(samples),
        "p95": percentile(samples, 95),
        "queries": counter.count / repeat,
        "peak": peak,
    }


def percentile(values, pct):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def mib(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.1f} MiB"


def explain(sql: str) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


_SCAN = re.compile(
    r"(?:Parallel )?(?:(?P<seq>Seq Scan|Bitmap Heap Scan) on (?P<seqtable>\S+)"
    r"|(?P<idx>Index Only Scan|Index Scan)(?: Backward)? using (?P<index>\S+) on (?P<table>\S+)"
    r"|Bitmap Index Scan on (?P<bitmap>\S+))"
)
_ACTUAL = re.compile(r"actual time=\S+ rows=(\d+) loops=(\d+)")


def plan_summary(plan: str) -> dict:
    """The scan nodes of an EXPLAIN ANALYZE text plan (with rows read and kept), execution and JIT time."""
    nodes = []
    for line in plan.splitlines():
        text = line.strip().removeprefix("->").strip()
        m = _SCAN.match(text)
        if m:
            actual = _ACTUAL.search(text)
            kept = int(actual.group(1)) * int(actual.group(2)) if actual else 0
            if m.group("seq"):
                node = {"type": m.group("seq"), "index": None, "table": m.group("seqtable")}
            elif m.group("idx"):
                node = {"type": m.group("idx"), "index": m.group("index"), "table": m.group("table")}
            else:
                node = {"type": "Bitmap Index Scan", "index": m.group("bitmap"), "table": None}
            node.update(kept=kept, read=kept)
            nodes.append(node)
        elif nodes and text.startswith("Rows Removed by Filter:"):
            nodes[-1]["read"] += int(text.split(":")[1])
    exec_time = re.search(r"Execution Time: ([\d.]+) ms", plan)
    jit = re.search(r"Timing: Generation .*Total ([\d.]+) ms", plan)
    return {
        "nodes": nodes,
        "indexes": sorted({n["index"] for n in nodes if n["index"]}),
        "seq_tables": sorted({n["table"] for n in nodes if n["type"] == "Seq Scan"}),
        "execution_ms": float(exec_time.group(1)) if exec_time else None,
        "jit_ms": float(jit.group(1)) if jit else None,
        "subplans": len(re.findall(r"SubPlan \d+", plan)),
    }


def describe_access(summary: dict, table: str) -> str:
    """How `table` was read, e.g. 'Seq Scan: 200,000 rows read, 101 kept'; plus JIT time when there was JIT."""
    parts = []
    for node in summary["nodes"]:
        if node["table"] == table:
            how = node["type"] + (f" {node['index']}" if node["index"] else "")
            parts.append(f"{how}: {node['read']:,} rows read, {node['kept']:,} kept")
    text = "; ".join(parts) or "—"
    if summary["jit_ms"]:
        text += f"; JIT {summary['jit_ms']:.0f} of {summary['execution_ms']:.0f} ms"
    return text


def capture_sql(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def jit_active() -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('jit') = 'on' AND pg_jit_available()")
        return cur.fetchone()[0]


def sql_of(queryset) -> str:
    """The SQL of a queryset with its parameters inlined by psycopg (for EXPLAIN)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cur:
        return cur.mogrify(sql, params)


def server_info() -> dict:
    info = {}
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        info["server_version"] = cur.fetchone()[0]
        for name in (
            "shared_buffers",
            "work_mem",
            "fsync",
            "synchronous_commit",
            "jit",
            "max_parallel_workers_per_gather",
        ):
            cur.execute(f"SHOW {name}")
            info[name] = cur.fetchone()[0]
        cur.execute("SELECT pg_jit_available()")
        info["jit_available"] = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info["database_size"] = cur.fetchone()[0]
    return info


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return head.stdout.strip() + (" (+ uncommitted changes)" if dirty else "")
    except OSError:
        return "?"
