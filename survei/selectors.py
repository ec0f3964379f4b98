"""Reads of the survey data that several places need (the officer's pages, the public results page, the PDF and
XLSX, the evaluation dashboard's panel, the LKE rules, the benchmark): who may read which survey, and a survey's
counts and result, each in one grouped query."""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils.crypto import salted_hmac

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


def may_download_responses(user, survey: Survey) -> bool:
    """The row-level XLSX is for those who run the survey and the inspectorate; a unit head reads the result (the
    page, the PDF) but not the rows."""
    return may_manage(user, survey) or policy.has_role(user, policy.INSPEKTUR)


def survey_or_404(user, uuid) -> Survey:
    survey = readable_surveys(user).filter(uuid=uuid).first()
    if survey is None:
        raise Http404
    return survey


def published_surveys() -> QuerySet:
    return Survey.objects.select_related("unit", "instrument_version__instrument").filter(status=SurveyStatus.PUBLISHED)


# ---------------------------------------------------------------------------------------------------------
# Counts and results


def counted_responses(survey: Survey) -> QuerySet:
    """The responses that count: not set aside by an officer."""
    return Response.objects.filter(survey=survey, excluded=False)


def item_counts(survey: Survey) -> dict[int, dict[int, int]]:
    """item id → {value as answered → answers}, over the counted responses.

    All the survey's answers are counted from the (survey, item, value) index alone, then those of the few
    responses set aside are taken off: two grouped queries that never read the responses table for the many,
    where one query joining every answer to its response to read ``excluded`` reads both tables whole."""
    counts: dict[int, dict[int, int]] = {}
    answers = Answer.objects.filter(survey=survey).values_list("item_id", "value").annotate(n=Count("pk")).order_by()
    for item_id, value, n in answers:
        counts.setdefault(item_id, {})[value] = n
    set_aside = answers.filter(response__excluded=True)
    for item_id, value, n in set_aside:
        counts[item_id][value] -= n
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


def integrity(survey: Survey) -> dict[str, int]:
    """The integrity question over the counted responses: {"yes", "no", "unanswered"} (one grouped query)."""
    counts = dict(counted_responses(survey).values_list("pressured").annotate(n=Count("pk")).order_by())
    return {"yes": counts.get(True, 0), "no": counts.get(False, 0), "unanswered": counts.get(None, 0)}


def set_aside(survey: Survey) -> dict:
    """How many responses officers left out of the result and why, by reason with its count (no ids): setting
    aside moves the published score, so its readers see that it happened."""
    reasons = (
        Response.objects.filter(survey=survey, excluded=True)
        .values_list("excluded_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "excluded_reason")
    )
    rows = [{"reason": reason, "n": n} for reason, n in reasons]
    return {"count": sum(row["n"] for row in rows), "reasons": rows}


def snapshot(survey: Survey) -> dict:
    """What publication keeps (Survey.published_result): the result, the coverage and warnings of that moment,
    the responses set aside (how many, why) and the integrity question's counts, and which instrument version and
    rule version produced it."""
    rows = coverage(survey)
    computed = result(survey, rows)
    version = survey.instrument_version
    pressure = integrity(survey)
    return {
        "instrument": {"code": version.instrument.code, "name": version.instrument.name, "version": version.number},
        "rule": {"code": survey.rule.code, "name": survey.rule.name, "version": survey.rule.version},
        "result": computed.as_dict(),
        "coverage": [
            {"name": row.name, "population": row.population, "target": row.target, "responses": row.responses}
            for row in rows
        ],
        "set_aside": set_aside(survey),
        "integrity": pressure,
        "warnings": scoring.warnings(computed.respondents, rows, pressured=pressure["yes"]),
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


def keyed_order(salt: str) -> Callable[[int], bytes]:
    """A sort key putting primary keys in the order of a keyed hash: BLAKE2b keyed with salted_hmac(salt) (under
    the SECRET_KEY, never shown), so the order cannot be tied to arrival and differs with each salt. The key is
    derived once: 100,000 keys sort in 0.2 s, against 0.5 s for a salted_hmac per key."""
    key = salted_hmac(salt, "survei.order").digest()
    return lambda pk: hashlib.blake2b(b"%d" % pk, key=key, digest_size=16).digest()


def comments(survey: Survey, limit: int) -> tuple[list[tuple[str, str]], int]:
    """`limit` comments of the counted responses as (service, text), in the order of a keyed hash (not arrival:
    the newest would point at the last visitors), and how many there are. An empty comment is stored empty
    (cases.fields.EncryptedTextField), so the database can tell which have one; only the chosen ones are read."""
    written = counted_responses(survey).exclude(comment="")
    keys = list(written.values_list("pk", flat=True))
    chosen = sorted(keys, key=keyed_order(f"survei.comments|{survey.pk}"))[:limit]
    rows = written.filter(pk__in=chosen).values_list("pk", "service__name", "comment")
    texts = {pk: (service, text) for pk, service, text in rows}
    return [texts[pk] for pk in chosen if pk in texts], len(keys)


# ---------------------------------------------------------------------------------------------------------
# Flood visibility (the officer's page of possibly repeated submissions)

# A day's responses from one device, or with the very same answers, from this many up are shown to the officer.
FLOOD_MINIMUM = 5


@dataclass(frozen=True)
class FloodGroup:
    """Responses of one day that may be one person sending again and again: ``kind`` "device" (the same hourly
    device tag) or "pattern" (the same answer to every item). ``key`` names the group to the officer's form
    without showing the device tag (a keyed hash of it)."""

    key: str
    kind: str
    day: dt.date
    size: int
    excluded: int
    response_ids: tuple[int, ...]

    @property
    def counted(self) -> int:
        return self.size - self.excluded


def _group_key(survey: Survey, kind: str, day: dt.date, value: str) -> str:
    return salted_hmac("survei.flood-group", f"{survey.pk}|{kind}|{day.isoformat()}|{value}").hexdigest()[:20]


def _answer_signatures(survey: Survey) -> dict[str, Any]:
    """Aggregates that turn a response's answers into exact numbers: each item one digit of base scale + 1
    (0 = not answered), up to 20 items per number so it fits a 64-bit integer (7^20 < 2^63)."""
    item_ids = list(survey.instrument_version.items().values_list("pk", flat=True))
    base = survey.instrument_version.scale + 1
    signatures = {}
    for chunk_start in range(0, len(item_ids), 20):
        chunk = item_ids[chunk_start : chunk_start + 20]
        signatures[f"sig{chunk_start // 20}"] = Sum(
            Case(
                *[When(item_id=item_id, then=F("value") * Value(base**power)) for power, item_id in enumerate(chunk)],
                default=Value(0),
                output_field=BigIntegerField(),
            )
        )
    return signatures


def flood_groups(survey: Survey, minimum: int = FLOOD_MINIMUM) -> list[FloodGroup]:
    """The groups of `minimum` or more responses of one day from one device, and of one day with identical
    answers (two grouped queries). Responses set aside are in their groups (``excluded``), so they can be
    brought back from here."""
    groups = []
    by_device: dict[tuple, list[tuple[int, bool]]] = {}
    rows = (
        Response.objects.filter(survey=survey)
        .exclude(device_tag="")
        .values_list("received_on", "device_tag", "pk", "excluded")
        .order_by("received_on", "device_tag", "pk")
    )
    busy = (
        Response.objects.filter(survey=survey)
        .exclude(device_tag="")
        .values("received_on", "device_tag")
        .annotate(n=Count("pk"))
        .filter(n__gte=minimum)
        .values_list("received_on", "device_tag")
    )
    busy_pairs = set(busy)
    if busy_pairs:
        days = {day for day, _tag in busy_pairs}
        for day, tag, pk, excluded in rows.filter(received_on__in=days):
            if (day, tag) in busy_pairs:
                by_device.setdefault((day, tag), []).append((pk, excluded))
    for (day, tag), members in by_device.items():
        groups.append(_group(survey, "device", day, tag, members))

    signatures = _answer_signatures(survey)
    by_pattern: dict[tuple, list[tuple[int, bool]]] = {}
    if signatures:
        answer_rows = (
            Answer.objects.filter(response__survey=survey)
            .values("response_id", "response__received_on", "response__excluded")
            .annotate(**signatures)
            .order_by()
        )
        for row in answer_rows:
            pattern = tuple(row[name] for name in signatures)
            by_pattern.setdefault((row["response__received_on"], pattern), []).append(
                (row["response_id"], row["response__excluded"])
            )
    for (day, pattern), members in by_pattern.items():
        if len(members) >= minimum:
            groups.append(_group(survey, "pattern", day, ":".join(map(str, pattern)), sorted(members)))
    return sorted(groups, key=lambda group: (group.day, group.kind, -group.size), reverse=False)


def _group(survey: Survey, kind: str, day: dt.date, value: str, members: list[tuple[int, bool]]) -> FloodGroup:
    return FloodGroup(
        key=_group_key(survey, kind, day, value),
        kind=kind,
        day=day,
        size=len(members),
        excluded=sum(1 for _pk, excluded in members if excluded),
        response_ids=tuple(pk for pk, _excluded in members),
    )


def flood_group(survey: Survey, key: str) -> FloodGroup | None:
    return next((group for group in flood_groups(survey) if group.key == key), None)


def excluded_summary(survey: Survey) -> list[dict]:
    """The responses set aside, by reason: [{"excluded_reason", "n"}]."""
    return list(
        Response.objects.filter(survey=survey, excluded=True)
        .values("excluded_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "excluded_reason")
    )
