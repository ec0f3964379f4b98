"""The figures of WBS on the inspectorate's dashboard beside what every case has (evaluasi.statistics).

Counts only, and deliberately nothing of its own. What every case has (statuses, the category and outcome
breakdowns of wbs.kind, the clocks, handling time) is counted by the core, with every cell under
``min_cell`` (3) hidden below a unit's total, and a second cell hidden where the first could be worked out.
Nothing a report says and nothing about how its reporter knows or who they are is counted here: not
``knowledge``, not ``identity_provided``, not the channel or the hour it came in. A small count of any of those
can point at one person in one unit (UU 31/2014 Pasal 10; PP 43/2018), and an inspector has no need of it to
judge whether reports are handled.
"""

from django.db.models import QuerySet

FILTERS: dict = {}


def figures(cases: QuerySet, scope) -> list:
    return []
