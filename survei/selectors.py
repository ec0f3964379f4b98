"""Reads of the survey data that several places need (the officer's pages, the public results page, the PDF and
XLSX, the evaluation dashboard's panel, the LKE rules, the benchmark): who may read which survey, and a survey's
counts and result, each in one grouped query."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cases import policy
from survei import scoring
from survei.models import Answer, Response, Survey, SurveyStatus

PETUGAS_SURVEI = policy.PETUGAS_SURVEI


def managed_unit_ids(user) -> set[int]:
    """The units whose surveys `user` runs: a survey officer's own unit and the units below it."""
    if user is None or not user.is_authenticated or not user.is_active or not policy.has_role(user, PETUGAS_SURVEI):
        return set()
    profile = getattr(user, "profile", None)
    unit = getattr(profile, "unit", None)
    return set(unit.descendant_ids()) if unit is not None else set()


def readable_unit_ids(user) -> set[int] | None:
    """The units whose surveys `user` reads: every unit for the inspectorate (None); the units they run or head
    (with the units below) for survey officers and unit heads; nothing for anyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if policy.has_role(user, policy.INSPEKTUR):
        return None
    return managed_unit_ids(user) | policy.headed_unit_ids(user)


def readable_surveys(user) -> QuerySet:
    surveys = Survey.objects.select_related("unit", "instrument_version__instrument", "rule")
    allowed = readable_unit_ids(user)
    return surveys if allowed is None else surveys.filter(unit_id__in=allowed)


def may_manage(user, survey: Survey) -> bool:
    """Open, close, publish, edit the services of, and set aside responses of `survey`."""
    return survey.unit_id in managed_unit_ids(user)


def survey_or_404(user, uuid) -> Survey:
    survey = readable_surveys(user).filter(uuid=uuid).first()
    if survey is None:
        raise Http404
    return survey


def public_survey(token: str) -> Survey | None:
    """The survey a poster's link names, if it takes responses now."""
    return (
        Survey.objects.select_related("unit", "instrument_version__instrument")
        .filter(token=token, status=SurveyStatus.OPEN)
        .first()
    )


def published_surveys() -> QuerySet:
    return Survey.objects.select_related("unit", "instrument_version__instrument").filter(status=SurveyStatus.PUBLISHED)


# ---------------------------------------------------------------------------------------------------------
# Counts and results


def counted_responses(survey: Survey) -> QuerySet:
    """The responses that count: not set aside by an officer."""
    return Response.objects.filter(survey=survey, excluded=False)


def item_counts(survey: Survey) -> dict[int, dict[int, int]]:
    """item id → {value as answered → answers}, over the counted responses: one grouped query."""
    rows = (
        Answer.objects.filter(response__survey=survey, response__excluded=False)
        .values_list("item_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[int, int]] = {}
    for item_id, value, n in rows:
        counts.setdefault(item_id, {})[value] = n
    return counts


def coverage(survey: Survey) -> list[scoring.Coverage]:
    """Each service's counted responses against its target (one grouped query)."""
    services = survey.services.annotate(n=Count("responses", filter=Q(responses__excluded=False))).order_by(
        "order", "pk"
    )
    return [
        scoring.Coverage(service.name, service.population, scoring.target_sample(service.population), service.n)
        for service in services
    ]


def result(survey: Survey, coverage_rows: list[scoring.Coverage] | None = None) -> scoring.Result:
    """The survey's result now, by its pinned instrument version and rule version."""
    rows = coverage(survey) if coverage_rows is None else coverage_rows
    return scoring.compute(
        scoring.InstrumentSpec.of(survey.instrument_version),
        scoring.RuleSpec.of(survey.rule),
        item_counts(survey),
        sum(row.responses for row in rows),
        scoring.Thresholds.of(survey.instrument_version.instrument),
    )


def snapshot(survey: Survey) -> dict:
    """What publication keeps (Survey.published_result): the result, the coverage and warnings of that moment,
    and which instrument version and rule version produced it."""
    rows = coverage(survey)
    computed = result(survey, rows)
    version = survey.instrument_version
    return {
        "instrument": {"code": version.instrument.code, "name": version.instrument.name, "version": version.number},
        "rule": {"code": survey.rule.code, "name": survey.rule.name, "version": survey.rule.version},
        "result": computed.as_dict(),
        "coverage": [
            {"name": row.name, "population": row.population, "target": row.target, "responses": row.responses}
            for row in rows
        ],
        "warnings": scoring.warnings(computed.respondents, rows),
    }


# ---------------------------------------------------------------------------------------------------------
# Results: the respondents' profile and the comments (issue 13 "Results", survei.views.results)

PROFILE_FIELDS = ("age_band", "sex", "education", "occupation", "pressured")


def respondent_profile(survey: Survey) -> dict[str, dict]:
    """field → {value → counted responses} for each band and the integrity question, from one grouped query
    (a few hundred band combinations at most, summed here) rather than one scan per field."""
    profile: dict[str, dict] = {name: {} for name in PROFILE_FIELDS}
    rows = counted_responses(survey).values_list(*PROFILE_FIELDS).annotate(n=Count("pk")).order_by()
    for *values, n in rows:
        for name, value in zip(PROFILE_FIELDS, values, strict=True):
            profile[name][value] = profile[name].get(value, 0) + n
    return profile


def comments(survey: Survey, limit: int) -> tuple[list[tuple[str, str]], int]:
    """The newest `limit` comments of the counted responses as (service, text), and how many there are. An empty
    comment is stored empty (cases.fields.EncryptedTextField), so the database can tell which have one."""
    written = counted_responses(survey).exclude(comment="")
    rows = written.order_by("-pk").values_list("service__name", "comment")[:limit]
    return list(rows), written.count()
