"""The benchmark-only site of `python -m benchmarks pengaduan`, `survei-intake` and `submissions`: the project's
settings and URLconf plus bare Django views, served by the same gunicorn as the real public forms. Never imported by the
application."""
