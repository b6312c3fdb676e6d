"""The plan's numbers for key enterprises beside their sentence (``data/plan-thresholds.csv``), and the checks
that read them (pure, no Django)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

THRESHOLDS_FILE = Path(__file__).with_name("data") / "plan-thresholds.csv"


@dataclass(frozen=True)
class Threshold:
    key: str
    name: str
    value: float
    applies_to: str
    source: str


def load(path: Path = THRESHOLDS_FILE) -> dict[str, Threshold]:
    with open(path, encoding="utf-8") as fh:
        return {
            row["key"]: Threshold(
                row["key"], row["name"], float(row["value"]), row["applies_to"], row["source"]
            )
            for row in csv.DictReader(fh)
        }


def pue_status(pue: float | None, limit: float) -> str:
    """A data centre's PUE against the plan's 1.3: 达标 (below), 未达标, or 缺失 when not reported."""
    if pue is None:
        return "缺失"
    return "达标" if pue < limit else "未达标"
