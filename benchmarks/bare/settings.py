"""The project's settings (config.settings, everything from the environment) with one change: the URLconf is
benchmarks.bare.urls, i.e. the production URLconf plus the bare baseline view. Only the pengaduan benchmark's
gunicorn loads this module."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare.urls"
