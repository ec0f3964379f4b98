"""System checks for the case-kind registry: strings that name code fail at start-up, not on a click.

A kind's transitions and clocks refer to code by name — a dotted form path, a clock trigger, a date attribute —
and services record audit actions by name. Python does not look at any of them until a user presses the
button or a clock starts, and some fail silently (a misspelt ``start_from`` counts the deadline from today).
`manage.py check`, the test run and every `runserver`/`migrate` run these checks, as healthchecks checks its
own configuration.

Registered in `CasesConfig.ready()`; each ``*_errors`` function takes the kinds to check, so a test can hand
it a deliberately broken kind without touching the registry. The file storage's check (an S3 store without a
bucket or credentials) registers itself with its decorator when `ready()` imports this module.
"""

import ast
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.utils.module_loading import import_string

from cases import audit, policy, registry
from cases.models import Case

# Keys a transition's `custom` metadata may carry, and who reads them. A misspelt key ("from", "note_requried")
# would silently drop the form or the required note.
TRANSITION_METADATA = {
    "label": "the button and timeline label (cases.views, cases.services.transition_label)",
    "form": "dotted path of the form asked before the step (cases.views.transition_form)",
    "note_required": "the step needs a note (cases.views)",
    "style": "the button's style, e.g. 'danger' (cases.views)",
    "confirm": "the step is irreversible: confirmation and reason (cases.policy.needs_confirmation)",
    "service": "dotted path of the kind's service the case page runs instead of cases.services.transition, for a "
    "step that writes more than the case (cases.views)",
}

# Every detail model names its parent link `case` (docs/adding-a-case-kind.md). WBS predates the rule: renaming its
# primary-key column needs every referencing table rebuilt on SQLite, so it keeps Django's default for now.
PARENT_LINK = "case"
PARENT_LINK_EXCEPTIONS = {"wbs.WbsReport": "case_ptr"}

# Where a clock rule takes a date from when it is not a callable: today, or a date attribute of the detail model.
TODAY = "today"


def _error(msg: str, kind: registry.CaseKind, id: str, hint: str = "") -> checks.Error:
    return checks.Error(msg, hint=hint or None, obj=f"case kind {kind.code!r}", id=id)


def _model(kind: registry.CaseKind):
    """The kind's detail model, or None when its label does not name an installed model."""
    try:
        return kind.model
    except (LookupError, ValueError):
        return None


def _transitions(model) -> list:
    return list(model._meta.get_field("status").get_all_transitions(model))


def registry_errors(kinds: Iterable[registry.CaseKind]) -> list[checks.CheckMessage]:
    """Each entry: unique code and prefix, a detail model that is a Case, a handler group that is a role."""
    kinds = list(kinds)
    errors: list[checks.CheckMessage] = []
    for attribute, check_id in (("code", "sigap.E001"), ("prefix", "sigap.E002")):
        counts = Counter(getattr(kind, attribute) for kind in kinds)
        for kind in kinds:
            if counts[getattr(kind, attribute)] > 1:
                errors.append(
                    _error(
                        f"Case kind {attribute} {getattr(kind, attribute)!r} is used by more than one kind.",
                        kind,
                        check_id,
                    )
                )
    for kind in kinds:
        model = _model(kind)
        if model is None:
            errors.append(
                _error(
                    f"model_label {kind.model_label!r} does not name an installed model.",
                    kind,
                    "sigap.E003",
                    hint="Use 'app_label.ModelName' of the kind's detail model.",
                )
            )
        elif not issubclass(model, Case) or model is Case:
            errors.append(
                _error(
                    f"Detail model {kind.model_label!r} is not a subclass of cases.models.Case.",
                    kind,
                    "sigap.E004",
                    hint="A kind's detail model inherits from Case (one table of cases, DESIGN §1.1).",
                )
            )
        if kind.handler_group not in policy.ROLES:
            errors.append(
                _error(
                    f"handler_group {kind.handler_group!r} is not a role.",
                    kind,
                    "sigap.E005",
                    hint=f"Use one of cases.policy.ROLES: {', '.join(policy.ROLES)}.",
                )
            )
        if model is not None and issubclass(model, Case) and model is not Case:
            link = model._meta.get_ancestor_link(Case)
            expected = PARENT_LINK_EXCEPTIONS.get(kind.model_label, PARENT_LINK)
            if link is not None and link.name != expected:
                errors.append(
                    _error(
                        f"The parent link of {kind.model_label} is named {link.name!r}, not {expected!r}.",
                        kind,
                        "sigap.E007",
                        hint="Declare case = models.OneToOneField(Case, parent_link=True, primary_key=True, "
                        'on_delete=models.CASCADE, related_name="+").',
                    )
                )
            for name in kind.search_fields:
                if not hasattr(model, name):
                    errors.append(
                        _error(
                            f"search_fields names {name!r}, which {kind.model_label} does not have.", kind, "sigap.E006"
                        )
                    )
    return errors


def transition_errors(kinds: Iterable[registry.CaseKind]) -> list[checks.CheckMessage]:
    """Each transition's metadata: known keys only, and a form path that imports to a Form class."""
    errors: list[checks.CheckMessage] = []
    for kind in kinds:
        model = _model(kind)
        if model is None or not issubclass(model, Case):
            continue  # reported by registry_errors
        for transition in _transitions(model):
            for key in transition.custom:
                if key not in TRANSITION_METADATA:
                    errors.append(
                        _error(
                            f"Transition {transition.name!r} has unknown metadata key {key!r}.",
                            kind,
                            "sigap.E010",
                            hint=f"Known keys: {', '.join(TRANSITION_METADATA)}.",
                        )
                    )
            path = transition.custom.get("form")
            actorless = transition.permission in policy.ACTORLESS_PERMISSIONS.values()
            if path and actorless:
                # The form is asked on the case page, which never offers a step nobody signed in may take: the
                # public reporter's or the system's service passes the step's data itself.
                errors.append(
                    _error(
                        f"Transition {transition.name!r} is the public reporter's or the system's "
                        "(policy.public_reporter / policy.system) and names a form, which no page will ask.",
                        kind,
                        "sigap.E013",
                        hint="Drop 'form'; the kind's service passes the data to cases.services.transition(by=...).",
                    )
                )
            elif path:
                errors += _form_errors(kind, transition.name, path)
            service = transition.custom.get("service")
            if service:
                errors += _service_errors(kind, transition.name, service)
    return errors


def _service_errors(kind: registry.CaseKind, name: str, path: str) -> list[checks.CheckMessage]:
    try:
        service = import_string(path)
    except ImportError as exc:
        return [
            _error(
                f"Transition {name!r} names service {path!r}, which cannot be imported: {exc}",
                kind,
                "sigap.E013",
                hint="Give the dotted path of a function with the signature of cases.services.transition.",
            )
        ]
    if not callable(service):
        return [_error(f"Transition {name!r} names service {path!r}, which is not callable.", kind, "sigap.E013")]
    return []


def _form_errors(kind: registry.CaseKind, name: str, path: str) -> list[checks.CheckMessage]:
    try:
        form_class = import_string(path)
    except ImportError as exc:
        return [
            _error(
                f"Transition {name!r} names form {path!r}, which cannot be imported: {exc}",
                kind,
                "sigap.E011",
                hint="Give the dotted path of a Form class, e.g. 'gratifikasi.forms.ForwardForm'.",
            )
        ]
    if not (isinstance(form_class, type) and issubclass(form_class, forms.BaseForm)):
        return [_error(f"Transition {name!r} names {path!r}, which is not a Form class.", kind, "sigap.E012")]
    return []


def clock_errors(kinds: Iterable[registry.CaseKind]) -> list[checks.CheckMessage]:
    """Each clock rule: triggers that are transitions of the kind (or a core trigger), date attributes that
    exist, a `not_after` that names another clock of the kind, and codes unique within the kind."""
    errors: list[checks.CheckMessage] = []
    for kind in kinds:
        model = _model(kind)
        if model is None or not issubclass(model, Case):
            continue
        names = {transition.name for transition in _transitions(model)}
        codes = Counter(rule.code for rule in kind.clocks)
        for rule in kind.clocks:
            where = f"Clock {rule.code!r}"
            if codes[rule.code] > 1:
                errors.append(_error(f"{where} is declared more than once.", kind, "sigap.E020"))
            for attribute in ("start_on", "stop_on", "pause_on", "resume_on"):
                triggers = getattr(rule, attribute)
                if isinstance(triggers, str):
                    # ("submit") is a string, not a tuple: each letter would be a trigger.
                    errors.append(_error(f"{where}: {attribute} must be a tuple of names.", kind, "sigap.E021"))
                    continue
                for trigger in triggers:
                    if trigger not in names and trigger not in registry.CORE_TRIGGERS:
                        errors.append(
                            _error(
                                f"{where}: {attribute} names {trigger!r}, which is neither a transition of "
                                f"{kind.model_label} nor a core trigger.",
                                kind,
                                "sigap.E022",
                                hint=f"Transitions: {', '.join(sorted(names))}; core triggers: "
                                f"{', '.join(registry.CORE_TRIGGERS)}.",
                            )
                        )
            for attribute in ("start_from", "stop_from"):
                source = getattr(rule, attribute)
                if isinstance(source, str) and source != TODAY and not hasattr(model, source):
                    # cases.deadlines reads it with getattr(..., None) and falls back to today: a typo would
                    # quietly count the deadline from the wrong day.
                    errors.append(
                        _error(
                            f"{where}: {attribute} names {source!r}, which {kind.model_label} does not have.",
                            kind,
                            "sigap.E023",
                            hint=f"Use {TODAY!r}, a date attribute of the detail model, or a callable.",
                        )
                    )
            if rule.not_after and rule.not_after not in codes:
                errors.append(
                    _error(
                        f"{where}: not_after names {rule.not_after!r}, not a clock of this kind.", kind, "sigap.E024"
                    )
                )
    return errors


def audit_action_errors(
    kinds: Iterable[registry.CaseKind], sources: Iterable[Path] | None = None
) -> list[checks.CheckMessage]:
    """Every action name the core and the kinds' apps pass to `audit.record` is registered in
    `cases.audit.ACTIONS` (the timeline shows its label; a misspelt name would be logged as written, with no
    label, and never match a filter). Read from the source, so a name is checked before anyone takes that path.

    `sources` defaults to the Python files of `cases` and of every registered kind's app, migrations left out."""
    if sources is None:
        sources = _app_sources(kinds)
    errors: list[checks.CheckMessage] = []
    for path in sources:
        for line, action in sorted(_recorded_actions(path)):
            if action not in audit.ACTIONS:
                errors.append(
                    checks.Error(
                        f"{path.name}:{line} records audit action {action!r}, which is not in cases.audit.ACTIONS.",
                        hint="Register the action with an Indonesian label in cases.audit.ACTIONS, or fix the name.",
                        obj=str(path),
                        id="sigap.E030",
                    )
                )
    return errors


def _app_sources(kinds: Iterable[registry.CaseKind]) -> list[Path]:
    app_configs = {apps.get_app_config("cases")}
    for kind in kinds:
        model = _model(kind)
        if model is not None:
            app_configs.add(model._meta.app_config)
    return sorted(
        path
        for app_config in app_configs
        for path in Path(app_config.path).rglob("*.py")
        if "migrations" not in path.parts
    )


def _recorded_actions(path: Path) -> set[tuple[int, str]]:
    """(line, action) of every `audit.record(case, action, ...)` call whose action is a string literal, a
    conditional of literals, or a local variable only ever assigned literals in the same function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[int, str]] = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for call in ast.walk(function):
            if not _is_audit_record(call):
                continue
            action = call.args[1] if len(call.args) > 1 else None
            action = next((k.value for k in call.keywords if k.arg == "action"), action)
            if isinstance(action, ast.Name):
                values = [
                    node.value
                    for node in ast.walk(function)
                    if isinstance(node, ast.Assign)
                    and any(isinstance(target, ast.Name) and target.id == action.id for target in node.targets)
                ]
            else:
                values = [action] if action is not None else []
            for value in values:
                for node in ast.walk(value):
                    if isinstance(node, ast.Constant) and isinstance(node.value, str):
                        found.add((call.lineno, node.value))
    return found


def _is_audit_record(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "record"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


def statistics_errors(kinds: Iterable[registry.CaseKind]) -> list[checks.CheckMessage]:
    """KindStatistics (evaluasi's dashboard): the received date is a date field of the model, every breakdown a
    field with choices, the figures and filters callables. A misspelt field would otherwise surface only as a
    500 on the inspectorate's dashboard."""
    errors = []
    for kind in kinds:
        stats, model = kind.statistics, _model(kind)
        if model is None:
            continue
        try:
            received = model._meta.get_field(stats.received_on)
        except FieldDoesNotExist:
            received = None
        if received is None or received.get_internal_type() not in ("DateField", "DateTimeField"):
            errors.append(
                _error(
                    f"statistics.received_on {stats.received_on!r} is not a date field of {kind.model_label}.",
                    kind,
                    "sigap.E040",
                )
            )
        for breakdown in stats.breakdowns:
            try:
                field = model._meta.get_field(breakdown.field)
            except FieldDoesNotExist:
                field = None
            if field is None or not field.choices:
                errors.append(
                    _error(
                        f"Breakdown {breakdown.code!r} names {breakdown.field!r}, not a field with choices of "
                        f"{kind.model_label}.",
                        kind,
                        "sigap.E041",
                    )
                )
        callables = [stats.figures] if stats.figures is not None else []
        callables += list((stats.filters or {}).values())
        if not all(callable(item) for item in callables):
            errors.append(
                _error("statistics.figures and every statistics.filters value must be callable.", kind, "sigap.E042")
            )
    return errors


def check_case_kinds(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    kinds = registry.all_kinds()
    return (
        registry_errors(kinds)
        + transition_errors(kinds)
        + clock_errors(kinds)
        + statistics_errors(kinds)
        + audit_action_errors(kinds)
    )


# --- issue 14: the shared attachment storage ---
# The S3 backends of django-storages that SIGAP_STORAGE=s3 selects (config/settings.py).
S3_BACKENDS = {"storages.backends.s3.S3Storage", "storages.backends.s3boto3.S3Boto3Storage"}
# Where django-storages itself looks for a key pair before boto3's own chain (storages.backends.s3).
S3_KEY_VARIABLES = (
    ("AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
    ("AWS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
)


@checks.register("sigap")
def check_file_storage(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return storage_errors(settings.STORAGES)


def storage_errors(storages: dict) -> list[checks.CheckMessage]:
    """An object store without a bucket or without credentials fails at start-up, not at the first upload —
    which would be a whistleblower's evidence lost on the public form. The store is not contacted: a check
    must not depend on the network, and a wrong key shows in the first request's log anyway."""
    default = storages.get("default", {})
    if default.get("BACKEND") not in S3_BACKENDS:
        return []
    options = default.get("OPTIONS", {})
    errors = []
    if not (options.get("bucket_name") or getattr(settings, "AWS_STORAGE_BUCKET_NAME", None)):
        errors.append(
            checks.Error(
                "SIGAP_STORAGE=s3 needs a bucket: SIGAP_S3_BUCKET is not set.",
                hint="Set SIGAP_S3_BUCKET to the (private) bucket that holds the encrypted attachments.",
                id="sigap.E050",
            )
        )
    problem = _s3_credentials_problem(options)
    if problem:
        errors.append(
            checks.Error(
                f"SIGAP_STORAGE=s3 has no usable credentials: {problem}",
                hint="Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (never in a settings "
                "file), or run with an IAM role that boto3 finds.",
                id="sigap.E051",
            )
        )
    return errors


def _s3_credentials_problem(options: dict) -> str | None:
    """What is wrong with the credentials the S3 backend would use, or None: first the key pair django-storages
    reads (options, then its environment variables), then boto3's own chain (environment, shared files, IAM
    role). Only whether they exist is checked, never their values, and the store is not contacted; without
    a key pair in the environment, boto3's chain may ask the cloud's instance-metadata address for a role
    (a second or two where there is none)."""
    if options.get("access_key") or options.get("secret_key"):
        return None if options.get("access_key") and options.get("secret_key") else "half of a key pair in OPTIONS"
    found = [next((name for name in names if os.environ.get(name)), None) for names in S3_KEY_VARIABLES]
    if all(found):
        return None
    if any(found):
        missing = " or ".join(S3_KEY_VARIABLES[found.index(None)])
        return f"{missing} is missing from the environment."
    # Imported only when the S3 backend is chosen: boto3 is slow to import and unused otherwise.
    import botocore.session
    from botocore.exceptions import BotoCoreError  # (with botocore.session, above)

    profile = options.get("session_profile") or os.environ.get("AWS_S3_SESSION_PROFILE")
    try:
        credentials = botocore.session.Session(profile=profile).get_credentials()
    except BotoCoreError as exc:
        return str(exc)
    if credentials is None:
        return "no key pair in the environment and none found by boto3 (shared files, IAM role)."
    return None


# --- end issue 14: the shared attachment storage ---
