"""Every benchmark script runs, at a tiny size, in the PostgreSQL pass of the suite: a change to the code they
measure that breaks one (as the audit hashing once broke benchmarks/run.py) fails CI instead of being found
months later. Only that it runs and writes its table is checked, never a timing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "benchmarks"

# The smallest sizes at which each script still exercises every measurement. A new script needs a line here.
TINY = {
    "run.py": ["--cases", "300", "--repeat", "2", "--references", "20", "--threads", "2"],
    "wbs.py": ["--receipts", "50", "--texts", "50", "--submissions", "3", "--repeat", "3"],
}


def _postgres_server() -> str:
    """The PostgreSQL server of the suite's PostgreSQL pass (scripts/test sets DATABASE_URL to it then).

    The benchmarks load their data with PostgreSQL's COPY and read its plans: nothing to run on SQLite, and
    the SQLite pass skips them even though scripts/test exports the server's address to both passes."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("benchmarks run in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    return url


def test_every_benchmark_script_has_a_tiny_size():
    scripts = {path.name for path in BENCH_DIR.glob("*.py")}
    assert scripts == set(TINY), "add the new benchmark script to TINY in tests/benchmarks/test_benchmarks.py"


@pytest.mark.parametrize("script", sorted(TINY))
def test_the_benchmark_runs_at_a_tiny_size(script, tmp_path):
    server = _postgres_server()
    output = tmp_path / "results.md"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SIGAP_VAR_DIR"}},
        "DATABASE_URL": server,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SIGAP_VAR_DIR": str(tmp_path / "var"),
    }
    # A database of its own, so a parallel run or the suite's own test database is never dropped.
    db_name = f"sigap_bench_ci_{Path(script).stem}_{os.getpid()}"
    result = subprocess.run(
        [sys.executable, str(BENCH_DIR / script), *TINY[script], "--db-name", db_name, "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = output.read_text()
    assert table.startswith("# ") and "|---|" in table
