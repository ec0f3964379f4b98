"""`python -m benchmarks <name> [--tiny | --cases N] [--start-postgres] [options]`: one benchmark on PostgreSQL.

The shared part lives here: the server (a throwaway cluster, or the one DATABASE_URL names), a database of
the benchmark's own on it (dropped and recreated; dropped again at the end unless --keep-db), Django set up
against it, and the results file. A benchmark module (see BENCHMARKS) provides `TINY` (its smallest sizes,
run by the test suite), `DEFAULT_CASES`, `add_arguments(parser)` and `run(args, db_url) -> str` (the
markdown report); it is imported only after django.setup(), so it imports the app at module level.
"""

import argparse
import datetime as dt
import importlib
import os
import sys
from pathlib import Path

from benchmarks import postgres
from benchmarks.measure import note

BENCH_DIR = Path(__file__).resolve().parent
# name on the command line: module. run.py keeps its name (and its history) as the core benchmark.
BENCHMARKS = {
    "core": "benchmarks.run",
    "wbs": "benchmarks.wbs",
    "pengaduan": "benchmarks.pengaduan",
    "benturan": "benchmarks.benturan",
    "evaluasi-export": "benchmarks.evaluasi_export",
    "evaluasi-dashboard": "benchmarks.evaluasi_dashboard",
    "survei-results": "benchmarks.survei_results",
    "survei-intake": "benchmarks.survei_intake",
    "submissions": "benchmarks.submissions",
}


def common_parser(add_help: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__.splitlines()[0],
        add_help=add_help,
    )
    parser.add_argument("name", choices=sorted(BENCHMARKS), help="the benchmark to run")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--tiny", action="store_true", help="the smallest sizes that still run every measurement")
    size.add_argument("--cases", type=int, default=None, help="how many cases to generate")
    parser.add_argument("--start-postgres", action="store_true", help="start a throwaway PostgreSQL 15 cluster")
    parser.add_argument("--pg-port", type=int, default=55499, help="first port tried by --start-postgres")
    parser.add_argument("--db-name", default=None, help="database created on the server (default sigap_bench_<name>)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the benchmark database at the end")
    parser.add_argument("--output", default=None, help="results file (default benchmarks/results-<name>-<date>.md)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)  # internal: a measurement subprocess
    return parser


def full_parser(module) -> argparse.ArgumentParser:
    parser = common_parser(add_help=True)
    module.add_arguments(parser)
    parser.set_defaults(cases=module.DEFAULT_CASES)
    return parser


def parse(module, argv: list[str]) -> argparse.Namespace:
    args = full_parser(module).parse_args(argv)
    if args.tiny:
        # The tiny sizes replace the defaults; an option given explicitly still wins.
        parser = full_parser(module)
        parser.set_defaults(**module.TINY)
        args = parser.parse_args(argv)
    args.db_name = args.db_name or f"sigap_bench_{args.name}"
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    known, _rest = common_parser(add_help=False).parse_known_args(argv)
    module_name = BENCHMARKS[known.name]
    if known.child:
        # A measurement in a fresh interpreter (e.g. peak memory): DATABASE_URL already names the database.
        postgres.setup_django(os.environ["DATABASE_URL"])
        importlib.import_module(module_name).run_child(known.child)
        return 0
    if {"-h", "--help"} & set(argv):
        postgres.setup_django("postgres://help@127.0.0.1/help")  # never connects: only to import the module
        full_parser(importlib.import_module(module_name)).print_help()
        return 0
    with postgres.server(known.start_postgres, known.pg_port) as server_url:
        db_name = known.db_name or f"sigap_bench_{known.name}"
        db_url = postgres.with_db_name(server_url, db_name)
        postgres.setup_django(db_url)
        module = importlib.import_module(module_name)
        args = parse(module, argv)
        if getattr(args, "reuse_db", False) and postgres.database_exists(server_url, db_name):
            note(f"reusing database {db_name}")
        else:
            note(f"creating database {db_name}")
            postgres.recreate_database(server_url, db_name)
        report = module.run(args, db_url)
        print(report)
        today = dt.date.today().isoformat()
        out = Path(args.output) if args.output else BENCH_DIR / f"results-{args.name}-{today}.md"
        out.write_text(report + "\n")
        note(f"results written to {out}")

        from django.db import connections  # Django is set up by now (see setup_django above)

        connections.close_all()
        if not args.keep_db:
            postgres.drop_database(server_url, db_name)
            note(f"dropped {db_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
