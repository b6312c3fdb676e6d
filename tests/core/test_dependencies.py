"""What the code imports is declared, and the lock files hold what pyproject.toml asks for.

A module of ``src/carbonpeak`` may import the standard library, the project, a runtime dependency — or, for
the Spark path only, the ``spark`` extra; a benchmark may also import the ``bench`` extra. A new import
without a declaration fails here, before a deployer meets it as an ImportError.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: the modules that may use an extra, and which
OPTIONAL = {"meters/spark_job.py": "spark", "meters/aggregation.py": "spark"}


def _names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"carbonpeak", "__future__"}


@functools.cache
def _owners() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def _distributions(module: str) -> set[str]:
    return {canonicalize_name(d) for d in _owners().get(module, [module])}


def _undeclared(paths: list[Path], base: Path, declared: set[str], extras: dict[str, set[str]]) -> list[str]:
    missing = []
    for path in paths:
        allowed = declared | extras.get(OPTIONAL.get(path.relative_to(base).as_posix(), ""), set())
        for module in sorted(_imports(path)):
            if not _distributions(module) & allowed:
                missing.append(f"{path.relative_to(base).as_posix()} imports {module}")
    return missing


def test_every_import_of_the_code_is_a_declared_dependency():
    runtime = _names(PROJECT["dependencies"])
    extras = {name: _names(reqs) for name, reqs in PROJECT["optional-dependencies"].items()}
    source = ROOT / "src" / "carbonpeak"
    assert _undeclared(sorted(source.rglob("*.py")), source, runtime, extras) == []
    # the benchmarks: the runtime and the bench and spark extras
    benchmarks = ROOT / "benchmarks"
    siblings = {canonicalize_name(p.stem) for p in benchmarks.glob("*.py")}  # one reuses another
    allowed = runtime | extras["bench"] | extras["spark"] | siblings
    assert _undeclared(sorted(benchmarks.glob("*.py")), benchmarks, allowed, {}) == []


def test_the_checker_finds_an_undeclared_import(tmp_path):
    module = tmp_path / "new.py"
    module.write_text("import yaml\nfrom numpy import array\n", encoding="utf-8")
    assert _imports(module) == {"yaml", "numpy"}
    assert _undeclared([module], tmp_path, {"numpy"}, {}) == ["new.py imports yaml"]
    assert _undeclared([module], tmp_path, {"numpy", "pyyaml"}, {}) == []


def _locked(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            package, version = line.split("==", 1)
            pins[canonicalize_name(package)] = version.strip()
    return pins


def test_the_lock_files_pin_every_declared_dependency_within_its_bounds():
    """requirements/runtime.txt for `make demo`, requirements/test.txt for `make test`: `make lock` made them
    from pyproject.toml; a dependency added or re-bounded there without `make lock` fails here."""
    runtime, test = _locked("runtime.txt"), _locked("test.txt")
    for requirement in map(Requirement, PROJECT["dependencies"]):
        name = canonicalize_name(requirement.name)
        assert name in runtime and runtime[name] in requirement.specifier, (name, runtime.get(name))
        assert test.get(name) == runtime[name], name  # one version of each library in both
    for extra in ("test", "spark", "bench", "dev"):
        for requirement in map(Requirement, PROJECT["optional-dependencies"][extra]):
            name = canonicalize_name(requirement.name)
            assert name in test and test[name] in requirement.specifier, (extra, name, test.get(name))
