"""SIGAP benchmarks on PostgreSQL: `python -m benchmarks <name>` (see benchmarks/__main__.py and README.md)."""
