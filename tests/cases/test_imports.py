"""The core has no import cycles and imports no case app (STYLE.md: "Keep the core free of import cycles").

Only module-level imports count: they are what Python runs when a module loads. A function-local import is
allowed where a comment says why (e.g. AppConfig.ready()), and is read by test_local_imports_say_why.
"""

import ast
from pathlib import Path

from django.conf import settings

CORE = Path(settings.BASE_DIR) / "cases"
CASE_APPS = {"gratifikasi", "wbs", "pengaduan", "benturan"}


def _modules() -> dict[str, Path]:
    """cases/*.py and cases/<package>/**.py by dotted name (migrations left out: Django loads them itself)."""
    found = {}
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imported(tree: ast.Module, module: str, known: set[str]) -> set[str]:
    """The modules a module-level statement of `tree` imports (`from cases import x` names cases.x)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                package = module.split(".")[: -node.level] if not module.endswith("__init__") else module.split(".")
                base = ".".join([*package, base] if base else package)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known}
    return names


def import_graph() -> dict[str, set[str]]:
    """Each core module and what it imports at module level among the core's modules and the case apps."""
    modules = _modules()
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        targets = _imported(ast.parse(path.read_text()), name, known)
        graph[name] = {target for target in targets if target in known or target.split(".")[0] in CASE_APPS}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of `graph` as a list of modules (first == last), or [] when it has none."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = "done"
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_find_cycle_finds_one():
    # The checker itself can fail: a two-module and a three-module loop are found, a tree is not.
    assert find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_sees_the_core_imports():
    graph = import_graph()
    assert "cases.models" in graph["cases.workdays"]
    assert "cases.notifications" in graph["cases.deadlines"]
    assert "cases.deadlines" in graph["cases.tasks"]


def test_the_core_has_no_import_cycle():
    assert find_cycle(import_graph()) == []


def test_the_core_imports_no_case_app():
    offenders = {
        name: sorted(target for target in targets if target.split(".")[0] in CASE_APPS)
        for name, targets in import_graph().items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_outbox_does_not_import_the_task_queue():
    # The Celery adapter is wired in at CasesConfig.ready(); the domain modules import neither it nor Celery,
    # not even inside a function.
    for name in ("cases.notifications", "cases.deadlines", "cases.workdays", "cases.models"):
        tree = ast.parse(_modules()[name].read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported |= {node.module or ""} | {f"{node.module}.{alias.name}" for alias in node.names}
        assert not {module for module in imported if module.startswith(("celery", "cases.tasks"))}, name


def test_ready_wires_the_celery_nudge():
    from cases import notifications, tasks

    assert notifications._nudge is tasks.nudge_outbox


def test_local_imports_say_why():
    """A function-local import in the core carries a comment on its line or the line above it."""
    silent = []
    for name, path in _modules().items():
        lines = path.read_text().splitlines()
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    here, above = lines[node.lineno - 1], lines[node.lineno - 2].strip()
                    if "#" not in here and not above.startswith("#") and '"""' not in above:
                        silent.append(f"{name}:{node.lineno}")
    assert silent == []
