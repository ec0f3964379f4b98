"""Services of the WBS: public intake, the identity custodians, disclosure, exclusions and the retention purge.

Status changes go through cases.services.transition like every other kind; what is here is what only a
whistleblowing report has.
"""

import datetime as dt
import json
import logging
import uuid

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import attachments, audit, intake, notifications, policy, services
from cases.models import Attachment, CaseExclusion, CaseText, Confidentiality, TrackingCredential, Unit
from cases.services import CaseError, NotAllowed
from wbs import identity as sealing
from wbs.models import (
    Category,
    CustodianKey,
    DisclosureDecision,
    DisclosureRequest,
    IdentitySeal,
    Knowledge,
    ReferralTarget,
    Status,
    WbsReport,
)

logger = logging.getLogger(__name__)

IDENTITY_FIELDS = ("name", "id_number", "contact", "note")


# ---------------------------------------------------------------------------------------------------------
# Public intake


def intake_unit() -> Unit:
    """The unit a report belongs to when the reporter names none: the top of the organisation."""
    unit = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("pk").first()
    if unit is None:
        raise CaseError(_("SIGAP belum memiliki unit kerja. Hubungi admin."))
    return unit


def report_submit(*, fields: dict, unit: Unit | None, identity: dict | None, files: list) -> tuple[WbsReport, str]:
    """File an anonymous report; returns it and its receipt (to be shown once and never stored in clear).

    Everything happens in one transaction: the case, its sealed identity, its receipt hash and its files.
    The handlers hear of it at a later, rounded time with no content (cases.intake.announce_at)."""
    with transaction.atomic():
        report = services.create_case(
            kind="wbs",
            actor=None,
            unit=unit or intake_unit(),
            status=Status.RECEIVED,
            confidentiality=Confidentiality.RAHASIA,
            **fields,
        )
        if identity:
            _seal_identity(report, identity)
        receipt = intake.issue_receipt(report)
        at = intake.rounded_now()
        for upload in files:
            attachments.add(case=report, upload=upload, actor=None, at=at)
        _announce(report, not_before=intake.announce_at())
    return report, receipt


def _announce(report: WbsReport, not_before=None) -> None:
    """Tell the handlers a new report is in, without content (restricted kind)."""
    services.notify_event(
        report,
        report.events.get(action="created"),
        services.case_handlers(report),
        lambda: (_("[SIGAP] Laporan WBS baru"), _("Laporan WBS baru diterima.")),
        not_before=not_before,
        headline="new_report",
    )


def report_files_add(*, report: WbsReport, files: list) -> int:
    """Files the reporter adds from the tracking page; stored with today's date, not the moment."""
    if report.is_closed:
        raise NotAllowed(_("Laporan ini sudah selesai; berkas tidak dapat ditambahkan."))
    at = intake.rounded_now()
    with transaction.atomic():
        for upload in files:
            attachments.add(case=report, upload=upload, actor=None, at=at)
    return len(files)


def report_identity_add(*, report: WbsReport, identity: dict) -> None:
    """The reporter gives (or replaces) their identity later; it is sealed like one given at submission."""
    if report.purged_at is not None or report.is_closed:
        raise NotAllowed(_("Laporan ini sudah selesai; identitas tidak dapat ditambahkan."))
    with transaction.atomic():
        _seal_identity(report, identity)
        audit.record(report, "identity_added", None, data={"from_reporter": True}, at=intake.rounded_now())


def identity_accepted() -> bool:
    """Identities can be taken only while at least one custodian key exists to seal them to."""
    return _active_keys().exists()


def _active_keys():
    return CustodianKey.objects.filter(
        is_active=True, user__is_active=True, user__groups__name=policy.KUSTODIAN
    ).distinct()


def _seal_identity(report: WbsReport, identity: dict) -> None:
    keys = list(_active_keys())
    if not keys:
        raise CaseError(_("Identitas belum dapat diterima karena belum ada kustodian identitas."))
    clean = {field: str(identity.get(field, "")).strip() for field in IDENTITY_FIELDS}
    data_key, blob = sealing.encrypt_identity(clean, report_id=str(report.uuid))
    IdentitySeal.objects.filter(report=report).delete()
    IdentitySeal.objects.bulk_create(
        IdentitySeal(report=report, custodian=key, **_seal(data_key, key, report)) for key in keys
    )
    # update(), not save(): no history row stamped with the moment the reporter acted.
    WbsReport.objects.filter(pk=report.pk).update(identity_provided=True, identity_sealed=blob)
    report.identity_provided, report.identity_sealed = True, blob


def _seal(data_key: bytes, key: CustodianKey, report: WbsReport) -> dict:
    ephemeral, sealed = sealing.seal_key(data_key, bytes(key.public_key), report_id=str(report.uuid))
    return {"ephemeral_public": ephemeral, "sealed_key": sealed}


# ---------------------------------------------------------------------------------------------------------
# Custodians


def _keypair(key: CustodianKey) -> sealing.KeyPair:
    return sealing.KeyPair(bytes(key.public_key), bytes(key.wrapped_private), bytes(key.salt))


def _unlock(key: CustodianKey, passphrase: str):
    try:
        return sealing.unwrap_private(_keypair(key), passphrase, owner=key.owner)
    except sealing.WrongPassphrase:
        raise CaseError(_("Frasa sandi kustodian salah.")) from None


def custodian_key_create(*, user, passphrase: str) -> CustodianKey:
    if not policy.has_role(user, policy.KUSTODIAN):
        raise NotAllowed(_("Hanya kustodian identitas yang dapat membuat kunci kustodian."))
    if len(passphrase) < 12:
        raise CaseError(_("Frasa sandi paling sedikit 12 karakter."))
    with transaction.atomic():
        if CustodianKey.objects.filter(user=user).exists():
            raise CaseError(_("Anda sudah memiliki kunci kustodian."))
        # The owner binding names the row, so the row comes first and the key pair second.
        key = CustodianKey.objects.create(user=user, public_key=b"", wrapped_private=b"", salt=b"")
        pair = sealing.new_keypair(passphrase, owner=key.owner)
        CustodianKey.objects.filter(pk=key.pk).update(
            public_key=pair.public, wrapped_private=pair.wrapped_private, salt=pair.salt
        )
        key.refresh_from_db()
    return key


def custodian_passphrase_change(*, user, old: str, new: str) -> None:
    if len(new) < 12:
        raise CaseError(_("Frasa sandi paling sedikit 12 karakter."))
    with transaction.atomic():
        key = CustodianKey.objects.select_for_update().get(user=user, is_active=True)
        try:
            pair = sealing.rewrap_private(_keypair(key), old, new, owner=key.owner)
        except sealing.WrongPassphrase:
            raise CaseError(_("Frasa sandi kustodian salah.")) from None
        CustodianKey.objects.filter(pk=key.pk).update(wrapped_private=pair.wrapped_private, salt=pair.salt)


def reports_missing_seals() -> int:
    """Reports with an identity that some active custodian cannot open yet (a custodian added later)."""
    active = _active_keys().count()
    return (
        WbsReport.objects.filter(identity_provided=True, purged_at__isnull=True)
        .annotate(n=Count("seals", filter=Q(seals__custodian__in=_active_keys())))
        .filter(n__lt=active)
        .count()
    )


def custodian_reseal(*, user, passphrase: str) -> int:
    """Seal every identity this custodian can open to the active custodians who cannot yet. Returns how
    many seals were added. This is how a new custodian gains access to existing identities."""
    key = CustodianKey.objects.get(user=user, is_active=True)
    private = _unlock(key, passphrase)
    active = list(_active_keys())
    mine = IdentitySeal.objects.filter(custodian=key, report__purged_at__isnull=True).select_related("report")
    have: dict[int, set[int]] = {}
    for report_id, custodian_id in IdentitySeal.objects.filter(report__seals__custodian=key).values_list(
        "report_id", "custodian_id"
    ):
        have.setdefault(report_id, set()).add(custodian_id)
    added = 0
    for seal in mine:
        report = seal.report
        missing = [other for other in active if other.pk not in have.get(report.pk, set())]
        if not missing:
            continue
        data_key = sealing.unseal_key(
            private, bytes(seal.ephemeral_public), bytes(seal.sealed_key), report_id=str(report.uuid)
        )
        IdentitySeal.objects.bulk_create(
            [IdentitySeal(report=report, custodian=other, **_seal(data_key, other, report)) for other in missing],
            ignore_conflicts=True,
        )
        added += len(missing)
    return added


def custodian_key_remove(*, key: CustodianKey, actor, reason: str = "", confirmed: bool = False) -> None:
    """Retire a custodian's key. Refused while some identity is sealed to this key alone: removing it then
    would lose that identity for good (run a re-seal first).

    Irreversible (the key's seals are deleted), so it needs a confirmation and a reason. A key belongs to no
    case, so the reason goes to the admin's action log (LogEntry) rather than a case's audit chain."""
    if not policy.has_role(actor, policy.KUSTODIAN):
        raise NotAllowed(_("Hanya kustodian identitas yang dapat mencabut kunci kustodian."))
    reason = reason.strip()
    if not reason:
        raise CaseError(_("Tuliskan alasan pencabutan kunci kustodian."))
    if not confirmed:
        raise CaseError(_("Pencabutan kunci tidak dapat dibatalkan: centang konfirmasi untuk melanjutkan."))
    with transaction.atomic():
        others = _active_keys().exclude(pk=key.pk)
        orphaned = (
            WbsReport.objects.filter(identity_provided=True, purged_at__isnull=True, seals__custodian=key)
            .exclude(seals__custodian__in=others)
            .count()
        )
        if orphaned:
            raise CaseError(
                _(
                    "%(n)d identitas hanya dapat dibuka dengan kunci ini. Minta kustodian lain dibuatkan kunci "
                    "dan lakukan penyegelan ulang lebih dahulu."
                )
                % {"n": orphaned}
            )
        IdentitySeal.objects.filter(custodian=key).delete()
        CustodianKey.objects.filter(pk=key.pk).update(is_active=False)
        LogEntry.objects.log_actions(
            actor.pk, [key], CHANGE, change_message=f"Kunci kustodian dicabut. Alasan: {reason[:2000]}"
        )


# ---------------------------------------------------------------------------------------------------------
# Disclosure


def disclosure_request(*, report: WbsReport, requester, reason: str) -> DisclosureRequest:
    if not policy.can_handle(requester, report):
        raise NotAllowed(_("Anda tidak berwenang atas laporan ini."))
    if not report.identity_provided:
        raise CaseError(_("Pelapor tidak memberikan identitas."))
    reason = reason.strip()
    if len(reason) < 20:
        raise CaseError(_("Tuliskan alasan permintaan dengan jelas (paling sedikit 20 karakter)."))
    with transaction.atomic():
        if DisclosureRequest.objects.filter(
            report=report, requester=requester, decision=DisclosureDecision.PENDING
        ).exists():
            raise CaseError(_("Anda sudah memiliki permintaan yang menunggu keputusan."))
        request = DisclosureRequest.objects.create(uuid=uuid.uuid4(), report=report, requester=requester, reason=reason)
        event = audit.record(report, "disclosure_requested", requester, data={"request": str(request.uuid)})
        custodians = [key.user for key in _active_keys().select_related("user") if key.user_id != requester.pk]
        notifications.queue(
            recipients=custodians,
            subject="",
            body="",
            link=reverse("wbs:custodian"),
            dedupe_key=f"event:{event.pk}",
            restricted=True,
        )
    return request


def disclosure_decide(*, disclosure: DisclosureRequest, custodian, approve: bool, reason: str, passphrase: str) -> None:
    """A custodian approves or denies. Never the requester; the passphrase proves the custodian is present
    and, for an approval, unseals the identity, which is then kept for the requester until it expires."""
    if not policy.has_role(custodian, policy.KUSTODIAN):
        raise NotAllowed(_("Hanya kustodian identitas yang dapat memutuskan."))
    if custodian.pk == disclosure.requester_id:
        raise NotAllowed(_("Permintaan Anda sendiri harus diputuskan oleh kustodian lain."))
    if policy.is_conflicted(custodian, disclosure.report):
        # Segregation of duties: a custodian the report is about must never unseal who reported them.
        raise NotAllowed(_("Anda dikecualikan dari laporan ini; permintaan ini harus diputuskan kustodian lain."))
    reason = reason.strip()
    if not reason:
        raise CaseError(_("Tuliskan alasan keputusan."))
    key = CustodianKey.objects.filter(user=custodian, is_active=True).first()
    if key is None:
        raise CaseError(_("Anda belum memiliki kunci kustodian."))
    private = _unlock(key, passphrase)
    with transaction.atomic():
        locked = DisclosureRequest.objects.select_for_update().select_related("report").get(pk=disclosure.pk)
        if locked.decision != DisclosureDecision.PENDING:
            raise services.AlreadyChanged(_("Permintaan ini sudah diputuskan."))
        report = locked.report
        now = timezone.now()
        locked.decided_by, locked.decided_at, locked.decision_reason = custodian, now, reason
        if approve:
            seal = IdentitySeal.objects.filter(report=report, custodian=key).first()
            if seal is None:
                raise CaseError(
                    _("Identitas laporan ini tidak tersegel untuk kunci Anda. Minta kustodian lain memutuskan.")
                )
            data_key = sealing.unseal_key(
                private, bytes(seal.ephemeral_public), bytes(seal.sealed_key), report_id=str(report.uuid)
            )
            identity = sealing.decrypt_identity(data_key, bytes(report.identity_sealed), report_id=str(report.uuid))
            locked.decision = DisclosureDecision.APPROVED
            locked.expires_at = now + dt.timedelta(hours=settings.SIGAP_WBS_DISCLOSURE_HOURS)
            locked.identity = json.dumps(identity, ensure_ascii=False)
            action = "disclosure_approved"
        else:
            locked.decision = DisclosureDecision.DENIED
            action = "disclosure_denied"
        locked.save()
        event = audit.record(report, action, custodian, data={"request": str(locked.uuid)})
        notifications.queue(
            recipients=[locked.requester],
            subject="",
            body="",
            link=reverse("wbs:disclosure", args=[locked.uuid]),
            dedupe_key=f"event:{event.pk}",
            restricted=True,
            case=report,  # withdrawn if the requester is excluded from the report before it is delivered
        )


def disclosure_read(*, disclosure: DisclosureRequest, user) -> dict:
    """The disclosed identity, for its requester only, before it expires. Every read is an audit event."""
    if user.pk != disclosure.requester_id or not policy.can_view(user, disclosure.report):
        raise NotAllowed(_("Pembukaan identitas ini hanya untuk petugas yang memintanya."))
    if disclosure.decision != DisclosureDecision.APPROVED or not disclosure.identity:
        raise CaseError(_("Tidak ada identitas yang dapat ditampilkan untuk permintaan ini."))
    if disclosure.expires_at is None or disclosure.expires_at <= timezone.now():
        raise CaseError(_("Masa berlaku pembukaan identitas ini sudah berakhir."))
    with transaction.atomic():
        audit.record(disclosure.report, "identity_viewed", user, data={"request": str(disclosure.uuid)})
    return json.loads(disclosure.identity)


def disclosures_expire() -> int:
    """Erase approved identities past their expiry (the periodic task runs this)."""
    return DisclosureRequest.objects.filter(expires_at__lte=timezone.now()).exclude(identity="").update(identity="")


# ---------------------------------------------------------------------------------------------------------
# Exclusions


def supervisors_of(user) -> list:
    """The user's supervisors up the line (atasan langsung, their atasan, …), without cycles."""
    found, seen = [], {user.pk}
    current = user
    while True:
        profile = getattr(current, "profile", None)
        supervisor = profile.supervisor if profile is not None else None
        if supervisor is None or supervisor.pk in seen:
            return found
        found.append(supervisor)
        seen.add(supervisor.pk)
        current = supervisor


def exclusion_add(*, report: WbsReport, person, actor, reason: str = "", confirmed: bool = False) -> int:
    """Keep a person the report is about (terlapor), and their supervisors, out of it entirely. Returns how
    many people were newly excluded. An excluded assignee loses the case.

    Irreversible from the screen, so it needs a confirmation and a reason (kept encrypted with the report's
    texts). Refused when the actor would exclude themself, or when nobody would be left who can see and
    assign the report (cases.policy.exclusion_refusal)."""
    if not policy.can_handle(actor, report):
        raise NotAllowed(_("Anda tidak berwenang atas laporan ini."))
    reason = reason.strip()
    if not reason:
        raise CaseError(_("Tuliskan alasan pengecualian."))
    if not confirmed:
        raise CaseError(_("Pengecualian tidak dapat dibatalkan dari layar ini: centang konfirmasi untuk melanjutkan."))
    people = [person, *supervisors_of(person)]
    with transaction.atomic():
        # Locks the case row too (the detail row joins it): two exclusions (two coordinators excluding each
        # other) and transitions are serialised.
        WbsReport.objects.select_for_update().filter(pk=report.pk).values_list("pk").get()
        refusal = policy.exclusion_refusal(report, actor, people)
        if refusal:
            raise CaseError(refusal)
        added = 0
        for user, label in zip(people, ["terlapor"] + ["atasan terlapor"] * (len(people) - 1), strict=True):
            _row, created = CaseExclusion.objects.get_or_create(
                case_id=report.pk, user=user, defaults={"reason": label}
            )
            added += created
            if policy.is_assigned(user, report):
                policy.revoke_handling(user, report)
            if WbsReport.objects.filter(pk=report.pk, assignee=user).update(assignee=None):
                report.assignee = None
        # The log records how many, not whom: who is accused is itself protected. The reason may name them,
        # so it is stored like a note of a restricted kind (an encrypted CaseText the purge removes).
        audit.record(
            report, "excluded", actor, data={"count": added, **services.text_data(report, "reason", reason[:2000])}
        )
    return added


# ---------------------------------------------------------------------------------------------------------
# Retention


CONTENT_FIELDS = (
    "description",
    "involved",
    "location",
    "occurred",
    "method",
    "knowledge_detail",
    "recommendation",
    "follow_up_result",
)


def report_purge(*, report: WbsReport) -> None:
    """Destroy a closed report's content and keep a content-free tombstone for the statistics: category,
    outcome, status, dates (rounded to the day), clock outcomes and the audit chain stay; texts, files, the
    identity, the receipt, exclusions and the field history go."""
    with transaction.atomic():
        attachments.delete_all(report)
        CaseText.objects.filter(case_id=report.pk).delete()
        IdentitySeal.objects.filter(report=report).delete()
        DisclosureRequest.objects.filter(report=report).delete()
        TrackingCredential.objects.filter(case_id=report.pk).delete()
        CaseExclusion.objects.filter(case_id=report.pk).delete()
        WbsReport.history.filter(case_ptr_id=report.pk).delete()
        today = intake.rounded_now()
        WbsReport.objects.filter(pk=report.pk).update(
            **dict.fromkeys(CONTENT_FIELDS, ""),
            identity_sealed=None,
            referral_agency="",
            referral_letter="",
            follow_up_owner="",
            # To the day: the tombstone keeps when, not the moment (statistics count by day).
            **{name: _day_of(getattr(report, name)) for name in ("created_at", "submitted_at", "closed_at")},
            purged_at=today,
        )
        audit.record(report, "purged", None, at=today)


def _day_of(moment: dt.datetime | None) -> dt.datetime | None:
    """The start of that day in Asia/Jakarta."""
    if moment is None:
        return None
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(moment), dt.time.min))


# Tables whose rows a purge deletes or rewrites: PostgreSQL keeps the old row versions in its files until they
# are vacuumed.
PURGED_MODELS = (WbsReport, CaseText, IdentitySeal, DisclosureRequest, TrackingCredential, CaseExclusion)


def reports_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Purge every report closed longer ago than SIGAP_WBS_RETENTION_DAYS, then vacuum what they left."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SIGAP_WBS_RETENTION_DAYS)
    count = 0
    for report in WbsReport.objects.filter(closed_at__lt=cutoff, purged_at__isnull=True).iterator(chunk_size=100):
        report_purge(report=report)
        count += 1
    if count:
        vacuum_purged_tables()
    return count


def vacuum_purged_tables() -> list[str]:
    """VACUUM (ANALYZE) the purged tables on PostgreSQL, so the destroyed content does not stay readable in
    dead row versions until autovacuum happens by. VACUUM cannot run inside a transaction: inside one it is
    run after the commit. SQLite needs nothing here: every connection runs with `secure_delete` on
    (config/settings.py), which overwrites deleted content at once. Returns the tables vacuumed."""
    if connection.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in PURGED_MODELS] + [
        WbsReport.history.model._meta.db_table,
        Attachment._meta.db_table,
    ]

    def vacuum():
        if connection.in_atomic_block:
            # Still inside an outer transaction (a caller's, or a test's): VACUUM would fail there.
            logger.warning("purged tables not vacuumed: still inside a transaction")
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")

    if connection.in_atomic_block:
        transaction.on_commit(vacuum)
    else:
        vacuum()
    return tables


# ---------------------------------------------------------------------------------------------------------
# Conversions between kinds, through the core registry (cases.services.convert_case): wbs never imports
# pengaduan, and pengaduan never imports wbs.

# A WBS category as the pengaduan problem code (REFERENCE.md "Pengaduan problem codes") when a report is referred
# to pengaduan; anything else is "10 Umum" and the complaint officer recategorises it.
PENGADUAN_CATEGORY = {
    Category.KORUPSI: "03",
    Category.SUAP_PUNGLI: "03",
    Category.GRATIFIKASI: "03",
    Category.PENGADAAN: "03",
    Category.PENYALAHGUNAAN_WEWENANG: "01",
    Category.BENTURAN_KEPENTINGAN: "01",
    Category.DISIPLIN: "04",
    Category.KODE_ETIK: "04",
}


def report_from_conversion(*, source, payload: dict, actor) -> WbsReport:
    """The receiving end of a conversion (the kind's `receive_conversion`): a complaint alleging corruption
    becomes a WBS report — received, RAHASIA — with the complaint's category, description, place and date, and
    the complainant's identity (`payload["identity"]`, if any) sealed to the identity custodians exactly as a
    reporter's at submission. Without a custodian key the identity cannot be protected, so the conversion is
    refused rather than done without it. The handlers hear of it without content. No receipt: the complainant
    keeps following the complaint, which says it was moved to WBS."""
    category = payload.get("category") or ""
    if category not in Category.values:
        raise CaseError(_("Pilih kategori laporan WBS dari daftar."))
    identity = payload.get("identity") or None
    if identity and not identity_accepted():
        raise CaseError(
            _(
                "Identitas pengadu tidak dapat dilindungi karena belum ada kustodian identitas, sehingga "
                "pengaduan belum dapat dialihkan ke WBS. Minta admin menetapkan kustodian identitas lebih dulu."
            )
        )
    with transaction.atomic():
        report = services.create_case(
            kind="wbs",
            actor=actor,
            unit=source.unit,
            status=Status.RECEIVED,
            confidentiality=Confidentiality.RAHASIA,
            category=category,
            description=payload.get("description") or "",
            location=payload.get("location") or "",
            occurred=payload.get("occurred") or "",
            knowledge=Knowledge.LAINNYA,
            knowledge_detail=_("Dialihkan dari pengaduan masyarakat %(ref)s.") % {"ref": source.reference},
        )
        if identity:
            _seal_identity(report, identity)
        _announce(report)
    return report


def report_refer(case, name: str, actor, *, referral_target: str, **options):
    """The `service` of the `refer` transition (same signature as cases.services.transition): the referral is
    recorded, and a referral to pengaduan also files a complaint through the core registry
    (cases.services.convert_case; the receiving end is pengaduan's), linked both ways, in one transaction.

    The complaint carries the category (as a pengaduan code), what happened and where — no identity: the
    reporter's identity is sealed to the custodians and the server cannot read it, so the complaint is
    anonymous, and the reporter keeps following the report with their receipt."""
    with transaction.atomic():
        referred = services.transition(case, name, actor, referral_target=referral_target, **options)
        if referral_target == ReferralTarget.PENGADUAN:
            report = WbsReport.objects.get(pk=case.pk)
            payload = {
                "category": PENGADUAN_CATEGORY.get(report.category, "10"),
                "description": report.description,
                "location": report.location,
            }
            services.convert_case(source=report, to_kind="pengaduan", payload=payload, actor=actor)
    return referred
