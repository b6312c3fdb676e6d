"""Settings from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS.

SQLite under ``var/`` is the embedded default so that the platform runs from a clone
with no service; PostgreSQL is used when DATABASE_URL points at one.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
_checkout = PACKAGE_DIR.parent.parent
PROJECT_DIR = _checkout if (_checkout / "pyproject.toml").exists() else Path.cwd()
DATA_DIR = Path(os.environ.get("CARBONPEAK_DATA_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


DEBUG = _env_bool("DEBUG", False)
#: how many app servers share the database (docs/operations.md, "Several servers"): more than one needs the
#: same SECRET_KEY on each, given, never one generated per data directory
CARBONPEAK_SERVERS = int(os.environ.get("CARBONPEAK_SERVERS", "1") or "1")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and CARBONPEAK_SERVERS > 1:
    raise ImproperlyConfigured(
        f"CARBONPEAK_SERVERS={CARBONPEAK_SERVERS}：多台服务器须在环境变量 SECRET_KEY 中设置同一个密钥"
        "（否则各台各生成一个，登录与表单在服务器之间失效）"
    )
if not SECRET_KEY:
    # a per-installation key kept beside the data, never a key committed to the repository
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its own Swagger UI from the platform's static files (/api/docs), not from a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",
    "carbonpeak.core",
    "carbonpeak.departments",
    "carbonpeak.accounts",
    "carbonpeak.plans",
    "carbonpeak.energy",
    "carbonpeak.monitoring",
    "carbonpeak.projection",
    "carbonpeak.reports",
    "carbonpeak.supervision",
    "carbonpeak.enterprises",
    "carbonpeak.budgets",
    "carbonpeak.sinks",
    "carbonpeak.meters",
    "carbonpeak.publication",
    "carbonpeak.projects",
    "carbonpeak.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "csp.middleware.CSPMiddleware",
    "carbonpeak.core.middleware.LimitRequestBody",
    "carbonpeak.core.middleware.RejectNulCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "carbonpeak.accounts.middleware.UserLanguage",  # a logged-in user's own language before the browser's
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "carbonpeak.web.middleware.AnswerQuotaExceeded",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a public page asked for too often: RATELIMIT_VIEW
    "django_htmx.middleware.HtmxMiddleware",
    # last: turns a login refused for too many failures into the Chinese 429 (accounts/throttling.py)
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from the platform's own static files (ECharts, htmx and
# Bootstrap are served locally; no inline script or event handler); styles also inline, because ECharts and
# the templates set style attributes; no framing, no plugins, forms only to the platform
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
ROOT_URLCONF = "carbonpeak.urls"
CSRF_FAILURE_VIEW = "carbonpeak.web.errors.csrf_failure"
WSGI_APPLICATION = "carbonpeak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carbonpeak.core.context_processors.background_jobs",
                "carbonpeak.accounts.context_processors.viewer",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'carbonpeak.sqlite3'}"
# CONN_MAX_AGE > 0 keeps connections open between requests (worth it behind PostgreSQL in production)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_db, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite, the embedded default, taking concurrent writers: readers never wait for a writer (WAL), a
    # writer takes the lock when its transaction begins (IMMEDIATE: it cannot fail half-way on a lock it
    # meant to upgrade) and waits up to 20 s for another writer instead of answering "database is locked"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("CARBONPEAK_SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (django-tasks): recomputation, grading and projections after an approval, quarterly
# reports. The database backend needs no other server; `carbonpeak worker` runs them (`make demo` starts it).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CARBONPEAK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# a refusal's message shows as Bootstrap's danger alert (Django tags it "error", a class Bootstrap lacks)
MESSAGE_TAGS = {message_levels.ERROR: "danger"}
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# front-end packages come from npm (package.json); served from our own static files, never a CDN
NODE_MODULES = Path(os.environ.get("CARBONPEAK_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [
    (f"vendor/{name}", NODE_MODULES / path)
    for name, path in (("bootstrap", "bootstrap/dist"), ("echarts", "echarts/dist"))
    if (NODE_MODULES / path).exists()
]


def _file_storage(url: str) -> dict:
    """The site's files (core/files.py): the data directory of this server by default; with
    ``CARBONPEAK_STORAGE_URL=s3://bucket/folder?endpoint=https://…&region=…`` an S3-compatible object store
    (django-storages; keys from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``) that every server shares."""
    from urllib.parse import parse_qs, urlsplit

    if not url:
        return {"BACKEND": "carbonpeak.core.files.DataDirectoryStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(
            f"CARBONPEAK_STORAGE_URL 应写作 s3://存储桶/目录?endpoint=地址&region=区域，而不是“{url[:80]}”"
        )
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "file_overwrite": True,
        "default_acl": None,
        "querystring_auth": False,  # files are downloaded through the platform, which checks who may
    }
    if query.get("endpoint"):
        options["endpoint_url"] = query["endpoint"]
    if query.get("region"):
        options["region_name"] = query["region"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


CARBONPEAK_STORAGE_URL = os.environ.get("CARBONPEAK_STORAGE_URL", "")
STORAGES = {
    "default": _file_storage(CARBONPEAK_STORAGE_URL),
    "staticfiles": {"BACKEND": "carbonpeak.web.static_storage.StaticFiles"},
}
# the online-monitoring readings' Parquet store, read by DuckDB (and Spark): a folder, shared by every
# worker that imports readings where there are several (a network file system); empty: DATA_DIR/meters/readings
CARBONPEAK_METER_STORE = os.environ.get("CARBONPEAK_METER_STORE", "")
WHITENOISE_USE_FINDERS = True

# Failed logins (django-axes, counted in the database: every worker and machine, page and API together).
# 本平台规则: 5 failures of one user name, or 20 from one address (an office behind one NAT address), within
# 15 minutes lock for 15 minutes; a success clears its own user name's count (docs/operations.md)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "carbonpeak.accounts.throttling.NameAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("CARBONPEAK_LOGIN_FAILURES_PER_NAME", "5"))
CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("CARBONPEAK_LOGIN_FAILURES_PER_ADDRESS", "20"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("CARBONPEAK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # attempts during a lockout neither count nor extend it
AXES_LOCKOUT_CALLABLE = "carbonpeak.accounts.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "carbonpeak.accounts.throttling.client_address"
# reverse proxies in front of the site that append to X-Forwarded-For (0: the connection's own address)
CARBONPEAK_TRUSTED_PROXIES = int(os.environ.get("CARBONPEAK_TRUSTED_PROXIES", "0"))
AXES_VERBOSE = False


def _hourly_quotas(text: str) -> dict[str, int]:
    """``CARBONPEAK_QUOTAS_PER_HOUR="projection=40,report=20"``: the per-user hourly limits an operator overrides
    (``core.quotas``; the kinds are checked when the apps are ready). A malformed value stops the start."""
    import re

    from django.core.exceptions import ImproperlyConfigured

    out: dict[str, int] = {}
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        match = re.fullmatch(r"([a-z_]+)\s*=\s*([0-9]{1,6})", part)
        if match is None or int(match.group(2)) < 1:
            raise ImproperlyConfigured(
                f"CARBONPEAK_QUOTAS_PER_HOUR 的“{part[:40]}”无法识别：应写作 projection=40,report=20（每小时次数为正整数）"
            )
        out[match.group(1)] = int(match.group(2))
    return out


CARBONPEAK_QUOTAS_PER_HOUR = _hourly_quotas(os.environ.get("CARBONPEAK_QUOTAS_PER_HOUR", ""))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # a working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production behind HTTPS: HTTPS=1 turns on secure cookies, the redirect and HSTS
# (`carbonpeak manage check --deploy` is then clean; a test checks it).
HTTPS = _env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS or _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if _env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


def _fixed_today() -> dt.date | None:
    """The demo's date (core.clock): ``CARBONPEAK_TODAY``, else the one a demo kept beside its database."""
    text = os.environ.get("CARBONPEAK_TODAY", "")
    kept = DATA_DIR / "demo-today"
    if not text and kept.is_file():
        text = kept.read_text()[:20]
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


CARBONPEAK_TODAY = _fixed_today()

# Energy statistics: the grid region whose factor prices net imported electricity, and the
# quarter-on-quarter change (fraction) beyond which an upload is flagged for checking
# the quarterly report's PDF (LibreOffice in the report job); "0" leaves it out (Word and Excel only)
CARBONPEAK_REPORT_PDF = os.environ.get("CARBONPEAK_REPORT_PDF", "1") != "0"
# the quarterly report's 发文机关 (red header, signature); empty: the region's 发展和改革委员会
CARBONPEAK_REPORT_ISSUER = os.environ.get("CARBONPEAK_REPORT_ISSUER", "")
# the public pages: requests per client address (本平台规则: generous for a reader, small against a scraper),
# counted by django-ratelimit in its own cache (in each server process unless a shared cache is configured)
CARBONPEAK_PUBLIC_RATE = os.environ.get("CARBONPEAK_PUBLIC_RATE", "240/m")
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_VIEW = "carbonpeak.web.errors.rate_limited"


def _cache(url: str) -> dict:
    """Pages' computed parts (core/versions.py), shared by every server: a table of the database by default,
    Redis with ``CARBONPEAK_CACHE_URL=redis://host:6379/0``, this process's memory with ``locmem://``."""
    if not url:
        # 本平台规则: up to 5,000 entries, a third dropped when full (keys carry the data version: old ones are
        # never read again)
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "carbonpeak_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3},
        }
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":  # the same as the memory in front of it (one process)
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "carbonpeak-local",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    raise ImproperlyConfigured(
        f"CARBONPEAK_CACHE_URL 应为空（数据库缓存）、redis://主机:端口/库号 或 locmem://，而不是“{url[:80]}”"
    )


CARBONPEAK_CACHE_URL = os.environ.get("CARBONPEAK_CACHE_URL", "")
CACHES = {
    "default": _cache(CARBONPEAK_CACHE_URL),
    # in front of it, each process's memory of what it read last (core/versions.kept: keys that fix their
    # value only); 本平台规则: 500 entries
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "carbonpeak-local",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    # the public pages' counts: Redis where configured (every server counts together), else each process's
    # memory (django-ratelimit needs an atomic increment, which the database cache does not give)
    "ratelimit": _cache(CARBONPEAK_CACHE_URL)
    if CARBONPEAK_CACHE_URL.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
}
# django-ratelimit warns that a local-memory cache is not shared between processes: each server process then
# limits on its own, which the rate above allows for (a shared cache is a deployment setting)
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
CARBONPEAK_GRID_REGION = os.environ.get("CARBONPEAK_GRID_REGION", "江苏")
CARBONPEAK_QOQ_WARNING = float(os.environ.get("CARBONPEAK_QOQ_WARNING", "0.5"))
# the draws of the projections the background jobs keep after new data (what pages, grades and the report
# read); a slower server may keep fewer, at the cost of a wider sampling error (docs/projection.md)
CARBONPEAK_PROJECTION_DRAWS = int(os.environ.get("CARBONPEAK_PROJECTION_DRAWS", "10000"))
if not 1_000 <= CARBONPEAK_PROJECTION_DRAWS <= 200_000:
    raise ImproperlyConfigured("CARBONPEAK_PROJECTION_DRAWS 须在 1000 到 200000 之间")
# a request body above this is refused (413) before it is read; uploads themselves are capped at 10 MB
CARBONPEAK_MAX_REQUEST_BYTES = int(os.environ.get("CARBONPEAK_MAX_REQUEST_BYTES", str(12 * 2**20)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# the department whose reporters submit the city's energy statistics (四(一))
CARBONPEAK_STATISTICS_OFFICE = os.environ.get("CARBONPEAK_STATISTICS_OFFICE", "市统计局")
# the department that records the fiscal awards paid to key projects (方案 四（二）: 市财政局 leads it)
CARBONPEAK_FINANCE_DEPARTMENT = os.environ.get("CARBONPEAK_FINANCE_DEPARTMENT", "市财政局")
# the departments that own land, forest and wetland data and report it for every district (the plan's carbon
# sink tasks, led by 市资源规划局 and 市农业农村局); comma-separated
CARBONPEAK_LAND_DEPARTMENTS = tuple(
    name.strip()
    for name in os.environ.get("CARBONPEAK_LAND_DEPARTMENTS", "市资源规划局,市农业农村局").split(",")
    if name.strip()
)
