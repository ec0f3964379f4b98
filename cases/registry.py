"""The case-type registry: each case app describes its kind here, so `cases/` never imports a case app.

An app defines its kind in ``<app>/kind.py`` and registers it in its ``AppConfig.ready()``; ``cases.checks``
validates every registered kind at start-up (``manage.py check``). The core looks kinds up by code when it
numbers a case, decides who handles it, or renders it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse

if TYPE_CHECKING:
    from django.db.models import Model


# Clock triggers that are not transitions: the core fires them itself (cases.checks accepts them besides a kind's
# transition names).
CORE_TRIGGERS = {
    "create": "the case is created (cases.services.create_case)",
    "message_to_reporter": "a handler writes to the reporter (cases.services.add_message)",
}


@dataclass(frozen=True)
class ClockRule:
    """A deadline that a transition starts, stops or pauses.

    ``start_on`` / ``stop_on`` / ``pause_on`` / ``resume_on`` name transitions (or a CORE_TRIGGERS entry).
    ``start_from`` says where day 0 comes from: ``"today"``, the name of a date attribute of the detail model
    (the law's day 0 is the event's day, e.g. the date a gift was received, not the day someone clicked), or a
    callable ``(case) -> date``. ``stop_from`` likewise says which date the clock was met on (the date a report
    actually reached KPK, which an officer may record days later). ``working_days`` may be a callable
    ``(case) -> int`` when the length depends on the rule in force.
    ``applies`` (``(case) -> bool``) can skip the clock for cases it does not concern; ``not_after`` names
    another clock whose due date this one may never pass. ``length_label`` says the length as the rule
    does when "N hari kerja" would not ("3 bulan", "saat laporan masuk").
    """

    code: str
    label: str
    basis: str
    working_days: int | Callable[[Any], int]
    start_on: tuple[str, ...]
    stop_on: tuple[str, ...] = ()
    pause_on: tuple[str, ...] = ()
    resume_on: tuple[str, ...] = ()
    start_from: str | Callable[[Any], Any] = "today"
    stop_from: str | Callable[[Any], Any] = "today"
    applies: Callable[[Any], bool] | None = None
    not_after: str = ""
    length_label: str = ""


@dataclass(frozen=True)
class PublicIntake:
    """How a kind takes reports from people without an account (cases.intake, cases.intake_views).

    ``namespace`` is the URL namespace the kind mounts the core's intake pages under
    (``cases.intake_views.urlpatterns``); the public path prefix is read from there (``public_prefixes``), so
    it is written once, in the kind's ``urls.py``. ``credential`` names what the reporter follows the report
    with (``cases.intake.CREDENTIALS``): ``"receipt"`` for WBS, ``"number_pin"`` (the case's reference and a
    PIN) for pengaduan.
    """

    namespace: str
    credential: str = "receipt"


@dataclass(frozen=True)
class Figure:
    """One number of the inspectorate's statistics (evaluasi.statistics), here so a kind's ``figures`` hook
    builds them without importing evaluasi.

    ``value`` over ``denominator`` is a share (shown with its percentage); ``link`` / ``denominator_link`` are
    the case filters behind them (``evaluasi.statistics.cases_behind``), None when the number is not a set of
    cases (a sum of Rupiah, an average). ``suppressed``: hidden because it could narrow a reporter down (shown
    as "*").
    """

    code: str
    label: str
    value: int | float | Decimal | None
    denominator: int | None = None
    unit: str = ""  # "" (a count), "rp", "days", "score"
    link: dict | None = None
    denominator_link: dict | None = None
    suppressed: bool = False
    note: str = ""

    @property
    def percent(self) -> float | None:
        if self.denominator is None or not self.denominator or self.value is None or self.suppressed:
            return None
        return round(100 * float(self.value) / self.denominator, 1)


@dataclass(frozen=True)
class Group:
    """Figures that belong together (statuses, categories, clocks); ``chart`` draws them as bars. ``page`` names
    (a URL name) the page with the details of figures that are not cases (benturan's statement coverage), which
    the dashboard links with the period's ``start``/``end`` and the unit's ``unit`` (pk)."""

    code: str
    title: str
    figures: list[Figure]
    chart: bool = False
    page: str = ""


@dataclass(frozen=True)
class Breakdown:
    """A field of the kind's detail model whose values the inspectorate's statistics count cases by
    ("kategori", "saluran"). ``field`` is a field with choices; its labels are read from the model."""

    code: str
    label: str
    field: str


@dataclass(frozen=True)
class KindStatistics:
    """What the evaluation statistics (evaluasi/) count for a kind beside what every case has (status, clocks,
    handling time).

    ``received_on`` is the date or datetime field of the detail model that puts a case in a period (the day the
    office received it). ``breakdowns`` are counted per value. ``min_cell`` hides counts below it in every cell
    finer than a unit's total (WBS: 3, so no cell narrows a reporter down). ``figures`` is
    ``(cases, scope) -> list[evaluasi.statistics.Group]``, the kind's own figures over the period's cases
    (gratifikasi's total value, a complaint's satisfaction); ``filters`` names the case filters such a figure
    links to (``{"name": (queryset) -> queryset}``), so every figure leads to the cases behind it.
    """

    received_on: str = "submitted_at"
    breakdowns: tuple[Breakdown, ...] = ()
    min_cell: int = 0
    figures: Callable[..., list] | None = None
    filters: dict[str, Callable[[Any], Any]] | None = None
    # Figure codes only the inspectorate reads (unit heads do not): a complaint converted into a WBS report. A
    # "status.<code>" entry also leaves the cases in that status out of a unit head's counts altogether.
    inspectorate_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseKind:
    code: str
    prefix: str
    label: str
    model_label: str
    handler_group: str
    # (status, label) pairs in workflow order, and the states that end the case.
    status_labels: tuple[tuple[str, str], ...] = ()
    final_states: frozenset[str] = frozenset()
    # The reporter's supervisor (atasan) sees the case too, e.g. a conflict-of-interest declaration.
    supervisor_sees: bool = False
    # Whether the handler group shares the kind's cases and assigns them by hand (the case page's assignment
    # form). A kind that routes each case to one person by a rule of its own (benturan: the declarant's
    # supervisor) says False: no handler can pass a case to someone the rule did not choose, and being in the
    # handler group — or its coordinator — opens no case; only the routing (an assignment) does.
    manual_assignment: bool = True
    # Admins manage users and settings but must not read this kind's content (WBS).
    restricted_content: bool = False
    # Messages, notes and reasons are kept encrypted (CaseText) rather than in the audit log's plain data, as
    # restricted kinds always do: a complainant may write their name into a message (pengaduan).
    encrypted_texts: bool = False
    # Reports come from people without an account who follow them with a credential (cases.intake). What
    # such a reporter does is stored with rounded times and announced to the office later.
    public_intake: PublicIntake | None = None
    clocks: tuple[ClockRule, ...] = ()
    # Optional: extra recipients of a transition's notification, e.g. the reporter.
    notify: Callable[["Model", str], list] | None = None
    # Who handles it, as its reporter knows them ("UPG"): the reporter's page says "Pesan kepada UPG".
    office_label: str = ""
    # Who reported it, as the office calls them ("pengadu" for a complaint); "pelapor" when empty.
    reporter_label: str = ""
    # Rendered on the case page with the detail instance as `report`.
    detail_template: str = ""
    # Optional: `(units, users) -> list[str]` makes the kind's demo data for `seed_demo` and returns lines to
    # print (e.g. a demo receipt), so the core's command needs no import of the case app.
    demo_data: Callable[[dict, dict], list[str]] | None = None
    # Name fields of the detail model the inbox searches (icontains), e.g. the giver of a gratifikasi; only
    # on cases whose names the user may read (cases.selectors). Never content, never a restricted kind.
    search_fields: tuple[str, ...] = ()
    # Optional, public-intake kinds: `(case) -> str`, the address of a reporter without an account, decrypted,
    # or "" when there is none (any more). Called with the kind's detail instance when an outbox message to the
    # reporter is delivered (cases.notifications.queue_to_reporter), so the address never sits in the outbox.
    reporter_email: Callable[[Any], str] | None = None
    # Optional, with reporter_email: `(case) -> bool`, whether that e-mail may say what happened (a status in
    # plain words, an officer's message). Without it, or when it says no, the e-mail says only that there is
    # news, with the link to the tracking page.
    reporter_content: Callable[[Any], bool] | None = None
    # Optional: `(*, source, payload, actor) -> Case` makes a case of this kind from a case of another kind
    # (a complaint that turns out to be a whistleblowing report), inside the transaction of
    # cases.services.convert_case, which then links the two. Kinds without it accept no conversions.
    receive_conversion: Callable[..., Any] | None = None
    # Optional: `(case, user) -> dict`, extra context for `detail_template` on the office's case page, for what
    # depends on the reader (e.g. a complainant's identity only the complaint coordinator may read). The kind
    # decides and records what it shows (an audit event for an identity read); the core only passes it on.
    detail_context: Callable[[Any, Any], dict] | None = None
    # What the inspectorate's statistics count for this kind (evaluasi/); the default counts only what every
    # case has.
    statistics: KindStatistics = KindStatistics()

    @property
    def model(self) -> type["Model"]:
        return apps.get_model(self.model_label)


_kinds: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> CaseKind:
    existing = _kinds.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"Case kind {kind.code!r} registered twice with different definitions")
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> CaseKind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"No case kind {code!r} is registered") from None


def all_kinds() -> list[CaseKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.code)


_prefixes: dict[tuple, tuple[str, ...]] = {}

# URL names of the public pages of apps that are not case kinds (survei's respondent form and results): the
# paths they reverse to are public prefixes like the kinds' intake pages (register_public_pages).
public_page_names: list[str] = []


def register_public_pages(url_name: str) -> None:
    """Put the pages under `url_name`'s path behind the same privacy rules as the intake pages."""
    if url_name not in public_page_names:
        public_page_names.append(url_name)


def _intake_prefixes(urlconf) -> tuple[str, ...]:
    intakes = tuple(kind.public_intake for kind in all_kinds() if kind.public_intake)
    key = ("intake", urlconf, intakes)
    if key not in _prefixes:
        _prefixes[key] = tuple(reverse(f"{intake.namespace}:report", urlconf=urlconf) for intake in intakes)
    return _prefixes[key]


def public_prefixes() -> tuple[str, ...]:
    """The path prefixes of every kind's public intake pages ("/wbs/lapor/"), read from the URLconf where each
    kind mounts them, then those of the other apps' public pages (register_public_pages). The privacy
    middleware, the cache and language-switch rules and the log filters all read this one source. Cached per
    URLconf, set of kinds and registered pages (tests swap them)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    intakes = tuple(kind.public_intake for kind in all_kinds() if kind.public_intake)
    key = (urlconf, intakes, tuple(public_page_names))
    if key not in _prefixes:
        pages = []
        for name in public_page_names:
            try:
                pages.append(reverse(name, urlconf=urlconf))
            except NoReverseMatch:  # a test URLconf without the app's pages
                continue
        _prefixes[key] = _intake_prefixes(urlconf) + tuple(pages)
    return _prefixes[key]


def public_namespace_at(path: str) -> str | None:
    """The URL namespace of the public pages `path` is on (a kind's intake or another app's registered public
    pages), or None: where its language switch ("<namespace>:set_language") lives."""
    intake = public_intake_at(path)
    if intake is not None:
        return intake.namespace
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    for name in public_page_names:
        try:
            prefix = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            continue
        if path.startswith(prefix) and ":" in name:
            return name.rsplit(":", 1)[0]
    return None


def public_intake_at(path: str) -> PublicIntake | None:
    """The public intake whose pages `path` is on, or None."""
    intakes = [kind.public_intake for kind in all_kinds() if kind.public_intake]
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    for intake, prefix in zip(intakes, _intake_prefixes(urlconf), strict=True):
        if path.startswith(prefix):
            return intake
    return None


# ---------------------------------------------------------------------------------------------------------
# Extension points for apps that are not case kinds (evaluasi/): they register here at ready(), so the core
# renders and seeds what they add without importing them.

# `(case, user) -> (template, context) | None`: a section of the office's case page (e.g. the case's
# recommendations), rendered below the case's files in registration order; None shows nothing. Each callable
# decides who reads its section; the core passes the case only to users who may open it.
case_page_sections: list[Callable[[Any, Any], tuple[str, dict] | None]] = []

# `(units, users) -> list[str]`: demo data made by `seed_demo` after every kind's own (same arguments and
# return as CaseKind.demo_data), for apps whose data hangs on the kinds' demo cases.
demo_data_hooks: list[Callable[[dict, dict], list[str]]] = []


# Models of other apps whose files are stored through cases.attachments.stage (a `blob` and a `name_encrypted`
# field): cases.attachments.rotate_all re-encrypts them with the cases' own files.
stored_file_models: list[type["Model"]] = []


def register_case_page_section(section: Callable[[Any, Any], tuple[str, dict] | None]) -> None:
    if section not in case_page_sections:
        case_page_sections.append(section)


def register_demo_data(hook: Callable[[dict, dict], list[str]]) -> None:
    if hook not in demo_data_hooks:
        demo_data_hooks.append(hook)
