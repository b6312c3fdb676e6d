"""Backup and restore of a whole site: the database, the files it points to and the secret key, in one archive.

A site's data is more than its database: evidence files, enterprises' verification reports and generated
reports (in the site's file store, ``core.files``), the online-monitoring readings' Parquet store
(``CARBONPEAK_METER_STORE``) and the key that signs sessions (``DATA_DIR/secret_key``). A database restored
without them turns downloads into 404s, so one archive holds them all, with a manifest that lists every part's
SHA-256 and every table's row count; restore checks both. An archive is written to a path given, or kept in the
file store's ``backups`` folder, where every server can read it back.

The database copy is made by django-dbbackup's connectors: SQLite's online backup API (consistent while the
site runs) or ``pg_dump --format=custom`` (a consistent snapshot), restored with ``pg_restore --clean``. The
database is copied before the files: files are only ever added (a withdrawn batch of readings is the exception:
withdraw while no backup runs), so every file the copy names is in the archive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction

from carbonpeak.core import files
from carbonpeak.core.clock import DEMO_TODAY_FILE  # a demo's fixed date: part of what its pages show

FORMAT = "carbonpeak-backup"
VERSION = 1
METERS = "meters/readings"  # the archive's name for the readings' store (wherever it is configured)
SECRET_FILE = "secret_key"
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 4 * 2**20
CHUNK = 2**20
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore refused, with the reason in Chinese; nothing was changed."""


@dataclass
class Summary:
    path: Path
    vendor: str
    created_at: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    secret_key: bool
    notes: list[str] = field(default_factory=list)
    kept_as: str = ""  # its name in the file store's backups folder, when kept there

    @property
    def where(self) -> str:
        return f"文件存储 {files.BACKUPS}/{self.kept_as}" if self.kept_as else str(self.path)


def _sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _model_tables() -> list[str]:
    """The tables of every installed model (Django's and the platform's)."""
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if not m._meta.proxy})


def _row_counts() -> dict[str, int]:
    """Every table's row count in this database: what a restore must give back."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = {}
        for table in _model_tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def _dump_and_count(vendor: str):
    """The database copy and the row counts of exactly that copy (the site may be writing meanwhile)."""
    connector = _connector()
    if vendor == "postgresql":
        # one snapshot for the counts and for pg_dump: exported by this transaction, imported by pg_dump
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            connector.dump_suffix = f"--snapshot={cursor.fetchone()[0]}"
            counts = _row_counts()
            dump = _run("导出数据库", connector.create_dump)
        return dump, counts
    dump = _run("导出数据库", connector.create_dump)
    with tempfile.NamedTemporaryFile(suffix=".sqlite3") as copy:
        shutil.copyfileobj(dump, copy, CHUNK)
        copy.flush()
        copied = sqlite3.connect(copy.name)
        try:
            existing = {r[0] for r in copied.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            counts = {
                table: copied.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in _model_tables()
                if table in existing
            }
        finally:
            copied.close()
    dump.seek(0)
    return dump, counts


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份 {vendor} 数据库：仅支持 SQLite 与 PostgreSQL")
    return vendor


def _connector():
    from dbbackup.db.base import get_connector

    logging.getLogger("dbbackup.command").setLevel(logging.WARNING)  # it would print every command it runs
    connector = get_connector("default")
    if connection.vendor == "postgresql":
        # a fresh machine's database may belong to another role: the data, not the owners, is restored
        connector.pg_options = ["--no-owner", "--no-privileges"]
    return connector


def _run(action: str, step):
    from dbbackup.db.exceptions import CommandConnectorError

    try:
        return step()
    except CommandConnectorError as error:
        detail = str(error).strip().splitlines()[-1][:300] if str(error).strip() else ""
        raise BackupError(
            f"{action}失败：{detail}（PostgreSQL 需要 pg_dump / pg_restore，Debian 软件包 postgresql-client）"
        ) from error


def _data_files() -> list[tuple[str, Callable[[], IO[bytes] | None]]]:
    """(name in the archive, how to open it): the file store's kept areas, then the readings' Parquet."""
    found: list[tuple[str, Callable[[], IO[bytes] | None]]] = []
    for area in files.BACKED_UP:
        for name in files.names(area):
            found.append((f"{area}/{name}", partial(files.open_file, area, name)))
    store = files.meter_store()
    if store.is_dir():
        for path in sorted(store.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found.append((f"{METERS}/{path.relative_to(store).as_posix()}", partial(path.open, "rb")))
    return found


def _add(archive: tarfile.TarFile, name: str, fileobj, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(dt.datetime.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, fileobj)


def create(out: Path) -> Summary:
    """Write the site's backup to ``out`` (a .tar.gz), written under a temporary name and renamed when whole."""
    vendor = _vendor()
    out = Path(out)
    if out.exists() and out.is_dir():
        raise BackupError(f"{out} 是目录：请给出备份文件名，如 carbonpeak-备份.tar.gz")
    out.parent.mkdir(parents=True, exist_ok=True)
    created_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    dump, counts = _dump_and_count(vendor)  # the database first: the files it names are then all present
    dump.seek(0, os.SEEK_END)
    dump_size = dump.tell()
    dump.seek(0)
    parts = {DUMP_NAMES[vendor]: {"sha256": _sha256_of(dump), "bytes": dump_size}}
    dump.seek(0)
    data_files = _data_files()
    secret = Path(settings.DATA_DIR) / SECRET_FILE
    has_secret = secret.is_file() and not os.environ.get("SECRET_KEY")
    notes = []
    if not has_secret:
        notes.append(
            "密钥来自环境变量 SECRET_KEY，未写入备份：恢复后的站点须设置同一密钥，原有登录会话才有效"
        )
    partial = out.with_name(out.name + ".partial")
    try:
        with tarfile.open(partial, "w:gz") as archive:
            _add(archive, DUMP_NAMES[vendor], dump, dump_size)
            file_bytes = count = 0
            for name, opener in data_files:
                handle = opener()
                if handle is None:
                    continue  # removed since it was listed (an upload's file, a report made again)
                with handle, tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as copy:
                    digest = hashlib.sha256()
                    for chunk in iter(lambda: handle.read(CHUNK), b""):  # noqa: B023 (read at once)
                        digest.update(chunk)
                        copy.write(chunk)
                    size = copy.tell()
                    copy.seek(0)
                    parts["files/" + name] = {"sha256": digest.hexdigest(), "bytes": size}
                    _add(archive, "files/" + name, copy, size)
                    file_bytes += size
                    count += 1
            if has_secret:
                data = secret.read_bytes()
                parts[SECRET_FILE] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                _add(archive, SECRET_FILE, io.BytesIO(data), len(data))
            demo_today = Path(settings.DATA_DIR) / DEMO_TODAY_FILE
            if demo_today.is_file():
                data = demo_today.read_bytes()[:64]
                parts[DEMO_TODAY_FILE] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                _add(archive, DEMO_TODAY_FILE, io.BytesIO(data), len(data))
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": created_at,
                "vendor": vendor,
                "database": DUMP_NAMES[vendor],
                "parts": parts,
                "row_counts": counts,
                "migrations": _applied_migrations(),
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            _add(archive, MANIFEST, io.BytesIO(body), len(body))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(
        out, vendor, created_at, len(counts), sum(counts.values()), count, file_bytes, has_secret, notes
    )


def _applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("不是 CarbonPeak 备份文件：缺少 manifest.json") from None
    if not member.isfile() or member.size > MAX_MANIFEST_BYTES:
        raise BackupError("备份文件的 manifest.json 无效")
    try:
        manifest = json.loads(archive.extractfile(member).read())
    except ValueError:
        raise BackupError("备份文件的 manifest.json 无法读取") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("不是 CarbonPeak 备份文件")
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('version')} 不受支持（本版本读取第 {VERSION} 版）")
    return manifest


def _check_members(archive: tarfile.TarFile, manifest: dict) -> None:
    """Every part the manifest lists is present, whole and unaltered; nothing else is in the archive."""
    parts = manifest.get("parts") or {}
    names = {m.name: m for m in archive.getmembers()}
    extra = sorted(set(names) - set(parts) - {MANIFEST})
    if extra:
        raise BackupError(f"备份文件含清单之外的内容：{'、'.join(extra[:5])}")
    for name, expected in parts.items():
        member = names.get(name)
        if member is None:
            raise BackupError(f"备份文件不完整：缺少 {name}")
        bad_name = name.startswith("/") or ".." in Path(name).parts
        if (
            bad_name
            or not member.isfile()
            or not (
                name in DUMP_NAMES.values()
                or name in (SECRET_FILE, DEMO_TODAY_FILE)
                or name.startswith("files/")
            )
        ):
            raise BackupError(f"备份文件中的 {name} 不是允许的文件")
        if _sha256_of(archive.extractfile(member)) != expected.get("sha256"):
            raise BackupError(f"备份文件已损坏：{name} 的校验值不符")


def _has_data() -> str | None:
    """What this site already holds that a restore would overwrite: its users and its audit log (a migrated
    database without either is as empty as a new one)."""
    from django.contrib.auth import get_user_model

    from carbonpeak.core.models import AuditEvent

    tables = set(connection.introspection.table_names())
    if get_user_model()._meta.db_table not in tables:
        return None
    users = get_user_model().objects.count()
    events = AuditEvent.objects.count() if AuditEvent._meta.db_table in tables else 0
    return f"{users} 个用户、{events} 条审计记录" if users or events else None


def restore(path: Path, *, force: bool = False) -> Summary:
    """Replace this site's database with the backup's and check every table's row count against it, then put
    back the files and the secret key and migrate to this version's schema. Refused, with nothing changed, when
    the archive is damaged or foreign, the databases differ in kind, or (without ``force``) this site has data."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    vendor = _vendor()
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the ``with archive`` below)
    except (tarfile.TarError, OSError):
        raise BackupError(f"无法读取备份文件 {path.name}：不是 .tar.gz 压缩包或已损坏") from None
    with archive:
        try:
            manifest = _read_manifest(archive)
            _check_members(archive, manifest)
        except (tarfile.TarError, OSError, EOFError):
            raise BackupError(f"备份文件 {path.name} 已损坏或不完整") from None
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"备份来自 {VENDOR_NAMES.get(manifest['vendor'], manifest['vendor'])} 数据库，当前站点使用 "
                f"{VENDOR_NAMES[vendor]}：请在同类数据库上恢复"
            )
        existing = _has_data()
        if existing and not force:
            raise BackupError(f"当前站点已有数据（{existing}），恢复将覆盖全部数据；确认请加 --force")
        _restore_database(archive.extractfile(manifest["database"]), vendor)
        # checked before migrating: a newer version's migrations may add rows of their own
        counts = _row_counts()
        differing = [
            f"{table}（备份 {expected} 行，恢复后 {counts.get(table)} 行）"
            for table, expected in manifest["row_counts"].items()
            if counts.get(table) != expected
        ]
        if differing:
            raise BackupError("恢复后核对不符，文件未恢复：" + "；".join(differing[:10]))
        notes = _restore_files(archive, manifest)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from carbonpeak.core import jobs

    if jobs.database_backend():
        from carbonpeak.core.models import WorkerHeartbeat

        WorkerHeartbeat.objects.all().delete()  # the workers of the backed-up site run no more
        retried, failed = jobs.recover_interrupted()
        if retried or failed:
            notes.append(f"备份时正在运行的后台任务：重新排队 {retried} 个，标记失败 {failed} 个")
    files = [n for n in manifest["parts"] if n.startswith("files/")]
    return Summary(
        path,
        vendor,
        manifest["created_at"],
        len(manifest["row_counts"]),
        sum(manifest["row_counts"].values()),
        len(files),
        sum(manifest["parts"][n]["bytes"] for n in files),
        SECRET_FILE in manifest["parts"],
        notes,
    )


def create_kept() -> Summary:
    """The backup kept in the file store's ``backups`` folder (shared by every server where the store is)."""
    name = f"carbonpeak-备份-{dt.datetime.now():%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="carbonpeak-backup-") as work:
        summary = create(Path(work) / name)
        with summary.path.open("rb") as handle:
            files.keep(files.BACKUPS, name, handle)
    summary.kept_as = name
    return summary


def kept_backups() -> list[str]:
    """The backups kept in the file store, newest last."""
    return [n for n in files.names(files.BACKUPS) if n.endswith(".tar.gz")]


def restore_kept(name: str, *, force: bool = False) -> Summary:
    """Restore a backup kept in the file store's ``backups`` folder."""
    with tempfile.TemporaryDirectory(prefix="carbonpeak-restore-") as work:
        local = Path(work) / "backup.tar.gz"
        try:
            found = files.copy_to(files.BACKUPS, name, local)
        except ValueError:
            found = False
        if not found:
            raise BackupError(f"文件存储中没有备份“{name[:100]}”")
        summary = restore(local, force=force)
    summary.kept_as = name
    return summary


def _restore_database(dump, vendor: str) -> None:
    connector = _connector()
    with tempfile.SpooledTemporaryFile(max_size=64 * 2**20) as spooled:
        shutil.copyfileobj(dump, spooled, CHUNK)
        spooled.seek(0)
        _restore_spooled(connector, spooled, vendor)


def _restore_spooled(connector, spooled, vendor: str) -> None:
    if vendor == "sqlite":
        connections.close_all()
        name = Path(connection.settings_dict["NAME"])
        for leftover in (name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
            leftover.unlink(missing_ok=True)
    else:
        # the backup's tables replace all of this database's: none of another version's may remain
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    _run("恢复数据库", lambda: connector.restore_dump(spooled))
    connections.close_all()


def _restore_files(archive: tarfile.TarFile, manifest: dict) -> list[str]:
    """The files are extracted beside their place first, then swapped in: a failure leaves the old ones."""
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        for name in manifest["parts"]:
            if name.startswith("files/") or name in (SECRET_FILE, DEMO_TODAY_FILE):
                target = staging / name.removeprefix("files/")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(name) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
        for area in files.BACKED_UP:  # the backup's files in, then what the backup does not hold out
            restored = set()
            if (staging / area).is_dir():
                for path in sorted((staging / area).rglob("*")):
                    if path.is_file():
                        name = path.relative_to(staging / area).as_posix()
                        with path.open("rb") as handle:
                            files.keep(area, name, handle)
                        restored.add(name)
            for name in set(files.names(area)) - restored:
                files.delete(area, name)
        store = files.meter_store()
        if store.exists():
            shutil.rmtree(store)
        if (staging / METERS).exists():
            store.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / METERS, store)
        notes = []
        if (staging / DEMO_TODAY_FILE).exists():  # a demo's date comes back with it; a real site has none
            (staging / DEMO_TODAY_FILE).replace(data_dir / DEMO_TODAY_FILE)
        else:
            (data_dir / DEMO_TODAY_FILE).unlink(missing_ok=True)
        if (staging / SECRET_FILE).exists():
            (staging / SECRET_FILE).replace(data_dir / SECRET_FILE)
            (data_dir / SECRET_FILE).chmod(0o600)
            notes.append("密钥已恢复：重新启动服务后，原有登录会话继续有效")
        else:
            notes.append("备份中没有密钥（来自环境变量 SECRET_KEY）：请为恢复后的站点设置同一密钥")
        return notes
    finally:
        shutil.rmtree(staging, ignore_errors=True)
