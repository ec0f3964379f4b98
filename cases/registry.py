"""The case-type registry: each case app describes its kind here, so `cases/` never imports a case app.

An app registers in its ``AppConfig.ready()``; the core looks kinds up by code when it numbers a case, decides
who handles it, or renders it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from django.db.models import Model


@dataclass(frozen=True)
class ClockRule:
    """A deadline that a transition starts, stops or pauses.

    ``start_on`` / ``stop_on`` / ``pause_on`` / ``resume_on`` name transitions. ``start_from`` names where the
    start date comes from: ``"today"`` or an attribute of the detail model holding a date (e.g. the date a
    gift was received), so the law's "day 0" is the event's day, not the day someone clicked.
    """

    code: str
    label: str
    basis: str
    working_days: int
    start_on: tuple[str, ...]
    stop_on: tuple[str, ...] = ()
    pause_on: tuple[str, ...] = ()
    resume_on: tuple[str, ...] = ()
    start_from: str = "today"


@dataclass(frozen=True)
class CaseKind:
    code: str
    prefix: str
    label: str
    model_label: str
    handler_group: str
    # (status, label) pairs in workflow order, and the states that end the case.
    status_labels: tuple[tuple[str, str], ...] = ()
    final_states: frozenset[str] = frozenset()
    # The reporter's supervisor (atasan) sees the case too, e.g. a conflict-of-interest declaration.
    supervisor_sees: bool = False
    # Admins manage users and settings but must not read this kind's content (WBS).
    restricted_content: bool = False
    clocks: tuple[ClockRule, ...] = ()
    # Optional: extra recipients of a transition's notification, e.g. the reporter.
    notify: Callable[["Model", str], list] | None = None
    statistics: dict = field(default_factory=dict)

    @property
    def model(self) -> type["Model"]:
        return apps.get_model(self.model_label)


_kinds: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> CaseKind:
    existing = _kinds.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"Case kind {kind.code!r} registered twice with different definitions")
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> CaseKind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"No case kind {code!r} is registered") from None


def all_kinds() -> list[CaseKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.code)
