"""The figures of gratifikasi on the inspectorate's dashboard beside what every case has (evaluasi.statistics).

``figures(cases, scope)`` returns groups of cases.registry.Figure over the period's cases; ``FILTERS`` names
the case filters those figures link to (KindStatistics.filters). Penerimaan/penolakan and KPK's decisions are
breakdowns of the report (gratifikasi.kind); "dilaporkan ke UPG dalam 10 HK" and "ke KPK dalam 30 HK" are the
clocks ``report_to_upg`` and ``kpk_legal``. What is left is what lives on the objects of a report: their kinds
and their value.

Two queries whatever the number of reports: one grouped by object kind, one for the value.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.registry import Figure, Group
from gratifikasi.models import GratifikasiObject, ObjectKind


def _having(**conditions):
    """A filter: the reports with at least one object matching `conditions`."""

    def apply(cases: QuerySet) -> QuerySet:
        return cases.filter(Exists(GratifikasiObject.objects.filter(report=OuterRef("pk"), **conditions)))

    return apply


# One filter per object kind, so each line of "objek menurut jenis" opens the reports holding such an object.
FILTERS: dict = {f"object_{code}": _having(kind=code) for code in ObjectKind.values}
FILTERS["value_unknown"] = _having(value_unknown=True)


def figures(cases: QuerySet, scope) -> list:
    objects = GratifikasiObject.objects.filter(report__in=cases.values("pk"))
    # A report is counted once per kind however many objects of that kind it holds: the figure is a number of
    # reports, so it equals the list it links to; the number of objects is said beside it.
    per_kind = {
        row["kind"]: row
        for row in objects.values("kind")
        .annotate(objects=Count("pk"), reports=Count("report", distinct=True))
        .order_by()
    }
    object_figures = []
    for code, label in ObjectKind.choices:
        row = per_kind.get(code, {"objects": 0, "reports": 0})
        object_figures.append(
            Figure(
                f"object.{code}",
                str(label),
                row["reports"],
                link={"filter": f"object_{code}"},
                note=ngettext("%(n)d objek", "%(n)d objek", row["objects"]) % {"n": row["objects"]},
            )
        )

    value = objects.aggregate(
        total=Sum("value", filter=Q(value_unknown=False)),
        known=Count("pk", filter=Q(value_unknown=False)),
        unknown=Count("pk", filter=Q(value_unknown=True)),
        unknown_reports=Count("report", filter=Q(value_unknown=True), distinct=True),
    )
    value_figures = [
        Figure(
            "value.total",
            _("Total nilai objek yang diketahui (Rp)"),
            value["total"] or 0,
            unit="rp",
            note=ngettext(
                "dari %(known)d objek; %(unknown)d objek nilainya tidak diketahui",
                "dari %(known)d objek; %(unknown)d objek nilainya tidak diketahui",
                value["known"],
            )
            % {"known": value["known"], "unknown": value["unknown"]},
        ),
        Figure(
            "value.unknown",
            _("Laporan dengan objek yang nilainya tidak diketahui"),
            value["unknown_reports"],
            link={"filter": "value_unknown"},
            note=ngettext("%(n)d objek", "%(n)d objek", value["unknown"]) % {"n": value["unknown"]},
        ),
    ]
    return [
        Group("objects", _("Laporan menurut jenis objek"), object_figures, chart=True),
        Group("value", _("Nilai gratifikasi"), value_figures),
    ]
