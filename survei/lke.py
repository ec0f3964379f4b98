"""The LKE questions SIGAP's surveys answer (evaluasi migration 0006), as suggestion rules of evaluasi.lke,
registered by importing this module in SurveiConfig.ready(). Each returns an evaluasi.lke.Suggestion with its
basis, as every rule does; an inspector confirms it or overrides it with a note.

Definitions (stated in every basis too):

- **IPAK / IPKP value** (``survei.ipak``, ``survei.ipkp``): the value on 0–4 of the worksheet unit's latest
  *published* survey of that kind whose period ends in the worksheet's period — the publication snapshot, the
  figure the public read, never a live count. The question is a percentage question (value ÷ 4 × 100), so the
  worksheet's score is the LKE's value ÷ 4 × weight. No published survey, or one without a value: no suggestion.
- **SKM surveys of the year**: the SKM surveys of the worksheet's unit itself (not the units below it: each
  unit's service is surveyed and scored on its own worksheet, so four sub-units with one SKM each do not make
  their parent's SKM regular), *published*, with at least scoring.MINIMUM_RESPONDENTS (30) responses counted in
  the publication snapshot, whose period ends in the calendar year the worksheet's period ends in. A survey
  closed without publishing, or published with fewer respondents, produced no result the LKE can credit.
- **SKM berkala** (``survei.skm_berkala``): the LKE's best answer is at least four a year. A finished year:
  berkala with at least 4. A running year: berkala with at least one per quarter already over, and at least
  one. Tidak berkala when fewer but some; belum when none once a quarter is over; no suggestion before that
  with none.
- **SKM diumumkan** (``survei.skm_diumumkan``): Ya when there is at least one (its result page is public);
  Tidak when there is none and a quarter of the year is over; no suggestion before that.
- **SKM ditindaklanjuti** (``survei.skm_tindak_lanjut``): over the recommendations on those surveys due by the
  period's end (or today, if earlier) or already begun, as evaluasi.lke.evaluation_follow_up counts an
  evaluation's: semua when each is sesuai/selesai or accepted as tidak dapat ditindaklanjuti; sebagian when some
  are settled or in process; belum when none is, or when surveys were held but no recommendation was given on
  their results. No such survey: belum once a quarter is over.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from evaluasi.lke import HALF, ONE, ZERO, Suggestion, WorksheetScope, rule
from evaluasi.models import FollowUp, Recommendation
from evaluasi.periods import Period
from survei.evaluation import MODULE, detail_href, public_result_href
from survei.models import InstrumentKind, Survey, SurveyStatus
from survei.scoring import MINIMUM_RESPONDENTS

FOUR = Decimal(4)
HUNDRED = Decimal(100)
SKM_BEST = 4  # surveys a year (REFERENCE "Surveys": the LKE scores ≥ 4 a year best)


def _count(label: str, value) -> dict:
    return {"label": label, "value": value}


def _basis(text: str, counts: list[dict], links: list[dict]) -> dict:
    return {"rule": text, "counts": counts, "links": links}


def _survey_links(survey: Survey) -> list[dict]:
    links = []
    public = public_result_href(survey) if survey.status == SurveyStatus.PUBLISHED else ""
    if public:
        links.append({"label": _("Hasil yang diumumkan: %(title)s") % {"title": survey.title}, "url": public})
    detail = detail_href(survey)
    if detail:
        links.append({"label": _("Halaman survei: %(title)s") % {"title": survey.title}, "url": detail})
    return links


# ---------------------------------------------------------------------------------------------------------
# IPAK and IPKP


def latest_published(kind: str, ws: WorksheetScope) -> Survey | None:
    return (
        Survey.objects.select_related("unit", "instrument_version__instrument", "rule")
        .filter(
            unit=ws.unit,
            status=SurveyStatus.PUBLISHED,
            instrument_version__instrument__kind=kind,
            period_end__gte=ws.period.start,
            period_end__lte=ws.period.end,
        )
        .order_by("-period_end", "-published_at", "-pk")
        .first()
    )


def perception_value(kind: str, ws: WorksheetScope) -> Suggestion:
    label_kind = dict(InstrumentKind.choices)[kind]
    text = _(
        "Nilai 0–4 dari %(kind)s terakhir unit ini yang hasilnya diumumkan dan periodenya berakhir dalam periode "
        "lembar kerja, sebagaimana diumumkan (bukan hitungan saat ini); dijawab sebagai persentase = nilai ÷ 4 × "
        "100, sehingga skor = nilai ÷ 4 × bobot. Tanpa survei yang diumumkan: tidak ada saran."
    ) % {"kind": label_kind}
    survey = latest_published(kind, ws)
    if survey is None:
        return Suggestion(None, "", _basis(text, [_count(_("Survei yang diumumkan dalam periode"), 0)], []))
    snapshot = survey.published_result or {}
    result = snapshot.get("result") or {}
    instrument, scoring_rule = snapshot.get("instrument") or {}, snapshot.get("rule") or {}
    thresholds = result.get("thresholds") or {}
    raw = result.get("value")
    value = None if raw in (None, "") else Decimal(str(raw))
    percent = None if value is None else (value / FOUR * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    counts = [
        _count(_("Survei"), survey.title),
        _count(_("Periode survei"), f"{survey.period_start:%d-%m-%Y} – {survey.period_end:%d-%m-%Y}"),
        _count(_("Instrumen"), f"{instrument.get('name', '')} v{instrument.get('version', '')}"),
        _count(_("Aturan skor"), f"{scoring_rule.get('name', '')} v{scoring_rule.get('version', '')}"),
        _count(_("Responden"), int(result.get("respondents") or 0)),
        _count(_("Nilai (0–4)"), "—" if value is None else number_format(value, 2)),
    ]
    for key, label in (("minimum_wbk", _("Nilai minimum WBK")), ("minimum_wbbm", _("Nilai minimum WBBM"))):
        if thresholds.get(key) not in (None, ""):
            counts.append(_count(label, number_format(Decimal(str(thresholds[key])), 2)))
    counts += [_count(_("Catatan hasil"), warning) for warning in snapshot.get("warnings") or []]
    respondents = int(result.get("respondents") or 0)
    if respondents < MINIMUM_RESPONDENTS:
        # Published with the confirmation, but the app's own rule says it is not yet a survey value (REFERENCE:
        # at least 30 respondents): shown as the basis, never proposed as the LKE answer.
        counts.append(_count(_("Tidak ada saran"), _("responden di bawah minimum %(n)d") % {"n": MINIMUM_RESPONDENTS}))
        return Suggestion(None, "", _basis(text, counts, _survey_links(survey)))
    # As the office writes numbers (3,73 and 93,25 % in Indonesian).
    label = "" if value is None else f"{number_format(value, 2)} ({number_format(percent.normalize())}%)"
    return Suggestion(percent, label, _basis(text, counts, _survey_links(survey)))


rule("survei.ipak")(lambda ws: perception_value(InstrumentKind.IPAK, ws))
rule("survei.ipkp")(lambda ws: perception_value(InstrumentKind.IPKP, ws))


# ---------------------------------------------------------------------------------------------------------
# SKM


def skm_year(ws: WorksheetScope) -> Period:
    return Period.containing("year", ws.period.end)


def published_respondents(survey: Survey) -> int:
    """The responses counted in the publication snapshot: the figure the public read."""
    result = (survey.published_result or {}).get("result") or {}
    try:
        return int(result.get("respondents") or 0)
    except (TypeError, ValueError):
        return 0


def _published_skm(ws: WorksheetScope):
    year = skm_year(ws)
    return (
        Survey.objects.select_related("unit")
        .filter(
            unit=ws.unit,
            status=SurveyStatus.PUBLISHED,
            instrument_version__instrument__kind=InstrumentKind.SKM,
            period_end__gte=year.start,
            period_end__lte=year.end,
        )
        .order_by("period_end", "pk")
    )


def skm_surveys(ws: WorksheetScope) -> tuple[list[Survey], int]:
    """The SKM surveys of the year (module docstring), oldest first, and how many of the unit's SKM of the year
    were published with fewer than the minimum respondents (shown in the basis, not counted)."""
    published = list(_published_skm(ws))
    counted = [survey for survey in published if published_respondents(survey) >= MINIMUM_RESPONDENTS]
    return counted, len(published) - len(counted)


def _held_counts(held: int, too_few: int) -> list[dict]:
    return [
        _count(_("SKM diumumkan dengan paling sedikit %(min)d responden") % {"min": MINIMUM_RESPONDENTS}, held),
        _count(
            _("SKM diumumkan dengan kurang dari %(min)d responden (tidak dihitung)") % {"min": MINIMUM_RESPONDENTS},
            too_few,
        ),
    ]


def _scope_text(ws: WorksheetScope) -> str:
    return _(
        "SKM unit ini sendiri (tidak termasuk unit di bawahnya) yang hasilnya diumumkan dengan paling sedikit "
        "%(min)d responden dan periodenya berakhir pada tahun %(year)d; SKM yang hanya ditutup atau diumumkan dengan "
        "kurang dari %(min)d responden tidak dihitung."
    ) % {"min": MINIMUM_RESPONDENTS, "year": skm_year(ws).start.year}


def quarters_over(ws: WorksheetScope) -> int:
    """The quarters of the worksheet's year that are over by today (0–4)."""
    year = skm_year(ws)
    over, start = 0, year.start
    while start <= year.end:
        quarter = Period.containing("quarter", start)
        if quarter.end < ws.today:
            over += 1
        start = quarter.end + dt.timedelta(days=1)
    return over


def _recommendations_link(ws: WorksheetScope) -> dict:
    query = urlencode({"modul": MODULE, "unit": ws.unit.code})
    return {"label": _("Rekomendasi atas hasil survei"), "url": f"{reverse('evaluasi:recommendations')}?{query}"}


@rule("survei.skm_berkala")
def skm_regular(ws: WorksheetScope) -> Suggestion:
    surveys, too_few = skm_surveys(ws)
    held, owed = len(surveys), quarters_over(ws)
    needed = SKM_BEST if owed == 4 else max(owed, 1)  # a finished year: 4; a running one: one per quarter over
    if not held:
        value, label = (None, "") if not owed else (ZERO, "Belum")
    elif held >= needed:
        value, label = ONE, "Berkala (paling sedikit 4 kali setahun)"
    else:
        value, label = HALF, "Tidak berkala"
    # The year as text: a number would be shown with a thousands separator ("2.026").
    counts = [_count(_("Tahun"), str(skm_year(ws).start.year)), *_held_counts(held, too_few)]
    counts += [_count(_("Triwulan yang sudah berakhir"), owed), _count(_("SKM yang diperlukan untuk berkala"), needed)]
    text = " ".join(
        (
            _scope_text(ws),
            _(
                "Berkala bila paling sedikit 4 setelah tahunnya berakhir, atau (tahun berjalan) paling sedikit satu "
                "untuk setiap triwulan yang sudah berakhir dan paling sedikit satu; tidak berkala bila kurang; belum "
                "bila tidak ada."
            ),
        )
    )
    links = [link for survey in surveys for link in _survey_links(survey)]
    return Suggestion(value, label, _basis(text, counts, links))


@rule("survei.skm_diumumkan")
def skm_published(ws: WorksheetScope) -> Suggestion:
    surveys, too_few = skm_surveys(ws)
    if surveys:
        value, label = ONE, "Ya"
    elif quarters_over(ws):
        value, label = ZERO, "Tidak"
    else:
        value, label = None, ""
    text = " ".join(
        (
            _scope_text(ws),
            _(
                "Ya bila sedikitnya satu SKM tersebut hasilnya diumumkan pada halaman hasil publik SIGAP; Tidak bila "
                "belum ada. Pengumuman di luar SIGAP dijawab dengan mengubah saran disertai catatan."
            ),
        )
    )
    links = [link for survey in surveys for link in _survey_links(survey)]
    return Suggestion(value, label, _basis(text, _held_counts(len(surveys), too_few), links))


@rule("survei.skm_tindak_lanjut")
def skm_followed_up(ws: WorksheetScope) -> Suggestion:
    surveys, too_few = skm_surveys(ws)
    held = len(surveys)
    cutoff = min(ws.period.end, ws.today)
    recommendations = Recommendation.objects.filter(survey_id__in=[survey.pk for survey in surveys])
    owed = Q(due_on__lte=cutoff) | ~Q(status=FollowUp.BELUM)
    by_status = dict(recommendations.filter(owed).values_list("status").annotate(n=Count("pk")).order_by())
    not_due = recommendations.exclude(owed).count()
    due = sum(by_status.values())
    settled = by_status.get(FollowUp.SELESAI, 0) + by_status.get(FollowUp.TIDAK_DAPAT, 0)
    started = settled + by_status.get(FollowUp.PROSES, 0)
    plans = sum(1 for survey in surveys if survey.follow_up_plan)
    if not held:
        value, label = (None, "") if not quarters_over(ws) else (ZERO, "Belum")
    elif not due and not not_due:
        value, label = ZERO, "Belum"  # surveys held, no recommendation on their results
    elif not due:
        value, label = None, ""  # recommendations given, none due or begun yet
    elif settled == due:
        value, label = ONE, "Semua"
    elif started:
        value, label = HALF, "Sebagian"
    else:
        value, label = ZERO, "Belum"
    share = "—" if not due else f"{(Decimal(100 * by_status.get(FollowUp.SELESAI, 0)) / due).quantize(Decimal('0.1'))}%"
    counts = [
        *_held_counts(held, too_few),
        _count(_("Dengan rencana tindak lanjut tertulis"), plans),
        _count(_("Rekomendasi yang dinilai (jatuh tempo atau sudah mulai ditindaklanjuti)"), due),
    ]
    counts += [_count(str(status_label), by_status.get(code, 0)) for code, status_label in FollowUp.choices]
    counts += [
        _count(_("Rekomendasi belum jatuh tempo dan belum ditindaklanjuti (tidak dinilai)"), not_due),
        _count(_("Persentase sesuai/selesai"), share),
    ]
    text = " ".join(
        (
            _scope_text(ws),
            _(
                "Atas rekomendasi hasil SKM tersebut yang jatuh tempo sampai %(cutoff)s atau sudah mulai "
                "ditindaklanjuti: semua bila setiap rekomendasi sesuai/selesai atau diterima tidak dapat "
                "ditindaklanjuti; sebagian bila sebagian sudah selesai atau dalam proses; belum bila belum ada yang "
                "ditindaklanjuti, atau bila SKM sudah dilaksanakan tetapi belum ada rekomendasi atas hasilnya."
            )
            % {"cutoff": cutoff.strftime("%d-%m-%Y")},
        )
    )
    return Suggestion(value, label, _basis(text, counts, [_recommendations_link(ws)]))
