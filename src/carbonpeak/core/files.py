"""The site's files — evidence, verification reports, generated reports, uploads waiting for their import and
backups — kept through Django's storage (``STORAGES["default"]``), never at a path of one server's disk.

By default the storage is the data directory (``CARBONPEAK_DATA_DIR``) of the one server; where
``CARBONPEAK_STORAGE_URL`` names an S3-compatible object store (django-storages), every server and worker
reads and writes the same files there, so a file uploaded on one server is downloaded on another
(docs/operations.md). Names are ``area/name``: the areas below, each a folder of the store.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, default_storage

EVIDENCE = "evidence"
VERIFICATION = "verification"
REPORTS = "reports"
UPLOADS = "uploads"
BACKUPS = "backups"
#: what a backup copies from the store (uploads wait only minutes; backups are not backed up again)
BACKED_UP = (EVIDENCE, REPORTS, VERIFICATION)
CHUNK = 2**20


class DataDirectoryStorage(FileSystemStorage):
    """The file store of one server: its data directory, read when a file is used (so a process that moves
    ``settings.DATA_DIR``, as each test worker does, moves its files with it); a file written again replaces
    the one before (a record names its file)."""

    def __init__(self, **options) -> None:
        super().__init__(**{"allow_overwrite": True, **options})

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.DATA_DIR)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)


def _name(area: str, name: str) -> str:
    if "/" in area or not name or name.startswith("/") or ".." in Path(name).parts:
        raise ValueError(f"not a file name in the store: {area}/{name}")
    return f"{area}/{name}"


def exists(area: str, name: str) -> bool:
    return default_storage.exists(_name(area, name))


def keep(area: str, name: str, data: bytes | IO[bytes], *, replace: bool = True) -> None:
    """Write a file; ``replace=False`` keeps a file already there (content-addressed names: same name, same
    bytes, so nothing is sent again)."""
    full = _name(area, name)
    if not replace and default_storage.exists(full):
        return
    content = ContentFile(data) if isinstance(data, bytes) else File(data)
    saved = default_storage.save(full, content)
    if saved != full:  # a storage that renames rather than replaces would lose the name the records point to
        default_storage.delete(saved)
        raise RuntimeError(f"the file store renamed {full} to {saved}: configure it to overwrite")


def read(area: str, name: str) -> bytes | None:
    """The file's bytes, or None when the store does not hold it (e.g. a database restored without its
    files): the caller says so in its own words."""
    handle = open_file(area, name)
    if handle is None:
        return None
    with handle:
        return handle.read()


def open_file(area: str, name: str) -> File | None:
    """The file opened for reading (a download streams from it), or None when the store does not hold it."""
    full = _name(area, name)
    try:
        if not default_storage.exists(full):
            return None
        return default_storage.open(full, "rb")
    except FileNotFoundError:
        return None


def delete(area: str, name: str) -> None:
    default_storage.delete(_name(area, name))


def names(area: str) -> list[str]:
    """Every file of an area, with its folders (``12/报告.docx``), sorted."""
    found: list[str] = []

    def walk(folder: str) -> None:
        try:
            dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        prefix = folder.removeprefix(area).strip("/")
        found.extend(f"{prefix}/{f}" if prefix else f for f in files)
        for d in dirs:
            walk(f"{folder}/{d}")

    walk(area)
    return sorted(found)


def modified(area: str, name: str) -> dt.datetime:
    """When the file was last written (aware), or the epoch when the store cannot say."""
    try:
        return default_storage.get_modified_time(_name(area, name))
    except (FileNotFoundError, NotImplementedError):
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def copy_to(area: str, name: str, target: Path) -> bool:
    """Copy a kept file to a local path (a reader that needs a file on disk, such as DuckDB); False when the
    store does not hold it."""
    handle = open_file(area, name)
    if handle is None:
        return False
    with handle, open(target, "wb") as out:
        shutil.copyfileobj(handle, out, CHUNK)
    return True


def meter_store() -> Path:
    """The online-monitoring readings' Parquet folder (DuckDB writes it under a file lock, so a folder — shared
    by the workers where there are several — not the object store): ``CARBONPEAK_METER_STORE``, by default
    beside the site's other files."""
    configured = getattr(settings, "CARBONPEAK_METER_STORE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "meters" / "readings"
