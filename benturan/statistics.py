"""The figures of benturan on the inspectorate's dashboard beside what every case has (evaluasi.statistics).

Declarations by outcome and source are breakdowns (benturan.kind), "decided inside 7 HK" is the ``decision``
clock. What is left is not a set of cases: the yearly statements of interest (how many of the people who must
file have filed, for the campaigns of the period's years reaching the scope's units) and the risk maps' coverage
of the units' main functions (LKE benturan kepentingan a). Both come from benturan.selectors, the same
functions as benturan's own statistics page, which the groups point to for the details (``Group.page``).

A few queries whatever the number of declarations: one per statement campaign of the period's years, three for
the maps.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from benturan import selectors
from cases.registry import Figure, Group

FILTERS: dict = {}

PAGE = "benturan:statistics"


def figures(cases: QuerySet, scope) -> list:
    units = set(scope.unit_ids) if scope.unit_ids is not None else None
    statements = selectors.statement_statistics(units=units, start=scope.period.start, end=scope.period.end)
    risk_map = selectors.map_statistics(unit_ids=units, year=scope.period.end.year)
    return [
        Group(
            "statements",
            _("Pernyataan potensi benturan kepentingan"),
            [
                Figure("statements.campaigns", _("Kampanye pernyataan pada periode"), statements["campaigns"]),
                Figure(
                    "statements.filed",
                    _("Pegawai wajib yang sudah mengisi pernyataan"),
                    statements["filed"],
                    denominator=statements["population"],
                ),
                Figure(
                    "statements.declared",
                    _("Pegawai yang menyatakan ada potensi benturan"),
                    statements["declared"],
                    denominator=statements["filed"],
                ),
            ],
            page=PAGE,
        ),
        Group(
            "risk_map",
            _("Peta risiko benturan kepentingan tahun %(year)d") % {"year": scope.period.end.year},
            [
                Figure(
                    "risk_map.functions",
                    _("Fungsi utama yang tercakup peta risiko yang disetujui"),
                    risk_map["mapped_count"],
                    denominator=risk_map["total"],
                    note=_("Jawaban LKE: %(answer)s") % {"answer": risk_map["answer_label"]},
                )
            ],
            page=PAGE,
        ),
    ]
