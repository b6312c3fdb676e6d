from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from carbonpeak.enterprises.creditcode import check_character

HEADER = ["统一社会信用代码", "计量器具编号", "能源品种", "数据时标", "数值", "计量单位", "数据类型"]


def code(serial: str, region: str = "320585") -> str:
    """A made-up credit code with a valid check character, registered in ``region``."""
    first17 = f"91{region}{serial:0>9}"[:17]
    return first17 + check_character(first17)


def csv_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def quarter_hours(credit_code: str, meter: str, start: datetime, count: int, value: float = 10.0, skip=()):
    """``count`` 15-minute electricity readings from ``start`` (those at positions in ``skip`` left out)."""
    return [
        [
            credit_code,
            meter,
            "电力",
            (start + timedelta(minutes=15 * i)).strftime("%Y-%m-%d %H:%M:%S"),
            value,
            "千瓦时",
            "15分钟",
        ]
        for i in range(count)
        if i not in skip
    ]


@pytest.fixture
def store(tmp_path):
    return tmp_path / "store"


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test its own data directory: the readings' store is files, which a test's rollback leaves."""
    settings.DATA_DIR = tmp_path / "data"
