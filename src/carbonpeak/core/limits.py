"""How large a file each upload may be: one table, checked by the service that takes the file (so the page,
the API and any other caller meet the same limit), and each below the bound every request body has.

The limits are 本平台规则, counted in bytes and, for the files a background job reads, in rows and seconds
too: a quarter's form, a register or a plan document is a few hundred kB to a few MB;
larger bulk data goes through the command line (``carbonpeak meters ingest``, ``carbonpeak plan import``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimit:
    noun: str
    max_bytes: int
    larger: str = ""  # where a larger file goes, said in the refusal
    max_rows: int | None = None  # a file's rows (a Parquet file of 500 kB may hold 20 million)
    max_seconds: int | None = None  # how long the background job may spend reading it

    def refusal(self, size: int) -> str:
        where = f"；{self.larger}" if self.larger else ""
        return f"{self.noun}文件过大（{size / MB:.1f} MB，上限 {self.max_bytes // MB} MB，本平台规则），未读取{where}"


ENERGY_FORM = "energy_form"
CERTIFICATES = "certificates"
LAND_DATA = "land_data"
EVIDENCE = "evidence"
VERIFICATION = "verification"
ENTERPRISE_REGISTER = "enterprise_register"
PLAN_DOCUMENT = "plan_document"
METER_READINGS = "meter_readings"
KEY_PROJECTS = "key_projects"

LIMITS: dict[str, UploadLimit] = {
    ENERGY_FORM: UploadLimit("能源统计报表", 10 * MB, "大批量数据请用命令行导入"),
    CERTIFICATES: UploadLimit("绿证与绿电交易登记表", 10 * MB),
    LAND_DATA: UploadLimit("国土与森林数据表", 10 * MB),
    EVIDENCE: UploadLimit("佐证材料", 10 * MB),
    VERIFICATION: UploadLimit("核查报告", 10 * MB),
    ENTERPRISE_REGISTER: UploadLimit("重点企业名录", 10 * MB),
    KEY_PROJECTS: UploadLimit("重点项目表", 10 * MB),
    PLAN_DOCUMENT: UploadLimit("方案", 10 * MB, "更大的文件请用命令行 carbonpeak plan import 导入"),
    METER_READINGS: UploadLimit(
        "在线监测数据",
        10 * MB,
        "更大的文件请由管理员用命令行 carbonpeak meters ingest 导入（不限大小）",
        max_rows=1_000_000,  # a month of 15-minute readings of about 350 meters
        max_seconds=120,
    ),
}


def max_bytes(kind: str) -> int:
    return LIMITS[kind].max_bytes


def refusal(kind: str, size: int) -> str | None:
    """The message that refuses a file of ``size`` bytes, or None when it is within the limit."""
    limit = LIMITS[kind]
    return limit.refusal(size) if size > limit.max_bytes else None


def read(kind: str, upload) -> bytes:
    """An uploaded file's bytes, read no further than one byte past the limit (the service then refuses it)."""
    return upload.read(LIMITS[kind].max_bytes + 1)


def request_bound() -> int:
    """Every request body's bound (``CARBONPEAK_MAX_REQUEST_BYTES``): each limit above must be below it."""
    return settings.CARBONPEAK_MAX_REQUEST_BYTES
