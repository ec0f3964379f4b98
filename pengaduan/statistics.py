"""The figures of pengaduan on the inspectorate's dashboard beside what every case has (evaluasi.statistics).

``figures(cases, scope)`` returns groups of cases.registry.Figure over the period's cases; ``FILTERS`` names
the case filters those figures link to (KindStatistics.filters): the complainants' satisfaction (the score they
give an answer, pengaduan.services.complaint_rate), the complaints they disputed, and the complaints converted
into a case of another kind (cases.services.convert_case links source → new case as ``converted_to``).

One query whatever the number of complaints. Never a complainant's words or name: counts and an average only.
"""

from django.core.validators import MaxValueValidator
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import CaseLink
from cases.registry import Figure, Group
from pengaduan.models import Complaint


def _scale() -> int:
    """The highest score a complainant can give, read from the field's validator (1–5 today)."""
    field = Complaint._meta.get_field("satisfaction")
    return next((v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)), 5)


def _converted() -> Exists:
    return Exists(CaseLink.objects.filter(from_case=OuterRef("pk"), relation=CaseLink.Relation.CONVERTED_TO))


def _rated(cases: QuerySet) -> QuerySet:
    return cases.filter(satisfaction__isnull=False)


def _disputed(cases: QuerySet) -> QuerySet:
    return cases.filter(dispute_count__gt=0)


def _converted_cases(cases: QuerySet) -> QuerySet:
    return cases.filter(_converted())


def _score(score: int):
    return lambda cases: cases.filter(satisfaction=score)


FILTERS: dict = {
    "rated": _rated,
    "disputed": _disputed,
    "converted": _converted_cases,
    **{f"score_{score}": _score(score) for score in range(1, _scale() + 1)},
}


def figures(cases: QuerySet, scope) -> list:
    scale = _scale()
    totals = cases.aggregate(
        total=Count("pk"),
        average=Avg("satisfaction"),
        rated=Count("pk", filter=Q(satisfaction__isnull=False)),
        disputed=Count("pk", filter=Q(dispute_count__gt=0)),
        # An Exists straight in the filter: an annotation used only inside an aggregate's filter is dropped from
        # the inner query by Django 5.2 ("WHERE converted" on a column that is not there, which SQLite reads as 0).
        converted=Count("pk", filter=_converted()),
        **{f"score_{score}": Count("pk", filter=Q(satisfaction=score)) for score in range(1, scale + 1)},
    )
    average = round(totals["average"], 2) if totals["average"] is not None else None
    satisfaction = [
        Figure(
            "satisfaction.average",
            _("Rata-rata kepuasan pengadu (skala 1–%(scale)d)") % {"scale": scale},
            average,
            unit="score",
            note=_("dari %(n)d pengadu yang memberi nilai") % {"n": totals["rated"]},
        ),
        Figure(
            "satisfaction.rated",
            _("Pengadu yang memberi nilai kepuasan"),
            totals["rated"],
            denominator=totals["total"],
            link={"filter": "rated"},
            denominator_link={"all": 1},
        ),
    ]
    scores = [
        Figure(
            f"satisfaction.{score}",
            _("Nilai %(score)d") % {"score": score},
            totals[f"score_{score}"],
            link={"filter": f"score_{score}"},
        )
        for score in range(1, scale + 1)
    ]
    handling = [
        Figure(
            "disputed",
            _("Jawaban yang disanggah pengadu"),
            totals["disputed"],
            denominator=totals["total"],
            link={"filter": "disputed"},
            denominator_link={"all": 1},
        ),
        Figure(
            "converted",
            _("Dialihkan menjadi kasus jenis lain (mis. WBS)"),
            totals["converted"],
            denominator=totals["total"],
            link={"filter": "converted"},
            denominator_link={"all": 1},
        ),
    ]
    return [
        Group("satisfaction", _("Kepuasan pengadu"), satisfaction),
        Group("scores", _("Sebaran nilai kepuasan"), scores, chart=True),
        Group("disputes", _("Sanggahan dan pengalihan"), handling),
    ]
