"""Concurrent writers on a site of its own — the database of the run (a SQLite file, the embedded default, or
PostgreSQL) and two server processes — answer every request without a server error, and lose nothing:
two users each send uploads while token requests and projection requests run beside them."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

SET_UP = """
from django.contrib.auth import get_user_model
from carbonpeak.cli.common import BUNDLED_PLAN, load_plan
from carbonpeak.core import jobs
from carbonpeak.demo import ensure_demo_users
from carbonpeak.energy.services import ensure_bundled_factor_sets, load_sample_data
from carbonpeak.plans.services import import_plan
ensure_demo_users()
import_plan(load_plan(str(BUNDLED_PLAN)), source_name="plan.json", region="太仓市")
ensure_bundled_factor_sets()
load_sample_data(get_user_model().objects.get(username="coordinator"))
jobs.run_pending()
"""
COUNT = """
from carbonpeak.core import jobs
from carbonpeak.core.models import UploadJob
from carbonpeak.energy.models import EnergySubmission
jobs.run_pending()  # the worker: the uploads were queued as jobs
done = UploadJob.objects.filter(kind="energy", status="done").count()
print(done, EnergySubmission.objects.filter(source_name__startswith="并发").count())
"""
UPLOADS = 12  # per user
CSV = (
    "period,region,sector,fuel,quantity,unit\n2023Q1,太仓市,其他工业,原煤,{n},万吨\n"
    "2023Q1,太仓市,电力调入,电力,1,亿千瓦时\n2023Q1,太仓市,电力调出,电力,0,亿千瓦时\n"
)


def _call(url: str, *, data: bytes | None = None, content_type: str = "", token: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _token(server: str, username: str) -> tuple[int, str]:
    body = json.dumps({"username": username, "password": "carbonpeak-demo"}).encode()
    return _call(f"{server}/api/auth/token", data=body, content_type="application/json")


def test_concurrent_writers_are_answered_and_nothing_is_lost(make_site):
    site = make_site("busy")
    prepared = site.python(SET_UP)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    servers = [site.serve(), site.serve()]
    answers: list[tuple[str, int, str]] = []
    lock = threading.Lock()

    def record(what: str, status: int, body: str) -> None:
        with lock:
            answers.append((what, status, body[:300]))

    def uploads(username: str, server: str) -> None:
        status, body = _token(server, username)
        token = json.loads(body)["token"]
        for n in range(UPLOADS):
            data = encode_multipart(
                BOUNDARY, {"file": _File(f"并发-{username}-{n}.csv", CSV.format(n=n + 1).encode())}
            )
            record(
                "upload",
                *_call(
                    f"{server}/api/energy/submissions", data=data, content_type=MULTIPART_CONTENT, token=token
                ),
            )

    def tokens(server: str) -> None:
        for _ in range(15):
            record("token", *_token(server, "leader"))

    def projections(server: str) -> None:
        token = json.loads(_token(server, "coordinator")[1])["token"]
        for seed in range(5):
            body = json.dumps({"draws": 200, "seed": 100 + seed}).encode()
            record(
                "projection",
                *_call(
                    f"{server}/api/projections/{urllib.parse.quote('规划情景')}/runs",
                    data=body,
                    content_type="application/json",
                    token=token,
                ),
            )

    threads = [
        threading.Thread(target=uploads, args=("coordinator", servers[0])),
        threading.Thread(target=uploads, args=("stats", servers[1])),
        threading.Thread(target=tokens, args=(servers[0],)),
        threading.Thread(target=tokens, args=(servers[1],)),
        threading.Thread(target=projections, args=(servers[1],)),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        site.close()
    errors = [a for a in answers if a[1] >= 500]
    assert not errors, errors
    uploaded = [a for a in answers if a[0] == "upload"]
    assert len(uploaded) == 2 * UPLOADS and all(status == 202 for _, status, _ in uploaded), uploaded
    assert all(status == 200 for what, status, _ in answers if what == "token")
    assert all(status in (200, 202) for what, status, _ in answers if what == "projection")
    stored = site.python(COUNT)
    # every accepted upload was imported by the worker and is there
    assert stored.stdout.strip().splitlines()[-1] == f"{2 * UPLOADS} {2 * UPLOADS}", (
        stored.stdout + stored.stderr
    )


class _File:
    """A file for ``encode_multipart``: a name and its bytes."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.content = name, content

    def read(self) -> bytes:
        return self.content
