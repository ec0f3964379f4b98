"""The public intake pages, shared by every kind that takes reports from people without an account (DESIGN
§1.1): the report form → the receipt page → tracking → the status page with messages and files both ways.

A kind mounts them in its ``urls.py`` with its configuration (``IntakeConfig``)::

    path("lapor/", include(intake_views.urlpatterns(INTAKE)))

and declares ``public_intake=registry.PublicIntake(namespace=...)`` in its kind. Where it mounts them is the
public path prefix (cases.registry.public_prefixes): the privacy middleware, the log filters, the cache rules
and the language switch all read it from there. What the kind configures is what differs between kinds:
its forms, its templates, the stages a reporter sees, the service that files a report, the credential
(registry.PublicIntake.credential), an optional sealed part (WBS: the reporter's identity) and its limits.

Everything here runs behind cases.middleware.PublicIntakePrivacyMiddleware: no address, no user agent, no
session, only `request.client_tag`, an hourly pseudonym used for throttling.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from cases import attachments, intake, registry, selectors, services
from cases.models import Case
from cases.services import CaseError

# How long a receipt waits in the cache for its one showing.
RECEIPT_TTL = 10 * 60
# How long a sent form's token keeps answering with the receipt page instead of filing again (Back, then
# "Kirim" on the page the browser kept), and how long the same text from the same client does.
SUBMISSION_TTL = 24 * 3600
FINGERPRINT_TTL = 3600


def _submissions_per_hour() -> int:
    return settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR


@dataclass(frozen=True)
class IntakeTemplates:
    report: str
    receipt: str
    track: str
    status: str


@dataclass(frozen=True)
class SealedPart:
    """Something the reporter may add that the handlers never read in clear (WBS: the identity, sealed to
    the custodians). ``accepted()`` says whether it can be taken now; ``seal(case, form)`` stores it (a
    service call taking the form's plain data) and the status page offers ``form`` as ``context_name``."""

    form: type[forms.Form]
    accepted: Callable[[], bool]
    seal: Callable[[Case, forms.Form], None]
    success: Callable[[], str]
    context_name: str = "identity_form"
    # The id of the status page's section the form sits in, pointed to when it comes back with errors.
    section: str = "identitas"


@dataclass(frozen=True)
class ReporterAction:
    """A kind's own step for the reporter on the status page (pengaduan: confirm or dispute the answer, rate
    the handling). ``run(case, cleaned_data)`` is a service call returning the success message; a refusal
    (CaseError) is shown as a message and changes nothing. ``offered(case)`` says whether the status page shows
    the form (as ``<name>_form``, in the section ``section``); the service still decides, so a form posted from
    a stale page is refused by it, not by the page. Mounted as a POST-only URL ``pantau/<path or name>/``,
    named ``reporter_<name>``."""

    form: type[forms.Form]
    run: Callable[[Case, dict], str]
    offered: Callable[[Case], bool] = lambda case: True
    section: str = ""
    path: str = ""


@dataclass(frozen=True)
class IntakeConfig:
    """What one kind's public intake consists of. The view logic (double-submission guards, throttles,
    the credential's one showing, the reporter's access cookie) is the core's and the same for every kind.

    - ``report_form`` must provide ``prepared_files()`` (cases.attachments.prepare on its files, run only
      after the rate limit and validation), a hidden ``submission`` token and ``Meta.fields`` (the text that
      identifies a resubmission). ``report_options()`` gives both its keyword arguments and the report
      page's extra context (WBS: whether an identity can be accepted).
    - ``submit(form=..., files=...)`` files the report through the kind's service and returns the case and
      its credential in clear.
    - ``add_files(case, files)`` stores files the reporter adds later and returns how many.
    - ``stages``: status → what the reporter sees; ``steps``: the progress bar's steps.
    - ``event_labels``: the reporter's labels for kind-specific events they may see (action → label).
    - ``reporter_actions``: the kind's own steps for the reporter on the status page (name → ReporterAction).
    - ``receipt_context(value)``: more for the receipt page, from the credential in clear (shown once).
    """

    kind: str
    report_form: type[forms.Form]
    track_form: type[forms.Form]
    message_form: type[forms.Form]
    files_form: type[forms.Form]
    templates: IntakeTemplates
    submit: Callable[..., tuple[Case, str]]
    add_files: Callable[[Case, list], int]
    stages: Mapping[str, str]
    steps: Sequence[str] = ()
    detail: Callable[[Case], Case | None] = lambda case: case
    report_options: Callable[[], dict[str, Any]] = dict
    sealed: SealedPart | None = None
    event_labels: Mapping[str, Callable[[], str]] = field(default_factory=dict)
    submissions_per_hour: Callable[[], int] = _submissions_per_hour
    files_per_hour: Callable[[], int] = _submissions_per_hour
    reporter_actions: Mapping[str, ReporterAction] = field(default_factory=dict)
    # More for the receipt page, from the credential in clear (pengaduan: the number and the PIN apart).
    receipt_context: Callable[[str], dict[str, Any]] = lambda value: {}

    @property
    def namespace(self) -> str:
        public = registry.get(self.kind).public_intake
        if public is None:
            raise LookupError(f"Case kind {self.kind!r} has no public intake")
        return public.namespace

    @property
    def credential(self) -> intake.Credential:
        return intake.credential_for(self.kind)

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"{self.namespace}:{name}", kwargs=kwargs or None)


class IntakeViews:
    """The views of one kind's public intake, bound to its configuration."""

    def __init__(self, config: IntakeConfig):
        self.config = config

    # --- report and receipt ----------------------------------------------------------------------------

    def report(self, request):
        config = self.config
        options = config.report_options()
        if request.method != "POST":
            return self._report_page(request, config.report_form(**options), options)
        # Sent before (Back, then "Kirim" again on the page the browser kept): the receipt page, no second report.
        sent = self._sent_before(self._submission(request.POST.get("submission", "")).sent())
        if sent is not None:
            return sent
        # The rate limit is looked at before any file is: a client over it gets its text back and no upload is
        # even opened (issue 8, image bombs).
        over = intake.rate_exceeded(f"{config.kind}-submit", request.client_tag, limit=config.submissions_per_hour())
        if over is not None:
            form = config.report_form(request.POST, **options)
            form.add_error(None, over.message)
            return self._report_page(request, form, options)
        form = config.report_form(request.POST, request.FILES, **options)
        if form.is_valid():
            submission = self._submission(form.cleaned_data["submission"])
            fingerprint = self._fingerprint_key(request.client_tag, form)
            sent = self._sent_before(cache.get(fingerprint))
            if sent is not None:
                return sent
            duplicate = self._earlier_submission(submission)
            if duplicate is not None:
                return duplicate
            verdict = intake.rate_limit(
                f"{config.kind}-submit", request.client_tag, limit=config.submissions_per_hour(), window_seconds=3600
            )
            if not verdict.allowed:
                submission.release()
                form.add_error(None, verdict.message)
            else:
                try:
                    # Only now are images decoded (to remove their metadata): the form is valid and within the
                    # limit.
                    files = form.prepared_files()
                    _case, secret = config.submit(form=form, files=files)
                except attachments.AttachmentRejected as exc:
                    submission.release()
                    form.add_error("files", exc.message)
                except CaseError as exc:
                    submission.release()
                    form.add_error(None, exc.message)
                else:
                    # Post/redirect/get: the credential waits once in the cache under a random token, so
                    # reloading the receipt page cannot file the report twice, and the credential never enters
                    # a URL or a log.
                    token = secrets.token_urlsafe(24)
                    cache.set(self._receipt_key(token), secret, timeout=RECEIPT_TTL)
                    submission.finish(token, keep_seconds=SUBMISSION_TTL)
                    cache.set(fingerprint, token, timeout=FINGERPRINT_TTL)
                    return redirect(config.url("receipt", token=token))
        return self._report_page(request, form, options)

    def _report_page(self, request, form, options: dict):
        if form.is_bound:
            # A fresh token for the next attempt; the form keeps everything else that was typed.
            form.data = form.data.copy()
            form.data["submission"] = secrets.token_urlsafe(16)
        return render(request, self.config.templates.report, {"form": form, **options})

    def _receipt_key(self, token: str) -> str:
        return f"sigap:{self.config.kind}:receipt:{token}"

    def _submission(self, nonce: str) -> intake.SubmissionToken:
        """The form's one-time token (cases.intake.SubmissionToken); its result is the receipt's one-time key."""
        return intake.SubmissionToken(self.config.kind, nonce, hold_seconds=RECEIPT_TTL)

    def _sent_before(self, token: str | None):
        """The receipt page for a report already filed (it shows the receipt if not yet seen, else the notice
        that it was shown once), or None."""
        return redirect(self.config.url("receipt", token=token)) if token else None

    def _fingerprint_key(self, client_tag: str, form) -> str:
        """The same text from the same client, sent again with a new form token: a browser that reloaded the
        form after Back (the page is never cached) and refilled what was typed. Keyed by the hourly client
        pseudonym (cases.intake.client_tag), so nothing here outlives the hour or links to an address; a
        reporter who changes the text files a new report."""
        text = "\x1f".join(str(form.cleaned_data.get(name) or "") for name in form.Meta.fields)
        digest = hmac.new(client_tag.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
        return f"sigap:{self.config.kind}:sent:{digest}"

    def _earlier_submission(self, submission: intake.SubmissionToken):
        """A double click sends the form twice; the browser shows only the second answer. A second request
        with the form's token waits for the first and shows the first's receipt, so no second report is
        filed. Returns None when this request holds the token and goes ahead."""
        try:
            return self._sent_before(submission.claim())
        except intake.SubmissionBusy:
            return HttpResponse(
                _("Laporan ini sedang dikirim. Tunggu sebentar, lalu buka halaman pantau laporan dengan kode Anda."),
                status=409,
                content_type="text/plain; charset=utf-8",
            )

    def receipt(self, request, token):
        """The receipt, shown once. The page's language switch posts back here with a one-time token of
        its own: the reporter who reads the page in the other language gets the same receipt once more, on
        this page only. Reloading, Back after leaving, or the token used twice shows the notice instead."""
        config = self.config
        language = None
        if request.method == "POST":
            value = self._take(self._again_key(request.POST.get("again", "")))
            switched = set_language(request)  # checks the language and builds the usual cookie
            language = switched.cookies.get(settings.LANGUAGE_COOKIE_NAME)
            if language is not None:
                translation.activate(language.value)
        else:
            value = self._take(self._receipt_key(token))
        credential = config.credential
        context = {"receipt": credential.display(value) if value else None}
        if value:
            context |= config.receipt_context(value)
            again = secrets.token_urlsafe(16)
            cache.set(self._again_key(again), value, timeout=RECEIPT_TTL)
            context |= {"receipt_again": again, "set_language_url": request.path}
        response = render(request, config.templates.receipt, context, status=200)
        if language is not None:
            response.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if value and request.method == "GET":
            case = credential.find(value)
            if case is not None:
                intake.grant_access(response, case, config.url("track"))
        return response

    def _again_key(self, again: str) -> str:
        return f"sigap:{self.config.kind}:receipt-again:{again}"

    @staticmethod
    def _take(key: str) -> str | None:
        """The value under key, once: of two requests at the same moment only the one whose delete succeeded
        gets it."""
        value = cache.get(key)
        if value is not None and not cache.delete(key):
            return None
        return value

    # --- tracking ----------------------------------------------------------------------------------------

    def track(self, request):
        """Look a report up by its credential. Unknown, wrong and malformed credentials all get the same page;
        the throttle answers before any look-up. An empty box is asked to be filled, and not counted."""
        config = self.config
        credential = config.credential
        form = config.track_form(request.POST or None)
        template = config.templates.track
        if request.method == "POST":
            typed = credential.typed(form.data)
            if not typed.strip():
                return render(
                    request, template, {"form": config.track_form(), "refusal": credential.empty_message()}, status=200
                )
            throttle = intake.ReceiptThrottle(config.kind, request.client_tag)
            verdict = throttle.attempt()
            if not verdict.allowed:
                return render(request, template, {"form": config.track_form(), "refusal": verdict.message}, status=429)
            case = credential.find(typed)
            if case is not None and case.kind == config.kind and form.is_valid():
                throttle.succeed()
                response = redirect(config.url("status"))
                intake.grant_access(response, case, config.url("track"))
                return response
            return render(
                request,
                template,
                {
                    "form": config.track_form(initial=credential.kept(form.data)),
                    "refusal": credential.not_found_message(),
                },
                status=200,
            )
        return render(request, template, {"form": form})

    def _tracked(self, request) -> Case | None:
        case = intake.case_from_access(request, self.config.kind)
        return self.config.detail(case) if case is not None else None

    def timeline(self, case: Case) -> list:
        """What the reporter sees: their simplified stages, the messages both ways, their files, and the
        kind's own events it declares visible. Never staff names, internal notes or the access log."""
        config = self.config
        events = selectors.case_timeline(case=case, staff=False, extra_actions=tuple(config.event_labels)).events
        shown, last_stage = [], None
        for event in events:
            if event.action in ("created", "transition"):
                stage = config.stages.get(event.to_status)
                if stage is None or (stage == last_stage and not event.note):
                    continue
                last_stage = stage
                event.label = stage
            elif event.action == "message":
                event.label = _("Pesan Anda") if event.data.get("from_reporter") else _("Pesan dari petugas")
            elif event.action == "attachment_added":
                event.label = _("Berkas dikirim")
            elif event.action in config.event_labels:
                event.label = config.event_labels[event.action]()
            shown.append(event)
        return shown

    def status(self, request):
        case = self._tracked(request)
        if case is None:
            messages.info(request, self.config.credential.empty_message())
            return redirect(self.config.url("track"))
        response = render(request, self.config.templates.status, self._status_context(case))
        # Sliding: the access lasts SIGAP_TRACKING_MINUTES after the reporter's last page, not their first.
        intake.grant_access(response, case, self.config.url("track"))
        return response

    def _status_context(self, case: Case, **forms_) -> dict:
        config = self.config
        context = {
            "report": case,
            "steps": config.steps,
            "timeline": self.timeline(case),
            "message_form": config.message_form(),
            "files_form": config.files_form(),
            "minutes": settings.SIGAP_TRACKING_MINUTES,
        }
        if config.sealed is not None:
            context[config.sealed.context_name] = config.sealed.form() if config.sealed.accepted() else None
        for name, action in config.reporter_actions.items():
            context[f"{name}_form"] = action.form() if action.offered(case) else None
        return {**context, **forms_}

    def _sections(self) -> dict[str, str]:
        sections = {"message_form": "pesan", "files_form": "bukti"}
        if self.config.sealed is not None:
            sections[self.config.sealed.context_name] = self.config.sealed.section
        for name, action in self.config.reporter_actions.items():
            sections[f"{name}_form"] = action.section or name
        return sections

    def _status_with(self, request, case, **forms_):
        """The status page again with the form that failed, its text kept, its errors shown and pointed to."""
        failed = self._sections()[next(iter(forms_))]
        return render(
            request, self.config.templates.status, self._status_context(case, failed=failed, **forms_), status=400
        )

    def _reporter_post(self, request, form_name: str, form, action):
        """A reporter's POST on the tracking page: with the access cookie, a valid form and `action(case,
        cleaned_data)` (a service call returning the success message). An invalid form comes back on the page
        with its text; a refusal by the service is shown as a message."""
        case = self._tracked(request)
        if case is None:
            return redirect(self.config.url("track"))
        if not form.is_valid():
            return self._status_with(request, case, **{form_name: form})
        try:
            messages.success(request, action(case, form.cleaned_data))
        except CaseError as exc:
            messages.error(request, exc.message)
        return redirect(self.config.url("status"))

    def message(self, request):
        def send(case, data):
            services.add_reporter_message(case, data["text"])
            return _("Pesan Anda terkirim. Petugas akan membalas di halaman ini.")

        return self._reporter_post(request, "message_form", self.config.message_form(request.POST), send)

    def files(self, request):
        config = self.config
        scope = f"{config.kind}-files"
        # Files added later count against their own hourly limit, looked at before any file is read (issue 8).
        over = intake.rate_exceeded(scope, request.client_tag, limit=config.files_per_hour())
        if over is not None:
            messages.error(request, over.message)
            return redirect(config.url("status"))
        form = config.files_form(request.POST, request.FILES)

        def add(case, data):
            verdict = intake.rate_limit(scope, request.client_tag, limit=config.files_per_hour(), window_seconds=3600)
            if not verdict.allowed:
                raise CaseError(verdict.message)
            try:
                files = form.prepared_files()  # images decoded only now, the form being valid
            except attachments.AttachmentRejected as exc:
                raise CaseError(exc.message) from None
            count = config.add_files(case, files)
            return _("%(n)d berkas diterima dan disimpan terenkripsi.") % {"n": count}

        return self._reporter_post(request, "files_form", form, add)

    def sealed(self, request):
        sealed = self.config.sealed
        form = sealed.form(request.POST)

        def seal(case, data):
            sealed.seal(case, form)
            return sealed.success()

        return self._reporter_post(request, sealed.context_name, form, seal)

    def reporter_action(self, request, name: str):
        action = self.config.reporter_actions[name]
        return self._reporter_post(request, f"{name}_form", action.form(request.POST), action.run)

    def leave(self, request):
        response = redirect(self.config.url("track"))
        intake.revoke_access(response, self.config.url("track"))
        return response


def urlpatterns(config: IntakeConfig) -> list[URLPattern]:
    """The public pages of one kind, to be included under its public prefix. Where they are mounted *is* the
    prefix (cases.registry.public_prefixes reads it back from the root, named "report")."""
    views = IntakeViews(config)
    patterns = [
        path("", never_cache(views.report), name="report"),
        path("terima/<str:token>/", never_cache(views.receipt), name="receipt"),
        path("pantau/", never_cache(views.track), name="track"),
        path("pantau/laporan/", never_cache(views.status), name="status"),
        path("pantau/pesan/", require_POST(views.message), name="reporter_message"),
        path("pantau/berkas/", require_POST(views.files), name="reporter_files"),
        path("pantau/keluar/", require_POST(views.leave), name="track_leave"),
        # The language switch, inside the privacy prefix: no address, user agent or log line, unlike
        # Django's /i18n/setlang/.
        path("bahasa/", set_language, name="set_language"),
    ]
    if config.sealed is not None:
        patterns.append(path("pantau/identitas/", require_POST(views.sealed), name="reporter_identity"))
    for name, action in config.reporter_actions.items():
        view = require_POST(partial(views.reporter_action, name=name))
        patterns.append(path(f"pantau/{action.path or name}/", view, name=f"reporter_{name}"))
    return patterns
