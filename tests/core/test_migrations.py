"""Every model change has its migration: a field or a label changed without one is caught here, not on a
coordinator's database."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_left_without_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"模型改动缺少迁移文件：\n{out.getvalue()}（退出码 {exc.code}）")
