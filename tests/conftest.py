from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BUNDLED_PLAN = ROOT / "src" / "carbonpeak" / "plans" / "data" / "taicang-carbon-peak-plan.json"


@pytest.fixture
def shared_dir() -> Path:
    if not (SHARED / "plans").is_dir():
        pytest.skip(f"../shared 不存在（{SHARED}）：跳过需要原始方案文件的测试")
    return SHARED


@pytest.fixture
def taicang_text(shared_dir: Path) -> str:
    return (shared_dir / "plans" / "taicang-carbon-peak-plan.txt").read_text(encoding="utf-8")


@pytest.fixture
def bundled_plan():
    from carbonpeak.plans.document import plan_from_dict

    return plan_from_dict(json.loads(BUNDLED_PLAN.read_text(encoding="utf-8")))


@pytest.fixture
def imported_plan(db, bundled_plan):
    from carbonpeak.plans.models import Plan
    from carbonpeak.plans.services import import_plan

    report = import_plan(bundled_plan, source_name="taicang.json", region="太仓市")
    return Plan.objects.get(pk=report.plan_id)


@pytest.fixture
def coordinator(db):
    from carbonpeak.accounts.services import ensure_demo_users

    ensure_demo_users()
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="coordinator")
