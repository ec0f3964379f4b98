"""Where apps built on evaluasi plug into it, so evaluasi never imports them (as the case kinds plug into
cases.registry): survei registers here in its ready().

- **Recommendation modules**: a recommendation's "module" is its case's kind or its evaluation's module; an app
  whose recommendations hang on something else (survei: Recommendation.survey) registers a code, a label and the
  condition that picks its recommendations, so the follow-up list's and the dashboard's module filter
  (evaluasi.statistics.follow_up, evaluasi.selectors.recommendation_list) read the same rows.
- **Dashboard sections**: ``callable(scope, user) -> (template, context) | None``, rendered in order below the
  kinds' panels on /evaluasi/ for the same Scope (period, and unit with its sub-units — for a unit head the view
  has already limited it to what they head). The callable checks its own readers as well: the section is theirs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string


@dataclass(frozen=True)
class RecommendationModule:
    code: str
    label: Any  # a lazy translation
    condition: Q


recommendation_modules: dict[str, RecommendationModule] = {}

dashboard_sections: list[Callable[[Any, Any], tuple[str, dict] | None]] = []


def register_recommendation_module(code: str, label, condition: Q) -> None:
    recommendation_modules[code] = RecommendationModule(code, label, condition)


def register_dashboard_section(section: Callable[[Any, Any], tuple[str, dict] | None]) -> None:
    if section not in dashboard_sections:
        dashboard_sections.append(section)


def module_condition(module: str) -> Q:
    """The recommendations of `module`: a registered module's own condition, else those on a case of that kind
    or of an evaluation of that module."""
    registered = recommendation_modules.get(module)
    if registered is not None:
        return registered.condition
    return Q(case__kind=module) | Q(evaluation__module=module)


def module_choices() -> list[tuple[str, str]]:
    """The registered modules as form choices (after the case kinds)."""
    return [(module.code, module.label) for module in recommendation_modules.values()]


def rendered_dashboard_sections(request, scope) -> list[str]:
    """Every registered section this reader gets for `scope`, rendered, in registration order."""
    rendered = []
    for section in dashboard_sections:
        found = section(scope, request.user)
        if found is not None:
            template, context = found
            rendered.append(render_to_string(template, {"scope": scope, **context}, request=request))
    return rendered
