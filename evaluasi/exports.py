"""The evaluation layer's exports (issue 12, "Exports"), each registered with evaluasi.jobs:

- ``dashboard.xlsx`` / ``dashboard.csv`` / ``dashboard.pdf``: every figure of the dashboard for a period and unit
  (value, denominator, share), the 12-period trend and the follow-up of recommendations; the PDF with the
  charts (evaluasi.charts, embedded as data: URIs, so the document loads nothing from anywhere);
- ``cases.xlsx`` / ``cases.csv``: the cases behind a figure, or every case of a period — reference, kind, unit,
  status, dates, overdue; never content or names;
- ``audit.xlsx`` / ``audit.csv``: the audit log of one case, or of every case of a scope in a period
  (seq, time, action, actor, statuses and the hash chain; never the event's data payload).

Every cell goes through cases.exports (the formula-injection guard, typed dates and numbers). The long ones
stream: ``.iterator(chunk_size=2000)`` on plain rows, xlsxwriter's constant_memory mode and a CSV written row
by row into the job's temporary file, so 100,000 rows take the memory of one chunk.

Who may: the dashboard's readers (evaluasi.access) for the figures; for case lists also cases.policy.visible_cases;
the audit log only the inspectorate, and only over cases they can see.
"""

import base64
import datetime as dt
from collections.abc import Iterable, Iterator

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from cases import audit, policy, registry, workdays
from cases.exports import DATE, DATETIME, NUMBER, PERCENT, TEXT, Column, XlsxBook, csv_write
from cases.models import Case, CaseEvent
from evaluasi import access, charts, jobs, statistics
from evaluasi.periods import Period, PeriodError

CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
HIDDEN = "< 3"


# ---------------------------------------------------------------------------------------------------------
# Parameters: what a job stores, read back into a scope


def scope_of(params: dict, user) -> statistics.Scope:
    """The scope a job's parameters name (``periode``, ``unit`` code or ""), read as `user` reads it (a unit head
    gets no WBS: statistics.stat_kinds); PeriodError or LookupError for parameters that do not name one."""
    period = Period.parse(params.get("periode", ""))
    unit = None
    if params.get("unit"):
        unit = statistics.unit_by_code(params["unit"])
        if unit is None:
            raise LookupError("unit")
    return statistics.Scope.of(period, unit, inspectorate=access.is_inspector(user))


def _kinds(params: dict) -> list[registry.CaseKind]:
    if params.get("kind"):
        return [registry.get(params["kind"])]
    return statistics.stat_kinds()


def may_read_scope(user, params: dict) -> bool:
    """The dashboard's rule: the user reads the figures of the scope's unit."""
    if not access.may_read_statistics(user):
        return False
    try:
        scope = scope_of(params, user)
        _kinds(params)
    except (PeriodError, LookupError):
        return False
    return access.may_read_unit(user, scope.unit)


def _scope_slug(scope: statistics.Scope) -> str:
    unit = slugify(scope.unit.code) if scope.unit is not None else "semua-unit"
    return f"{unit}-{slugify(scope.period.code.replace('..', '-'))}"


def _sheet_name(text: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    return "".join(" " if char in "[]:*?/\\" else char for char in str(text))[:31] or "Lembar"


def _title_rows(title: str, scope: statistics.Scope) -> list[list]:
    unit = str(scope.unit) if scope.unit is not None else _("Semua unit")
    return [[title], [scope.period.label, unit], [_("Dibuat"), timezone.localtime()]]


# ---------------------------------------------------------------------------------------------------------
# The dashboard: XLSX, CSV, PDF

UNITS = {"": "", "rp": "Rp", "days": "hari", "score": "skor"}


def _figure_columns() -> list[Column]:
    return [
        Column(_("Kelompok"), name="group"),
        Column(_("Kode"), name="code"),
        Column(_("Uraian"), name="label", width=50),
        Column(_("Nilai"), NUMBER, name="value"),
        Column(_("Penyebut"), NUMBER, name="denominator"),
        Column(_("Persentase"), PERCENT, name="percent"),
        Column(_("Satuan"), name="unit"),
        Column(_("Keterangan"), name="note", width=40),
    ]


def _figure_row(group_title: str, figure: statistics.Figure) -> list:
    percent = figure.percent
    note = _("disembunyikan (%(hidden)s)") % {"hidden": HIDDEN} if figure.suppressed else figure.note
    return [
        group_title,
        figure.code,
        figure.label,
        None if figure.suppressed else figure.value,
        figure.denominator,
        None if percent is None else percent / 100,
        UNITS.get(figure.unit, figure.unit),
        note,
    ]


def panel_figures(panel: statistics.KindPanel) -> Iterator[tuple[statistics.Group | None, statistics.Figure]]:
    """Every figure of a kind's panel in the order the dashboard shows them (received first, without a group)."""
    yield None, panel.received
    for group in panel.groups:
        for figure in group.figures:
            yield group, figure


def _dashboard_data(params: dict, user):
    scope = scope_of(params, user)
    today = workdays.today()
    panels = statistics.dashboard(
        scope, kinds=[kind for kind in _kinds(params) if kind in statistics.stat_kinds(scope)], today=today
    )
    trends = [(panel.kind, *statistics.trend(panel.kind, scope)) for panel in panels]
    return scope, panels, trends, statistics.follow_up(scope)


def _dashboard_rows(user, params: dict) -> int:
    return 0  # a few hundred figures at most: always made in the request


@jobs.exporter("dashboard.xlsx", allowed=may_read_scope, rows=_dashboard_rows)
def dashboard_xlsx(job, out, progress) -> tuple[str, str]:
    """A sheet per kind (every figure with its denominator and share), the trends, the follow-up."""
    scope, panels, trends, follow_up = _dashboard_data(job.params, job.requested_by)
    total = len(panels) + 2
    book = XlsxBook(out)
    for index, panel in enumerate(panels, start=1):
        sheet = book.sheet(
            _sheet_name(panel.kind.label),
            _figure_columns(),
            title_rows=_title_rows(_("Statistik %(kind)s") % {"kind": panel.kind.label}, scope),
        )
        for group, figure in panel_figures(panel):
            sheet.write(_figure_row(group.title if group else _("Ringkasan"), figure))
        # The kind's trend under its figures (after a blank line, outside the table's filter); the "Tren" sheet
        # has every kind's in one table.
        _kind, periods, series = trends[index - 1]
        sheet.row += 1
        sheet.note(_("Tren 12 periode"), _("Mulai"), *(s.label for s in series))
        for period, *values in zip(periods, *[[v for _l, v in s.points] for s in series], strict=True):
            sheet.note(period.label, period.start, *(HIDDEN if value is None else value for value in values))
        progress(index, total)
    trend_columns = [
        Column(_("Jenis"), name="kind"),
        Column(_("Periode"), name="period"),
        Column(_("Mulai"), DATE, name="start"),
        Column(_("Akhir"), DATE, name="end"),
        Column(_("Diterima"), NUMBER, name="received"),
        Column(_("Selesai"), NUMBER, name="closed"),
        Column(_("Keterangan"), name="note"),
    ]
    sheet = book.sheet(
        _("Tren 12 periode"), trend_columns, title_rows=_title_rows(_("Tren 12 periode terakhir"), scope)
    )
    for kind, periods, series in trends:
        received, closed = (dict(s.points) for s in series)
        for period in periods:
            r, c = received[period.short_label], closed[period.short_label]
            note = _("disembunyikan (%(hidden)s)") % {"hidden": HIDDEN} if None in (r, c) else ""
            sheet.write([kind.label, period.label, period.start, period.end, r, c, note])
    progress(total - 1, total)
    sheet = book.sheet(_("Tindak lanjut"), _figure_columns(), title_rows=_title_rows(str(follow_up.title), scope))
    for figure in follow_up.figures:
        sheet.write(_figure_row(follow_up.title, figure))
    book.close()
    progress(total, total)
    return f"statistik-{_scope_slug(scope)}.xlsx", XLSX


@jobs.exporter("dashboard.csv", allowed=may_read_scope, rows=_dashboard_rows)
def dashboard_csv(job, out, progress) -> tuple[str, str]:
    """One row per figure: kind, group, code, label, value, denominator, percent (0–100), and a note."""
    scope, panels, _trends, follow_up = _dashboard_data(job.params, job.requested_by)
    columns = [
        Column(_("Jenis"), name="kind"),
        Column(_("Kelompok"), name="group"),
        Column(_("Kode"), name="code"),
        Column(_("Uraian"), name="label"),
        Column(_("Nilai"), NUMBER, name="value"),
        Column(_("Penyebut"), NUMBER, name="denominator"),
        Column(_("Persen"), NUMBER, name="percent"),
        Column(_("Keterangan"), name="note"),
    ]

    def rows() -> Iterator[list]:
        for panel in panels:
            for group, figure in panel_figures(panel):
                yield _csv_figure(panel.kind.code, group.code if group else "", figure)
        for figure in follow_up.figures:
            yield _csv_figure("tindak_lanjut", follow_up.code, figure)

    count = csv_write(out, columns, rows())
    progress(count, count)
    return f"statistik-{_scope_slug(scope)}.csv", CSV


def _csv_figure(kind: str, group: str, figure: statistics.Figure) -> list:
    note = _("disembunyikan (%(hidden)s)") % {"hidden": HIDDEN} if figure.suppressed else figure.note
    value = None if figure.suppressed else figure.value
    return [kind, group, figure.code, figure.label, value, figure.denominator, figure.percent, note]


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _panel_charts(panel: statistics.KindPanel, periods, series) -> dict:
    """The panel's bar charts (groups marked ``chart`` with something to draw) and its trend line."""
    bars = []
    for group in panel.groups:
        if not group.chart or not any(figure.value for figure in group.figures):
            continue
        labels = [figure.label for figure in group.figures]
        values = [None if figure.suppressed else figure.value for figure in group.figures]
        bars.append((group, _data_uri(charts.bar_svg(group.title, labels, values))))
    line = charts.line_svg(
        _("Tren %(kind)s") % {"kind": panel.kind.label},
        [period.short_label for period in periods],
        [(s.label, [value for _label, value in s.points]) for s in series],
    )
    return {"bars": bars, "trend": _data_uri(line)}


@jobs.exporter("dashboard.pdf", allowed=may_read_scope, rows=_dashboard_rows)
def dashboard_pdf(job, out, progress) -> tuple[str, str]:
    """The dashboard as a report: each kind's figures in tables beside their charts, the trends, the follow-up."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 - heavy (cairo, fonts): loaded only when a PDF is made

    scope, panels, trends, follow_up = _dashboard_data(job.params, job.requested_by)
    total = len(panels) + 1
    sections = []
    for index, (panel, (_kind, periods, series)) in enumerate(zip(panels, trends, strict=True), start=1):
        sections.append(
            {
                "panel": panel,
                "figures": list(panel_figures(panel)),
                "charts": _panel_charts(panel, periods, series),
                "trend_rows": list(zip(periods, *[[v for _l, v in s.points] for s in series], strict=True)),
            }
        )
        progress(index, total)
    follow_up_chart = None
    if any(figure.value for figure in follow_up.figures[1:]):
        follow_up_chart = _data_uri(
            charts.bar_svg(
                follow_up.title, [f.label for f in follow_up.figures[1:]], [f.value for f in follow_up.figures[1:]]
            )
        )
    context = {
        "scope": scope,
        "sections": sections,
        "follow_up": follow_up,
        "follow_up_chart": follow_up_chart,
        "generated": timezone.localtime(),
        "hidden": HIDDEN,
    }
    with override("id"):
        html = render_to_string("evaluasi/report_pdf.html", context)
        stylesheet = CSS(string=render_to_string("evaluasi/report_pdf.css"))
    # No base_url: the charts are data: URIs and nothing else is loaded, so nothing can be fetched.
    out.write(HTML(string=html).write_pdf(stylesheets=[stylesheet]))
    progress(total, total)
    return f"laporan-statistik-{_scope_slug(scope)}.pdf", PDF


# ---------------------------------------------------------------------------------------------------------
# The cases behind a figure, or of a whole period


def case_columns() -> list[Column]:
    return [
        Column(_("Nomor"), name="reference"),
        Column(_("Jenis"), name="kind"),
        Column(_("Unit"), name="unit"),
        Column(_("Status"), name="status"),
        Column(_("Diterima"), DATE, name="received"),
        Column(_("Ditutup"), DATE, name="closed"),
        Column(_("Melewati batas waktu"), name="overdue"),
    ]


def _link(params: dict) -> dict:
    link = params.get("link") or {"all": 1}
    if not isinstance(link, dict):
        raise ValueError("link")
    return link


def case_querysets(user, params: dict) -> list[tuple[registry.CaseKind, object]]:
    """Per kind, the cases the export lists: the figure's (``cases_behind``), of those the user may see."""
    scope = scope_of(params, user)
    link = _link(params)
    found = []
    for kind in _kinds(params):
        cases = statistics.cases_behind(kind, scope, link)
        found.append((kind, policy.visible_cases(user, cases)))
    return found


def may_list_cases(user, params: dict) -> bool:
    if not may_read_scope(user, params):
        return False
    try:
        case_querysets(user, params)
    except ValueError:
        return False
    return True


def case_rows(kind: registry.CaseKind, cases, today: dt.date) -> Iterator[list]:
    """The kind's cases as rows, read as plain values in chunks (no model objects: 100,000 rows stay cheap).
    Labels are translated once, not once per row (a lazy string is translated every time it is read)."""
    received_on = statistics._received_on(kind)
    statuses = {code: str(label) for code, label in kind.status_labels}
    final = kind.final_states
    label = str(kind.label)
    yes, no = _("Ya"), _("Tidak")
    zone = timezone.get_current_timezone()

    def local_date(value):
        if isinstance(value, dt.datetime):
            return value.astimezone(zone).date()
        return value

    rows = (
        cases.order_by(received_on, "pk")
        .values_list("reference", "unit__code", "status", received_on, "closed_at", "due_date")
        .iterator(chunk_size=CHUNK)
    )
    for reference, unit, status, received, closed, due in rows:
        overdue = status not in final and due is not None and due < today
        yield [
            reference,
            label,
            unit,
            statuses.get(status, status),
            local_date(received),
            None if closed is None else closed.astimezone(zone).date(),
            yes if overdue else no,
        ]


def _count_cases(user, params: dict) -> int:
    return sum(cases.count() for _kind, cases in case_querysets(user, params))


def write_table(out, fmt: str, columns, rows: Iterable, *, total: int, progress, sheet: str, title_rows) -> int:
    """Rows into an XLSX sheet (constant memory) or a CSV, with progress every CHUNK rows."""
    if fmt == "csv":
        count = csv_write(out, columns, rows, every=CHUNK, progress=lambda n: progress(n, total))
    else:
        book = XlsxBook(out)
        table = book.sheet(sheet, columns, title_rows=title_rows)
        count = 0
        for values in rows:
            table.write(values)
            count += 1
            if count % CHUNK == 0:
                progress(count, total)
        table.row += 1  # a blank line between the table and its count, as under a totals row
        table.note(_("Jumlah baris"), count)
        book.close()
    progress(count, max(total, count))
    return count


def _write_cases(job, out, progress, fmt: str) -> tuple[str, str]:
    user, params = job.requested_by, job.params
    scope = scope_of(params, user)
    querysets = case_querysets(user, params)
    total = sum(cases.count() for _kind, cases in querysets)
    progress(0, total)
    today = workdays.today()

    def rows() -> Iterator[list]:
        for kind, cases in querysets:
            yield from case_rows(kind, cases, today)

    write_table(
        out,
        fmt,
        case_columns(),
        rows(),
        total=total,
        progress=progress,
        sheet=_("Kasus"),
        title_rows=_title_rows(job.title or _("Daftar kasus"), scope),
    )
    kind = slugify(params.get("kind") or "semua")
    return f"kasus-{kind}-{_scope_slug(scope)}.{fmt}", XLSX if fmt == "xlsx" else CSV


@jobs.exporter("cases.xlsx", allowed=may_list_cases, rows=_count_cases)
def cases_xlsx(job, out, progress) -> tuple[str, str]:
    return _write_cases(job, out, progress, "xlsx")


@jobs.exporter("cases.csv", allowed=may_list_cases, rows=_count_cases)
def cases_csv(job, out, progress) -> tuple[str, str]:
    return _write_cases(job, out, progress, "csv")


# ---------------------------------------------------------------------------------------------------------
# The audit log of a case, or of the cases of a scope in a period


def audit_columns(with_case: bool) -> list[Column]:
    columns = [
        Column(_("Urutan"), NUMBER, name="seq"),
        Column(_("Waktu"), DATETIME, name="time"),
        Column(_("Tindakan"), name="action"),
        Column(_("Oleh"), name="actor"),
        Column(_("Dari status"), name="from_status"),
        Column(_("Ke status"), name="to_status"),
        Column(_("Hash sebelumnya"), TEXT, name="prev_hash", width=66),
        Column(_("Hash"), TEXT, name="hash", width=66),
    ]
    if with_case:
        columns = [Column(_("Nomor"), name="reference"), Column(_("Jenis"), name="kind"), *columns]
    return columns


def audit_case(user, params: dict) -> Case | None:
    """The case whose log `params` names, if the user may see it."""
    if not params.get("case"):
        return None
    try:
        return policy.visible_cases(user).filter(uuid=params["case"]).first()
    except Exception:  # a forged uuid
        return None


def may_export_audit(user, params: dict) -> bool:
    """The inspectorate only (auditors' material), and only cases they can see."""
    if not access.is_inspector(user):
        return False
    if params.get("case"):
        return audit_case(user, params) is not None
    return may_read_scope(user, params)


def _events_of_scope(user, params: dict):
    scope = scope_of(params, user)
    cases = policy.visible_cases(user, Case.objects.all())
    if scope.unit_ids is not None:
        cases = cases.filter(unit_id__in=scope.unit_ids)
    start = statistics._day_start(scope.period.start)
    end = statistics._day_start(scope.period.end + dt.timedelta(days=1))
    return scope, CaseEvent.objects.filter(case__in=cases.values("pk"), created_at__gte=start, created_at__lt=end)


def _audit_events(user, params: dict):
    case = audit_case(user, params)
    if case is not None:
        return None, case, CaseEvent.objects.filter(case_id=case.pk)
    scope, events = _events_of_scope(user, params)
    return scope, None, events


def _count_events(user, params: dict) -> int:
    return _audit_events(user, params)[2].count()


def audit_rows(events, with_case: bool) -> Iterator[list]:
    """Events as rows: the action and statuses in words, the actor's username; never the data payload."""
    labels: dict[str, dict] = {}

    def status(kind: str, code: str) -> str:
        if not code:
            return ""
        if kind not in labels:
            try:
                labels[kind] = {key: str(label) for key, label in registry.get(kind).status_labels}
            except LookupError:
                labels[kind] = {}
        return labels[kind].get(code, code)

    rows = (
        events.order_by("case_id", "seq")
        .values_list(
            "case__reference",
            "case__kind",
            "seq",
            "created_at",
            "action",
            "actor__username",
            "from_status",
            "to_status",
            "prev_hash",
            "hash",
        )
        .iterator(chunk_size=CHUNK)
    )
    kinds = {kind.code: kind.label for kind in registry.all_kinds()}
    for reference, kind, seq, at, action, actor, from_status, to_status, prev_hash, digest in rows:
        row = [
            seq,
            at,
            audit.action_label(action),
            actor or "—",
            status(kind, from_status),
            status(kind, to_status),
            prev_hash,
            digest,
        ]
        yield [reference, kinds.get(kind, kind), *row] if with_case else row


def _write_audit(job, out, progress, fmt: str) -> tuple[str, str]:
    user, params = job.requested_by, job.params
    scope, case, events = _audit_events(user, params)
    total = events.count()
    progress(0, total)
    if case is not None:
        title_rows = [
            [_("Log audit kasus %(reference)s") % {"reference": case.reference}],
            [_("Dibuat"), timezone.localtime()],
        ]
        name = f"log-audit-{slugify(case.reference)}.{fmt}"
    else:
        title_rows = _title_rows(_("Log audit kasus"), scope)
        name = f"log-audit-{_scope_slug(scope)}.{fmt}"
    with_case = case is None
    write_table(
        out,
        fmt,
        audit_columns(with_case),
        audit_rows(events, with_case),
        total=total,
        progress=progress,
        sheet=_("Log audit"),
        title_rows=title_rows,
    )
    return name, XLSX if fmt == "xlsx" else CSV


def _record_case_export(job) -> None:
    """One ``exported`` event on the case whose log was exported (none per row, none for a period's log: the
    ExportJob row is that export's record)."""
    case = audit_case(job.requested_by, job.params)
    if case is not None:
        audit.record(case, "exported", job.requested_by, data={"format": job.what, "export": str(job.uuid)})


@jobs.exporter("audit.xlsx", allowed=may_export_audit, rows=_count_events, done=_record_case_export)
def audit_xlsx(job, out, progress) -> tuple[str, str]:
    return _write_audit(job, out, progress, "xlsx")


@jobs.exporter("audit.csv", allowed=may_export_audit, rows=_count_events, done=_record_case_export)
def audit_csv(job, out, progress) -> tuple[str, str]:
    return _write_audit(job, out, progress, "csv")


TITLES = {
    "dashboard.xlsx": gettext_lazy("Statistik (XLSX)"),
    "dashboard.csv": gettext_lazy("Statistik (CSV)"),
    "dashboard.pdf": gettext_lazy("Laporan statistik (PDF)"),
    "cases.xlsx": gettext_lazy("Daftar kasus (XLSX)"),
    "cases.csv": gettext_lazy("Daftar kasus (CSV)"),
    "audit.xlsx": gettext_lazy("Log audit (XLSX)"),
    "audit.csv": gettext_lazy("Log audit (CSV)"),
}
