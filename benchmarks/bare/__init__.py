"""The benchmark-only site of `python -m benchmarks pengaduan`: the project's settings and URLconf plus a bare
Django view, served by the same gunicorn as the real public form. Never imported by the application."""
