"""The layering DESIGN.md asks for, checked on the source: pure modules import no Django (not even through
another module of the platform), the bottom layer imports no domain app, no selector imports a services
module, no API router or service imports a view, and no module imports another in a circle — counting the
imports made inside functions too, since a lazy import is still a dependency."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "carbonpeak"

#: every pure module: plain data in, plain data out, callable from a notebook without Django
PURE = [
    "core/periods.py",
    "core/numbers.py",
    "core/upload_errors.py",
    "plans/document",
    "energy/accounting",
    "energy/catalog.py",
    "energy/workbook.py",
    "energy/certificates.py",
    "energy/factors.py",
    "energy/sample.py",
    "monitoring/grading.py",
    "monitoring/indicators.py",
    "monitoring/sample.py",
    "projection/model",
    "projection/loop.py",
    "projection/scenarios.py",
    "enterprises/creditcode.py",
    "enterprises/industry.py",
    "enterprises/pv.py",
    "enterprises/projects.py",
    "enterprises/efficiency.py",
    "enterprises/mrv.py",
    "enterprises/thresholds.py",
    "enterprises/workbook.py",
    "enterprises/sample.py",
    "budgets/allocation.py",
    "budgets/tracking.py",
    "budgets/review.py",
    "budgets/sample.py",
    "sinks/engine.py",
    "sinks/sample.py",
    "sinks/workbook.py",
    "meters/readings.py",
    "meters/aggregation.py",
    "meters/quality.py",
    "meters/sample.py",
    "meters/spark_job.py",
    "reports/content.py",
    "reports/charts.py",
    "reports/writers.py",
]
#: every app under the bottom layer (core), found on disk so that a new app is covered without a list
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists() and p.name != "core")
DJANGO = ("django", "django_tasks", "django_tasks_db", "ninja", "django_htmx")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(p): p
    for p in SRC.rglob("*.py")
    if "migrations" not in p.parts and "management" not in p.parts
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, relative imports resolved."""
    names = set()
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES}
    return names


def _platform_imports(path: Path) -> set[str]:
    """The platform's own modules a file imports (a name inside a module resolved to the module)."""
    found = set()
    for name in _imports(path):
        while name and name not in MODULES:
            name = name.rsplit(".", 1)[0] if "." in name else ""
        if name and name != _module_name(path):
            found.add(name)
    return found


def _files(relative: str) -> list[Path]:
    path = SRC / relative
    return sorted(path.glob("*.py")) if path.is_dir() else [path]


@functools.cache
def _django_free(module: str) -> bool:
    path = MODULES[module]
    if any(name.split(".")[0] in DJANGO for name in _imports(path)):
        return False
    return all(_django_free(m) for m in _platform_imports(path) if m != "carbonpeak")


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_no_django(module):
    for path in _files(module):
        assert path.exists(), path
        direct = {n for n in _imports(path) if n.split(".")[0] in DJANGO or ".models" in n}
        assert not direct, f"{path.relative_to(SRC)} imports {sorted(direct)}"
        through = {m for m in _platform_imports(path) if m != "carbonpeak" and not _django_free(m)}
        assert not through, f"{path.relative_to(SRC)} imports Django through {sorted(through)}"


def test_the_bottom_layer_imports_no_domain_app():
    assert {"plans", "energy", "meters", "web", "departments", "accounts"} <= set(APPS)
    for path in _files("core"):
        domain = {n for n in _imports(path) if n.split(".")[:2] in [["carbonpeak", app] for app in APPS]}
        top = {n for n in _imports(path) if n in ("carbonpeak.cli", "carbonpeak.demo", "carbonpeak.urls")}
        assert not domain | top, f"core/{path.name} imports {sorted(domain | top)}"


def test_no_selector_imports_a_services_module():
    for path in SRC.glob("*/selectors.py"):
        services = {n for n in _platform_imports(path) if n.endswith(".services")}
        assert not services, f"{path.relative_to(SRC)} imports {sorted(services)}"


def test_no_router_service_or_selector_imports_a_view():
    for path in SRC.glob("*/*.py"):
        if path.stem in ("api", "services", "selectors", "events") or path.name == "api.py":
            views = {n for n in _platform_imports(path) if n.endswith(".views") or ".views_" in n}
            assert not views, f"{path.relative_to(SRC)} imports {sorted(views)}"


def test_no_module_imports_another_in_a_circle():
    graph = {name: _platform_imports(path) - {"carbonpeak"} for name, path in MODULES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert not circles, f"modules importing each other in a circle: {circles}"


@pytest.mark.parametrize(
    ("app", "below"), [("accounts", "plans"), ("departments", "plans"), ("departments", "accounts")]
)
def test_no_cycle_between_accounts_departments_and_plans(app, below):
    """Departments sit under both: a user belongs to one, a task names one; accounts never reads the plan."""
    for path in _files(app):
        bad = {n for n in _imports(path) if n.startswith(f"carbonpeak.{below}")}
        assert not bad, f"{app}/{path.name} imports {sorted(bad)}"


def test_a_function_over_80_lines_says_why_in_its_docstring():
    long = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            too_long = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                node.end_lineno - node.lineno >= 80
            )
            if too_long and "(Long:" not in (ast.get_docstring(node) or ""):
                long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert not long, f"functions over 80 lines without a reason: {long}"
