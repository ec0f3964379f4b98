"""WBS benchmarks on PostgreSQL: receipt look-up, anonymous submission, data-key rotation.

    .venv/bin/python -m benchmarks wbs --start-postgres

Each figure has a baseline measured in the same run on the same data (see benchmarks/README.md, "WBS"):

1. receipt look-up (`cases.intake.find_case`) among N receipts, known and unknown; baseline: the same
   indexed query with the hash precomputed — what the Argon2id hash costs, and that known and unknown
   receipts cost the same;
2. anonymous submission (`wbs.services.report_submit` with an identity sealed to two custodians);
   baseline: `cases.services.create_case` of the test kind, which has no encryption, receipt or seals;
3. `manage.py rotate_data_keys` over M encrypted messages (`CaseText`), time and peak Python memory;
   baseline: reading (decrypting) the same rows in the same batches.
"""

import argparse
import datetime as dt
import secrets
import statistics
import time
import tracemalloc

from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from benchmarks.measure import mib, ms, note, percentile, secs, timed
from benchmarks.report import tables
from cases import fields, intake, policy, services
from cases.models import Case, CaseText, Confidentiality, TrackingCredential, Unit
from wbs import services as wbs_services

# What `--tiny` runs: the smallest sizes at which every measurement still runs (tests/benchmarks/).
TINY = {"cases": 50, "texts": 50, "submissions": 3, "repeat": 3}
DEFAULT_CASES = 100_000  # --cases: the receipts in the table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--texts", type=int, default=200_000, help="encrypted messages to rotate (default 200000)")
    parser.add_argument("--submissions", type=int, default=100, help="anonymous submissions timed (default 100)")
    parser.add_argument("--repeat", type=int, default=40, help="look-ups per receipt kind (default 40)")


def summary(samples: list[float]) -> str:
    return f"{ms(statistics.median(samples))} / {ms(percentile(samples, 95))}"


def fill(n_receipts: int, n_texts: int):
    """Bare WBS case rows with random receipt hashes, and encrypted messages on one case, in bulk."""
    unit = Unit.objects.create(code="BENCH", name="Bench")
    batch = 5000
    for start in range(0, n_receipts, batch):
        size = min(batch, n_receipts - start)
        cases = Case.objects.bulk_create(
            Case(
                kind="wbs",
                reference=f"WBS-2020-{start + i:07d}",
                status="received",
                unit=unit,
                confidentiality=Confidentiality.RAHASIA,
            )  # fmt: skip
            for i in range(size)
        )
        TrackingCredential.objects.bulk_create(
            TrackingCredential(case=case, receipt_hash=secrets.token_hex(32)) for case in cases
        )
    known_case = Case.objects.order_by("pk").first()
    known = intake.new_receipt()
    TrackingCredential.objects.filter(case=known_case).update(receipt_hash=intake.receipt_hash(known))
    text = "Pesan pelapor tentang pungutan pada layanan perizinan, dengan rincian waktu dan tempat. " * 3
    for start in range(0, n_texts, batch):
        CaseText.objects.bulk_create(CaseText(case=known_case, text=text) for _ in range(min(batch, n_texts - start)))
    return unit, known


def bench_lookup(known: str, repeat: int) -> dict:
    known_hash = intake.receipt_hash(known)
    results = {
        "known receipt": timed(lambda: intake.find_case(known), repeat),
        "unknown receipt": timed(lambda: intake.find_case(intake.new_receipt()), repeat),
        "baseline: indexed query, hash precomputed": timed(
            lambda: TrackingCredential.objects.filter(receipt_hash=known_hash).select_related("case").first(), repeat
        ),
    }
    assert intake.find_case(known) is not None
    return {name: summary(samples) for name, samples in results.items()}


def bench_submission(unit, n: int) -> dict:
    custodian_group, _ = Group.objects.get_or_create(name=policy.KUSTODIAN)
    for name in ("kustodian_a", "kustodian_b"):
        user = get_user_model().objects.create_user(name)
        user.groups.add(custodian_group)
        wbs_services.custodian_key_create(user=user, passphrase=f"frasa sandi {name} panjang")
    reporter = get_user_model().objects.create_user("pegawai_bench")
    fields = {
        "category": "suap_pungli",
        "description": "Petugas loket meminta uang tambahan untuk mempercepat izin. " * 5,
        "involved": "Petugas loket 3",
        "knowledge": "melihat",
    }
    identity = {"name": "Pelapor", "id_number": "3171234567890123", "contact": "0812", "note": ""}
    t0 = time.perf_counter()
    for _ in range(n):
        wbs_services.report_submit(fields=fields, unit=unit, identity=identity, files=[])
    measured = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(n):
        services.create_case(kind="uji", actor=reporter, unit=unit, reporter=reporter, event_date=dt.date(2026, 11, 2))
    baseline = time.perf_counter() - t0
    return {
        "report_submit (identity sealed to 2 custodians)": f"{n / measured:.1f}/s ({ms(measured / n)} each)",
        "baseline: create_case of kind uji": f"{n / baseline:.1f}/s ({ms(baseline / n)} each)",
    }


def bench_rotation(n_texts: int) -> dict:
    def read_all():
        last, count = 0, 0
        while batch := list(CaseText.objects.filter(pk__gt=last).order_by("pk").only("pk", "text")[:500]):
            count += len(batch)
            last = batch[-1].pk
        return count

    def measure(fn):
        tracemalloc.start()
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result, elapsed, peak

    count, read_time, read_peak = measure(read_all)
    settings.DATA_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.DATA_ENCRYPTION_KEYS]
    rows, rotate_time, rotate_peak = measure(fields.rotate_all)
    old = settings.DATA_ENCRYPTION_KEYS[1:]
    settings.DATA_ENCRYPTION_KEYS = settings.DATA_ENCRYPTION_KEYS[:1]
    assert read_all() == count  # everything still readable with the new key alone
    settings.DATA_ENCRYPTION_KEYS += old
    return {
        f"rotate_all over {rows:,} encrypted rows": f"{secs(rotate_time)} ({rows / rotate_time:,.0f} rows/s), "
        f"peak {mib(rotate_peak)}",
        f"baseline: read and decrypt {count:,} rows": f"{secs(read_time)} ({count / read_time:,.0f} rows/s), "
        f"peak {mib(read_peak)}",
    }


def run(args, db_url: str) -> str:
    """Migrate, fill, measure; returns the markdown report."""
    call_command("migrate", verbosity=0, interactive=False)
    note(f"generating {args.cases:,} receipts and {args.texts:,} encrypted messages")
    started = time.perf_counter()
    unit, known = fill(args.cases, args.texts)
    note(f"generated in {time.perf_counter() - started:.0f} s")
    return tables(
        "WBS benchmarks",
        {
            f"Receipt look-up among {args.cases:,} receipts, median / p95 of {args.repeat}": bench_lookup(
                known, args.repeat
            ),
            f"Anonymous submission, {args.submissions} serial": bench_submission(unit, args.submissions),
            "Data-key rotation": bench_rotation(args.texts),
        },
    )
