"""Backup and restore of a whole site: a restore onto a fresh machine (its own database and data directory)
gives back the same pages, downloads, audit log and logins, on the run's database (SQLite, then PostgreSQL)."""

from __future__ import annotations

import json
import os
import re
import shutil
import tarfile

import pytest

from tests.conftest import bucket_names

if os.environ.get("DATABASE_URL", "").startswith("postgres") and not shutil.which("pg_restore"):
    pytest.skip(
        "缺少 pg_dump / pg_restore（Debian 软件包 postgresql-client，make test 会安装）",
        allow_module_level=True,
    )

PAGES = [
    "/plans/",
    "/plans/targets/",
    "/energy/",
    "/monitoring/",
    "/progress/",
    "/reports/",
    "/accounts/audit/",
    "/meters/",
]

# what a user sees of the site, printed as one JSON object by a process running inside the site
SNAPSHOT = """
import hashlib, json, re
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from carbonpeak.core.models import AuditEvent
from carbonpeak.reports.models import QuarterlyReport
from carbonpeak.supervision.models import Evidence

def seen(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body = re.sub(rb'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', rb"\\1", body)
    return [response.status_code, hashlib.sha256(body).hexdigest()]

client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(username="coordinator"))
downloads = {f"evidence {e.pk}": seen(client.get(reverse("supervision:evidence", args=[e.pk])))
             for e in Evidence.objects.order_by("pk")}
for job in QuarterlyReport.objects.order_by("pk"):
    for kind in ("docx", "xlsx"):
        downloads[f"report {job.pk} {kind}"] = seen(client.get(reverse("reports:download", args=[job.pk, kind])))
audit = [[str(e.at), e.user_id, e.action, e.object_type, e.object_id, e.object_repr, e.before, e.after, e.comment]
         for e in AuditEvent.objects.order_by("pk")]
from carbonpeak.meters import aggregation, services as meters
store = [[t.credit_code, t.month, t.energy_type, t.total] for t in aggregation.monthly_totals(meters.store_dir())]
print(json.dumps({"pages": {p: seen(client.get(p)) for p in PAGES}, "downloads": downloads,
                  "audit": audit, "session": client.cookies["sessionid"].value, "store": store}))
"""

PREPARE = """
from django.contrib.auth import get_user_model
from carbonpeak.plans.models import Plan
from carbonpeak.reports import services as reports
from carbonpeak.supervision import services
from carbonpeak.supervision.models import ProgressReport
users = get_user_model().objects
report = ProgressReport.objects.filter(department__name="市交运局").first()
services.attach_evidence(report, users.get(username="市交运局"), "会议纪要.pdf", b"%PDF-1.4 backup test")
job = reports.request_report(Plan.objects.get(), "2025Q4", users.get(username="coordinator"), background=False)
assert job.status == "done", job.message
"""


def snapshot(site) -> dict:
    result = site.python(f"PAGES = {PAGES!r}\n" + SNAPSHOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_restore_on_a_fresh_machine_gives_back_the_same_site(make_site, tmp_path):
    original = make_site("original")
    demo = original.run("demo")
    assert demo.returncode == 0, demo.stderr
    prepared = original.python(PREPARE)
    assert prepared.returncode == 0, prepared.stderr
    before = snapshot(original)
    assert before["downloads"] and all(status == 200 for status, _ in before["downloads"].values())
    assert all(status == 200 for status, _ in before["pages"].values()), before["pages"]

    archive = tmp_path / "carbonpeak-备份.tar.gz"
    made = original.run("backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert "备份完成" in made.stdout and "含密钥" in made.stdout

    fresh = make_site("fresh", migrate=False)  # nothing installed but the platform
    restored = fresh.run("restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "各表行数与备份一致" in restored.stdout
    after = snapshot(fresh)
    assert after["pages"] == before["pages"]
    assert after["downloads"] == before["downloads"]
    assert after["audit"] == before["audit"]
    assert before["store"] and after["store"] == before["store"]  # the readings' Parquet store came back
    # the secret key came back: a session opened on the original site still works on the restored one
    still_logged_in = fresh.python(
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='localhost')\n"
        f"c.cookies['sessionid'] = {before['session']!r}\n"
        "print(c.get('/plans/').status_code)"
    )
    assert still_logged_in.stdout.strip().splitlines()[-1] == "200", still_logged_in.stderr

    # a site with data is not overwritten unless asked
    again = fresh.run("restore", str(archive))
    assert again.returncode == 1 and "已有数据" in again.stderr and "--force" in again.stderr
    assert fresh.run("restore", str(archive), "--force").returncode == 0


def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(fresh_site, tmp_path):
    made = fresh_site.python("from carbonpeak.demo import ensure_demo_users; ensure_demo_users()")
    assert made.returncode == 0, made.stderr
    archive = tmp_path / "good.tar.gz"
    assert fresh_site.run("backup", str(archive)).returncode == 0

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused = fresh_site.run("restore", str(truncated), "--force")
    assert refused.returncode == 1 and "已损坏" in refused.stderr

    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as out:
        out.add(__file__, arcname="notes.txt")
    refused = fresh_site.run("restore", str(foreign), "--force")
    assert refused.returncode == 1 and "不是 CarbonPeak 备份文件" in refused.stderr

    # a part altered after the backup was made: its checksum no longer matches the manifest
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(altered, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "secret_key":
                data = b"x" * len(data)
            import io

            out.addfile(member, io.BytesIO(data))
    refused = fresh_site.run("restore", str(altered), "--force")
    assert refused.returncode == 1 and "校验值不符" in refused.stderr

    users = fresh_site.python(
        "from django.contrib.auth import get_user_model; print(get_user_model().objects.count())"
    )
    assert users.stdout.strip().splitlines()[-1] != "0"


def test_a_backup_kept_in_the_object_store_is_restored_by_its_name(fresh_site, object_store):
    """Without a file name the archive is kept in the file store (here an S3-compatible one), where every server
    reaches it; restore takes it back by the name the backup printed, files in the store included."""
    fresh_site.env.update(object_store)
    made = fresh_site.python(
        "from carbonpeak.demo import ensure_demo_users; ensure_demo_users()\n"
        "from carbonpeak.core import files; files.keep(files.EVIDENCE, 'abc123', b'%PDF-1.4 kept')"
    )
    assert made.returncode == 0, made.stderr
    kept = fresh_site.run("backup")
    assert kept.returncode == 0, kept.stderr
    name = re.search(r"文件存储 backups/(\S+\.tar\.gz)", kept.stdout).group(1)
    assert f"site/backups/{name}" in bucket_names(object_store)
    assert name in fresh_site.run("backup", "--list").stdout

    changed = fresh_site.python(
        "from carbonpeak.core import files; files.delete(files.EVIDENCE, 'abc123')\n"
        "files.keep(files.EVIDENCE, 'not-in-the-backup', b'x')\n"
        "from django.contrib.auth import get_user_model; get_user_model().objects.filter(username='leader').delete()"
    )
    assert changed.returncode == 0, changed.stderr
    restored = fresh_site.run("restore", name, "--force")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "site/evidence/abc123" in bucket_names(object_store)
    assert "site/evidence/not-in-the-backup" not in bucket_names(object_store)
    leader = fresh_site.python(
        "from django.contrib.auth import get_user_model\n"
        "print(get_user_model().objects.filter(username='leader').count())"
    )
    assert leader.stdout.strip().splitlines()[-1] == "1"
    missing = fresh_site.run("restore", "carbonpeak-备份-没有这个.tar.gz", "--force")
    assert missing.returncode == 1 and "文件存储中没有备份" in missing.stderr
