"""What survei plugs into the evaluation layer (evaluasi.extensions), registered in SurveiConfig.ready():
evaluasi never imports survei.

- Recommendations on a survey's results are the module "survei" of the follow-up list and statistics (a survey
  recommendation has neither a case nor an evaluation, so the kinds' module filter would never find it).
- The dashboard's "Survei" section: the surveys of the scope's units whose period ends in the scope's period,
  each with its respondents against the target, its result (SKM index and grade, or the 0–4 value against the
  WBK/WBBM minimums), whether it is published and how many of its recommendations are still open. A published
  survey shows its publication snapshot (what the public read); any other the live result, and says so.
- Who may add a recommendation on a survey (its page is survei.views.followup): the inspectorate, or the head
  of the survey's unit or of a unit above it (evaluasi.services.survey_actor_refusal).
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluasi import extensions
from evaluasi import services as evaluasi_services
from evaluasi.models import OPEN_FOLLOW_UP
from survei import selectors
from survei.models import InstrumentKind, Survey, SurveyStatus

MODULE = "survei"


def register() -> None:
    """Called once from SurveiConfig.ready()."""
    extensions.register_recommendation_module(MODULE, _("Survei"), Q(survey__isnull=False))
    extensions.register_dashboard_section(dashboard_section)


def detail_href(survey: Survey) -> str:
    return reverse("survei:detail", args=[survey.uuid])


def public_result_href(survey: Survey) -> str:
    return reverse("survei_publik:public_result", args=[survey.token])


# ---------------------------------------------------------------------------------------------------------
# The dashboard's section


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@dataclass
class SurveyRow:
    survey: Survey
    kind: str
    instrument: str
    published: bool
    from_snapshot: bool
    respondents: int
    target: int
    index: Decimal | None
    grade: str
    grade_label: str
    value: Decimal | None
    minimum_wbk: Decimal | None
    minimum_wbbm: Decimal | None
    meets_wbk: bool | None
    meets_wbbm: bool | None
    open_recommendations: int
    href: str

    @property
    def is_skm(self) -> bool:
        return self.kind == InstrumentKind.SKM

    @property
    def reached(self) -> bool:
        return self.respondents >= self.target


def survey_row(survey: Survey, open_recommendations: int) -> SurveyRow:
    """One survey's line: its publication snapshot when published, else its live result (survei.selectors)."""
    snapshot = survey.published_result if survey.status == SurveyStatus.PUBLISHED else None
    if snapshot:
        result, coverage = snapshot.get("result") or {}, snapshot.get("coverage") or []
        instrument = snapshot.get("instrument") or {}
        name = f"{instrument.get('name', '')} v{instrument.get('version', '')}"
    else:
        rows = selectors.coverage(survey)
        result = selectors.result(survey, rows).as_dict()
        coverage = [{"target": row.target, "responses": row.responses} for row in rows]
        version = survey.instrument_version
        name = f"{version.instrument.name} v{version.number}"
    thresholds = result.get("thresholds") or {}
    return SurveyRow(
        survey=survey,
        kind=survey.kind,
        instrument=name,
        published=survey.status == SurveyStatus.PUBLISHED,
        from_snapshot=bool(snapshot),
        respondents=int(result.get("respondents") or 0),
        target=sum(int(row.get("target") or 0) for row in coverage),
        index=_decimal(result.get("index")),
        grade=result.get("grade") or "",
        grade_label=result.get("grade_label") or "",
        value=_decimal(result.get("value")),
        minimum_wbk=_decimal(thresholds.get("minimum_wbk")),
        minimum_wbbm=_decimal(thresholds.get("minimum_wbbm")),
        meets_wbk=result.get("meets_wbk"),
        meets_wbbm=result.get("meets_wbbm"),
        open_recommendations=open_recommendations,
        href=detail_href(survey),
    )


def scope_surveys(scope, user):
    """The surveys `user` reads among the scope's units (with sub-units) whose period ends in the scope's
    period, drafts left out (nothing to show yet), each with its open recommendations counted."""
    allowed = selectors.readable_unit_ids(user)
    surveys = (
        Survey.objects.select_related("unit", "instrument_version__instrument", "rule")
        .exclude(status=SurveyStatus.DRAFT)
        .filter(period_end__gte=scope.period.start, period_end__lte=scope.period.end)
        .annotate(open_recommendations=Count("recommendations", filter=Q(recommendations__status__in=OPEN_FOLLOW_UP)))
        .order_by("unit__code", "period_end", "pk")
    )
    if scope.unit_ids is not None:
        surveys = surveys.filter(unit_id__in=scope.unit_ids)
    if allowed is not None:
        surveys = surveys.filter(unit_id__in=allowed)
    return surveys


def dashboard_section(scope, user):
    """The "Survei" section of /evaluasi/ (evaluasi.extensions.register_dashboard_section)."""
    if selectors.readable_unit_ids(user) == set():
        return None
    rows = [survey_row(survey, survey.open_recommendations) for survey in scope_surveys(scope, user)]
    query = {"modul": MODULE}
    if scope.unit is not None:
        query["unit"] = scope.unit.code
    return (
        "survei/_dashboard_section.html",
        {
            "rows": rows,
            "recommendations_href": f"{reverse('evaluasi:recommendations')}?{urlencode(query)}",
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Recommendations on a survey


def may_recommend(user, survey: Survey) -> bool:
    return not evaluasi_services.survey_actor_refusal(user, survey)


def survey_recommendations(survey: Survey, user) -> dict:
    """For the survey's page (include "survei/_survey_recommendations.html" with this context): its
    recommendations (all of them, for whoever reads the survey) and whether `user` may add one, with the form's
    address. The texts are read on the survey's page by those who read the survey — its officers, the heads of
    its units and the inspectorate — as a case's recommendations are read by those who handle the case."""
    return {
        "recommendations": list(survey.recommendations.select_related("owner").order_by("due_on", "pk")),
        "may_recommend": may_recommend(user, survey),
        "recommend_href": reverse("survei:recommendation_add", args=[survey.uuid]),
    }
