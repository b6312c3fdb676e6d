"""The benchmarks run from the environment ``make demo`` installs: every module a benchmark imports at its top
is the standard library, the platform, or one of the platform's own (not test-only) dependencies."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _runtime_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    return {n.replace("_", "-") for n in names}


def test_benchmarks_need_nothing_beyond_the_demo_install():
    runtime = _runtime_distributions()
    owners = importlib.metadata.packages_distributions()
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set()
        for (
            node
        ) in tree.body:  # module-level imports only: an optional engine is imported where it is asked for
            if isinstance(node, ast.Import):
                top |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top.add(node.module.split(".")[0])
        siblings = {p.stem for p in (ROOT / "benchmarks").glob("*.py")}  # one benchmark reuses another's
        for name in top - set(sys.stdlib_module_names) - {"carbonpeak", "__future__"} - siblings:
            dists = {d.lower().replace("_", "-") for d in owners.get(name, [name])}
            assert dists & runtime, (
                f"{path.name} imports {name} ({sorted(dists)}), not installed by make demo"
            )
