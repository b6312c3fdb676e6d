"""The platform on more than one server (PostgreSQL round of `make test`): two app servers with the same
secret key and database but data directories of their own, and two background workers.

- a user logs in on one server and goes on on the other;
- a file uploaded on one server (evidence, through the page) is downloaded on the other: both keep their
  files in one S3-compatible object store (moto's server on a loopback port);
- 50 jobs enqueued run exactly once each, shared between the workers;
- a worker killed while it runs a job: the other worker takes the job over once the killed one's heartbeat is
  older than ``CARBONPEAK_WORKER_STOPPED_SECONDS`` (here 5 s). The kill is real (SIGKILL); the job it was
  running is set up as a kill leaves it (运行中, claimed by that worker), since no job of the platform is
  long enough to be caught midway reliably.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import time
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="多服务器部署须用 PostgreSQL：本测试在 make test 的 PostgreSQL 轮运行",
)
SHARED = {"SECRET_KEY": "the-same-key-on-every-server-of-this-test", "CARBONPEAK_SERVERS": "2"}
JOBS = 50


def _browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _token(opener, url: str) -> str:
    with opener.open(url, timeout=60) as response:
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read()).group(1).decode()


def _login(opener, jar, server: str, username: str = "coordinator") -> None:
    token = _token(opener, f"{server}/login/")
    form = urllib.parse.urlencode(
        {"username": username, "password": "carbonpeak-demo", "csrfmiddlewaretoken": token}
    )
    request = urllib.request.Request(
        f"{server}/login/", data=form.encode(), headers={"Referer": f"{server}/login/"}
    )
    opener.open(request, timeout=30).read()
    assert any(c.name == "sessionid" for c in jar)


def _wait(site, code: str, until, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while True:
        out = site.python(code)
        value = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(1)


PLAN_AND_PERIOD = """
import datetime as dt, json
from pathlib import Path
import carbonpeak.plans
from django.contrib.auth import get_user_model
from carbonpeak.demo import ensure_demo_users
from carbonpeak.plans.document import plan_from_dict
from carbonpeak.plans.models import Plan
from carbonpeak.plans.services import import_plan
from carbonpeak.supervision import services
bundled = Path(carbonpeak.plans.__file__).parent / "data" / "taicang-carbon-peak-plan.json"
done = import_plan(plan_from_dict(json.loads(bundled.read_text(encoding="utf-8"))), source_name="taicang.json", region="太仓市")
ensure_demo_users()
coordinator = get_user_model().objects.get(username="coordinator")
period = services.open_period(Plan.objects.get(pk=done.plan_id), "2025Q4", dt.date(2026, 12, 31), coordinator)
report = period.reports.filter(department__name="市交运局").first()
print(report.pk)
"""


def _upload(opener, server: str, report_id: int, name: str, data: bytes) -> None:
    """The report page's evidence form, as a browser sends it (multipart, with its CSRF token)."""
    token = _token(opener, f"{server}/progress/reports/{report_id}/")
    boundary = "----carbonpeak-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{server}/progress/reports/{report_id}/evidence/",
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"{server}/progress/reports/{report_id}/",
        },
    )
    opener.open(request, timeout=60).read()


def test_two_servers_share_sessions_and_two_workers_share_the_jobs(make_site, tmp_path, object_store):
    site = make_site("several")
    site.env.update(SHARED)
    site.env.update(object_store)  # one file store for both servers
    site.env["CARBONPEAK_WORKER_STOPPED_SECONDS"] = "5"
    prepared = site.python(PLAN_AND_PERIOD)  # the plan, its users and a quarter's progress reports
    assert prepared.returncode == 0, prepared.stderr
    report_id = int(_last(prepared))
    one = site.serve({"CARBONPEAK_DATA_DIR": str(tmp_path / "one")})
    two = site.serve({"CARBONPEAK_DATA_DIR": str(tmp_path / "two")})

    opener, jar = _browser()
    _login(opener, jar, one)
    with opener.open(f"{two}/monitoring/", timeout=60) as response:  # the session of server one, on two
        assert response.status == 200 and urllib.parse.urlsplit(response.geturl()).path == "/monitoring/"

    # a file uploaded on server one is downloaded on server two
    department, department_jar = _browser()
    _login(department, department_jar, one, "市交运局")
    evidence = b"%PDF-1.4 minutes of the meeting, uploaded on server one"
    _upload(department, one, report_id, "会议纪要.pdf", evidence)
    listed = json.loads(department.open(f"{two}/api/reports/{report_id}/evidence", timeout=60).read())
    assert [e["name"] for e in listed] == ["会议纪要.pdf"], listed
    with opener.open(f"{two}{listed[0]['url']}", timeout=60) as response:  # the coordinator, on server two
        assert response.status == 200 and response.read() == evidence
    assert not list((tmp_path / "one").rglob("evidence*"))  # in the object store, not on server one's disk

    workers = [site.start("worker", "--interval", "0.2") for _ in range(2)]
    emitted = site.python(
        "from carbonpeak.core import events\n"
        f"for n in range({JOBS}):\n"
        "    events.emit('observation_approved', observation_id=None)\n"
    )
    assert emitted.returncode == 0, emitted.stderr
    assert _wait(
        site, f"{OURS}print(ours.filter(status='SUCCESSFUL').count())", lambda v: v == str(JOBS)
    ) == str(JOBS)
    claims = json.loads(_last(site.python(f"{OURS}print(json.dumps([r.worker_ids for r in ours]))")))
    assert len(claims) == JOBS and all(len(ids) == 1 for ids in claims)  # each exactly once
    assert len({ids[0] for ids in claims}) == 2  # both workers took jobs

    # one worker killed while it runs a job: the other takes the job over
    killed = workers[0]
    beats = json.loads(
        _last(
            site.python(
                "import json; from carbonpeak.core.models import WorkerHeartbeat; "
                "print(json.dumps({w.pid: w.worker_id for w in WorkerHeartbeat.objects.all()}))"
            )
        )
    )
    killed_id = beats[str(killed.pid)]
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=10)
    left = site.python(
        "from django.utils import timezone; from django_tasks_db.models import DBTaskResult\n"
        "from carbonpeak.core.models import WorkerHeartbeat\n"
        "r = DBTaskResult.objects.create(task_path='carbonpeak.core.events.handle_event', "
        "args_kwargs={'args': ['observation_approved', {'observation_id': None}], 'kwargs': {}}, "
        "status='RUNNING', started_at=timezone.now(), run_after=timezone.now(), queue_name='default', "
        f"backend_name='default', worker_ids=['{killed_id}'])\n"
        "print(r.pk)"
    )
    assert left.returncode == 0, left.stderr
    job = _last(left)
    state = _wait(
        site,
        f"{OURS}print(ours.get(pk='{job}').status, ours.filter(status='SUCCESSFUL').count())",
        lambda v: v == f"FAILED {JOBS + 1}",
        seconds=60,
    )
    assert state == f"FAILED {JOBS + 1}"  # taken over: marked, and run again by the live worker


OURS = (
    "import json; from django_tasks_db.models import DBTaskResult; "
    "ours = DBTaskResult.objects.filter(args_kwargs__args__0='observation_approved'); "
)


def _last(out) -> str:
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]
