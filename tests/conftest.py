from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests import snapshots

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BUNDLED_PLAN = ROOT / "src" / "carbonpeak" / "plans" / "data" / "taicang-carbon-peak-plan.json"
CHROMIUM = "/usr/bin/chromium"
TEST_PROJECTION_DRAWS = 2_000
ARTIFACTS = ROOT / "test-artifacts"


def pytest_configure(config):
    """Settings for the whole run: jobs run at once, a cheap password hash (the demo users are created in many tests, and
    PBKDF2 at Django's production cost made every such test spend 4–5 s hashing), and a data directory
    (evidence, report files) of each worker's own, so parallel workers never share files."""
    import tempfile

    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # background jobs run at once, inside the service's transaction, so a test sees what follows an event
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django_tasks import task_backends

    # the admin's imports may have made the backend already, with the settings of before
    task_backends.__dict__.pop("settings", None)
    task_backends.__init__()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.DATA_DIR = Path(tempfile.mkdtemp(prefix=f"carbonpeak-test-{worker}-"))
    # LibreOffice takes seconds a report: only the tests of the PDF itself turn it on
    settings.CARBONPEAK_REPORT_PDF = False
    # the projections the jobs keep after each event, here and in the sites the tests start, on 2,000 draws
    # rather than a site's 10,000: every approval, recompute and demo build reruns them, and at 10,000 they
    # took half the time of the tests that follow an event. The model's own tests ask for their draws.
    settings.CARBONPEAK_PROJECTION_DRAWS = TEST_PROJECTION_DRAWS
    os.environ["CARBONPEAK_PROJECTION_DRAWS"] = str(TEST_PROJECTION_DRAWS)


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


def _import_bundled_plan():
    from carbonpeak.plans.document import plan_from_dict
    from carbonpeak.plans.models import Plan
    from carbonpeak.plans.services import import_plan

    plan = plan_from_dict(json.loads(BUNDLED_PLAN.read_text(encoding="utf-8")))
    report = import_plan(plan, source_name="taicang.json", region="太仓市")
    return Plan.objects.get(pk=report.plan_id)


def _coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="coordinator")


@pytest.fixture
def imported_plan(db, request):
    if "demo_plan" in request.fixturenames:  # the demo holds the plan: one plan, built or written back
        return request.getfixturevalue("demo_plan")
    return _import_bundled_plan()


@pytest.fixture
def coordinator(db, request):
    if "demo_plan" in request.fixturenames:
        request.getfixturevalue("demo_plan")
        return _coordinator()
    from carbonpeak.demo import ensure_demo_users

    ensure_demo_users()
    return _coordinator()


@pytest.fixture
def browser_page(transactional_db, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # fixtures are plain synchronous calls, which Django would otherwise refuse
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        refused: list[str] = []  # the Content-Security-Policy must let every page work: nothing refused
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        yield page
        browser.close()
        assert not refused, f"内容安全策略拦截了页面资源：{refused}"


@pytest.fixture
def artifacts() -> Path:
    """Where end-to-end tests leave their screenshots (test-artifacts/, not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def login():
    def _login(page, live_server, username="coordinator", password="carbonpeak-demo"):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")

    return _login


@pytest.fixture
def demo_plan(db):
    """The Taicang plan with indicators linked, sample energy data and sample observations, as `make demo`;
    built once per worker and written back for later tests (tests/snapshots.py)."""
    from carbonpeak.plans.models import Plan

    def build():
        from carbonpeak.demo import ensure_demo_users
        from carbonpeak.energy.services import ensure_bundled_factor_sets, load_sample_data
        from carbonpeak.monitoring import services as monitoring
        from carbonpeak.plans.services import set_external_target_value

        plan = _import_bundled_plan()
        ensure_demo_users()
        coordinator = _coordinator()
        ensure_bundled_factor_sets()
        # the target handed down first, as the demo does: the sample accounts cap the certificate deduction
        set_external_target_value(
            plan, "单位地区生产总值能耗", 2025, value=14.5, unit="%", base_year=2020, user=coordinator
        )
        load_sample_data(coordinator)
        monitoring.propose_links(plan)
        monitoring.load_sample_observations(plan, coordinator)

    snapshots.build_or_restore("demo_plan", build)
    return Plan.objects.get(region="太仓市")


@pytest.fixture
def rates_entered(demo_plan, coordinator):
    """The demo after a coordinator entered a 发电 coal rate and the Jiangsu grid's non-fossil share for
    2020–2025 (no sourced value exists: these are test inputs, labelled so) and recomputed, as the 核算因子
    page does: the 等价值 figures and the non-fossil share then exist."""

    def build():
        from carbonpeak.energy import services as energy

        rows = "".join(
            f"generation_coal_rate,江苏,{year},{rate},gce/kWh,测试输入（非参考值）,test\n"
            f"grid_non_fossil_share,江苏,{year},{share},%,测试输入（非参考值）,test\n"
            for year, rate, share in zip(
                range(2020, 2026), (300, 298, 296, 294, 292, 290), (20, 22, 24, 26, 28, 30), strict=True
            )
        )
        fs = energy.import_factor_csv(
            "kind,key,year,value,unit,source,status\n" + rows,
            name="national",
            version="test-rates",
            user=coordinator,
            based_on=energy.official_factor_set(),
        )
        energy.adopt_factor_set(fs, user=coordinator, reason="录入发电煤耗")

    snapshots.build_or_restore("rates_entered", build)
    return demo_plan


@pytest.fixture(autouse=True)
def background_jobs_must_not_fail():
    """The immediate task backend records a job's exception instead of raising it: fail the test instead,
    so a broken chain (approve → recompute → projections → grades) cannot pass unseen."""
    from django_tasks.base import TaskResultStatus
    from django_tasks.signals import task_finished

    failed = []

    def on_finished(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failed.append((task_result.task.name, [e.traceback for e in task_result.errors]))

    task_finished.connect(on_finished, weak=False)
    yield failed
    task_finished.disconnect(on_finished)
    assert not failed, f"后台任务失败：{failed}"


class Site:
    """A CarbonPeak installation of its own: a migrated database of the run's kind and a data directory,
    run in processes of its own (the CLI, servers), as a real deployment is."""

    def __init__(self, env: dict[str, str], root: Path) -> None:
        self.env = env
        self.root = root
        self.servers: list = []

    def run(self, *args: str, env: dict[str, str] | None = None):
        import subprocess
        import sys

        code = "import sys; from carbonpeak.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )

    def python(self, code: str):
        """Python run inside the site's Django (users, checks), in a process of its own."""
        return self.run("manage", "shell", "-c", code)

    def serve(self, env: dict[str, str] | None = None) -> str:
        """One more server process (gunicorn, one worker) on a free port, ``env`` added to the site's (another
        data directory, say); its address."""
        import socket
        import subprocess
        import sys
        import time
        import urllib.request

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "carbonpeak.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            env={**self.env, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.servers.append(server)
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/login/", timeout=1)
                return url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"服务进程未能在 30 秒内启动（{url}）")

    def start(self, *args: str, env: dict[str, str] | None = None):
        """A long-running command of the site (``worker``) in a process of its own, stopped with the site."""
        import subprocess
        import sys

        code = "import sys; from carbonpeak.cli import main; sys.exit(main(sys.argv[1:]))"
        process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            env={**self.env, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.servers.append(process)
        return process

    def close(self) -> None:
        for server in self.servers:
            if server.poll() is None:
                server.terminate()
            server.wait(timeout=10)


def new_database_url(tmp_path: Path, label: str) -> tuple[str, object]:
    """A new, empty database of the kind this run uses (SQLite file, or a PostgreSQL database beside the
    suite's); the second value drops it."""
    import uuid

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / f'{label}.sqlite3'}", lambda: None
    import psycopg

    name = f"carbonpeak_{label}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + name, drop


@pytest.fixture
def make_site(tmp_path):
    """Sites of their own (``Site``), each with its database and data directory, removed after the test."""
    made: list[tuple[Site, object]] = []

    def make(label: str = "site", *, migrate: bool = True) -> Site:
        url, drop = new_database_url(tmp_path, label)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CARBONPEAK_DATA_DIR": str(tmp_path / label / "var"),
            "DJANGO_SETTINGS_MODULE": "carbonpeak.settings",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        site = Site(env, tmp_path / label)
        made.append((site, drop))
        if migrate:
            migrated = site.run("migrate", "-v", "0")
            assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        return site

    yield make
    for site, drop in made:
        site.close()
        drop()


@pytest.fixture
def fresh_site(make_site):
    return make_site("site")


@pytest.fixture
def demo_budgets(demo_plan, coordinator):
    """The demo's regions with their figures: the sample enterprises, the seven units' energy statistics, and
    the budgets allocated to them (as ``make demo``)."""
    from carbonpeak.demo import ensure_demo_budgets, ensure_demo_enterprises
    from carbonpeak.energy.services import load_sample_districts

    ensure_demo_enterprises(coordinator, reports=False)
    load_sample_districts(coordinator)
    ensure_demo_budgets(coordinator)
    return demo_plan


#: what makes a test touch the database: a database fixture, or a whole site of its own (which reads
#: DATABASE_URL in its subprocesses)
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
SITE_FIXTURES = {"make_site", "fresh_site"}


def pytest_collection_modifyitems(config, items):
    """On the second round (PostgreSQL, ``CARBONPEAK_DATABASE_ROUND=1`` from ``make test``) only the tests that
    touch the database run again: a pure module's test (parsing, accounting, projection) ran in the first
    round and would give the same answer, and so would the browser's (chromium drives the same pages, which
    the client-side walks of every page and route run on PostgreSQL too) — each cost 15–20 s there in
    emptying and refilling the database around it."""
    if os.environ.get("CARBONPEAK_DATABASE_ROUND") != "1":
        return
    kept, dropped = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        uses_database = bool(names & (DATABASE_FIXTURES | SITE_FIXTURES)) or item.get_closest_marker(
            "django_db"
        )
        in_browser = item.get_closest_marker("e2e") is not None
        (kept if uses_database and not in_browser else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def object_store(monkeypatch):
    """An S3-compatible object store on a loopback port (moto's server, in this process) with an empty bucket:
    the variables a site is given to keep its files there (the keys, also set in this process)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    keys = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}
    for name, value in keys.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket="carbonpeak")
    yield {"CARBONPEAK_STORAGE_URL": f"s3://carbonpeak/site?endpoint={endpoint}&region=us-east-1", **keys}
    server.stop()


def bucket_names(store: dict[str, str]) -> list[str]:
    """Every object in the test store's bucket."""
    import boto3

    endpoint = store["CARBONPEAK_STORAGE_URL"].split("endpoint=")[1].split("&")[0]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket="carbonpeak").get("Contents", []))


@pytest.fixture(autouse=True)
def fresh_process_memory():
    """What a process keeps in memory of computed parts is keyed by data version; a test's database rolls back
    to versions an earlier test may have computed other data under (the shared cache, a table of that
    database, rolls back with it), so each test starts with nothing in memory."""
    from carbonpeak.core import versions

    versions.clear_local()
    yield
    versions.clear_local()


@pytest.fixture(autouse=True)
def platform_language_between_tests():
    """A request in English leaves its language active in the thread that served it (the test's own); the
    next test starts in the platform's language, as a new request or a worker does."""
    from django.utils import translation

    yield
    translation.deactivate()
