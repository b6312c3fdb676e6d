"""The site's files go through Django's storage: the data directory by default, an S3-compatible object store
(moto's server here) where ``CARBONPEAK_STORAGE_URL`` names one — evidence, reports and uploads alike, with
nothing written to the server's own disk."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from carbonpeak import settings as site_settings
from carbonpeak.core import files, uploads
from carbonpeak.core.models import UploadJob
from carbonpeak.reports import services as reports
from tests.conftest import bucket_names

PERIOD = "2025Q4"


def test_the_storage_url_is_read_and_a_wrong_one_stops_the_start():
    assert site_settings._file_storage("")["BACKEND"].endswith("DataDirectoryStorage")
    s3 = site_settings._file_storage("s3://city-files/carbonpeak?endpoint=https://oss.example:9000&region=cn")
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (
        s3["OPTIONS"].items()
        >= {
            "bucket_name": "city-files",
            "location": "carbonpeak",
            "endpoint_url": "https://oss.example:9000",
            "region_name": "cn",
            "file_overwrite": True,
        }.items()
    )
    for wrong in ("/srv/files", "s3://", "ftp://host/x"):
        with pytest.raises(ImproperlyConfigured, match="CARBONPEAK_STORAGE_URL"):
            site_settings._file_storage(wrong)


def test_the_cache_url_is_read_and_a_wrong_one_stops_the_start():
    assert site_settings._cache("")["BACKEND"].endswith("DatabaseCache")
    assert site_settings._cache("redis://cache:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    assert site_settings._cache("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured, match="CARBONPEAK_CACHE_URL"):
        site_settings._cache("memcached://x")


def test_files_in_the_data_directory(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    files.keep(files.REPORTS, "7/报告.docx", b"first")
    files.keep(files.REPORTS, "7/报告.docx", b"second")  # written again: replaced, never renamed
    files.keep(files.EVIDENCE, "abc", b"kept", replace=False)
    files.keep(files.EVIDENCE, "abc", b"other", replace=False)  # named by content: the first stays
    assert (tmp_path / "reports" / "7" / "报告.docx").read_bytes() == b"second"
    assert files.read(files.EVIDENCE, "abc") == b"kept" and files.read(files.EVIDENCE, "gone") is None
    assert files.names(files.REPORTS) == ["7/报告.docx"] and files.names(files.UPLOADS) == []
    files.delete(files.REPORTS, "7/报告.docx")
    assert not files.exists(files.REPORTS, "7/报告.docx")
    for hostile in ("../secret_key", "/etc/passwd", ""):
        with pytest.raises(ValueError):
            files.keep(files.EVIDENCE, hostile, b"x")


@pytest.mark.django_db
def test_reports_and_uploads_in_an_object_store(object_store, settings, tmp_path, demo_plan, coordinator):
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": site_settings._file_storage(object_store["CARBONPEAK_STORAGE_URL"]),
    }
    job = reports.request_report(demo_plan, PERIOD, coordinator, background=False)
    assert job.status == "done", job.message
    assert reports.read_file(job, "docx").startswith(b"PK")  # read back from the store
    kept = bucket_names(object_store)
    assert (
        f"site/reports/{job.pk}/{job.docx_name}" in kept and f"site/reports/{job.pk}/{job.xlsx_name}" in kept
    )

    refused = uploads.accept(coordinator, "meters", "bad.csv", b"a,b\n1,2\n")  # waits in the store, then read
    assert refused.status == UploadJob.Status.REFUSED and "缺少列" in " ".join(refused.messages)
    assert not [k for k in bucket_names(object_store) if k.startswith("site/uploads/")]  # gone with its job

    # nothing of it on this server's own disk but the readers' emptied temporary folders and the readings'
    # store (a folder of its own: CARBONPEAK_METER_STORE)
    assert not [
        p for p in tmp_path.rglob("*") if p.is_file() and "meters" not in p.relative_to(tmp_path).parts
    ]
