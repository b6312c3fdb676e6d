"""A page's or the API's file of readings costs the server a bounded amount: its rows are counted before it
is read (a Parquet file of a few hundred kB may hold tens of millions), its reading is stopped past its
seconds, the disk is asked first, and every temporary file goes when the job ends — with a Chinese reason
on the job's page and nothing written."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import time
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from carbonpeak.core import files, limits, uploads
from carbonpeak.core.models import UploadJob
from carbonpeak.meters import services
from carbonpeak.meters.models import ReadingBatch

from .conftest import HEADER, code, csv_bytes, quarter_hours

pytestmark = pytest.mark.django_db
A = code("K0001")


def _leftovers() -> list[str]:
    """Files left in the temporary folders or waiting in the file store."""
    root = uploads.temp_root()
    temporary = [p.name for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return temporary + files.names(files.UPLOADS)


def _many_rows_parquet(rows: int) -> bytes:
    """``rows`` identical readings: Parquet compresses them to a few kB."""
    values = dict(zip(HEADER, [A, "E1", "电力", "2025-06-01 00:00:00", "1", "千瓦时", "15分钟"], strict=True))
    table = pa.table({name: pa.array([value] * rows) for name, value in values.items()})
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd")
    return out.getvalue()


def test_a_small_file_of_too_many_rows_is_refused_unread_naming_the_command_line(client, coordinator):
    cap = limits.LIMITS[limits.METER_READINGS].max_rows
    data = _many_rows_parquet(cap + 1)
    assert len(data) < limits.max_bytes(limits.METER_READINGS)  # within the byte limit
    client.force_login(coordinator)
    answer = client.post("/api/meters/batches", {"file": _named(data, "many.parquet")})
    assert answer.status_code == 202
    job = answer.json()
    assert job["status"] == "refused", job
    message = "".join(job["messages"])
    assert f"{cap + 1:,} 行" in message and "本平台规则" in message and "carbonpeak meters ingest" in message
    assert not ReadingBatch.objects.exists() and _leftovers() == []


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_reading_past_its_seconds_is_stopped_and_writes_nothing(coordinator, monkeypatch):
    limit = limits.LIMITS[limits.METER_READINGS]
    monkeypatch.setitem(
        limits.LIMITS, limits.METER_READINGS, limits.UploadLimit(**{**limit.__dict__, "max_seconds": 0.0001})
    )
    data = csv_bytes(quarter_hours(A, "E1", datetime(2025, 6, 1), 30 * 96))
    with pytest.raises(ValidationError, match="超过 0 秒") as stopped:
        services.ingest_bytes(coordinator, "june.csv", data)
    assert "carbonpeak meters ingest" in stopped.value.messages[0]
    assert not ReadingBatch.objects.exists() and _leftovers() == []
    assert not list(services.store_dir().rglob("*.parquet")) if services.store_dir().exists() else True


def test_a_file_the_disk_could_not_hold_is_refused_before_it_is_kept(coordinator, monkeypatch):
    class Full:
        free = 10 * limits.MB

    monkeypatch.setattr(uploads.shutil, "disk_usage", lambda _path: Full)
    with pytest.raises(ValidationError, match="磁盘剩余空间不足"):
        uploads.accept(coordinator, "meters", "june.csv", b"x" * 100)
    assert not UploadJob.objects.exists() and _leftovers() == []


def test_the_worker_sweeps_what_a_stopped_worker_left(coordinator):
    ended = uploads.temp_root() / f"{socket.gethostname()[:40]}-{2**22 + 17}"  # above Linux's largest pid
    (ended / "carbonpeak-ingest-old").mkdir(parents=True)
    (ended / "carbonpeak-ingest-old" / "spill.tmp").write_bytes(b"x" * 1000)
    alive = uploads.process_temp()  # this process's own folder: a live worker's files stay
    (alive / "work-now").mkdir(parents=True)
    (alive / "work-now" / "reading.csv").write_bytes(b"x")
    elsewhere = uploads.temp_root() / "another-machine-4242"  # another machine's: swept there, not here
    elsewhere.mkdir()
    hour_ago = time.time() - 2 * 3600
    for name, age in (("orphan.csv", hour_ago), ("waiting.csv", hour_ago), ("just-sent.csv", time.time())):
        files.keep(files.UPLOADS, name, b"x")
        os.utime(Path(settings.DATA_DIR) / files.UPLOADS / name, (age, age))
    running = UploadJob.objects.create(
        kind="meters", file_name="a.csv", size=1, stored_as="", uploaded_by=coordinator, status="running"
    )
    UploadJob.objects.create(
        kind="meters", file_name="b.csv", size=1, stored_as="waiting.csv", status="queued"
    )
    long_ago = UploadJob.objects.create(
        kind="meters",
        file_name="c.csv",
        size=1,
        status="done",
        finished_at=timezone.now() - dt.timedelta(days=91),
    )
    recent = UploadJob.objects.create(
        kind="meters",
        file_name="d.csv",
        size=1,
        status="done",
        finished_at=timezone.now() - dt.timedelta(days=89),
    )
    # the ended process's folder and the orphan; the record of an import finished over 90 days ago
    assert uploads.sweep() == (2, 1, 1)
    assert (
        not UploadJob.objects.filter(pk=long_ago.pk).exists()
        and UploadJob.objects.filter(pk=recent.pk).exists()
    )
    # the queued job's file stays for the worker; a file sent a moment ago may belong to a job being recorded
    assert sorted(_leftovers()) == ["just-sent.csv", "reading.csv", "waiting.csv"]
    assert elsewhere.exists() and not ended.exists()
    running.refresh_from_db()
    assert running.status == "failed" and "重新上传" in running.messages[0]


def test_only_the_uploader_and_the_coordinator_read_a_job(client, coordinator, django_user_model):
    job = uploads.accept(coordinator, "meters", "bad.csv", b"a,b\n1,2\n")
    client.force_login(coordinator)
    page = client.get(f"/jobs/uploads/{job.pk}/")
    assert page.status_code == 200 and "缺少列" in page.content.decode()
    client.force_login(django_user_model.objects.get(username="leader"))
    assert client.get(f"/jobs/uploads/{job.pk}/").status_code == 403
    assert client.get(f"/api/uploads/{job.pk}").status_code == 403


def test_a_running_job_shows_its_progress_and_polls(client, coordinator):
    job = UploadJob.objects.create(
        kind="energy", file_name="q.csv", size=10, uploaded_by=coordinator, status="running", progress=40
    )
    UploadJob.objects.filter(pk=job.pk).update(stage="逐行校验")
    client.force_login(coordinator)
    html = client.get(f"/jobs/uploads/{job.pk}/").content.decode()
    assert 'data-status="running"' in html and 'aria-valuenow="40"' in html and "逐行校验" in html
    assert f'hx-get="/jobs/uploads/{job.pk}/"' in html and 'hx-trigger="every 1s"' in html
    part = client.get(f"/jobs/uploads/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div class="cp-card p-3" id="upload-job"')  # the part alone
