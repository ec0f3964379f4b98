"""Exports made in the background (ExportJob): the registry of exporters and how a job is run.

An exporter is registered under a code (``"dashboard.xlsx"``, ``"lke.pack"``) with::

    @jobs.exporter("lke.pack", allowed=lambda user, params: ...)
    def write_pack(job, out, progress) -> tuple[str, str]:
        # write the file to the binary stream `out`; call progress(done, total) now and then;
        # return (filename, content_type)

``allowed(user, params)`` is checked when the job is asked for and again when it runs.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Exporter:
    code: str
    write: Callable
    allowed: Callable


EXPORTERS: dict[str, Exporter] = {}


def exporter(code: str, *, allowed: Callable):
    def register(write: Callable) -> Callable:
        EXPORTERS[code] = Exporter(code, write, allowed)
        return write

    return register
