"""A survey's results as every output shows them (issue 13 "Results"): the officer's page, the public page, the
XLSX of anonymised responses and the PDF report.

All of them read one shape, the publication snapshot (survei.selectors.snapshot, kept in
Survey.published_result): the officer's outputs take a snapshot of now, the public page the one kept at
publication, so the two can never compute a result differently. `Report` turns that JSON back into numbers, and
re-derives the warnings from the stored coverage in the reader's language (the stored sentences are in the
publisher's).

The PDF and the XLSX result sheet of a published survey show the published snapshot (`document_report`); of any
other survey, the result now.

Nothing here names a respondent. The XLSX of responses (for the survey's officers and the inspectorate only)
lists its rows in the order of a keyed hash with a salt drawn for each export (not arrival order, and not the
same order twice), numbered 1, 2, 3… in that order (never the primary key); it carries the month served but not
the day received, not the integrity answer of a row (its counts are on the result sheet), no device tag, and
blanks the four bands of a row whose service and bands together are shared by fewer than 3 counted responses.
Comments are on a sheet of their own, shuffled by another salt, with the service only: nothing links a comment
to a row of answers. Band counts under 3 are hidden wherever the band table is shown
(evaluasi.statistics.suppress). Every XLSX cell goes through cases.exports (the formula-injection guard).
"""

import base64
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from cases.exports import DECIMAL, NUMBER, TEXT, Column, XlsxBook
from cases.registry import Figure
from evaluasi import jobs
from evaluasi.statistics import suppress
from survei import charts, scoring, selectors
from survei.models import AGE_BANDS, Answer, Education, Occupation, Sex, Survey, SurveyStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
# A band count from 1 to 2 could point at one respondent: shown as "<3" (as the WBS statistics do).
MIN_CELL = 3
HIDDEN = "<3"
CHUNK = 2000


def _number(value: Decimal) -> str:
    """Two decimals in the reader's notation (83,33 in Bahasa Indonesia, 83.33 in English)."""
    return number_format(value, decimal_pos=2, use_l10n=True)


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@dataclass(frozen=True)
class Line:
    """An item or a variable: its answers, its mean on the instrument's scale and its value (0–4 for the
    perception rules, the element's index = NRR × 25 for SKM)."""

    code: str
    label: str
    answered: int
    mean: Decimal | None
    value: Decimal | None
    distribution: dict[int, int] = field(default_factory=dict)
    # Answers at each value 1..scale, in order (the table beside the distribution chart); empty for variables.
    distribution_row: tuple[int, ...] = ()


@dataclass(frozen=True)
class Threshold:
    """One minimum a perception value is compared with (LKE ZI, PermenPANRB 90/2021)."""

    label: str
    minimum: Decimal
    minimum_score: Decimal | None  # minimum / 4 × the LKE weight (3.60 → 15.75 of 17.50)
    met: bool | None


@dataclass(frozen=True)
class Pressure:
    """The integrity question "did anyone pressure you to fill this in?": a yes undermines the result."""

    yes: int
    no: int
    unanswered: int

    @classmethod
    def of(cls, profile: dict[str, dict]) -> "Pressure":
        counts = profile.get("pressured") or {}
        return cls(counts.get(True, 0), counts.get(False, 0), counts.get(None, 0))

    @classmethod
    def of_snapshot(cls, snapshot: dict) -> "Pressure | None":
        """The counts a snapshot kept (None for one published before it kept them)."""
        counts = snapshot.get("integrity")
        if counts is None:
            return None
        return cls(int(counts.get("yes", 0)), int(counts.get("no", 0)), int(counts.get("unanswered", 0)))


@dataclass(frozen=True)
class SetAside:
    """The responses officers left out of the result: how many and why (the reasons as written, with their
    counts; never which responses)."""

    count: int
    reasons: list[tuple[str, int]]

    @classmethod
    def of_snapshot(cls, snapshot: dict) -> "SetAside | None":
        kept = snapshot.get("set_aside")
        if kept is None:
            return None
        return cls(int(kept.get("count", 0)), [(row["reason"], int(row["n"])) for row in kept.get("reasons") or []])

    @property
    def summary(self) -> str:
        """The line the pages show: “3 jawaban dikeluarkan dari hasil: alasan Banjir (2), Uji (1).”"""
        reasons = ", ".join(f"{reason} ({n})" for reason, n in self.reasons)
        return ngettext(
            "%(n)d jawaban dikeluarkan dari hasil: alasan %(reasons)s.",
            "%(n)d jawaban dikeluarkan dari hasil: alasan %(reasons)s.",
            self.count,
        ) % {"n": self.count, "reasons": reasons}


@dataclass
class Report:
    """A snapshot's result as numbers again (Decimals, not the JSON's strings), with what every output derives
    from it: the SKM interval, the thresholds as LKE scores, the chart's lines, the "computed with" line, and
    the warnings in the reader's language."""

    instrument: dict
    rule: dict
    method: str
    params: dict
    scale: int
    respondents: int
    items: list[Line]
    variables: list[Line]
    mean: Decimal | None
    value: Decimal | None
    index: Decimal | None
    grade: str
    grade_label: str
    lke_score: Decimal | None
    lke_weight: Decimal | None
    thresholds: list[Threshold]
    coverage: list[scoring.Coverage]
    warnings: list[str]
    # The integrity question's counts and the responses set aside, as the snapshot kept them (None in a snapshot
    # published before they were kept).
    integrity: Pressure | None = None
    set_aside: SetAside | None = None

    @property
    def is_skm(self) -> bool:
        return self.method == "skm"

    @property
    def target(self) -> int:
        return sum(row.target for row in self.coverage)

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        """The SKM interval the index falls in, as the regulation's table prints it (76,61 – 88,30)."""
        if self.index is None:
            return None
        return next(((low, high) for low, high, _grade, _label in self.intervals if self.index >= low), None)

    @property
    def intervals(self) -> list[tuple[Decimal, Decimal, str, str]]:
        """The rule's whole interval table (low, high, grade, label), highest first."""
        rows, top = [], Decimal(str(self.params.get("multiplier", 25))) * self.scale
        for bound, grade, label in self.params.get("intervals") or []:
            bound = Decimal(str(bound))
            rows.append((bound, top, str(grade), str(label)))
            top = bound - Decimal("0.01")
        return rows

    @property
    def chart_top(self) -> float:
        return float(Decimal(str(self.params.get("multiplier", 25))) * self.scale) if self.is_skm else 4.0

    def chart_lines(self) -> list[tuple[str, Decimal]]:
        """The lines the variables chart draws: the grades' lower bounds (SKM) or the WBK/WBBM minimums."""
        if self.is_skm:
            return [(_("Mutu %(grade)s") % {"grade": grade}, low) for low, _high, grade, _label in self.intervals[:-1]]
        return [(threshold.label, threshold.minimum) for threshold in self.thresholds]

    @property
    def produced_by(self) -> str:
        return _("Dihitung dengan aturan %(rule)s v%(rule_version)s, instrumen %(instrument)s v%(version)s.") % {
            "rule": self.rule.get("name", ""),
            "rule_version": self.rule.get("version", ""),
            "instrument": self.instrument.get("name", ""),
            "version": self.instrument.get("version", ""),
        }

    @property
    def headline(self) -> str:
        """The one figure a list shows: "IKM 82,50 (B)" or "Nilai 3,45"."""
        if self.is_skm:
            if self.index is None:
                return "–"
            return _("IKM %(index)s (mutu %(grade)s)") % {"index": _number(self.index), "grade": self.grade}
        if self.value is None:
            return "–"
        return _("Nilai %(value)s dari 4") % {"value": _number(self.value)}

    @classmethod
    def of(cls, snapshot: dict) -> "Report":
        """The report of a snapshot (selectors.snapshot, or Survey.published_result)."""
        result = snapshot["result"]
        rule = result.get("rule") or {}
        limits = result.get("thresholds") or {}
        weight = _decimal(limits.get("lke_weight"))
        value = _decimal(result.get("value"))

        scale = int(result.get("scale") or 0)

        def line(score: dict, counted: bool = False) -> Line:
            distribution = {int(key): int(n) for key, n in (score.get("distribution") or {}).items()}
            return Line(
                score["code"],
                score["label"],
                int(score.get("answered") or 0),
                _decimal(score.get("mean")),
                _decimal(score.get("value")),
                distribution,
                tuple(distribution.get(value, 0) for value in range(1, scale + 1)) if counted else (),
            )

        thresholds = []
        for label, key, met_key in (("WBK", "minimum_wbk", "meets_wbk"), ("WBBM", "minimum_wbbm", "meets_wbbm")):
            minimum = _decimal(limits.get(key))
            if minimum is None or rule.get("method") == "skm":
                continue
            score = None if weight is None else scoring.rounded(minimum / scoring.FOUR * weight)
            thresholds.append(Threshold(label, minimum, score, result.get(met_key)))
        coverage = [
            scoring.Coverage(row["name"], row["population"], int(row["target"]), int(row["responses"]))
            for row in snapshot.get("coverage") or []
        ]
        respondents = int(result.get("respondents") or 0)
        integrity = Pressure.of_snapshot(snapshot)
        return cls(
            instrument=snapshot.get("instrument") or {},
            rule=snapshot.get("rule") or {},
            method=rule.get("method", ""),
            params=rule.get("params") or {},
            scale=scale,
            respondents=respondents,
            items=[line(score, counted=True) for score in result.get("items") or []],
            variables=[line(score) for score in result.get("variables") or []],
            mean=_decimal(result.get("mean")),
            value=value,
            index=_decimal(result.get("index")),
            grade=result.get("grade") or "",
            grade_label=result.get("grade_label") or "",
            lke_score=_decimal(result.get("lke_score")),
            lke_weight=weight,
            thresholds=thresholds,
            coverage=coverage,
            # In the reader's language, from the numbers kept (the stored sentences are in the publisher's).
            warnings=scoring.warnings(respondents, coverage, pressured=integrity.yes if integrity else 0),
            integrity=integrity,
            set_aside=SetAside.of_snapshot(snapshot),
        )


def live_report(survey: Survey) -> Report:
    """The survey's report now (the officer's page, XLSX and PDF): a snapshot of this moment."""
    return Report.of(selectors.snapshot(survey))


def published_report(survey: Survey) -> Report | None:
    return Report.of(survey.published_result) if survey.published_result else None


def document_report(survey: Survey) -> Report:
    """The report the PDF and the XLSX result sheet show: a published survey's as published (its numbers and the
    thresholds of that day: a later change of Instrument.minimum_wbk does not rewrite a published verdict), any
    other survey's now."""
    if survey.status == SurveyStatus.PUBLISHED and survey.published_result:
        return Report.of(survey.published_result)
    return live_report(survey)


# ---------------------------------------------------------------------------------------------------------
# Respondents' profile


@dataclass(frozen=True)
class BandRow:
    label: str
    shown: int | str  # the count, or "<3"


@dataclass(frozen=True)
class BandGroup:
    code: str
    title: str
    rows: list[BandRow]


def _bands() -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        ("age_band", _("Usia"), list(AGE_BANDS)),
        ("sex", _("Jenis kelamin"), list(Sex.choices)),
        ("education", _("Pendidikan"), list(Education.choices)),
        ("occupation", _("Pekerjaan"), list(Occupation.choices)),
    ]


def profile_groups(profile: dict[str, dict]) -> list[BandGroup]:
    """Each band's counts with those under 3 hidden, and a second cell hidden when one alone could be worked
    out from the total (evaluasi.statistics.suppress). "Tidak diisi" is a cell like any other."""
    groups = []
    for code, title, choices in _bands():
        counts = profile.get(code) or {}
        figures = [Figure(value, str(label), counts.get(value, 0)) for value, label in choices]
        figures.append(Figure("", _("Tidak diisi"), counts.get("", 0) + counts.get(None, 0)))
        rows = [
            BandRow(figure.label, HIDDEN if figure.suppressed else figure.value)
            for figure in suppress(figures, MIN_CELL)
        ]
        groups.append(BandGroup(code, title, rows))
    return groups


# ---------------------------------------------------------------------------------------------------------
# Charts


def variables_chart(report: Report) -> str:
    if report.is_skm:
        title = _("Nilai per unsur (NRR × 25)")
    else:
        title = _("Nilai per variabel (0–4) dan nilai minimum")
    return charts.variables_svg(
        title,
        [f"{line.code} {line.label}" for line in report.variables],
        [line.value for line in report.variables],
        top=report.chart_top,
        lines=report.chart_lines(),
    )


def distribution_chart(report: Report) -> str:
    return charts.distribution_svg(
        _("Sebaran jawaban per butir"),
        [line.code for line in report.items],
        [line.distribution for line in report.items],
        report.scale,
    )


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


# ---------------------------------------------------------------------------------------------------------
# XLSX of anonymised responses


def filename(survey: Survey, stem: str, extension: str) -> str:
    return f"{stem}-{slugify(survey.unit.code)}-{survey.period_start:%Y%m%d}.{extension}"


BAND_FIELDS = ("age_band", "sex", "education", "occupation")


def _shuffled(pks, salt: str) -> list[int]:
    """`pks` in the order of a keyed hash with `salt` (survei.selectors.keyed_order): an order nobody can tie to
    arrival, different with each salt."""
    return sorted(pks, key=selectors.keyed_order(salt))


def _rare_combinations(survey: Survey) -> set[tuple]:
    """The (service, age, sex, education, occupation) combinations fewer than MIN_CELL counted responses share:
    a row with one of them could be told apart by someone who knows who came that month, so its bands are blank."""
    fields = ("service_id", *BAND_FIELDS)
    rows = selectors.counted_responses(survey).values_list(*fields).annotate(n=Count("pk")).order_by()
    return {tuple(combination) for *combination, n in rows if n < MIN_CELL}


def _response_rows(survey: Survey, item_ids: list[int]):
    """The counted responses as rows in a shuffled order (`_shuffled`, a salt of this export), numbered from 1 in
    that order, 2,000 at a time (the responses and answers of a batch in two queries)."""
    ages, sexes = dict(AGE_BANDS), dict(Sex.choices)
    educations, occupations = dict(Education.choices), dict(Occupation.choices)
    position = {item_id: index for index, item_id in enumerate(item_ids)}
    responses = selectors.counted_responses(survey)
    order = _shuffled(responses.values_list("pk", flat=True), get_random_string(32))
    rare = _rare_combinations(survey)
    fields = ("pk", "service_id", "service__name", "served_month", *BAND_FIELDS)
    sequence = 0
    for start in range(0, len(order), CHUNK):
        chunk = order[start : start + CHUNK]
        found = {row[0]: row for row in responses.filter(pk__in=chunk).values_list(*fields)}
        answers: dict[int, list] = {}
        rows = Answer.objects.filter(response_id__in=chunk).values_list("response_id", "item_id", "value")
        for response_id, item_id, value in rows:
            if item_id in position:
                answers.setdefault(response_id, [None] * len(item_ids))[position[item_id]] = value
        for pk in chunk:
            if pk not in found:  # set aside between the two reads
                continue
            _pk, service_id, service, served, age, sex, education, occupation = found[pk]
            sequence += 1
            if (service_id, age, sex, education, occupation) in rare:
                bands = ["", "", "", ""]
            else:
                bands = [
                    str(ages.get(age, age)),
                    str(sexes.get(sex, sex)),
                    str(educations.get(education, education)),
                    str(occupations.get(occupation, occupation)),
                ]
            yield [
                sequence,
                service,
                served.strftime("%Y-%m") if served else "",
                *bands,
                *(answers.get(pk) or [None] * len(item_ids)),
            ]


def _comment_rows(survey: Survey):
    """The comments of the counted responses as (service, text), shuffled by a salt of their own (not the rows'
    salt, so a comment's place says nothing about its row of answers)."""
    written = selectors.counted_responses(survey).exclude(comment="")
    order = _shuffled(written.values_list("pk", flat=True), get_random_string(32))
    for start in range(0, len(order), CHUNK):
        chunk = order[start : start + CHUNK]
        found = {
            pk: (service, text)
            for pk, service, text in written.filter(pk__in=chunk).values_list("pk", "service__name", "comment")
        }
        for pk in chunk:
            if pk in found:
                yield list(found[pk])


def responses_xlsx(survey: Survey) -> bytes:
    """Sheet 1: one row per counted response (no primary key, no day, no device tag, no integrity answer, bands
    blank where rare), shuffled; sheet 2: the comments, shuffled apart; sheet 3: the result per item, variable and
    overall, with the rule and instrument version that produced it (as published, once published)."""
    report = document_report(survey)
    items = list(survey.instrument_version.items())
    item_ids, item_codes = [item.pk for item in items], [item.code for item in items]
    columns = [
        Column(_("No."), NUMBER, name="seq"),
        Column(_("Layanan"), name="service"),
        Column(_("Bulan menerima layanan"), name="served_month"),
        Column(_("Usia"), name="age"),
        Column(_("Jenis kelamin"), name="sex"),
        Column(_("Pendidikan"), name="education"),
        Column(_("Pekerjaan"), name="occupation"),
        *(Column(code, NUMBER, name=f"item:{code}") for code in item_codes),
    ]
    title = [
        [survey.title],
        [survey.unit.name, survey.period_start, survey.period_end],
        [report.produced_by],
        [_("Dibuat"), timezone.localtime()],
    ]
    book = XlsxBook()
    sheet = book.sheet(_("Jawaban"), columns, title_rows=title)
    for values in _response_rows(survey, item_ids):
        sheet.write(values)
    sheet.row += 1
    sheet.note(_("Jumlah jawaban dihitung"), sheet.count)
    sheet.note(
        _(
            "Urutan baris diacak (bukan urutan masuk). Usia, jenis kelamin, pendidikan dan pekerjaan dikosongkan "
            "pada baris yang kombinasi layanan dan isiannya dimiliki kurang dari %(n)d responden."
        )
        % {"n": MIN_CELL}
    )

    comment_columns = [
        Column(_("Layanan"), name="service"),
        Column(_("Saran / komentar"), TEXT, name="comment", width=60),
    ]
    sheet = book.sheet(_("Komentar"), comment_columns, title_rows=title)
    for values in _comment_rows(survey):
        sheet.write(values)
    sheet.row += 1
    sheet.note(_("Urutan komentar diacak dan tidak berkaitan dengan urutan lembar Jawaban."))

    result_columns = [
        Column(_("Tingkat"), name="level"),
        Column(_("Kode"), name="code"),
        Column(_("Uraian"), name="label", width=60),
        Column(_("Jumlah jawaban"), NUMBER, name="answered"),
        Column(_("Rata-rata (skala 1–%(n)d)") % {"n": report.scale}, DECIMAL, name="mean"),
        Column(_("Nilai unsur (NRR × 25)") if report.is_skm else _("Nilai (0–4)"), DECIMAL, name="value"),
    ]
    sheet = book.sheet(_("Hasil"), result_columns, title_rows=title)
    variable_level = _("Unsur") if report.is_skm else _("Variabel")
    for level, lines in ((_("Butir"), report.items), (variable_level, report.variables)):
        for line in lines:
            sheet.write([level, line.code, line.label, line.answered, line.mean, line.value])
    overall = report.index if report.is_skm else report.value
    sheet.write([_("Keseluruhan"), "", _("Seluruh instrumen"), report.respondents, report.mean, overall])
    sheet.row += 1
    if report.is_skm:
        sheet.note(_("Indeks Kepuasan Masyarakat (IKM)"), report.index)
        sheet.note(_("Mutu pelayanan"), report.grade, report.grade_label)
    else:
        sheet.note(_("Nilai (0–4)"), report.value)
        if report.lke_score is not None:
            sheet.note(_("Skor LKE"), report.lke_score, _("dari bobot"), report.lke_weight)
        for threshold in report.thresholds:
            met = {True: _("memenuhi"), False: _("belum memenuhi"), None: ""}[threshold.met]
            sheet.note(_("Minimum %(label)s") % {"label": threshold.label}, threshold.minimum, met)
    sheet.note(_("Responden dihitung"), report.respondents)
    if report.integrity is not None:
        sheet.note(_("Ada yang menekan untuk mengisi: ya"), report.integrity.yes)
        sheet.note(_("Ada yang menekan untuk mengisi: tidak"), report.integrity.no)
        sheet.note(_("Ada yang menekan untuk mengisi: tidak dijawab"), report.integrity.unanswered)
    if report.set_aside is not None:
        sheet.note(_("Jawaban dikeluarkan dari hasil"), report.set_aside.count)
        for reason, n in report.set_aside.reasons:
            sheet.note(_("Alasan dikeluarkan"), reason, n)
    for warning in report.warnings:
        sheet.note(_("Peringatan"), warning)
    return book.close()


# ---------------------------------------------------------------------------------------------------------
# PDF report


def report_context(survey: Survey) -> dict:
    """What the PDF report shows, in the usual order of a survey report (I Pendahuluan … VI Rencana tindak
    lanjut). Built under the caller's language (the PDF is made under Bahasa Indonesia)."""
    report = document_report(survey)
    profile = selectors.respondent_profile(survey)
    return {
        "survey": survey,
        "report": report,
        "instrument": survey.instrument_version.instrument,
        "version": survey.instrument_version,
        "rule": survey.rule,
        "bands": profile_groups(profile),
        "pressure": report.integrity or Pressure.of(profile),
        "published": survey.status == SurveyStatus.PUBLISHED and bool(survey.published_result),
        "variables_chart": data_uri(variables_chart(report)),
        "distribution_chart": data_uri(distribution_chart(report)),
        "values": list(range(1, report.scale + 1)),
        "recommendations": list(survey.recommendations.select_related("owner").order_by("issued_on", "pk")),
        "minimum": scoring.MINIMUM_RESPONDENTS,
        "generated": timezone.localtime(),
    }


def report_pdf(survey: Survey) -> bytes:
    """The survey report as a PDF (WeasyPrint), always in Bahasa Indonesia like every document of the instansi."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 - heavy (cairo, fonts): loaded only when a PDF is made

    with override("id"):
        context = report_context(survey)
        html = render_to_string("survei/report_pdf.html", context)
        stylesheet = CSS(string=render_to_string("survei/report_pdf.css"))
    # No base_url: the charts are data: URIs and nothing else is loaded, so nothing can be fetched.
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


# ---------------------------------------------------------------------------------------------------------
# Both files go through evaluasi.jobs like every export: one ExportJob row per download is its audit record (who,
# which survey, when), and "Ekspor saya" lists it. They are made in the request (jobs.make_now).


def _survey_of(user, params: dict) -> Survey | None:
    return selectors.readable_surveys(user).filter(uuid=params.get("survey")).first()


def _may_download_responses(user, params: dict) -> bool:
    survey = _survey_of(user, params)
    return survey is not None and selectors.may_download_responses(user, survey)


@jobs.exporter("survei.responses", allowed=_may_download_responses)
def _write_responses(job, out, progress) -> tuple[str, str]:
    survey = _survey_of(job.requested_by, job.params)
    out.write(responses_xlsx(survey))
    return filename(survey, "jawaban-survei", "xlsx"), XLSX


@jobs.exporter("survei.report", allowed=lambda user, params: _survey_of(user, params) is not None)
def _write_report(job, out, progress) -> tuple[str, str]:
    survey = _survey_of(job.requested_by, job.params)
    out.write(report_pdf(survey))
    return filename(survey, "laporan-survei", "pdf"), PDF


def download(user, survey: Survey, what: str) -> tuple[bytes, str, str]:
    """The file `what` ("survei.responses", "survei.report") of `survey` for `user`, recorded as one export:
    (bytes, content type, file name)."""
    job, data = jobs.make_now(user, what, {"survey": str(survey.uuid)}, f"{survey.title} ({survey.unit.code})")
    return data, job.content_type, job.filename
