"""The platform on more than one server (PostgreSQL round of `make test`): two app servers with the same
secret key and database but data directories of their own, and two background workers.

- a user logs in on one server and goes on on the other;
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


def _login(opener, jar, server: str) -> None:
    with opener.open(f"{server}/login/", timeout=30) as response:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.read()).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": "coordinator", "password": "carbonpeak-demo", "csrfmiddlewaretoken": token}
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


def test_two_servers_share_sessions_and_two_workers_share_the_jobs(make_site, tmp_path):
    site = make_site("several")
    site.env.update(SHARED)
    site.env["CARBONPEAK_WORKER_STOPPED_SECONDS"] = "5"
    assert site.python("from carbonpeak.demo import ensure_demo_users; ensure_demo_users()").returncode == 0
    one = site.serve({"CARBONPEAK_DATA_DIR": str(tmp_path / "one")})
    two = site.serve({"CARBONPEAK_DATA_DIR": str(tmp_path / "two")})

    opener, jar = _browser()
    _login(opener, jar, one)
    with opener.open(f"{two}/monitoring/", timeout=60) as response:  # the session of server one, on two
        assert response.status == 200 and urllib.parse.urlsplit(response.geturl()).path == "/monitoring/"

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
