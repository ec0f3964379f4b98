"""The inspectorate's dashboard (DESIGN §6): every kind's figures for a period and unit, its charts, and the list
of cases behind each figure.

Three pages read the same query (``periode``, ``unit``): the dashboard, the SVG charts it embeds and the list of
cases behind a figure. Each checks who may read the unit (evaluasi.access) itself, so a chart or a list opened
by its address is refused exactly like the dashboard. The list takes the figure's filter from the address
(``Figure.link``), which statistics.cases_behind checks and turns back into the same queryset the figure counted;
the list then shows only what cases.policy lets the reader open.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases import policy, registry, workdays
from cases.models import Unit
from evaluasi import access, charts, extensions, snapshots, statistics
from evaluasi.periods import KINDS, Period, PeriodError, choices_around, default_period

PAGE_SIZE = 50
# The keys a figure's link may carry (statistics.LINK_KEYS and "all"), and the combinations cases_behind reads:
# anything else in the address is forged, and refused rather than ignored (a wider list than asked for).
LINK_KEYS = (*statistics.LINK_KEYS, "all")
LINK_SHAPES = (
    {"status"},
    {"final"},
    {"breakdown", "value"},
    {"clock", "state"},
    {"overdue"},
    {"filter"},
    {"all"},
)
SCOPE_KEYS = {"kind", "periode", "unit", "page"}


class BadQuery(Exception):
    """The address asks for something that does not exist; the message is for the user (a 400 page)."""


# ---------------------------------------------------------------------------------------------------------
# The scope asked for


def _period_from(query) -> Period:
    """The period of the address: the range ``mulai``/``sampai`` when ``jenis`` is "custom" (or, without
    ``jenis``, when either date is filled), else ``periode``, moved to the kind chosen in ``jenis`` when that
    differs ("Triwulan" with "Juli 2026": triwulan III). Without JavaScript the two selects cannot follow each
    other, so each choice is read for what it can mean."""
    start, end = query.get("mulai", "").strip(), query.get("sampai", "").strip()
    kind = query.get("jenis", "")
    if kind == "custom" or (not kind and (start or end)):
        if not (start and end):
            raise PeriodError(_("Isi tanggal awal dan tanggal akhir rentang, atau pilih periode."))
        try:
            return Period.custom(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        except ValueError as problem:
            if isinstance(problem, PeriodError):
                raise
            raise PeriodError(_("Tanggal rentang tidak dikenal; tulis seperti 2026-01-31.")) from None
    period = Period.parse(query["periode"]) if query.get("periode") else default_period(workdays.today())
    if kind in KINDS and kind not in ("custom", period.kind):
        period = Period.containing(kind, period.start)
    return period


def _unit_from(request) -> Unit | None:
    """The unit of the address, checked against what the user may read: a unit head without one gets the first
    unit they head; one they may not read is a 403, an unknown code a 400."""
    allowed = access.statistics_unit_ids(request.user)
    code = request.GET.get("unit", "")
    unit = None
    if code:
        unit = statistics.unit_by_code(code)
        if unit is None:
            if allowed is not None:
                raise PermissionDenied
            raise BadQuery(_("Unit kerja %(code)s tidak dikenal.") % {"code": code[:40]})
    elif allowed is not None:
        unit = Unit.objects.filter(pk__in=allowed, head=request.user).order_by("code").first()
    if not access.may_read_unit(request.user, unit):
        raise PermissionDenied
    return unit


def _readable(request) -> None:
    if not access.may_read_statistics(request.user):
        raise PermissionDenied


def _strict_scope(request) -> statistics.Scope:
    """The scope of a chart or a list: a period that cannot be read is a 400, never a guessed one."""
    try:
        period = _period_from(request.GET)
    except PeriodError as problem:
        raise BadQuery(str(problem)) from None
    return statistics.Scope.of(period, _unit_from(request), inspectorate=access.is_inspector(request.user))


def _kind_from(request, code: str | None = None) -> registry.CaseKind:
    code = request.GET.get("kind", "") if code is None else code
    try:
        return registry.get(code)
    except LookupError:
        raise BadQuery(_("Jenis kasus %(code)s tidak dikenal.") % {"code": code[:40]}) from None


def _bad_request(request, message: str) -> HttpResponse:
    return render(request, "evaluasi/cases_invalid.html", {"message": message}, status=400)


def _scope_query(scope: statistics.Scope) -> dict:
    query = {"periode": scope.period.code}
    if scope.unit is not None:
        query["unit"] = scope.unit.code
    return query


# ---------------------------------------------------------------------------------------------------------
# The dashboard


@dataclass
class Row:
    figure: statistics.Figure
    value: str
    denominator: str = ""
    percent: str = ""
    href: str = ""
    denominator_href: str = ""


@dataclass
class GroupView:
    group: statistics.Group
    rows: list[Row]
    chart_src: str = ""
    page_href: str = ""


@dataclass
class PanelView:
    panel: statistics.KindPanel
    received: Row
    groups: list[GroupView] = field(default_factory=list)
    trend_src: str = ""
    units_src: str = ""


def _number(value, unit: str = "") -> str:
    if value is None:
        return "–"
    if unit == "rp":
        return "Rp " + formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    if unit == "score":
        return formats.number_format(value, 2, use_l10n=True)
    if unit == "days":
        return formats.number_format(value, 1, use_l10n=True)
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


HIDDEN = "*"


def _row(figure: statistics.Figure, min_cell: int, link_href) -> Row:
    if figure.suppressed:
        # One mark for every hidden cell, small or hidden beside a small one: which is which is not said.
        return Row(figure, HIDDEN, HIDDEN if figure.denominator is not None else "")
    return Row(
        figure,
        _number(figure.value, figure.unit),
        _number(figure.denominator) if figure.denominator is not None else "",
        formats.number_format(figure.percent, 1, use_l10n=True) + " %" if figure.percent is not None else "",
        # A zero opens nothing: no link, so the links on the page are the numbers worth following.
        link_href(figure.link) if figure.link is not None and figure.value else "",
        link_href(figure.denominator_link) if figure.denominator_link is not None and figure.denominator else "",
    )


def _cases_href(kind: registry.CaseKind, scope: statistics.Scope):
    base = reverse("evaluasi:cases")

    def href(link: dict) -> str:
        return f"{base}?{urlencode({'kind': kind.code, **_scope_query(scope), **link})}"

    return href


def _chart_src(kind_code: str, chart: str, scope: statistics.Scope) -> str:
    return f"{reverse('evaluasi:chart', args=[kind_code, chart])}?{urlencode(_scope_query(scope))}"


def _page_href(name: str, scope: statistics.Scope) -> str:
    """A kind's own page for figures that are not cases (benturan's statistics), for the same period and unit;
    that page checks its reader itself."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        return ""
    query = {"start": scope.period.start.isoformat(), "end": scope.period.end.isoformat()}
    if scope.unit is not None:
        query["unit"] = scope.unit.pk
    return f"{base}?{urlencode(query)}"


def _panel_view(panel: statistics.KindPanel, scope: statistics.Scope, *, compare: bool) -> PanelView:
    kind = panel.kind
    href = _cases_href(kind, scope)
    view = PanelView(
        panel,
        _row(panel.received, panel.min_cell, href),
        trend_src=_chart_src(kind.code, "trend", scope),
        units_src=_chart_src(kind.code, "units", scope) if compare else "",
    )
    for group in panel.groups:
        view.groups.append(
            GroupView(
                group,
                [_row(figure, panel.min_cell, href) for figure in group.figures],
                chart_src=_chart_src(kind.code, group.code, scope) if group.chart and group.figures else "",
                page_href=_page_href(group.page, scope) if group.page else "",
            )
        )
    return view


def _follow_up_view(scope: statistics.Scope) -> GroupView:
    """The follow-up of recommendations; each number opens the recommendations behind it when that page exists."""
    group = statistics.follow_up(scope)
    try:
        base = reverse("evaluasi:recommendations")
    except NoReverseMatch:
        base = ""

    def href(link: dict) -> str:
        return f"{base}?{urlencode({**_scope_query(scope), **link})}" if base else ""

    return GroupView(
        group, [_row(figure, 0, href) for figure in group.figures], _chart_src("tindak-lanjut", "status", scope)
    )


def _picker(request, scope: statistics.Scope) -> dict:
    """What the form shows: the period choices grouped by kind, the units the user may read, and what was
    typed (kept as typed when it could not be read)."""
    choices = choices_around(workdays.today())
    groups = {kind: [] for kind in ("year", "semester", "quarter", "month")}
    for code, label in choices:
        groups[Period.parse(code).kind].append((code, label))
    allowed = access.statistics_unit_ids(request.user)
    units = Unit.objects.filter(is_active=True).order_by("code")
    if allowed is not None:
        units = units.filter(pk__in=allowed)
    custom = scope.period.kind == "custom"
    return {
        "period_groups": [(KINDS[kind], options) for kind, options in groups.items()],
        "period_kinds": list(KINDS.items()),
        "chosen_kind": request.GET.get("jenis") or scope.period.kind,
        "chosen_period": request.GET.get("periode") or scope.period.code,
        "typed_start": request.GET.get("mulai", scope.period.start.isoformat() if custom else ""),
        "typed_end": request.GET.get("sampai", scope.period.end.isoformat() if custom else ""),
        "units": list(units),
        "all_units": allowed is None,
    }


# The page's charts are drawn from the panels the page just computed, kept a few minutes: two dozen <img>
# requests would otherwise each count the period's cases again (at 1,000,000 cases, seconds each).
CHART_PANEL_SECONDS = 300


def _panel_key(kind: registry.CaseKind, scope: statistics.Scope) -> str:
    unit = scope.unit.pk if scope.unit is not None else "all"
    return ":".join(
        [
            "evaluasi-panel",
            kind.code,
            scope.period.code,
            str(unit),
            str(scope.inspectorate),
            workdays.today().isoformat(),
            translation.get_language() or "",
        ]
    )


def _remember(panel: statistics.KindPanel, scope: statistics.Scope) -> None:
    cache.set(_panel_key(panel.kind, scope), (panel.received, panel.groups, panel.note), CHART_PANEL_SECONDS)


def _recalled(kind: registry.CaseKind, scope: statistics.Scope) -> statistics.KindPanel:
    """The panel the dashboard computed for this scope a moment ago, or a fresh one."""
    kept = cache.get(_panel_key(kind, scope))
    if kept is None:
        panel = statistics.kind_panel(kind, scope)
        _remember(panel, scope)
        return panel
    received, groups, note = kept
    return statistics.KindPanel(kind=kind, received=received, groups=groups, note=note)


@login_required
@require_GET
def dashboard(request):
    _readable(request)
    error = ""
    try:
        period = _period_from(request.GET)
    except PeriodError as problem:
        period, error = default_period(workdays.today()), str(problem)
    try:
        unit = _unit_from(request)
    except BadQuery as problem:
        return _bad_request(request, str(problem))
    scope = statistics.Scope.of(period, unit, inspectorate=access.is_inspector(request.user))
    compare = Unit.objects.filter(parent=unit).exists() if unit is not None else True
    computed = snapshots.dashboard(scope)
    for panel in computed:
        _remember(panel, scope)
    panels = [_panel_view(panel, scope, compare=compare) for panel in computed]
    return render(
        request,
        "evaluasi/dashboard.html",
        {
            "scope": scope,
            "error": error,
            "panels": panels,
            "follow_up": _follow_up_view(scope),
            # What other apps add below the kinds' panels for the same scope (evaluasi.extensions; survei's).
            "sections": extensions.rendered_dashboard_sections(request, scope),
            "may_export_audit": access.is_inspector(request.user),
            **_picker(request, scope),
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Charts


def _svg(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own (not as an <img>), the SVG is a document under its own policy: matplotlib colours it
    # with a <style> element and style attributes, and it has no script, so styles inline and nothing else.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_GET
def chart(request, kind: str, chart: str):
    """One chart of the dashboard as SVG, for the same query (and the same permission) as the page."""
    _readable(request)
    try:
        scope = _strict_scope(request)
        if kind == "tindak-lanjut":
            if chart != "status":
                raise Http404
            group = statistics.follow_up(scope)
            return _svg(
                charts.bar_svg(group.title, [f.label for f in group.figures[1:]], [f.value for f in group.figures[1:]])
            )
        case_kind = _kind_from(request, kind)
    except BadQuery as problem:
        return HttpResponse(str(problem), status=400, content_type="text/plain; charset=utf-8")
    if case_kind not in statistics.stat_kinds(scope):
        raise PermissionDenied  # WBS for a unit head
    title = f"{case_kind.label} · {scope.period.label}"
    if chart == "trend":
        periods, series = statistics.trend(case_kind, scope)
        return _svg(
            charts.line_svg(
                _("%(kind)s: diterima dan ditutup per periode") % {"kind": case_kind.label},
                [period.short_label for period in periods],
                [(line.label, [value for _label, value in line.points]) for line in series],
            )
        )
    if chart == "units":
        rows = statistics.compare_units(case_kind, scope)
        return _svg(
            charts.bar_svg(
                _("%(title)s: diterima per unit") % {"title": title},
                [
                    _("%(unit)s (langsung)") % {"unit": unit.name} if unit == scope.unit else unit.name
                    for unit, _n in rows
                ],
                [n for _unit, n in rows],
            )
        )
    panel = _recalled(case_kind, scope)
    group = next((g for g in panel.groups if g.code == chart and g.chart), None)
    if group is None:
        raise Http404
    return _svg(
        charts.bar_svg(
            f"{group.title} · {scope.period.label}",
            [figure.label for figure in group.figures],
            [None if figure.suppressed else figure.value for figure in group.figures],
        )
    )


# ---------------------------------------------------------------------------------------------------------
# The cases behind a figure


def _link_from(query) -> dict:
    unknown = set(query.keys()) - SCOPE_KEYS - set(LINK_KEYS)
    if unknown:
        raise BadQuery(
            _("Alamat ini memuat saringan yang tidak dikenal: %(keys)s.") % {"keys": ", ".join(sorted(unknown))[:80]}
        )
    link = {key: query[key] for key in LINK_KEYS if key in query}
    if set(link) not in LINK_SHAPES:
        raise BadQuery(_("Alamat ini tidak menunjuk angka mana pun di dasbor."))
    return link


def _same(link: dict | None, other: dict) -> bool:
    return link is not None and {k: str(v) for k, v in link.items()} == other


def _figure_for(panel: statistics.KindPanel, link: dict) -> tuple[str, statistics.Figure | None]:
    """How the dashboard names the figure whose cases (or whose denominator's cases) `link` asks for, and the
    figure; ("", None) when no figure shown has that link."""
    if _same(panel.received.link, link):
        return str(panel.received.label), panel.received
    for group in panel.groups:
        for figure in group.figures:
            if _same(figure.link, link):
                return f"{group.title}: {figure.label}", figure
    for group in panel.groups:
        for figure in group.figures:
            if _same(figure.denominator_link, link):
                return _("%(label)s — seluruhnya") % {"label": f"{group.title}: {figure.label}"}, figure
    return "", None


@dataclass
class CaseRow:
    case: object
    status: str
    received: dt.date | None
    overdue: bool


@login_required
@require_GET
def cases(request):
    """The cases behind one figure, as many as the reader may open: reference, unit, status, dates. Never
    what a case says, never who reported it."""
    _readable(request)
    try:
        kind = _kind_from(request)
        link = _link_from(request.GET)
        scope = _strict_scope(request)
        if kind not in statistics.stat_kinds(scope):
            raise PermissionDenied  # WBS for a unit head: not even how many
        today = workdays.today()
        panel = statistics.kind_panel(kind, scope, today=today)
        label, figure = _figure_for(panel, link)
        if panel.min_cell and figure is None:
            # A suppressed cell has no link, so an address that matches no shown figure is one of them (or
            # forged): its list would tell the hidden number.
            raise BadQuery(
                _("Angka ini tidak ditampilkan karena kurang dari %(n)d: daftar kasusnya juga tidak dibuka.")
                % {"n": panel.min_cell}
            )
        try:
            behind = statistics.cases_behind(kind, scope, link, today=today)
        except ValueError:
            raise BadQuery(_("Alamat ini tidak menunjuk angka mana pun di dasbor.")) from None
    except BadQuery as problem:
        return _bad_request(request, str(problem))

    total = behind.count()
    visible = policy.visible_cases(request.user, behind)
    received_on = kind.statistics.received_on
    paginator = Paginator(visible.select_related("unit").order_by(f"-{received_on}", "-pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    labels = dict(kind.status_labels)
    rows = []
    for case in page.object_list:
        received = getattr(case, received_on)
        if isinstance(received, dt.datetime):
            received = timezone.localdate(received)
        overdue = case.status not in kind.final_states and case.due_date is not None and case.due_date < today
        rows.append(CaseRow(case, str(labels.get(case.status, case.status)), received, overdue))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluasi/cases.html",
        {
            "kind": kind,
            "scope": scope,
            "label": label,
            "page": page,
            "rows": rows,
            "total": total,
            "visible": paginator.count,
            "query": query.urlencode(),
            "back": f"{reverse('evaluasi:dashboard')}?{urlencode(_scope_query(scope))}#kind-{kind.code}",
        },
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("kasus/", cases, name="cases"),
    path("grafik/<slug:kind>/<slug:chart>.svg", chart, name="chart"),
]
