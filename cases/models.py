"""The shared case core: organisation, the one concrete Case table, its audit log, clocks, outbox, files."""

import hashlib
import json
import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_fsm import FSMField, FSMModelMixin
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cases import crypto, registry
from cases.fields import EncryptedTextField


class Unit(models.Model):
    """A unit kerja. Units nest (Inspektorat > Bagian > Subbagian); cases belong to one."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("unit induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    # The head of the unit (kepala unit kerja): approves the unit's documents (the conflict-of-interest risk
    # map) and reads the unit's coverage figures.
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kepala unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def descendant_ids(self) -> list[int]:
        """This unit and every unit below it (a unit tree is small: one query per level is fine). A cycle (which
        clean() refuses, but older data may hold) ends the walk instead of looping forever."""
        found, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = [
                pk for pk in Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True) if pk not in found
            ]
            found.extend(frontier)
        return found

    def clean(self):
        if self.pk is not None and self.parent_id is not None and self.parent_id in self.descendant_ids():
            raise ValidationError({"parent": _("Unit induk tidak boleh unit ini sendiri atau unit di bawahnya.")})


class EmployeeProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    nip = models.CharField(_("NIP"), max_length=18, unique=True, null=True, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), null=True, blank=True, on_delete=models.PROTECT)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinate_profiles",
    )
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    # The rest of what KPK's reporting form asks of a reporter (Peraturan KPK 2/2019, lampiran: formulir
    # laporan gratifikasi), filled in once here instead of on every report. NIK and home address are
    # personal data that nobody searches by: encrypted at rest (UU 27/2022 on personal data protection).
    nik = EncryptedTextField(
        _("NIK"), blank=True, validators=[RegexValidator(r"^\d{16}$", _("NIK terdiri atas 16 angka."))]
    )
    rank = models.CharField(_("pangkat/golongan"), max_length=100, blank=True, help_text=_("Mis. Penata Tk. I, III/d"))
    institution = models.CharField(_("instansi"), max_length=200, blank=True)
    address = EncryptedTextField(_("alamat"), blank=True, help_text=_("Alamat rumah atau alamat korespondensi."))
    # The language the user last chose with the language switch: notifications, written while someone else
    # acts or by the deadline sweep, are rendered in it (cases.notifications.queue). Blank: the default.
    language = models.CharField(_("bahasa"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("profil pegawai")
        verbose_name_plural = _("profil pegawai")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class RolePolicy(models.Model):
    """Settings attached to a role (a Django group) that an admin may change, e.g. requiring 2FA."""

    group = models.OneToOneField(Group, verbose_name=_("grup"), on_delete=models.CASCADE, related_name="policy")
    require_two_factor = models.BooleanField(_("wajib verifikasi dua langkah"), default=False)

    class Meta:
        verbose_name = _("kebijakan peran")
        verbose_name_plural = _("kebijakan peran")

    def __str__(self) -> str:
        return self.group.name


class CalendarOverride(models.Model):
    """A change to the national calendar: a regional holiday, or a decree that moves a holiday."""

    date = models.DateField(_("tanggal"), unique=True)
    is_working_day = models.BooleanField(
        _("hari kerja"),
        default=False,
        help_text=_("Centang bila tanggal ini hari kerja walau kalender nasional libur."),
    )
    description = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("penyesuaian kalender")
        verbose_name_plural = _("penyesuaian kalender")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.description}"


class ReferenceCounter(models.Model):
    """The last number given to a case of one kind in one year; incremented under its row lock."""

    kind = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="reference_counter_kind_year")]


class Confidentiality(models.IntegerChoices):
    BIASA = 0, _("Biasa")
    RAHASIA = 1, _("Rahasia")


class Case(FSMModelMixin, models.Model):
    """What every case shares. Each case app adds a detail model that inherits from this one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("jenis"), max_length=32, editable=False)
    reference = models.CharField(_("nomor"), max_length=32, editable=False)
    # Protected: only django-fsm transitions change it, and only cases.services.transition calls them.
    status = FSMField(_("status"), max_length=40, default="draft", protected=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="cases")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelapor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    confidentiality = models.PositiveSmallIntegerField(
        _("kerahasiaan"), choices=Confidentiality.choices, default=Confidentiality.BIASA
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    # The nearest due date of the case's open clocks, kept here so the inbox can sort and filter on it.
    due_date = models.DateField(_("batas waktu terdekat"), null=True, blank=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "reference"], name="case_reference_unique_per_kind")]
        indexes = [
            # The inbox: cases of a kind ordered by the nearest due date.
            models.Index(fields=["kind", "due_date"], name="case_kind_due"),
            # A status chosen in the inbox (closed ones included), in the inbox's order: the page walks the index
            # instead of sorting every case of that status (benchmarks/: 1.5 s -> ms for "pengaduan: selesai" at
            # 1,000,000 cases). Its prefix (kind, status) serves what the old (kind, status) index served.
            models.Index(fields=["kind", "status", "due_date", "-created_at", "-id"], name="case_kind_status_order"),
            models.Index(fields=["due_date"], name="case_due"),
            # The inbox's default list (open cases) in the inbox's own order, so page 1 reads about as many index
            # entries as it shows, whatever the table holds (issue 14). PostgreSQL's ASC is NULLS LAST, the
            # inbox's order for cases without a running clock.
            models.Index(
                fields=["due_date", "-created_at", "-id"],
                name="case_open_inbox",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]
        permissions = [
            # Names in Indonesian: Django stores them untranslated and Pengaturan lists them as stored.
            ("handle_case", "Dapat menangani kasus ini"),
            # The coordinator of a handler group (e.g. ketua UPG): receives confidential cases of the kinds
            # they handle and assigns them. Given per user in the admin.
            ("coordinate_confidential", "Dapat menerima dan menugaskan kasus rahasia dari jenis yang ditanganinya"),
        ]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")

    def __str__(self) -> str:
        return self.reference

    @cached_property
    def kind_def(self) -> registry.CaseKind:
        return registry.get(self.kind)

    @property
    def kind_label(self) -> str:
        return self.kind_def.label

    @property
    def status_label(self) -> str:
        return dict(self.kind_def.status_labels).get(self.status, self.status)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian object permissions with a real foreign key, so the inbox can join on them."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseExclusion(models.Model):
    """Someone who must not see a case: a person it is about (terlapor) or their supervisor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exclusions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("alasan"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_exclusion_unique")]


class CaseAuditHead(models.Model):
    """The end of a case's event chain. Removing the newest event would otherwise leave a valid chain."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="audit_head")
    length = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)


class AppendOnlyError(Exception):
    pass


class CaseEvent(models.Model):
    """One entry of a case's append-only, hash-chained log: transitions, assignments, messages, views."""

    case = models.ForeignKey(Case, verbose_name=_("kasus"), on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("urutan"))
    action = models.CharField(_("tindakan"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("waktu"))
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40, blank=True)
    # Never identity or report content: this log is read by auditors who may not see either.
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]
        verbose_name = _("peristiwa kasus")
        verbose_name_plural = _("peristiwa kasus")

    def __str__(self) -> str:
        # Read in Pengaturan's breadcrumbs: the case's number and the action in words, not ids and codes.
        from cases.audit import action_label  # cases.audit imports this module

        return f"{self.case.reference} #{self.seq} {action_label(self.action)}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Case events are append-only")

    # The fields a hash covers, in order; verify_audit reads exactly these as plain rows.
    HASHED_FIELDS = ("case_id", "seq", "action", "actor_id", "created_at", "from_status", "to_status", "data")

    def compute_hash(self) -> str:
        return self.digest(self.prev_hash, *(getattr(self, name) for name in self.HASHED_FIELDS))

    @staticmethod
    def digest(prev_hash, case_id, seq, action, actor_id, created_at, from_status, to_status, data) -> str:
        payload = json.dumps(
            [case_id, seq, action, actor_id, created_at.isoformat(), from_status, to_status, data],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


class DeadlineClock(models.Model):
    """One legal or SOP deadline of a case, counted in working days (hari kerja) from its start date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    code = models.CharField(max_length=40)
    label = models.CharField(_("tenggat"), max_length=200)
    basis = models.CharField(_("dasar"), max_length=200)
    start_date = models.DateField(_("mulai"))
    working_days = models.PositiveSmallIntegerField(_("hari kerja"))
    due_date = models.DateField(_("batas waktu"))
    paused_on = models.DateField(_("dijeda sejak"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("hari kerja dijeda"), default=0)
    met_on = models.DateField(_("dipenuhi"), null=True, blank=True)
    stopped_on = models.DateField(_("dihentikan"), null=True, blank=True)
    breached_on = models.DateField(_("terlampaui"), null=True, blank=True)
    warned_h3_at = models.DateTimeField(null=True, blank=True)
    warned_h1_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="deadline_clock_unique")]
        indexes = [
            # One per sweep stage (cases.deadlines.stage_querysets): only the running clocks still owed that
            # stage, in the sweep's order, so a sweep with nothing to do reads nothing, and sent clocks leave
            # the index. They replace the sweep's one index of all running clocks by due date
            # (clock_running_due, read by nothing else), which PostgreSQL preferred to them (it cannot know
            # that a clock past its due date was mostly escalated already) and which made an idle sweep read
            # every running clock already escalated or warned.
            *(
                models.Index(
                    fields=["due_date", "id"],
                    name=f"clock_owed_{stage}",
                    condition=models.Q(
                        met_on__isnull=True,
                        stopped_on__isnull=True,
                        paused_on__isnull=True,
                        **{f"{field}__isnull": True},
                    ),
                )
                for stage, field in (("breach", "escalated_at"), ("h1", "warned_h1_at"), ("h3", "warned_h3_at"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code} {self.due_date}"

    def _rule(self):
        return next((rule for rule in self.case.kind_def.clocks if rule.code == self.code), None)

    @property
    def display_label(self) -> str:
        """The kind's (translated) label for this clock; the stored label is the fallback for old rules."""
        rule = self._rule()
        return str(rule.label) if rule is not None else self.label

    @property
    def display_basis(self) -> str:
        """The kind's (translated) legal basis; the stored one is the fallback for old rules."""
        rule = self._rule()
        return str(rule.basis) if rule is not None else self.basis

    @property
    def length_label(self) -> str:
        """The clock's length as its rule says it: "5 hari kerja", or the rule's own words ("3 bulan")."""
        rule = self._rule()
        if rule is not None and rule.length_label:
            return str(rule.length_label)
        return ngettext("%(n)d hari kerja", "%(n)d hari kerja", self.working_days) % {"n": self.working_days}

    @property
    def is_late(self) -> bool:
        """Met after its due date, or still running past it."""
        if self.met_on is not None:
            return self.met_on > self.due_date
        if self.stopped_on is not None:
            return False
        # timezone.localdate() is workdays.today() (Asia/Jakarta): models sit below workdays, which reads
        # CalendarOverride, so they do not import it.
        return self.breached_on is not None or (self.paused_on is None and self.due_date < timezone.localdate())

    # Where a clock stands: the one reading the case page, the KPK form and every export show.
    ON_TIME, LATE, STOPPED, PAUSED, OVERDUE, RUNNING = "on_time", "late", "stopped", "paused", "overdue", "running"
    STATE_LABELS = {
        ON_TIME: _("tepat waktu"),
        LATE: _("terlambat"),
        STOPPED: _("dihentikan"),
        PAUSED: _("dijeda"),
        OVERDUE: _("terlampaui"),
        RUNNING: _("berjalan"),
    }

    def state(self, today=None) -> str:
        """Met on time or late; stopped (the step it counted no longer applies); paused; overdue — breached by
        the sweep, or past its due date on `today` before the sweep has run; else running."""
        if self.met_on is not None:
            return self.LATE if self.met_on > self.due_date else self.ON_TIME
        if self.stopped_on is not None:
            return self.STOPPED
        if self.paused_on is not None:
            return self.PAUSED
        if today is None:
            # Imported here as in is_late: cases.workdays reads this module's CalendarOverride.
            from cases.workdays import today as workday_today

            today = workday_today()
        if self.breached_on is not None or self.due_date < today:
            return self.OVERDUE
        return self.RUNNING

    @property
    def state_label(self) -> str:
        return str(self.STATE_LABELS[self.state()])


class OutboxMessage(models.Model):
    """A notification waiting for delivery. Written in the same transaction as the change it reports."""

    # Empty for a message to a public reporter without an account: their address is not stored here but read
    # from the kind at delivery (CaseKind.reporter_email), so this table holds no identity in clear.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # Held back until then: what an anonymous reporter does is announced to the office at a later, rounded
    # time, so neither this table nor the email's arrival pins the reporter's action to the minute.
    not_before = models.DateTimeField(null=True, blank=True)
    # The case the message is about: delivery checks again that the recipient may still see it (an exclusion
    # made after queueing withdraws the message). Empty for messages not about one case's content.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="outbox_pending", condition=models.Q(delivered_at__isnull=True))
        ]


class Notification(models.Model):
    """The in-app copy of a delivered outbox message."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    outbox = models.OneToOneField(OutboxMessage, null=True, on_delete=models.SET_NULL, related_name="notification")
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class StoredFile(models.Model):
    """A file encrypted at rest in file storage (cases.attachments), its name encrypted too (names identify
    people): a case's attachment, and the other apps' files kept the same way (evaluasi's documents)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name_encrypted = models.TextField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    blob = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return crypto.decrypt_text(self.name_encrypted)


class Attachment(StoredFile):
    """A file of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["created_at"]


class CaseText(models.Model):
    """The text of a message, internal note or transition note of a kind with restricted content (WBS) or
    encrypted texts (pengaduan).

    Kept out of the audit log, which is append-only and hash-chained: the event points here, so the text is
    encrypted at rest, rotates with the data keys, and can be purged with the report while the chain stays
    intact.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="texts")
    text = EncryptedTextField()


class TrackingCredential(models.Model):
    """How an anonymous reporter finds their case again (cases.intake), stored only as a slow hash: a receipt
    (WBS), looked up by its hash, or a PIN that goes with the case's public reference (pengaduan), checked
    against its hash once the reference has found the case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="tracking")
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # "<salt hex>$<Argon2id hex>" with a random salt per credential.
    pin_hash = models.CharField(max_length=200, blank=True)


class CaseLink(models.Model):
    """A link between two cases: a complaint converted into a WBS report, a duplicate, a related case. Written
    by cases.services.link_cases, with an audit event on both cases."""

    class Relation(models.TextChoices):
        CONVERTED_TO = "converted_to", _("Dialihkan ke")
        DUPLICATE_OF = "duplicate_of", _("Duplikat dari")
        RELATED = "related", _("Terkait")

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_from")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_to")
    relation = models.CharField(_("hubungan"), max_length=20, choices=Relation.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case", "relation"], name="case_link_unique"),
            models.CheckConstraint(condition=~models.Q(from_case=models.F("to_case")), name="case_link_not_self"),
        ]
        verbose_name = _("tautan kasus")
        verbose_name_plural = _("tautan kasus")

    def __str__(self) -> str:
        return f"{self.from_case_id} {self.relation} {self.to_case_id}"


class InstallationSecret(models.Model):
    """Random values made once per installation, e.g. the salt of receipt hashes. Not server keys: these
    only make precomputed tables useless; the receipts themselves carry the secret."""

    name = models.CharField(max_length=64, unique=True)
    value = models.BinaryField()


# --- i14 (scale): checkpoints of audit verification, so `verify_audit --incremental` reads only new events ---


class AuditCheckpoint(models.Model):
    """One finished run of `verify_audit`: how far it read and what it found.

    `through_event_id` is the highest CaseEvent id the run could see (its snapshot), read behind the write
    fence (cases.audit._fenced), so every lower id was committed by then: the next incremental run reads the
    cases with events above it through the primary-key index, in proportion to the new events.
    `through_case_id` likewise for cases: a case above it is new, and is read from its first event even if
    its events are gone. A run that finds problems still records how far it read; the broken cases do not
    move on (see AuditVerifiedHead)."""

    class Kind(models.TextChoices):
        FULL = "full", _("Penuh")
        INCREMENTAL = "incremental", _("Inkremental")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    through_event_id = models.BigIntegerField(default=0)
    through_case_id = models.BigIntegerField(default=0)
    events_checked = models.BigIntegerField(default=0)
    cases_checked = models.PositiveIntegerField(default=0)
    problems_found = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("titik periksa audit")
        verbose_name_plural = _("titik periksa audit")

    def __str__(self) -> str:
        return f"{self.kind} #{self.through_event_id} {self.finished_at:%Y-%m-%d %H:%M}"


class AuditVerifiedHead(models.Model):
    """Where a case's chain was last verified intact: its length and last hash at that moment.

    A table of its own rather than columns on CaseAuditHead: record() locks and updates the head row on
    every event, and verification writes these rows in bulk; kept apart, a long verification never waits
    for, nor blocks, a handler's action. The incremental run continues each case with new events from here,
    and reads every case with a `problem` on record from its first event again. A broken case keeps its last
    good position and its problem: every incremental run reports it again, and only a full check that finds
    the chain intact clears it (an old event replaced by an identical row leaves a chain that reads intact)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="audit_verified")
    length = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    # The reason the chain failed, as verify_audit reports it (never content); empty when intact.
    problem = models.CharField(max_length=200, blank=True)

    class Meta:
        # The incremental run reads the broken cases again: few rows, found without reading the table.
        indexes = [models.Index(fields=["case"], name="audit_verified_problem", condition=~models.Q(problem=""))]
