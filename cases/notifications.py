"""The notification outbox.

Services write OutboxMessage rows inside their own transaction, so a notification exists exactly when the
change it reports was committed. After commit we nudge a Celery worker; if Redis or the worker is down the
nudge fails quietly and the rows wait: the beat schedule drains the outbox every minute, and a worker
drains it on start, so delivery catches up and nothing is lost.

Delivery claims a row (a lease, committed) before sending and marks it delivered after, so a retried or
duplicated drain never sends one message twice; only a crash between sending and marking can, after the
lease expires. A batch is claimed at once but sent one by one, so the lease is renewed for each message just
before it is sent (_renew): a slow batch whose later rows outlived the lease and were claimed by another
worker is not sent by both.

A public reporter without an account (pengaduan) is written to as well (queue_to_reporter): the row has no
recipient and no address; the address is asked of the case's kind at delivery (CaseKind.reporter_email), so
the outbox never holds an identity in clear, and a purged or withdrawn address means the message is withdrawn.

Who may see a case can change between queueing and delivery (a WBS report's terlapor excluded after the
new-report alert was queued, with its delay). A message about a case is therefore checked again at
delivery, through the policy module, and withdrawn if its recipient may no longer see the case.
"""

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases import policy, registry
from cases.models import Notification, OutboxMessage

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)


def _restricted_texts(headline: str) -> tuple[str, str]:
    """What a restricted alert may say: what happened, never what the case is about (DESIGN §3)."""
    if headline == "new_report":
        return _("[SIGAP] Laporan baru masuk"), _(
            "Ada laporan baru yang perlu ditangani. Isinya hanya dapat dibaca setelah masuk ke SIGAP."
        )
    if headline == "reporter_message":
        return _("[SIGAP] Balasan baru dari pelapor"), _(
            "Pelapor mengirim pesan baru. Isinya hanya dapat dibaca setelah masuk ke SIGAP."
        )
    if headline == "deadline_near":
        return _("[SIGAP] Tenggat penanganan laporan mendekat"), _(
            "Sebuah tenggat penanganan laporan akan segera berakhir. Rinciannya ada di SIGAP."
        )
    if headline == "deadline_passed":
        return _("[SIGAP] Tenggat penanganan laporan terlampaui"), _(
            "Sebuah tenggat penanganan laporan sudah terlampaui. Rinciannya ada di SIGAP."
        )
    return _("[SIGAP] Ada pembaruan untuk Anda"), _(
        "Ada pembaruan di SIGAP yang perlu Anda lihat. Silakan masuk ke SIGAP."
    )


HEADLINES = ("new_report", "reporter_message", "deadline_near", "deadline_passed", "update")


def language_of(user) -> str:
    """The language a user last chose with the language switch (EmployeeProfile.language), else the default."""
    profile = getattr(user, "profile", None)  # None for a user without a profile (RelatedObjectDoesNotExist)
    return getattr(profile, "language", "") or settings.LANGUAGE_CODE


@dataclass
class Outgoing:
    """One message to queue, to each of its distinct recipients: the arguments of `queue`, for `queue_many`."""

    recipients: Iterable
    link: str
    dedupe_key: str
    subject: str = ""
    body: str = ""
    texts: Callable[[], tuple[str, str]] | None = None
    restricted: bool = False
    not_before: dt.datetime | None = None
    case: object = None
    headline: str = "update"

    def render(self) -> Callable[[], tuple[str, str]]:
        """What gives (subject, body) under the active language: restricted cases say only the headline."""
        if self.restricted:
            return functools.partial(_restricted_texts, self.headline)
        if self.texts is None:
            return lambda: (self.subject, self.body)
        return self.texts


def queue(
    *,
    recipients,
    subject: str = "",
    body: str = "",
    texts: Callable[[], tuple[str, str]] | None = None,
    link: str,
    dedupe_key: str,
    restricted: bool = False,
    not_before: dt.datetime | None = None,
    case=None,
    headline: str = "update",
) -> int:
    """Queue one message per distinct recipient. A dedupe key already used is skipped, not sent again.

    `texts` returns (subject, body) through gettext; it is called under each recipient's language (language_of,
    once per language), so an officer acting in Indonesian writes to an employee who works in English in
    English. Plain `subject` and `body` are sent as they are. `restricted` cases (WBS) say only what kind of
    thing happened (`headline`: one of HEADLINES), with no content in subject or body. `not_before` holds the
    message back until then (see OutboxMessage.not_before). `case`: the case the message is about, whose
    visibility is checked again at delivery.
    """
    return queue_many(
        [
            Outgoing(
                recipients=recipients,
                subject=subject,
                body=body,
                texts=texts,
                link=link,
                dedupe_key=dedupe_key,
                restricted=restricted,
                not_before=not_before,
                case=case,
                headline=headline,
            )
        ]
    )


def queue_many(items: Iterable[Outgoing]) -> int:
    """`queue` for many messages in one INSERT, with one after-commit nudge: what a batch of the deadline sweep
    writes. Each item keeps `queue`'s rules (distinct active recipients, texts in each recipient's language,
    restricted wording, dedupe keys `<key>:<user pk>`). Texts are rendered one language at a time, so the
    translation is switched per language, not per row. Returns the number of rows offered."""
    pending: dict[str, list[tuple[Outgoing, Callable, object]]] = {}
    for item in items:
        texts = item.render()
        unique = {user.pk: user for user in item.recipients if user is not None and user.is_active}
        for user in unique.values():
            pending.setdefault(language_of(user), []).append((item, texts, user))
    now = timezone.now()
    rows: list[_Row] = []
    for language, entries in pending.items():
        with override(language):
            rendered: dict[int, tuple[str, str]] = {}  # texts per item in this language: the same for each reader
            for item, texts, user in entries:
                if id(item) not in rendered:
                    rendered[id(item)] = texts()
                user_subject, user_body = rendered[id(item)]
                rows.append(
                    _Row(
                        recipient_id=user.pk,
                        dedupe_key=f"{item.dedupe_key}:{user.pk}"[:200],
                        subject=user_subject[:200],
                        body=user_body,
                        link=item.link,
                        # A held message must not record the moment it was made either: it is dated when it may go.
                        created_at=item.not_before or now,
                        not_before=item.not_before,
                        case_id=getattr(item.case, "pk", None),
                    )
                )
    if not rows:
        return 0
    _insert(rows)
    if any(row.not_before is None for row in rows):
        transaction.on_commit(kick)
    return len(rows)


class _Row(NamedTuple):
    """One outbox row as `_insert` writes it."""

    recipient_id: int
    dedupe_key: str
    subject: str
    body: str
    link: str
    created_at: dt.datetime
    not_before: dt.datetime | None
    case_id: int | None


def _insert(rows: list[_Row]) -> None:
    """Insert the rows, skipping a dedupe key already used.

    On PostgreSQL one INSERT … SELECT FROM unnest(arrays), one array per column: a sweep after a long weekend
    writes tens of thousands of rows, and building and preparing a model instance per row (bulk_create) cost
    three times the database's own work (benchmarks/, issue 14). Elsewhere (SQLite) bulk_create, with
    created_at set afterwards (auto_now_add would overwrite a held message's date)."""
    if connection.vendor == "postgresql":
        table = OutboxMessage._meta.db_table
        columns = ", ".join(_Row._fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}, attempts, last_error) "
                "SELECT *, 0, '' FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[], "
                "%s::timestamptz[], %s::timestamptz[], %s::bigint[]) "
                "ON CONFLICT (dedupe_key) DO NOTHING",
                [list(column) for column in zip(*rows, strict=True)],
            )
        return
    OutboxMessage.objects.bulk_create([OutboxMessage(**row._asdict()) for row in rows], ignore_conflicts=True)
    held: dict[dt.datetime, list[str]] = {}
    for row in rows:
        if row.not_before is not None:
            held.setdefault(row.not_before, []).append(row.dedupe_key)
    for not_before, keys in held.items():
        OutboxMessage.objects.filter(dedupe_key__in=keys).update(created_at=not_before)


def _reporter_news_texts(reference: str) -> tuple[str, str]:
    """What a reporter hears when the message may not carry content: that there is news, and where to read it
    (the tracking link follows the body). The reference is what they follow the complaint with."""
    return _("[SIGAP] Ada kabar tentang pengaduan Anda"), _(
        "Ada kabar baru tentang pengaduan Anda (nomor %(ref)s). Bukalah halaman pantau pengaduan dengan nomor "
        "pengaduan dan PIN Anda untuk membacanya."
    ) % {"ref": reference}


def queue_to_reporter(
    *,
    case,
    texts: Callable[[], tuple[str, str]],
    dedupe_key: str,
    content_allowed: bool,
    link: str = "",
) -> None:
    """Queue one e-mail to the public reporter of `case`, who has no account; a dedupe key already used is
    skipped, not sent again.

    The row stores no address and no recipient: delivery asks the kind (CaseKind.reporter_email) and withdraws
    the message if there is no address by then. `texts` gives (subject, body), rendered in the default
    language (the reporter chose none we keep). Without `content_allowed` only the core's content-free notice
    is written, whatever `texts` says. `link`: the tracking page's path, appended to the body at delivery."""
    with override(settings.LANGUAGE_CODE):
        subject, body = texts() if content_allowed else _reporter_news_texts(case.reference)
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                recipient=None,
                subject=subject[:200],
                body=body,
                link=link,
                dedupe_key=f"{dedupe_key}:reporter"[:200],
                case_id=case.pk,
            )
        ],
        ignore_conflicts=True,  # the dedupe key already used: queued once, not again
    )
    transaction.on_commit(kick)


def _no_nudge() -> None:
    """Before CasesConfig.ready() wires a task queue in, the periodic drain is the only delivery."""


# How to ask a worker to drain now. The outbox knows no task queue: CasesConfig.ready() sets this to the
# Celery adapter (cases.tasks.nudge_outbox), so the domain modules never import Celery (no tasks cycle).
_nudge: Callable[[], None] = _no_nudge


def set_nudge(nudge: Callable[[], None]) -> None:
    """Wire the adapter that asks a worker to drain the outbox (called at start-up by CasesConfig.ready())."""
    global _nudge
    _nudge = nudge


def kick() -> None:
    """Ask a worker to drain now. Never raises: the outbox row is committed and the beat will pick it up."""
    try:
        _nudge()
    except Exception as exc:  # any broker failure means "later", never "lost"
        logger.warning("outbox nudge failed, delivery will catch up: %s", type(exc).__name__)


def _claim(batch_size: int) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        pending = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(delivered_at__isnull=True, withdrawn_at__isnull=True)
            .filter(attempts__lt=settings.SIGAP_OUTBOX_MAX_ATTEMPTS)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .order_by("created_at", "pk")[:batch_size]
        )
        ids = list(pending.values_list("pk", flat=True))
        OutboxMessage.objects.filter(pk__in=ids).update(claimed_at=now)
    return list(
        OutboxMessage.objects.filter(pk__in=ids).select_related("recipient", "case").order_by("created_at", "pk")
    )


def _renew(message: OutboxMessage) -> bool:
    """Renew the lease of one claimed message right before it is sent; False when it is no longer ours.

    The batch was claimed at once, but its messages are sent one after another: behind a slow mail server
    the later ones can outlive LEASE and be claimed (and sent) by another worker meanwhile. The renewal is
    one conditional UPDATE on our own claim, so of two workers holding the same row only one goes on to send
    it, and each send starts with a full lease of its own."""
    now = timezone.now()
    renewed = OutboxMessage.objects.filter(
        pk=message.pk, claimed_at=message.claimed_at, delivered_at__isnull=True, withdrawn_at__isnull=True
    ).update(claimed_at=now)
    message.claimed_at = now
    return renewed == 1


def reporter_address(message: OutboxMessage) -> str:
    """The public reporter's address for a message without a recipient, from the case's kind, or ""."""
    if message.case_id is None:
        return ""
    kind = registry.get(message.case.kind)
    if kind.reporter_email is None:
        return ""
    detail = kind.model.objects.filter(pk=message.case_id).first()
    return (kind.reporter_email(detail) or "").strip() if detail is not None else ""


def _still_allowed(message: OutboxMessage) -> bool:
    """May the recipient (a user) still get this message? Checked at delivery, not only when it was queued. A
    message to a public reporter is allowed while the kind still gives an address (deliver_pending)."""
    if not message.recipient.is_active:
        return False
    if message.case_id is None:
        return True
    return policy.can_view(message.recipient, message.case)


def _deliver(message: OutboxMessage, address: str | None = None) -> None:
    """Send one message: to its user (e-mail and the in-app copy), or to a public reporter's `address`, read
    from the kind just now (no in-app copy: there is no user)."""
    url = settings.SIGAP_BASE_URL.rstrip("/") + message.link if message.link else ""
    if message.recipient_id is None:
        send_mail(message.subject, f"{message.body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [address])
        return
    Notification.objects.get_or_create(
        outbox=message,
        defaults={"user": message.recipient, "subject": message.subject, "body": message.body, "link": message.link},
    )
    if message.recipient.email:
        send_mail(
            message.subject,
            f"{message.body}\n\n{url}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient.email],
        )


def deliver_pending(batch_size: int | None = None) -> int:
    """Deliver everything pending; returns how many were delivered."""
    batch_size = batch_size or settings.SIGAP_OUTBOX_BATCH
    delivered = 0
    while messages := _claim(batch_size):
        for message in messages:
            if not _renew(message):
                continue  # the lease ran out while earlier messages were sent: another worker has it now
            try:
                # A public reporter's address is read here, once, and goes only to the mail server.
                address = reporter_address(message) if message.recipient_id is None else None
                allowed = bool(address) if message.recipient_id is None else _still_allowed(message)
                if allowed:
                    _deliver(message, address)
            except Exception as exc:  # one bad address must not stop the others
                # The claim stays: the lease makes the retry wait LEASE instead of spinning on a bad message.
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1, last_error=type(exc).__name__[:300]
                )
                logger.warning("outbox message %s failed: %s", message.pk, type(exc).__name__)
                continue
            if not allowed:
                # Withdrawn, not failed: no e-mail, no in-app copy, never retried. No name or address in the log.
                OutboxMessage.objects.filter(pk=message.pk).update(withdrawn_at=timezone.now())
                logger.info("outbox message %s withdrawn: no recipient may receive it any more", message.pk)
                continue
            OutboxMessage.objects.filter(pk=message.pk).update(
                delivered_at=timezone.now(), attempts=message.attempts + 1
            )
            delivered += 1
    return delivered
