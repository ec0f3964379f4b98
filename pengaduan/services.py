"""Services of pengaduan: filing a complaint from any channel, the complainant's own steps on the tracking
page, the steps that write more than the complaint (a duplicate's link, the conversion into a WBS report), and
the sweep that closes an answered complaint nobody replied to.

Status changes go through cases.services.transition like every other kind.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import attachments, audit, intake, policy, services, workdays
from cases.models import Case, Unit
from cases.services import CaseError, NotAllowed
from pengaduan.models import LODGING_DAYS, RECORDED_CHANNELS, Channel, Complaint, IdentityMode, Status

logger = logging.getLogger(__name__)

RECORDED_CHANNELS_VALUES = frozenset(value for value, _label in RECORDED_CHANNELS)
IDENTITY_FIELDS = ("complainant_name", "complainant_contact", "complainant_email")
CONTENT_FIELDS = (
    "service",
    "service_date",
    "location",
    "category",
    "description",
    "expectation",
    "truth_statement",
    "channel_reference",
    "lapor_tracking_id",
)


def intake_unit() -> Unit:
    """The unit a complaint belongs to when its service names none: the top of the organisation."""
    unit = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("pk").first()
    if unit is None:
        raise CaseError(_("SIGAP belum memiliki unit kerja. Hubungi admin."))
    return unit


def is_late(service_date: dt.date | None, received_on: dt.date) -> bool:
    """Perpres 76/2013: lodged more than 30 days after the service. Accepted and flagged, never refused."""
    return service_date is not None and (received_on - service_date).days > LODGING_DAYS


def _identity(identity_mode: str, identity: dict | None) -> dict:
    """The identity fields to store: none at all for an anonymous complaint, whatever was sent, except an
    e-mail address for news (which an anonymous complainant may give; it is never shown to officers)."""
    identity = identity or {}
    if identity_mode == IdentityMode.ANONYMOUS:
        return {"complainant_email": (identity.get("complainant_email") or "").strip()}
    return {name: (identity.get(name) or "").strip() for name in IDENTITY_FIELDS}


def complaint_file(
    *,
    fields: dict,
    identity_mode: str,
    identity: dict | None,
    files: list,
    channel: str = Channel.WEB,
    received_at: dt.datetime | None = None,
    actor=None,
) -> tuple[Complaint, str]:
    """File a complaint and return it with its PIN (shown once, stored only as a hash).

    `received_at` is when it actually arrived (a letter's date of receipt, the time of the call): the clocks
    count from that day, not from data entry. The public form and Open311 file with `actor=None` and today;
    an officer recording another channel files as `actor`. Everything in one transaction: the complaint, its
    tracking credential, its files; the handlers hear of a public complaint at a later, rounded time."""
    if identity_mode not in IdentityMode.values:
        raise CaseError(_("Pilih cara Anda tampil: dengan identitas, dirahasiakan, atau anonim."))
    if channel not in Channel.values:
        raise CaseError(_("Saluran pengaduan tidak dikenal."))
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + dt.timedelta(minutes=5):
        raise CaseError(_("Waktu diterima tidak boleh di masa depan."))
    service = fields.get("service")
    unit = service.unit if service is not None else intake_unit()
    received_on = timezone.localdate(received_at)
    with transaction.atomic():
        complaint = services.create_case(
            kind="pengaduan",
            actor=actor,
            unit=unit,
            status=Status.RECEIVED,
            channel=channel,
            received_at=received_at,
            identity_mode=identity_mode,
            late_filing=is_late(fields.get("service_date"), received_on),
            **_identity(identity_mode, identity),
            **{name: value for name, value in fields.items() if name in CONTENT_FIELDS},
        )
        pin = intake.credential_for("pengaduan").issue(complaint)
        at = intake.rounded_now() if actor is None else None
        for upload in files:
            attachments.add(case=complaint, upload=upload, actor=actor, at=at)
        if actor is None:
            event = complaint.events.get(action="created")
            services.notify_event(
                complaint,
                event,
                services.case_handlers(complaint),
                lambda: (
                    _("[SIGAP] Pengaduan baru"),
                    _("Pengaduan baru %(ref)s diterima.") % {"ref": complaint.reference},
                ),
                not_before=intake.announce_at(),
                headline="new_report",
            )
    return complaint, pin


def complaint_files_add(*, complaint: Complaint, files: list) -> int:
    """Files the complainant adds from the tracking page; stored with today's date, not the moment."""
    if complaint.is_closed:
        raise NotAllowed(_("Pengaduan ini sudah selesai; berkas tidak dapat ditambahkan."))
    at = intake.rounded_now()
    with transaction.atomic():
        for upload in files:
            attachments.add(case=complaint, upload=upload, actor=None, at=at)
    return len(files)


# ---------------------------------------------------------------------------------------------------------
# The complainant's steps on the tracking page (no account: cases.services.transition with by="reporter")


def complaint_clarify(*, complaint: Complaint, text: str) -> None:
    """The complainant answers a request for clarification: their message, and verification resumes (the
    paused clock runs again)."""
    if complaint.status != Status.NEEDS_CLARIFICATION:
        raise NotAllowed(_("Petugas tidak sedang menunggu klarifikasi untuk pengaduan ini."))
    with transaction.atomic():
        services.add_reporter_message(complaint, text)
        services.transition(complaint, "clarify", None, by="reporter", expected_status=Status.NEEDS_CLARIFICATION)


def complaint_confirm(*, complaint: Complaint) -> None:
    """The complainant accepts the answer within 10 HK: the complaint is closed."""
    if complaint.status == Status.ANSWERED and not complaint.may_reply:
        raise NotAllowed(_("Batas waktu menanggapi jawaban sudah lewat; pengaduan ditutup otomatis."))
    services.transition(
        complaint,
        "confirm",
        None,
        by="reporter",
        expected_status=Status.ANSWERED,
        confirmed=True,
        reason=_("Pengadu menyatakan jawaban diterima."),
    )


def complaint_dispute(*, complaint: Complaint, text: str) -> None:
    """The complainant disputes the answer within 10 HK: back to the handler, with their reasons."""
    if not text.strip():
        raise CaseError(_("Tuliskan mengapa jawaban belum menyelesaikan masalah Anda."))
    if not complaint.may_reply:
        raise NotAllowed(_("Batas waktu menanggapi jawaban sudah lewat; pengaduan ditutup otomatis."))
    with transaction.atomic():
        services.transition(complaint, "dispute", None, by="reporter", expected_status=Status.ANSWERED)
        services.add_reporter_message(Complaint.objects.get(pk=complaint.pk), text)


def complaint_rate(*, complaint: Complaint, score: int, comment: str = "") -> None:
    """The complainant's satisfaction (1–5) once the complaint is closed; one rating, kept."""
    if complaint.status != Status.CLOSED:
        raise NotAllowed(_("Penilaian dapat diberikan setelah pengaduan selesai."))
    if not 1 <= score <= 5:
        raise CaseError(_("Pilih nilai 1 sampai 5."))
    with transaction.atomic():
        updated = Complaint.objects.filter(pk=complaint.pk, satisfaction__isnull=True).update(satisfaction=score)
        if not updated:
            raise NotAllowed(_("Anda sudah memberi penilaian untuk pengaduan ini."))
        if comment.strip():
            locked = Complaint.objects.get(pk=complaint.pk)
            locked.satisfaction_comment = comment.strip()
            locked.save(update_fields=["satisfaction_comment"])
        audit.record(complaint, "rated", None, data={"score": score, "from_reporter": True}, at=intake.rounded_now())


# ---------------------------------------------------------------------------------------------------------
# Steps that write more than the complaint (the `service` of their transitions: same signature as
# cases.services.transition)


def complaint_mark_duplicate(case: Case, name: str, actor, *, original: str, **options) -> Case:
    """Mark as a duplicate of `original` (a reference): both kept, linked both ways."""
    target = Complaint.objects.filter(reference=original).first()
    if target is None or target.pk == case.pk:
        raise CaseError(_("Pengaduan asal tidak ditemukan."))
    with transaction.atomic():
        complaint = services.transition(case, name, actor, original=original, **options)
        services.link_cases(source=complaint, target=target, relation="duplicate_of", actor=actor)
    return complaint


def complaint_convert_to_wbs(case: Case, name: str, actor, *, wbs_category: str, **options) -> Case:
    """A complaint alleging corruption becomes a WBS report through the core registry (pengaduan never imports
    wbs): the report carries the complaint's content and, sealed to the identity custodians exactly as a WBS
    reporter's, the complainant's identity; the complaint keeps no readable identity and closes as "dialihkan
    ke WBS", linked both ways.

    The step runs first: its row lock, state and permission checks refuse a stale page or someone who may not
    convert before anything is filed or sealed; the WBS side refuses (and everything rolls back) when no
    custodian key exists to seal the identity to. The e-mail address goes into the seal with the contact, so
    the complainant follows the complaint with their tracking number and PIN (it says "dialihkan ke WBS"),
    not by e-mail. The identity is also blanked in the complaint's field history: a readable copy there would
    undo the seal."""
    with transaction.atomic():
        converted = services.transition(case, name, actor, wbs_category=wbs_category, **options)
        complaint = Complaint.objects.get(pk=case.pk)
        identity = None
        contact = "; ".join(
            part for part in (complaint.complainant_contact, complaint.complainant_email) if part.strip()
        )
        if complaint.identity_mode != IdentityMode.ANONYMOUS and (complaint.complainant_name or contact):
            identity = {"name": complaint.complainant_name, "contact": contact}
        payload = {
            "category": wbs_category,
            "description": complaint.description,
            "location": complaint.location,
            "occurred": complaint.service_date.isoformat() if complaint.service_date else "",
            "identity": identity,
        }
        services.convert_case(source=complaint, to_kind="wbs", payload=payload, actor=actor)
        # Sealed now on the WBS side: the server keeps no readable copy here, nor in the history.
        blank = {field: Complaint._meta.get_field(field).get_prep_value("") for field in IDENTITY_FIELDS}
        Complaint.objects.filter(pk=case.pk).update(**blank)
        Complaint.history.filter(case_id=case.pk).update(**blank)
    return converted


def complaint_from_referral(*, source: Case, payload: dict, actor) -> Complaint:
    """The receiving end of a conversion (registered as the kind's `receive_conversion`): a WBS report referred
    to pengaduan becomes a complaint, anonymous (the WBS identity is sealed to the custodians and never
    carried over), with no PIN: the reporter follows it on the WBS page with their receipt."""
    fields = {
        "category": payload.get("category") or "10",
        "description": payload.get("description") or "",
        "location": (payload.get("location") or "")[:200],
    }
    complaint = services.create_case(
        kind="pengaduan",
        actor=actor,
        unit=source.unit,
        status=Status.RECEIVED,
        channel=Channel.WEB,
        received_at=timezone.now(),
        identity_mode=IdentityMode.ANONYMOUS,
        **fields,
    )
    return complaint


# ---------------------------------------------------------------------------------------------------------
# The sweep


def complaints_close_unanswered(today: dt.date | None = None) -> int:
    """Close every answered complaint whose complainant did not reply within 10 HK (SP4N-LAPOR!). Each closes
    once: the transition locks the row and expects the state "answered", so a second sweep, or two at once,
    find nothing left to do. Returns how many were closed."""
    today = today or workdays.today()
    closed = 0
    due = Complaint.objects.filter(status=Status.ANSWERED, reply_due__lt=today).values_list("pk", flat=True)
    for pk in list(due):
        complaint = Complaint.objects.get(pk=pk)
        try:
            services.transition(
                complaint,
                "close_without_reply",
                None,
                by="system",
                expected_status=Status.ANSWERED,
                confirmed=True,
                reason=_("Ditutup otomatis: pengadu tidak menanggapi jawaban dalam 10 hari kerja."),
            )
        except services.AlreadyChanged:
            continue  # confirmed, disputed or closed by another sweep meanwhile
        except CaseError as exc:
            # Not silently: a refusal here is a fault (the complainant would wait for a closure that never comes).
            logger.warning("complaint %s not closed by the sweep: %s", complaint.reference, exc.message)
            continue
        closed += 1
    if closed:
        logger.info("closed %d complaints without a reply", closed)
    return closed


# ---------------------------------------------------------------------------------------------------------
# The complaint officers: recording another channel, who reads the complainant's identity


def complaint_with_lapor_id(lapor_tracking_id: str) -> Complaint | None:
    """The complaint that already carries this SP4N-LAPOR! tracking ID, if any (one disposition, one
    complaint: LAPOR! sends the same ticket again when it is re-dispositioned)."""
    lapor_tracking_id = lapor_tracking_id.strip()
    if not lapor_tracking_id:
        return None
    return Complaint.objects.filter(lapor_tracking_id__iexact=lapor_tracking_id).order_by("pk").first()


def complaint_record(
    *, fields: dict, identity_mode: str, identity: dict | None, files: list, channel: str, received_at, actor
) -> tuple[Complaint, str]:
    """An officer records a complaint that came by another channel (a letter, a call, a LAPOR! disposition):
    filed as `actor`, its clocks counting from `received_at`, the moment it actually arrived. Returns the
    complaint and its PIN, which the officer passes on to the complainant once."""
    if not policy.has_role(actor, policy.PETUGAS_PENGADUAN):
        raise NotAllowed(_("Hanya petugas pengaduan yang dapat mencatat pengaduan."))
    if channel not in RECORDED_CHANNELS_VALUES:
        raise CaseError(_("Pilih saluran pengaduan dari daftar."))
    lapor_id = (fields.get("lapor_tracking_id") or "").strip()
    if channel == Channel.LAPOR and not lapor_id:
        raise CaseError(_("Disposisi SP4N-LAPOR! memerlukan nomor tiket LAPOR!."))
    if lapor_id and complaint_with_lapor_id(lapor_id) is not None:
        raise CaseError(_("Nomor tiket LAPOR! %(id)s sudah tercatat.") % {"id": lapor_id})
    try:
        return complaint_file(
            fields={**fields, "lapor_tracking_id": lapor_id},
            identity_mode=identity_mode,
            identity=identity,
            files=files,
            channel=channel,
            received_at=received_at,
            actor=actor,
        )
    except IntegrityError:
        # Another officer recorded the same ticket between the check above and now
        # (Complaint.Meta: complaint_lapor_ticket_unique); complaint_file's transaction rolled back whole.
        if lapor_id and complaint_with_lapor_id(lapor_id) is not None:
            raise CaseError(_("Nomor tiket LAPOR! %(id)s sudah tercatat.") % {"id": lapor_id}) from None
        raise


def is_complaint_coordinator(user) -> bool:
    """The complaint coordinator: a complaint officer who holds `coordinate_confidential` (cases.policy). A
    coordinator of another kind (UPG) is not one."""
    return policy.has_role(user, policy.PETUGAS_PENGADUAN) and policy.is_coordinator(user)


def identity_visible_to(user, complaint: Complaint) -> bool:
    """Whether `user` reads the complainant's name and contact (Perpres 76/2013: kept confidential when asked).

    Identified: everyone who sees the office view of the complaint (policy.sees_internal). Confidential: only
    the complaint coordinator, and only on a complaint they may see. Anonymous: nobody — an address given for
    news is for the outbox alone (cases.notifications reads it at delivery)."""
    if complaint.identity_mode == IdentityMode.ANONYMOUS or complaint.status == Status.CONVERTED_TO_WBS:
        return False  # nothing to read: none given, or sealed to the WBS custodians at the conversion
    if not policy.sees_internal(user, complaint):
        return False
    if complaint.identity_mode == IdentityMode.IDENTIFIED:
        return True
    return is_complaint_coordinator(user)


def complaint_identity_read(*, user, complaint: Complaint) -> dict | None:
    """The identity as `user` may read it, or None. Each read of a confidential identity is an audit event
    (`identity_viewed`), so the coordinator's reads are accounted for like a custodian's."""
    if not identity_visible_to(user, complaint):
        return None
    if complaint.identity_mode == IdentityMode.CONFIDENTIAL:
        audit.record(complaint, "identity_viewed", user, data={"mode": complaint.identity_mode})
    return {
        "name": complaint.complainant_name,
        "contact": complaint.complainant_contact,
        "email": complaint.complainant_email,
    }


def letter_available(user, complaint: Complaint) -> bool:
    """The answer letter exists once there is an answer; those who may handle the complaint and the
    inspectorate download it."""
    answered = complaint.status in (Status.ANSWERED, Status.CLOSED) and bool(complaint.answered_on)
    return answered and (policy.can_handle(user, complaint) or policy.has_role(user, policy.INSPEKTUR))


def detail_context(case: Case, user) -> dict:
    """What the complaint's block on the case page needs beyond the case (CaseKind.detail_context)."""
    complaint = case if isinstance(case, Complaint) else Complaint.objects.get(pk=case.pk)
    return {
        "identity": complaint_identity_read(user=user, complaint=complaint),
        "letter_available": letter_available(user, complaint),
    }
