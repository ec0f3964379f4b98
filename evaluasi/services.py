"""Writes of the follow-up and evaluation records (DESIGN §6). Views, the demo and the tasks call these only.

Every status change of a recommendation is one of its django-fsm transitions (act, accept, cannot, reopen),
run on a row locked with select_for_update and checked against the status the person saw (``expected_status``),
so two clicks on "Terima" — or an owner and an inspector acting at once — change it once and the second is told
why. A change of a case's recommendation appends a CaseEvent to the case's chain (cases.audit) naming the
recommendation by uuid only: its text, the reason and the action's description stay encrypted on their rows
(simple_history keeps the rest of each version).

Who does what:
- the inspectorate records evaluations, adds recommendations (to an evaluation, a case or a survey), and
  accepts, refuses ("tidak dapat") or reopens a follow-up — never one they own, never on a case they reported
  or are excluded from (cases.policy.is_conflicted);
- the recommendation's owner records the follow-up actions and their evidence;
- the head of a survey's unit, or of a unit above it, adds recommendations on the survey's results too (the LKE
  asks that SKM results are followed up, and the unit that ran the survey is the one to say how): a survey
  is no one's case, so no segregation of duties is at stake.

Recommendations on a case are added by the inspectorate only, not by the case's handlers: a recommendation is
an oversight finding that the inspectorate later judges followed up or not; a handler who issued it would be
judging the follow-up of their own handling, the segregation of duties cases.policy keeps everywhere else.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import attachments, audit, crypto, notifications, policy, workdays
from cases.models import Case, EmployeeProfile, Unit
from evaluasi import access
from evaluasi.models import (
    OPEN_FOLLOW_UP,
    Document,
    Evaluation,
    FollowUp,
    FollowUpAction,
    Recommendation,
    module_choices,
)
from evaluasi.periods import LAST_YEAR, Period

logger = logging.getLogger("evaluasi.audit")

DRAFT = "draft"
# A second identical action within this window is a double submit, not a second action.
DOUBLE_SUBMIT_WINDOW = dt.timedelta(minutes=2)


# The same evaluation or recommendation sent again by its author within this window — the Back button and the
# form sent once more — is the one already recorded, not a second one (an outside trial made two of each).
RESUBMIT_WINDOW = dt.timedelta(minutes=30)


class AlreadyRecorded(Exception):  # noqa: N818 - a state, not an error the person made
    """What was sent is already recorded (``existing``): the page shows that one instead of a copy."""

    def __init__(self, existing):
        super().__init__(str(existing.uuid))
        self.existing = existing


class FollowUpRefused(Exception):
    """A write refused for a reason the person must read; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


# ---------------------------------------------------------------------------------------------------------
# Documents: stored as a case's attachments are (cases.attachments), rows of their own


def _stage(upload: UploadedFile) -> attachments.StagedFile:
    """Check a file by its content, strip an image's metadata (a photo of a meeting carries its GPS position and
    camera owner) and store it encrypted, through the core's attachment machinery. Raises FollowUpRefused."""
    try:
        content_type = attachments.check(upload)
        if content_type in attachments.STRIPPABLE:
            upload = attachments.prepare(upload, remove_metadata=True)
        return attachments.stage(upload)
    except attachments.AttachmentRejected as exc:
        raise FollowUpRefused(exc.message, field="files") from None


def _stage_all(uploads: Iterable[UploadedFile]) -> list[attachments.StagedFile]:
    staged: list[attachments.StagedFile] = []
    try:
        for upload in uploads:
            staged.append(_stage(upload))
    except FollowUpRefused:
        _discard(staged)
        raise
    return staged


def _discard(staged: list[attachments.StagedFile]) -> None:
    for item in staged:
        attachments.discard(item)


def _document_rows(staged: list[attachments.StagedFile], actor, **owner) -> list[Document]:
    return [
        Document.objects.create(
            name_encrypted=crypto.encrypt_text(item.name),
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            blob=item.blob,
            uploaded_by=actor,
            **owner,
        )
        for item in staged
    ]


def document_add(*, evaluation: Evaluation, upload: UploadedFile, actor) -> Document:
    """Add a document (minutes, attendance list) to an evaluation: the inspectorate only."""
    if not access.may_evaluate(actor):
        raise FollowUpRefused(_("Hanya inspektorat yang dapat menambahkan dokumen evaluasi."))
    staged = _stage_all([upload])
    try:
        with transaction.atomic():
            (document,) = _document_rows(staged, actor, evaluation=evaluation)
    except Exception:
        _discard(staged)
        raise
    logger.info("document_added evaluation=%s document=%s actor=%s", evaluation.uuid, document.uuid, actor.pk)
    return document


def document_name(document: Document) -> str:
    return crypto.decrypt_text(document.name_encrypted)


def document_read(document: Document, actor) -> bytes:
    """The document's content, its download recorded: on the case's chain for evidence of a case's
    recommendation, in the evaluasi audit log otherwise (an evaluation has no chain of its own)."""
    data = attachments.read(document)
    case = document.action.recommendation.case if document.action_id else None
    if case is not None:
        audit.record(case, "recommendation_document_downloaded", actor, data={"document": str(document.uuid)})
    else:
        logger.info("document_downloaded document=%s actor=%s", document.uuid, actor.pk)
    return data


# ---------------------------------------------------------------------------------------------------------
# Evaluations


def evaluation_record(
    *,
    module: str,
    unit: Unit,
    period: Period,
    held_on: dt.date,
    participants: str,
    findings: str,
    actor,
    files: Iterable[UploadedFile] = (),
) -> Evaluation:
    """Record a periodic evaluation of `module` in `unit` over `period`, with its documents (all kept, or none)."""
    if not access.may_evaluate(actor):
        raise FollowUpRefused(_("Hanya inspektorat yang dapat mencatat evaluasi."))
    if module not in dict(module_choices()):
        raise FollowUpRefused(_("Modul %(code)s tidak dikenal.") % {"code": module}, field="module")
    if held_on > workdays.today():
        raise FollowUpRefused(_("Tanggal evaluasi tidak boleh setelah hari ini."), field="held_on")
    if held_on < period.start:
        raise FollowUpRefused(_("Evaluasi tidak dapat diadakan sebelum periode yang dievaluasi dimulai."), "held_on")
    if not participants.strip():
        raise FollowUpRefused(_("Sebutkan peserta evaluasi."), field="participants")
    if not findings.strip():
        raise FollowUpRefused(_("Tuliskan temuan evaluasi."), field="findings")
    twin = (
        Evaluation.objects.filter(
            module=module,
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            held_on=held_on,
            participants=participants.strip(),
            created_by=actor,
            created_at__gte=timezone.now() - RESUBMIT_WINDOW,
        )
        .order_by("-pk")
        .first()
    )
    if twin is not None and twin.findings == findings.strip():
        raise AlreadyRecorded(twin)
    staged = _stage_all(files)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                module=module,
                unit=unit,
                period_start=period.start,
                period_end=period.end,
                held_on=held_on,
                participants=participants.strip(),
                findings=findings.strip(),
                created_by=actor,
            )
            _document_rows(staged, actor, evaluation=evaluation)
    except Exception:
        _discard(staged)
        raise
    return evaluation


# ---------------------------------------------------------------------------------------------------------
# Recommendations


def owner_refusal(owner, case: Case | None) -> str:
    """Why `owner` may not be made responsible for a recommendation (of `case`, if any), or ""."""
    if owner is None or not owner.is_active:
        return _("Penanggung jawab harus pegawai yang masih aktif.")
    if not EmployeeProfile.objects.filter(user=owner).exists():
        # An account without an employee record (a service account) has no supervisor to escalate to.
        return _("Penanggung jawab harus pegawai yang tercatat (memiliki data kepegawaian).")
    if case is not None and policy.is_reporter(owner, case):
        return _("Pelapor kasus tidak dapat menjadi penanggung jawab rekomendasi atas kasusnya sendiri.")
    if case is not None and policy.is_excluded(owner, case):
        return _("Orang ini terkait dengan kasus (dikecualikan dari kasus) dan tidak dapat menjadi penanggung jawab.")
    return ""


def case_actor_refusal(actor, case: Case) -> str:
    if not access.may_evaluate(actor):
        return _("Hanya inspektorat yang dapat memberi rekomendasi atas kasus.")
    if policy.is_conflicted(actor, case):
        return _("Anda pelapor atau terkait dengan kasus ini, sehingga tidak dapat memberi rekomendasinya.")
    if not policy.can_view(actor, case):
        return _("Kasus ini tidak dapat Anda buka.")
    return ""


# survei.models.SurveyStatus.DRAFT, by value: evaluasi does not import survei (recommendation_add's duck type).
SURVEY_DRAFT = "draf"


def survey_actor_refusal(actor, survey) -> str:
    """Why `actor` may not add a recommendation on `survey`'s results, or "": the inspectorate may, and the
    head of the survey's unit or of a unit above it (cases.policy.headed_unit_ids) — once the survey has been
    opened. A survey still being prepared has no results to follow up, and a recommendation on it would count in
    the LKE's SKM follow-up (survei.lke) against a survey that produced nothing."""
    if survey.status == SURVEY_DRAFT:
        return _("Survei yang masih disiapkan belum mempunyai hasil untuk ditindaklanjuti.")
    if access.may_evaluate(actor) or survey.unit_id in policy.headed_unit_ids(actor):
        return ""
    return _("Hanya inspektorat atau kepala unit kerja survei ini yang dapat memberi rekomendasi atas hasilnya.")


def recommendation_add(
    *,
    text: str,
    owner,
    due_on: dt.date,
    actor,
    case: Case | None = None,
    evaluation: Evaluation | None = None,
    survey=None,
    issued_on: dt.date | None = None,
) -> Recommendation:
    """Add a recommendation to a case, an evaluation or a survey's results (exactly one), issued today unless
    `issued_on` says. `survey` is a survei.Survey, taken by duck type: evaluasi does not import survei."""
    if sum(subject is not None for subject in (case, evaluation, survey)) != 1:
        raise ValueError("a recommendation belongs to exactly one of a case, an evaluation or a survey")
    issued_on = issued_on or workdays.today()
    if not text.strip():
        raise FollowUpRefused(_("Tuliskan rekomendasinya."), field="text")
    if due_on.year > LAST_YEAR:
        raise FollowUpRefused(_("Batas waktu paling lambat tahun %(year)d.") % {"year": LAST_YEAR}, field="due_on")
    if due_on < issued_on:
        raise FollowUpRefused(
            _("Batas waktu tidak boleh sebelum tanggal rekomendasi (%(date)s).") % {"date": f"{issued_on:%d-%m-%Y}"},
            field="due_on",
        )
    with transaction.atomic():
        if case is not None:
            case = Case.objects.select_for_update().get(pk=case.pk)
            if case.status == DRAFT:
                raise FollowUpRefused(_("Kasus yang masih draf belum dapat diberi rekomendasi."))
            refusal = case_actor_refusal(actor, case)
            if refusal:
                raise FollowUpRefused(refusal)
            unit = case.unit
        elif survey is not None:
            refusal = survey_actor_refusal(actor, survey)
            if refusal:
                raise FollowUpRefused(refusal)
            unit = survey.unit
        else:
            if not access.may_evaluate(actor):
                raise FollowUpRefused(_("Hanya inspektorat yang dapat memberi rekomendasi evaluasi."))
            unit = evaluation.unit
        refusal = owner_refusal(owner, case)
        if refusal:
            raise FollowUpRefused(refusal, field="owner")
        recent = Recommendation.objects.filter(
            case=case,
            evaluation=evaluation,
            survey=survey,
            owner=owner,
            due_on=due_on,
            created_by=actor,
            created_at__gte=timezone.now() - RESUBMIT_WINDOW,
        )
        twin = next((earlier for earlier in recent if earlier.text == text.strip()), None)
        if twin is not None:
            raise AlreadyRecorded(twin)
        recommendation = Recommendation.objects.create(
            case=case,
            evaluation=evaluation,
            survey=survey,
            unit=unit,
            text=text.strip(),
            owner=owner,
            issued_on=issued_on,
            due_on=due_on,
            created_by=actor,
        )
        if case is not None:
            audit.record(
                case,
                "recommendation_added",
                actor,
                data={"recommendation": str(recommendation.uuid), "due_on": due_on.isoformat()},
            )
        _notify(recommendation, [owner], "added", _assigned_texts)
    return recommendation


def _locked(recommendation: Recommendation) -> Recommendation:
    # of=("self",): PostgreSQL locks no nullable side of an outer join (the case of an evaluation's recommendation).
    return Recommendation.objects.select_for_update(of=("self",)).select_related("case").get(pk=recommendation.pk)


def _check_expected(locked: Recommendation, expected_status: str | None) -> None:
    if expected_status is not None and locked.status != expected_status:
        raise FollowUpRefused(
            _("Status rekomendasi ini baru saja berubah menjadi “%(status)s”. Muat ulang halaman lalu periksa lagi.")
            % {"status": locked.get_status_display()}
        )


def _audit_step(locked: Recommendation, name: str, actor, from_status: str, **data) -> None:
    if locked.case is not None:
        audit.record(
            locked.case,
            name,
            actor,
            data={"recommendation": str(locked.uuid), "from": from_status, "to": locked.status, **data},
        )


def action_record(
    *,
    recommendation: Recommendation,
    done_on: dt.date,
    description: str,
    actor,
    files: Iterable[UploadedFile] = (),
    expected_status: str | None = None,
) -> FollowUpAction:
    """The owner records what was done, with evidence; the recommendation is then "dalam proses" until the
    inspectorate judges it."""
    if actor.pk != recommendation.owner_id:
        raise FollowUpRefused(_("Hanya penanggung jawab rekomendasi yang dapat mencatat tindak lanjutnya."))
    if not description.strip():
        raise FollowUpRefused(_("Uraikan tindak lanjut yang dilakukan."), field="description")
    if done_on > workdays.today():
        raise FollowUpRefused(_("Tanggal tindak lanjut tidak boleh setelah hari ini."), field="done_on")
    if done_on < recommendation.issued_on:
        raise FollowUpRefused(_("Tanggal tindak lanjut tidak boleh sebelum tanggal rekomendasi."), field="done_on")
    staged = _stage_all(files)
    try:
        with transaction.atomic():
            locked = _locked(recommendation)
            if not locked.is_open:
                raise FollowUpRefused(
                    _("Rekomendasi ini sudah ditutup (%(status)s); tindak lanjut tidak dapat ditambahkan lagi.")
                    % {"status": locked.get_status_display()}
                )
            _check_expected(locked, expected_status)
            if _is_double_submit(locked, actor, done_on, description.strip()):
                raise FollowUpRefused(_("Tindak lanjut yang sama baru saja tercatat; tidak dicatat dua kali."))
            action = FollowUpAction.objects.create(
                recommendation=locked, done_on=done_on, description=description.strip(), created_by=actor
            )
            _document_rows(staged, actor, action=action)
            before = locked.status
            locked.act()
            locked.save()
            _audit_step(locked, "recommendation_action", actor, before, action=str(action.uuid))
            _notify(locked, [locked.created_by], f"action:{action.uuid}", _action_texts)
    except Exception:
        _discard(staged)
        raise
    return action


def _is_double_submit(locked: Recommendation, actor, done_on: dt.date, description: str) -> bool:
    latest = locked.actions.filter(created_by=actor).order_by("-created_at", "-pk").first()
    return (
        latest is not None
        and latest.done_on == done_on
        and latest.description == description
        and timezone.now() - latest.created_at < DOUBLE_SUBMIT_WINDOW
    )


def _judge_refusal(locked: Recommendation, actor) -> str:
    """Why `actor` may not judge this recommendation's follow-up, or ""."""
    if not access.may_evaluate(actor):
        return _("Hanya inspektorat yang dapat menilai tindak lanjut rekomendasi.")
    if actor.pk == locked.owner_id:
        return _("Anda penanggung jawab rekomendasi ini, sehingga tidak dapat menilai tindak lanjut Anda sendiri.")
    if locked.case is not None and policy.is_conflicted(actor, locked.case):
        return _("Anda pelapor atau terkait dengan kasus ini, sehingga tidak dapat menilai tindak lanjutnya.")
    return ""


def _judge(recommendation, actor, expected_status, wanted: tuple[str, ...], closed_message: str) -> Recommendation:
    locked = _locked(recommendation)
    refusal = _judge_refusal(locked, actor)
    if refusal:
        raise FollowUpRefused(refusal)
    _check_expected(locked, expected_status)
    if locked.status not in wanted:
        raise FollowUpRefused(closed_message % {"status": locked.get_status_display()})
    return locked


def accept(*, recommendation: Recommendation, actor, expected_status: str | None = None) -> Recommendation:
    """The inspectorate finds the follow-up in line with the recommendation ("sesuai"): only once something was
    done (an action recorded)."""
    with transaction.atomic():
        locked = _judge(
            recommendation,
            actor,
            expected_status,
            OPEN_FOLLOW_UP,
            _("Rekomendasi ini sudah ditutup (%(status)s)."),
        )
        if not locked.actions.exists():
            raise FollowUpRefused(
                _("Belum ada tindak lanjut yang dicatat penanggung jawab; rekomendasi belum dapat dinyatakan sesuai.")
            )
        before = locked.status
        locked.accept(on=workdays.today())
        locked.save()
        _audit_step(locked, "recommendation_accepted", actor, before)
        _notify(locked, [locked.owner], f"accepted:{timezone.now():%Y%m%d%H%M%S%f}", _judged_texts)
    return locked


def cannot(*, recommendation: Recommendation, reason: str, actor, expected_status: str | None = None) -> Recommendation:
    """The inspectorate accepts that it cannot be followed up, for a reason it writes (kept encrypted)."""
    if not reason.strip():
        raise FollowUpRefused(_("Tuliskan alasan rekomendasi ini tidak dapat ditindaklanjuti."), field="reason")
    with transaction.atomic():
        locked = _judge(
            recommendation, actor, expected_status, OPEN_FOLLOW_UP, _("Rekomendasi ini sudah ditutup (%(status)s).")
        )
        before = locked.status
        locked.cannot(reason=reason.strip(), on=workdays.today())
        locked.save()
        _audit_step(locked, "recommendation_cannot", actor, before)
        _notify(locked, [locked.owner], f"cannot:{timezone.now():%Y%m%d%H%M%S%f}", _judged_texts)
    return locked


def reopen(*, recommendation: Recommendation, actor, expected_status: str | None = None) -> Recommendation:
    """The inspectorate takes back its judgement (the evidence did not hold): the follow-up is in process again."""
    with transaction.atomic():
        locked = _judge(
            recommendation,
            actor,
            expected_status,
            (FollowUp.SELESAI, FollowUp.TIDAK_DAPAT),
            _("Rekomendasi ini belum ditutup (%(status)s); tidak ada yang dibuka kembali."),
        )
        before = locked.status
        locked.reopen()
        locked.save()
        _audit_step(locked, "recommendation_reopened", actor, before)
        _notify(locked, [locked.owner], f"reopened:{timezone.now():%Y%m%d%H%M%S%f}", _judged_texts)
    return locked


# ---------------------------------------------------------------------------------------------------------
# Notifications: a link and what happened, never the recommendation's text (it may retell a case)


def recommendation_link(recommendation: Recommendation) -> str:
    return reverse("evaluasi:recommendation", args=[recommendation.uuid])


def _notify(recommendation: Recommendation, recipients, event: str, texts) -> None:
    """Queue a message about `recommendation` inside the caller's transaction. Not tied to the case in the
    outbox (``case=None``): the owner need not be able to open the case to follow its recommendation up."""
    notifications.queue(
        recipients=recipients,
        texts=texts,
        link=recommendation_link(recommendation),
        dedupe_key=f"evaluasi:{recommendation.uuid}:{event}",
    )


def _assigned_texts() -> tuple[str, str]:
    return _("[SIGAP] Anda penanggung jawab sebuah rekomendasi"), _(
        "Anda ditunjuk sebagai penanggung jawab tindak lanjut sebuah rekomendasi. Rincian dan batas waktunya ada "
        "di SIGAP."
    )


def _action_texts() -> tuple[str, str]:
    return _("[SIGAP] Tindak lanjut rekomendasi dicatat"), _(
        "Penanggung jawab mencatat tindak lanjut sebuah rekomendasi yang Anda berikan. Silakan menilainya di SIGAP."
    )


def _judged_texts() -> tuple[str, str]:
    return _("[SIGAP] Status tindak lanjut rekomendasi berubah"), _(
        "Inspektorat menilai tindak lanjut sebuah rekomendasi yang menjadi tanggung jawab Anda. Rinciannya ada di "
        "SIGAP."
    )


# ---------------------------------------------------------------------------------------------------------
# The reminder sweep (evaluasi.tasks.remind_follow_ups)

# Stages, in the order they fall due; each is sent once per recommendation (Recommendation.warned and the
# outbox's dedupe key both say so: the first survives a resend of the outbox, the second a race of two sweeps).
DUE_IN_3, DUE_IN_1, DUE_TODAY, OVERDUE = "due_in_3", "due_in_1", "due_today", "overdue"


def reminder_stage(recommendation: Recommendation, today: dt.date) -> str | None:
    """Which reminder `today` calls for: H-3 and H-1 counted in working days before the due date (cases.workdays,
    so a due date after Lebaran is warned before the holiday), the due day, and the first day after it."""
    if today > recommendation.due_on:
        return OVERDUE
    if today == recommendation.due_on:
        return DUE_TODAY
    left = workdays.working_days_between(today, recommendation.due_on)
    if left <= 1:
        return DUE_IN_1
    if left <= 3:
        return DUE_IN_3
    return None


def remind_follow_ups(*, today: dt.date) -> dict:
    """Remind the owners of open recommendations, and escalate an overdue one once to the owner's supervisor and
    to the inspector who recorded it. Idempotent: a rerun on the same day queues nothing new."""
    counts = {"checked": 0, "queued": 0}
    horizon = workdays.add_working_days(today, 3)
    due = Recommendation.objects.filter(status__in=OPEN_FOLLOW_UP, due_on__lte=horizon).values_list("pk", flat=True)
    for pk in due.iterator():
        counts["checked"] += 1
        with transaction.atomic():
            locked = (
                Recommendation.objects.select_for_update(of=("self",))
                .select_related("owner__profile__supervisor", "created_by")
                .get(pk=pk)
            )
            stage = reminder_stage(locked, today)
            if stage is None or stage in locked.warned or not locked.is_open:
                continue
            # Earlier stages the sweep missed (it did not run, or the due date came in a holiday) are not sent
            # late: a H-3 warning after the H-1 one would only confuse.
            order = [DUE_IN_3, DUE_IN_1, DUE_TODAY, OVERDUE]
            skipped = [name for name in order[: order.index(stage)] if name not in locked.warned]
            if stage == OVERDUE:
                recipients = [locked.owner, _supervisor(locked.owner), locked.created_by]
            else:
                recipients = [locked.owner]
            counts["queued"] += notifications.queue(
                recipients=recipients,
                texts=_REMINDER_TEXTS[stage],
                link=recommendation_link(locked),
                dedupe_key=f"evaluasi:{locked.uuid}:remind:{stage}",
            )
            Recommendation.objects.filter(pk=locked.pk).update(warned=[*locked.warned, *skipped, stage])
    return counts


def _supervisor(user):
    profile = getattr(user, "profile", None)
    return getattr(profile, "supervisor", None) if profile is not None else None


def _due_soon_texts() -> tuple[str, str]:
    return _("[SIGAP] Batas waktu tindak lanjut rekomendasi mendekat"), _(
        "Batas waktu tindak lanjut sebuah rekomendasi yang menjadi tanggung jawab Anda tinggal beberapa hari kerja. "
        "Catat tindak lanjut dan buktinya di SIGAP."
    )


def _due_today_texts() -> tuple[str, str]:
    return _("[SIGAP] Batas waktu tindak lanjut rekomendasi hari ini"), _(
        "Hari ini batas waktu tindak lanjut sebuah rekomendasi yang menjadi tanggung jawab Anda. Catat tindak "
        "lanjut dan buktinya di SIGAP."
    )


def _overdue_texts() -> tuple[str, str]:
    return _("[SIGAP] Tindak lanjut rekomendasi terlambat"), _(
        "Batas waktu tindak lanjut sebuah rekomendasi sudah terlampaui. Pesan ini dikirim kepada penanggung jawab, "
        "atasannya dan inspektur yang mencatatnya. Rinciannya ada di SIGAP."
    )


_REMINDER_TEXTS = {
    DUE_IN_3: _due_soon_texts,
    DUE_IN_1: _due_soon_texts,
    DUE_TODAY: _due_today_texts,
    OVERDUE: _overdue_texts,
}


def active_users():
    """People who may be made owners: active employees (with an employee record), by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__isnull=False)
        .order_by("first_name", "last_name", "username")
    )
