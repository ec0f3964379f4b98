"""The figures of benturan on the inspectorate's dashboard beside what every case has (evaluasi.statistics).

``figures(cases, scope)`` returns groups of evaluasi.statistics.Figure over the period's cases; ``FILTERS`` names
the case filters those figures link to (KindStatistics.filters).
"""

from django.db.models import QuerySet

FILTERS: dict = {}


def figures(cases: QuerySet, scope) -> list:
    return []
