"""Evaluasi export benchmark on PostgreSQL: an XLSX of N cases through the exporter, against bare xlsxwriter.

    .venv/bin/python -m benchmarks evaluasi-export --start-postgres        # 100,000 cases
    .venv/bin/python -m benchmarks evaluasi-export --tiny --start-postgres # what the suite runs

Data: the core benchmark's generated cases (benchmarks/generate.py: test kind `uji`, 55 units, clocks, audit
chains, written with COPY). Every non-draft case falls in one custom period (first to last submission), so
the export lists them all.

Measured, each in a fresh interpreter (`--child`), `--repeat` times alternating, median reported; time is the
wall clock of the write, memory the peak RSS (VmHWM, reset to the current RSS first through
/proc/self/clear_refs, as the core benchmark's audit pass: ru_maxrss would carry the parent's peak) — both the
growth during the export and the whole process's peak:

1. exporter: `evaluasi.exports.cases_xlsx` as an inspector (`policy.visible_cases`, `cases_behind(all)`, plain
   rows in chunks of 2,000, cases.exports' guarded writer in constant_memory mode) into a temporary file;
2. job: the same through `evaluasi.jobs.run` (a saved ExportJob: progress updates, encryption, private storage);
3. baseline: bare xlsxwriter in constant_memory mode writing the same seven columns (reference, kind, unit,
   status label, received and closed as date cells, overdue) from the same rows (one plain
   `values_list(...).iterator(chunk_size=2000)` in the same order, no permission filter, no guard, no widths).

Every file is opened again (openpyxl, read-only) and its data rows counted against the number of cases.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import xlsxwriter
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from benchmarks.generate import generate, sweep_dates
from benchmarks.measure import git_commit, mib, note, secs, server_info
from benchmarks.postgres import ROOT
from cases import registry, workdays
from cases.models import Case
from evaluasi import exports, jobs
from evaluasi.models import ExportJob, ExportStatus
from evaluasi.periods import Period

TINY = {"cases": 300, "repeat": 1}
DEFAULT_CASES = 100_000
KIND = "uji"
TARGET_RATIO, TARGET_PEAK = 1.5, 150 * 2**20
LABELS = {
    "exporter": "exporter: evaluasi.exports.cases_xlsx",
    "job": "job: evaluasi.jobs.run (exporter + progress + encryption + storage)",
    "bare": "baseline: bare xlsxwriter, constant_memory, same columns and rows",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=20261202, help="random seed of the generated data")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement, alternating (default 5)")


# ---------------------------------------------------------------------------------------------------------
# What is measured (in the child)


def the_period() -> Period:
    span = (
        Case.objects.filter(kind=KIND).exclude(status="draft").aggregate(a=Min("submitted_at"), b=Max("submitted_at"))
    )
    first, last = (timezone.localtime(span[key]).date() for key in ("a", "b"))
    return Period.custom(first, last)


def params() -> dict:
    return {"periode": the_period().code, "unit": "", "kind": KIND}


def inspector():
    return get_user_model().objects.get(username="inspektur0")


def write_exporter(path: str) -> int:
    job = ExportJob(requested_by=inspector(), what="cases.xlsx", params=params(), title="Benchmark")
    with open(path, "wb") as out:
        exports.cases_xlsx(job, out, lambda done, total: None)
    return os.path.getsize(path)


def write_job(path: str) -> int:
    job = ExportJob.objects.create(requested_by=inspector(), what="cases.xlsx", params=params(), title="Benchmark")
    jobs.run(job.pk)
    job.refresh_from_db()
    if job.status != ExportStatus.DONE:
        raise SystemExit(f"bench: the job ended {job.status}: {job.error}")
    return job.pk  # run_child decrypts the stored file into `path` after its timer


def write_bare(path: str) -> int:
    """The same seven columns from the same rows, with nothing but xlsxwriter."""
    kind = registry.get(KIND)
    labels = {code: str(label) for code, label in kind.status_labels}
    final = kind.final_states
    period = the_period()
    today = workdays.today()
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))
    rows = (
        Case.objects.filter(kind=KIND, submitted_at__gte=start, submitted_at__lt=end)
        .exclude(status="draft")
        .order_by("submitted_at", "pk")
        .values_list("reference", "unit__code", "status", "submitted_at", "closed_at", "due_date")
        .iterator(chunk_size=2000)
    )
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Kasus")
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    for col, header in enumerate(("Nomor", "Jenis", "Unit", "Status", "Diterima", "Ditutup", "Melewati batas waktu")):
        sheet.write_string(0, col, header)
    row = 1
    for reference, unit, status, received, closed, due in rows:
        sheet.write_string(row, 0, reference)
        sheet.write_string(row, 1, kind.label)
        sheet.write_string(row, 2, unit)
        sheet.write_string(row, 3, labels.get(status, status))
        sheet.write_datetime(row, 4, received.astimezone(zone).date(), date)
        if closed is not None:
            sheet.write_datetime(row, 5, closed.astimezone(zone).date(), date)
        overdue = status not in final and due is not None and due < today
        sheet.write_string(row, 6, "Ya" if overdue else "Tidak")
        row += 1
    book.close()
    return os.path.getsize(path)


WRITERS = {"exporter": write_exporter, "job": write_job, "bare": write_bare}


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def run_child(which: str) -> None:
    """One measurement in a fresh interpreter; prints a JSON line. The job's stored file is decrypted into the
    output path after the timer, so the parent checks it like the others."""
    path = os.environ["BENCH_EXPORT_PATH"]
    connection.ensure_connection()
    params()  # the period query and the imports are not part of the peak
    inspector()
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # reset VmHWM to VmRSS
    except OSError:
        pass
    before = _status_kb("VmRSS")
    cpu_started = time.process_time()
    started = time.perf_counter()
    result = WRITERS[which](path)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = _status_kb("VmHWM")
    if which == "job":
        job = ExportJob.objects.get(pk=result)
        with open(path, "wb") as out:
            out.write(jobs.read(job))
        default_storage.delete(job.blob)
    print(
        json.dumps(
            {"seconds": seconds, "cpu": cpu, "rss_before_kb": before, "peak_kb": peak, "size": os.path.getsize(path)}
        )
    )


# ---------------------------------------------------------------------------------------------------------
# The run (parent)


def child(which: str, db_url: str, path: str) -> dict:
    env = {**os.environ, "DATABASE_URL": db_url, "BENCH_EXPORT_PATH": path}
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "evaluasi-export", "--child", which],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench: child {which} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def data_rows(path: str) -> int:
    """Rows whose first cell is a case reference, read back with openpyxl (read-only: streams the sheet)."""
    import openpyxl  # noqa: PLC0415 - only the check needs it

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = book.worksheets[0]
        return sum(
            1 for (first,) in sheet.iter_rows(min_col=1, max_col=1, values_only=True) if str(first).startswith("UJI-")
        )
    finally:
        book.close()


def run(args, db_url: str) -> str:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    today, last_sweep = sweep_dates(workdays.today())
    note(f"generating {args.cases:,} cases")
    generate(args.cases, args.seed, today, last_sweep, 0.02)
    generated = time.perf_counter() - started
    expected = Case.objects.filter(kind=KIND).exclude(status="draft").count()
    period = the_period()
    note(f"generated in {generated:.0f} s; {expected:,} cases received in {period.label}")

    results: dict[str, list[dict]] = {name: [] for name in LABELS}
    with tempfile.TemporaryDirectory(prefix="sigap-bench-export.") as tmp:
        for attempt in range(args.repeat):
            for name in LABELS:
                path = os.path.join(tmp, f"{name}-{attempt}.xlsx")
                result = child(name, db_url, path)
                rows = data_rows(path)
                if rows != expected:
                    raise SystemExit(f"bench: {name} wrote {rows} case rows, expected {expected}")
                results[name].append(result)
                growth = max(0, result["peak_kb"] - result["rss_before_kb"]) * 1024
                note(
                    f"{name} #{attempt + 1}: {secs(result['seconds'])} (CPU {secs(result['cpu'])}), "
                    f"peak RSS {mib(result['peak_kb'] * 1024)} "
                    f"(growth {mib(growth)}), {mib(result['size'])}, {rows:,} rows checked"
                )
                os.remove(path)

    def median(name: str, key: str) -> float:
        return statistics.median(result[key] for result in results[name])

    def growth(name: str) -> float:
        return statistics.median(max(0, r["peak_kb"] - r["rss_before_kb"]) * 1024 for r in results[name])

    bare, bare_cpu = median("bare", "seconds"), median("bare", "cpu")
    server = server_info()
    lines = [
        f"# Evaluasi export: XLSX of {expected:,} cases — {dt.date.today().isoformat()}",
        "",
        f"Command: `.venv/bin/python -m benchmarks evaluasi-export --cases {args.cases}"
        + (" --start-postgres" if args.start_postgres else "")
        + f"` (seed {args.seed}, {args.repeat} runs of each, alternating, each in a fresh interpreter; medians). "
        f"Commit {git_commit()}.",
        "",
        f"PostgreSQL {server['server_version']} (shared_buffers {server['shared_buffers']}, work_mem "
        f"{server['work_mem']}, jit {server['jit']}). Data: benchmarks/generate.py, {args.cases:,} cases of the "
        f"test kind `uji`, {expected:,} received in {period.label} (the export's period: every non-draft case). "
        f"Generation took {generated:.0f} s. Every file was read back with openpyxl and held exactly "
        f"{expected:,} case rows. Targets: ≤ {TARGET_RATIO}× the baseline's time, peak memory < "
        f"{mib(TARGET_PEAK)}.",
        "",
        "| what | wall time (median) | × baseline | CPU time of the process (median) | × baseline | peak RSS of "
        "the process | peak RSS growth during the export | file |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, label in LABELS.items():
        seconds = median(name, "seconds")
        lines.append(
            f"| {label} | {secs(seconds)} | {seconds / bare:.2f}× | {secs(median(name, 'cpu'))} | "
            f"{median(name, 'cpu') / bare_cpu:.2f}× | {mib(median(name, 'peak_kb') * 1024)} | "
            f"{mib(growth(name))} | {mib(median(name, 'size'))} |"
        )
    ratio = median("exporter", "seconds") / bare
    cpu_ratio = median("exporter", "cpu") / bare_cpu
    peak = median("exporter", "peak_kb") * 1024
    lines += [
        "",
        f"Exporter against the baseline: **{ratio:.2f}×** the wall time, **{cpu_ratio:.2f}×** the CPU time "
        f"(target ≤ {TARGET_RATIO}×: {'met' if max(ratio, cpu_ratio) <= TARGET_RATIO else 'NOT met'}); "
        f"process peak **{mib(peak)}** (target < "
        f"{mib(TARGET_PEAK)}: {'met' if peak < TARGET_PEAK else 'NOT met'}).",
        "",
        "Runs, wall (CPU) seconds: "
        + "; ".join(
            f"{name} " + ", ".join(f"{r['seconds']:.2f} ({r['cpu']:.2f})" for r in results[name]) for name in LABELS
        )
        + ". CPU time is the benchmark process's own (user + system), without PostgreSQL's: it moves far less "
        "than the wall clock with the load of the machine, which is shared.",
    ]
    return "\n".join(lines)
