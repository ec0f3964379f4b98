"""Writes of the survey officer (DESIGN §7): create a survey and its services, open, close, reopen and publish it,
set responses aside and bring them back, and write the follow-up plan. Views, the admin and the demo call these
only; the status moves only by Survey's django-fsm transitions, run here.

Every change of a survey runs on its row locked with select_for_update and is checked against the status the
officer saw (``expected_status``, a hidden field of each button): a page left open while a colleague closed the
survey, or a double click on "Umumkan", is refused with a message and changes nothing, so two clicks cannot
publish twice and a stale page cannot reopen what was just published.

Who: only a survey officer of the survey's unit or a unit above it (survei.selectors.may_manage). A refusal is a
SurveyError with an Indonesian message the page shows as it is.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Unit
from survei import scoring, selectors
from survei.models import (
    Instrument,
    InstrumentVersion,
    Item,
    Response,
    ScoringRule,
    Survey,
    SurveyService,
    SurveyStatus,
    Variable,
)

# Counts and the actor's id only: nothing about a respondent is logged.
logger = logging.getLogger("survei.audit")

MAX_POPULATION = 100_000_000
MAX_REASON = 200


class SurveyError(Exception):
    """A write refused for a reason the officer must read; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class ServiceSpec:
    """A service as the create form gives it: its name and the population served in the period (or None)."""

    name: str
    population: int | None = None


# ---------------------------------------------------------------------------------------------------------
# Checks shared by the writes


def _refuse_unless_manager(actor, survey: Survey) -> None:
    if not selectors.may_manage(actor, survey):
        raise SurveyError(_("Hanya petugas survei unit ini yang dapat mengubah survei ini."))


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _check_expected(locked: Survey, expected_status: str | None) -> None:
    """The officer's page showed `expected_status`; if the survey moved since, nothing is done."""
    if expected_status is not None and locked.status != expected_status:
        raise SurveyError(
            _("Status survei ini baru saja berubah menjadi “%(status)s”. Muat ulang halaman lalu periksa lagi.")
            % {"status": locked.get_status_display()}
        )


def _wrong_state(locked: Survey, message: str) -> SurveyError:
    """`message` is a whole sentence with %(status)s (a translator sees whole sentences, not fragments)."""
    return SurveyError(message % {"status": locked.get_status_display()})


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SurveyError(_("Nama layanan wajib diisi."), field="name")
    if len(name) > 200:
        raise SurveyError(_("Nama layanan paling panjang 200 karakter."), field="name")
    return name


def _check_population(population: int | None) -> None:
    # A population of 0 would make a target of 0, "reached" with no respondent at all.
    if population is not None and not 1 <= population <= MAX_POPULATION:
        raise SurveyError(
            _("Populasi harus bilangan bulat 1 sampai %(max)s.") % {"max": f"{MAX_POPULATION:,}".replace(",", ".")},
            field="population",
        )


def _check_services(specs: Sequence[ServiceSpec]) -> list[ServiceSpec]:
    cleaned, seen = [], set()
    for spec in specs:
        name = _clean_name(spec.name)
        _check_population(spec.population)
        if name.casefold() in seen:
            raise SurveyError(_("Layanan “%(name)s” tertulis dua kali.") % {"name": name}, field="services")
        seen.add(name.casefold())
        cleaned.append(ServiceSpec(name, spec.population))
    return cleaned


# ---------------------------------------------------------------------------------------------------------
# Creating a survey and its services


def survey_create(
    *,
    unit: Unit,
    title: str,
    instrument: Instrument,
    period_start,
    period_end,
    actor,
    rule: ScoringRule | None = None,
    services: Sequence[ServiceSpec] = (),
) -> Survey:
    """A survey in preparation ("draf") of `unit`, pinned to the instrument's current version and to `rule`
    (the instrument's default rule unless another is given): a later version of either never changes what this
    survey asked or how it is scored."""
    if unit is None or unit.pk not in selectors.managed_unit_ids(actor):
        raise SurveyError(_("Anda hanya dapat membuat survei untuk unit yang Anda kelola."), field="unit")
    title = " ".join((title or "").split())
    if not title:
        raise SurveyError(_("Judul survei wajib diisi."), field="title")
    if not instrument.is_active:
        raise SurveyError(_("Instrumen ini tidak aktif lagi."), field="instrument")
    version = instrument.current_version()
    if version is None or not version.variables.exists():
        raise SurveyError(_("Instrumen ini belum mempunyai pertanyaan."), field="instrument")
    if period_start is None or period_end is None:
        raise SurveyError(_("Isi tanggal mulai dan selesai."), field="period_end")
    if period_end < period_start:
        raise SurveyError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="period_end")
    specs = _check_services(services)
    rule = rule or instrument.default_rule
    misfit = scoring.rule_fits(rule.method, rule.params, version.scale, instrument.kind)
    if misfit:
        raise SurveyError(misfit, field="instrument")
    with transaction.atomic():
        # Pinning the rule takes its row lock: an admin saving a change at the same moment (scoring_rule_save)
        # then sees it used and makes a new version instead of changing this survey's rule under it.
        rule = ScoringRule.objects.select_for_update().get(pk=rule.pk)
        survey = Survey.objects.create(
            unit=unit,
            title=title,
            instrument_version=version,
            rule=rule,
            period_start=period_start,
            period_end=period_end,
            created_by=actor,
        )
        SurveyService.objects.bulk_create(
            SurveyService(survey=survey, name=spec.name, population=spec.population, order=order)
            for order, spec in enumerate(specs, start=1)
        )
    logger.info("survey_created survey=%s actor=%s services=%d", survey.uuid, actor.pk, len(specs))
    return survey


def _check_services_editable(locked: Survey) -> None:
    # A closed survey's targets are what its result is checked against: they do not move after the count ends.
    if locked.status not in (SurveyStatus.DRAFT, SurveyStatus.OPEN):
        raise SurveyError(
            _("Layanan tidak dapat diubah: survei sudah %(status)s.") % {"status": locked.get_status_display().lower()}
        )


def _save_service(service: SurveyService) -> SurveyService:
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError:
        raise SurveyError(
            _("Layanan “%(name)s” sudah ada di survei ini.") % {"name": service.name}, field="name"
        ) from None
    return service


def service_add(*, survey: Survey, name: str, population: int | None, actor) -> SurveyService:
    _refuse_unless_manager(actor, survey)
    name = _clean_name(name)
    _check_population(population)
    with transaction.atomic():
        locked = _locked(survey)
        _check_services_editable(locked)
        if locked.services.filter(name__iexact=name).exists():
            raise SurveyError(_("Layanan “%(name)s” sudah ada di survei ini.") % {"name": name}, field="name")
        order = (locked.services.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        return _save_service(SurveyService(survey=locked, name=name, population=population, order=order))


def service_update(*, service: SurveyService, name: str, population: int | None, actor) -> SurveyService:
    survey = service.survey
    _refuse_unless_manager(actor, survey)
    name = _clean_name(name)
    _check_population(population)
    with transaction.atomic():
        locked = _locked(survey)
        _check_services_editable(locked)
        if locked.services.filter(name__iexact=name).exclude(pk=service.pk).exists():
            raise SurveyError(_("Layanan “%(name)s” sudah ada di survei ini.") % {"name": name}, field="name")
        service = SurveyService.objects.select_for_update().get(pk=service.pk, survey=locked)
        # Respondents chose the service by its name: renaming it would relabel what they said they received.
        if name != service.name and service.responses.exists():
            raise SurveyError(
                _("Layanan ini sudah dijawab responden; namanya tidak dapat diubah. Tambahkan layanan baru."),
                field="name",
            )
        service.name, service.population = name, population
        return _save_service(service)


# ---------------------------------------------------------------------------------------------------------
# Transitions


def survey_open(*, survey: Survey, actor, expected_status: str | None = None) -> Survey:
    """Respondents may answer through the public link (a draft, with at least one service to choose)."""
    _refuse_unless_manager(actor, survey)
    with transaction.atomic():
        locked = _locked(survey)
        _check_expected(locked, expected_status)
        if locked.status != SurveyStatus.DRAFT:
            raise _wrong_state(locked, _("Survei berstatus “%(status)s” tidak dapat dibuka."))
        if not locked.services.exists():
            raise SurveyError(_("Tambahkan sedikitnya satu layanan sebelum survei dibuka."))
        locked.open()
        locked.save()
    logger.info("survey_opened survey=%s actor=%s", locked.uuid, actor.pk)
    return locked


def survey_close(*, survey: Survey, actor, expected_status: str | None = None) -> Survey:
    """No more responses: the result can be checked and published (or the survey reopened)."""
    _refuse_unless_manager(actor, survey)
    with transaction.atomic():
        locked = _locked(survey)
        _check_expected(locked, expected_status)
        if locked.status != SurveyStatus.OPEN:
            raise _wrong_state(locked, _("Survei berstatus “%(status)s” tidak dapat ditutup."))
        locked.close()
        locked.save()
    logger.info("survey_closed survey=%s actor=%s", locked.uuid, actor.pk)
    return locked


def survey_reopen(*, survey: Survey, actor, expected_status: str | None = None) -> Survey:
    """More responses are needed (below the target): a closed survey takes responses again. Never once the result
    is published: a published result is not changed behind its readers."""
    _refuse_unless_manager(actor, survey)
    with transaction.atomic():
        locked = _locked(survey)
        _check_expected(locked, expected_status)
        if locked.status != SurveyStatus.CLOSED:
            raise _wrong_state(locked, _("Survei berstatus “%(status)s” tidak dapat dibuka kembali."))
        locked.reopen()
        locked.save()
    logger.info("survey_reopened survey=%s actor=%s", locked.uuid, actor.pk)
    return locked


def survey_publish(*, survey: Survey, actor, expected_status: str | None = None, confirm: bool = False) -> Survey:
    """Keep the result of this moment (survei.selectors.snapshot) as the published one. When the snapshot has a
    warning (the sample below the seed's minimum of 30 or below a service's target, or respondents who said they
    were pressed to answer), the officer must say so knowingly (``confirm``): the warnings are published with the
    result."""
    _refuse_unless_manager(actor, survey)
    with transaction.atomic():
        locked = _locked(survey)
        _check_expected(locked, expected_status)
        if locked.status != SurveyStatus.CLOSED:
            raise _wrong_state(
                locked, _("Survei berstatus “%(status)s” tidak dapat diumumkan: hanya survei yang sudah ditutup.")
            )
        snap = selectors.snapshot(locked)
        if snap["warnings"] and not confirm:
            raise SurveyError(
                _(
                    "Hasil ini disertai peringatan: %(warnings)s Centang “umumkan meskipun di bawah target” "
                    "bila hasil tetap akan diumumkan bersama peringatan itu, atau buka kembali survei untuk "
                    "menambah responden."
                )
                % {"warnings": " ".join(snap["warnings"])},
                field="confirm",
            )
        locked.publish(result=snap, on=timezone.now())
        locked.save()
    logger.info("survey_published survey=%s actor=%s warnings=%d", locked.uuid, actor.pk, len(snap["warnings"]))
    return locked


# ---------------------------------------------------------------------------------------------------------
# Responses set aside, the follow-up plan


def _check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise SurveyError(_("Tuliskan alasan jawaban dikeluarkan dari hasil."), field="reason")
    if len(reason) > MAX_REASON:
        raise SurveyError(_("Alasan paling panjang %(n)d karakter.") % {"n": MAX_REASON}, field="reason")
    return reason


def _check_not_published(locked: Survey) -> None:
    if locked.status == SurveyStatus.PUBLISHED:
        raise SurveyError(_("Hasil survei ini sudah diumumkan; jawaban tidak dapat dikeluarkan atau dikembalikan."))


def responses_set_aside(*, survey: Survey, responses: Iterable[Response], reason: str, actor) -> int:
    """Leave `responses` out of the result (a burst from one device, the same answers sent again and again), for
    a reason the officer writes. They stay stored and can be brought back until the result is published. Returns
    how many were newly set aside."""
    _refuse_unless_manager(actor, survey)
    reason = _check_reason(reason)
    ids = [response.pk for response in responses]
    with transaction.atomic():
        locked = _locked(survey)
        _check_not_published(locked)
        changed = Response.objects.filter(survey=locked, pk__in=ids, excluded=False).update(
            excluded=True, excluded_reason=reason, excluded_by=actor, excluded_at=timezone.now()
        )
    logger.info("responses_set_aside survey=%s actor=%s n=%d", locked.uuid, actor.pk, changed)
    return changed


def responses_restore(*, survey: Survey, responses: Iterable[Response], actor) -> int:
    """Count `responses` again. Returns how many were brought back."""
    _refuse_unless_manager(actor, survey)
    ids = [response.pk for response in responses]
    with transaction.atomic():
        locked = _locked(survey)
        _check_not_published(locked)
        changed = Response.objects.filter(survey=locked, pk__in=ids, excluded=True).update(
            excluded=False, excluded_reason="", excluded_by=None, excluded_at=None
        )
    logger.info("responses_restored survey=%s actor=%s n=%d", locked.uuid, actor.pk, changed)
    return changed


def follow_up_plan_set(*, survey: Survey, text: str, actor) -> Survey:
    """What the unit will do with the result (the PDF report's last chapter, the public page's last section).
    Editable after publication too: a plan is usually made once the result is known, and the survey's history
    keeps each earlier text."""
    _refuse_unless_manager(actor, survey)
    text = (text or "").strip()
    if len(text) > 5000:
        raise SurveyError(_("Rencana tindak lanjut paling panjang 5.000 karakter."), field="follow_up_plan")
    with transaction.atomic():
        locked = _locked(survey)
        locked.follow_up_plan = text
        locked.save(update_fields=["follow_up_plan"])
    return locked


# ---------------------------------------------------------------------------------------------------------
# Versions (the admin's "Salin ke versi baru" and its saving of a used rule)


def instrument_version_copy(*, version: InstrumentVersion) -> InstrumentVersion:
    """A copy of `version` (variables, items, options) numbered after the instrument's latest, to be edited in
    place of a version that has responses. Surveys keep the version they pinned; a survey created from now on
    pins the copy (Instrument.current_version)."""
    with transaction.atomic():
        # The instrument's row is the lock: two copies at once would both take the same next number.
        Instrument.objects.select_for_update().get(pk=version.instrument_id)
        latest = version.instrument.versions.order_by("-number").values_list("number", flat=True).first()
        copy = InstrumentVersion.objects.create(
            instrument_id=version.instrument_id,
            number=(latest or 0) + 1,
            scale=version.scale,
            instructions=version.instructions,
            note=_("Salinan dari versi %(n)d.") % {"n": version.number},
        )
        for variable in version.variables.order_by("order", "pk").prefetch_related("items"):
            new_variable = Variable.objects.create(
                version=copy, code=variable.code, name=variable.name, weight=variable.weight, order=variable.order
            )
            Item.objects.bulk_create(
                Item(
                    variable=new_variable,
                    code=item.code,
                    text=item.text,
                    options=item.options,
                    negative=item.negative,
                    order=item.order,
                )
                for item in variable.items.order_by("order", "pk")
            )
    return copy


def scoring_rule_save(*, rule: ScoringRule) -> tuple[ScoringRule, bool]:
    """Save a changed rule. A rule a survey uses is never changed: the change becomes a new row of the same code,
    version + 1, the old row stays as it was (the surveys that used it keep their results), and the instruments
    whose default it was take the new version as their default. Returns (the row saved, whether it is new)."""
    old_pk = rule.pk
    with transaction.atomic():
        # The rule's row lock first (survey_create takes it to pin the rule), then whether a survey uses it.
        stored = ScoringRule.objects.select_for_update().filter(pk=old_pk).first() if old_pk else None
        # A rule under a code already in use is that code's next version, not a clash with one of its versions.
        latest = (
            ScoringRule.objects.select_for_update()
            .filter(code=rule.code)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        if stored is not None and not stored.is_used:
            if stored.code != rule.code:
                rule.version = (latest or 0) + 1
            rule.save()
            return rule, False
        rule.pk, rule.id = None, None
        rule._state.adding = True
        rule.version = (latest or 0) + 1
        rule.save()
        if old_pk is None:
            return rule, False
        for instrument in Instrument.objects.filter(default_rule_id=old_pk):
            instrument.default_rule = rule
            instrument.save(update_fields=["default_rule"])  # save(), not update(): the history keeps the change
    return rule, True
