"""The shapes of the statistics API (evaluasi/views/api.py) and the conversion of the statistics into them.

The serializers are output-only: the API writes nothing. They exist so that the OpenAPI description
(drf-spectacular) states exactly what a response holds, and every response goes through them, so the schema and
the answers cannot drift apart.

What a figure becomes here is what the dashboard shows, nothing more: a suppressed (WBS small-cell) figure has
its value, denominator and percentage null and no link, so a number hidden on the page is not in the JSON
either. Nothing about a reporter is in any statistic to begin with (evaluasi/statistics.py counts cases).
"""

from decimal import Decimal
from urllib.parse import urlencode

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluasi import statistics
from evaluasi.periods import Period

# The list of cases behind a figure (DESIGN §6): the dashboard's "kasus" page takes the kind, the scope and the
# figure's link (statistics.cases_behind reads it back and refuses anything else).
CASES_PATH = "/evaluasi/kasus/"


@extend_schema_field({"type": "number", "nullable": True, "description": "Angka; null bila disembunyikan."})
class NumberField(serializers.Field):
    """A count, a Rupiah sum or a number of days: an integer when it is whole, else a decimal number."""

    def to_representation(self, value):
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return value


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = NumberField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)
    unit = serializers.CharField(help_text='"" (jumlah kasus), "rp", "days" atau "score".')
    suppressed = serializers.BooleanField(help_text="Disembunyikan (sel kecil WBS): value dan denominator null.")
    note = serializers.CharField(allow_blank=True)
    cases_url = serializers.CharField(allow_null=True, help_text="Daftar kasus di balik angka ini, bila ada.")


class GroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    chart = serializers.BooleanField()
    figures = FigureSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="2026, 2026-S1, 2026-Q3, 2026-07 atau 2026-01-01..2026-03-31")
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True, help_text="Kode unit induk.")


class KindPanelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    min_cell = serializers.IntegerField(help_text="Sel di bawah angka ini disembunyikan (0: tidak ada).")
    received = FigureSerializer()
    groups = GroupSerializer(many=True)


class StatistikSerializer(serializers.Serializer):
    period = PeriodSerializer()
    unit = UnitSerializer(allow_null=True, help_text="null: semua unit kerja.")
    kinds = KindPanelSerializer(many=True)
    follow_up = GroupSerializer()


class PointSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="null bila disembunyikan (sel kecil WBS).")


class SeriesSerializer(serializers.Serializer):
    label = serializers.CharField()
    points = PointSerializer(many=True)


class TrenSerializer(serializers.Serializer):
    kind = serializers.CharField()
    period = PeriodSerializer()
    unit = UnitSerializer(allow_null=True)
    periods = PeriodSerializer(many=True)
    series = SeriesSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# ---------------------------------------------------------------------------------------------------------
# From the statistics to the shapes above


def period_data(period: Period) -> dict:
    return {"code": period.code, "label": str(period.label), "start": period.start, "end": period.end}


def unit_data(unit) -> dict | None:
    if unit is None:
        return None
    return {"code": unit.code, "name": unit.name, "parent": unit.parent.code if unit.parent_id else None}


def cases_url(kind_code: str, scope: statistics.Scope, link: dict | None) -> str | None:
    """The address of the cases behind a figure, as the dashboard links it; None when the figure has none."""
    if link is None:
        return None
    query = {"kind": kind_code, "periode": scope.period.code}
    if scope.unit is not None:
        query["unit"] = scope.unit.code
    query.update({key: str(value) for key, value in link.items()})
    return f"{CASES_PATH}?{urlencode(query)}"


def figure_data(figure: statistics.Figure, url: str | None) -> dict:
    hidden = figure.suppressed
    return {
        "code": figure.code,
        "label": str(figure.label),
        "value": None if hidden else figure.value,
        "denominator": None if hidden else figure.denominator,
        "percent": None if hidden else figure.percent,
        "unit": figure.unit,
        "suppressed": hidden,
        "note": str(figure.note or ""),
        "cases_url": None if hidden else url,
    }


def group_data(group: statistics.Group, url_of) -> dict:
    return {
        "code": group.code,
        "title": str(group.title),
        "chart": group.chart,
        "figures": [figure_data(figure, url_of(figure.link)) for figure in group.figures],
    }


def panel_data(panel: statistics.KindPanel, scope: statistics.Scope) -> dict:
    def url_of(link):
        return cases_url(panel.kind.code, scope, link)

    return {
        "code": panel.kind.code,
        "label": str(panel.kind.label),
        "min_cell": panel.min_cell,
        "received": figure_data(panel.received, url_of(panel.received.link)),
        "groups": [group_data(group, url_of) for group in panel.groups],
    }


def statistik_data(scope: statistics.Scope) -> dict:
    """The dashboard of `scope` for the API. The follow-up figures count recommendations, not cases: no
    cases_url."""
    return {
        "period": period_data(scope.period),
        "unit": unit_data(scope.unit),
        "kinds": [panel_data(panel, scope) for panel in statistics.dashboard(scope)],
        "follow_up": group_data(statistics.follow_up(scope), lambda link: None),
    }


def tren_data(kind, scope: statistics.Scope) -> dict:
    periods, series = statistics.trend(kind, scope)
    return {
        "kind": kind.code,
        "period": period_data(scope.period),
        "unit": unit_data(scope.unit),
        "periods": [period_data(period) for period in periods],
        "series": [
            {
                "label": str(line.label),
                "points": [
                    {"period": period.code, "value": value}
                    for period, (_label, value) in zip(periods, line.points, strict=True)
                ],
            }
            for line in series
        ],
    }
