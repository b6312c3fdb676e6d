"""The layering DESIGN.md asks for, checked on the source: pure modules import no Django, the bottom layer
imports no domain app, and no API router or service imports a view."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "carbonpeak"

PURE = [
    "core/periods.py",
    "core/upload_errors.py",
    "plans/document",
    "energy/accounting.py",
    "energy/workbook.py",
    "energy/certificates.py",
    "energy/factors.py",
    "monitoring/grading.py",
    "projection/montecarlo.py",
    "enterprises/creditcode.py",
    "enterprises/industry.py",
    "enterprises/pv.py",
    "enterprises/projects.py",
    "enterprises/efficiency.py",
    "enterprises/mrv.py",
    "enterprises/workbook.py",
    "enterprises/sample.py",
    "budgets/allocation.py",
    "budgets/tracking.py",
    "budgets/review.py",
    "budgets/sample.py",
    "sinks/engine.py",
    "sinks/sample.py",
]
DOMAIN_APPS = (
    "plans",
    "energy",
    "monitoring",
    "supervision",
    "projection",
    "reports",
    "accounts",
    "enterprises",
    "budgets",
    "sinks",
)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(relative: str) -> list[Path]:
    path = SRC / relative
    return sorted(path.glob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_no_django(module):
    for path in _files(module):
        assert path.exists(), path
        django = {name for name in _imports(path) if name.split(".")[0] == "django" or ".models" in name}
        assert not django, f"{path.relative_to(SRC)} imports {sorted(django)}"


def test_the_bottom_layer_imports_no_domain_app():
    for path in _files("core"):
        if path.name == "jobs.py":  # recovery of interrupted jobs names the chains it re-enqueues, lazily
            continue
        domain = {
            n for n in _imports(path) if n.split(".")[:2] in [["carbonpeak", app] for app in DOMAIN_APPS]
        }
        assert not domain, f"core/{path.name} imports {sorted(domain)}"


def test_no_router_service_or_selector_imports_a_view():
    for path in SRC.glob("*/*.py"):
        if path.stem in ("api", "services", "selectors") or path.name == "api.py":
            views = {n for n in _imports(path) if n.endswith(".views")}
            assert not views, f"{path.relative_to(SRC)} imports {sorted(views)}"


@pytest.mark.parametrize(
    ("app", "below"), [("accounts", "plans"), ("departments", "plans"), ("departments", "accounts")]
)
def test_no_cycle_between_accounts_departments_and_plans(app, below):
    """Departments sit under both: a user belongs to one, a task names one; accounts never reads the plan."""
    for path in _files(app):
        bad = {n for n in _imports(path) if n.startswith(f"carbonpeak.{below}")}
        assert not bad, f"{app}/{path.name} imports {sorted(bad)}"
