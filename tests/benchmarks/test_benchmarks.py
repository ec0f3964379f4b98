"""Every benchmark runs, at its tiny size, through `python -m benchmarks <name> --tiny` in the PostgreSQL pass
of the suite: a change to the code they measure that breaks one (as the audit hashing once broke
benchmarks/run.py) fails CI instead of being found months later. Only that it runs and writes its table is
checked, never a timing."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "benchmarks"
# The package's shared parts; every other module of it is a benchmark and must be listed in BENCHMARKS.
SHARED = {"__init__", "__main__", "postgres", "measure", "generate", "report", "series"}
# The submissions benchmark's Django-free parts: form filling and answers, and the Locust file (its load generator).
SHARED |= {"htmlform", "reporters", "locustfile_submissions"}


def _postgres_server() -> str:
    """The PostgreSQL server of the suite's PostgreSQL pass (scripts/test sets DATABASE_URL to it then).

    The benchmarks load their data with PostgreSQL's COPY and read its plans: nothing to run on SQLite, and
    the SQLite pass skips them even though scripts/test exports the server's address to both passes."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("benchmarks run in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    return url


def _top_level_names(module: str) -> set[str]:
    """Names a benchmark module defines or assigns at module level (read with ast: no import, no Django)."""
    tree = ast.parse((BENCH_DIR / f"{module.rsplit('.', 1)[1]}.py").read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


def test_every_benchmark_module_is_listed():
    modules = {path.stem for path in BENCH_DIR.glob("*.py")} - SHARED
    listed = {module.rsplit(".", 1)[1] for module in BENCHMARKS.values()}
    assert modules == listed, "list the new benchmark module in BENCHMARKS (benchmarks/__main__.py)"


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_every_benchmark_has_a_tiny_size(name):
    missing = {"TINY", "DEFAULT_CASES", "add_arguments", "run"} - _top_level_names(BENCHMARKS[name])
    assert not missing, f"{BENCHMARKS[name]} lacks {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_the_benchmark_runs_at_a_tiny_size(name, tmp_path):
    server = _postgres_server()
    output = tmp_path / "results.md"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SIGAP_VAR_DIR"}},
        "DATABASE_URL": server,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SIGAP_VAR_DIR": str(tmp_path / "var"),
    }
    # A database of its own, so a parallel run or the suite's own test database is never dropped.
    db_name = f"sigap_bench_ci_{name}_{os.getpid()}"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", name, "--tiny", "--db-name", db_name, "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = output.read_text()
    assert table.startswith("# ") and "|---|" in table
