"""The demo under a whole city's use: latency per page with N users at once, on this machine.

Usage: python benchmarks/bench_web.py [--users 20] [--seconds 60] [--background] [--soak] [--port 8765]

Prepares a demo site of its own in a temporary directory (``carbonpeak demo``, SQLite), serves it as
``make demo`` does (``carbonpeak serve``: gunicorn and the background worker), logs in N users of mixed roles
(coordinator, leader, the statistics office, lead departments) and has each request the mix below, one request
after another with no pause, for the given time, from this process only (loopback, at most N requests in
flight). Measured in the same run before the load: each page alone, one user, 10 times (the baseline).

With ``--background`` one projection with a new seed is asked for (a background job) and one 10 MB energy CSV
is uploaded while the users work: the light pages must stay fast meanwhile.

With ``--soak`` (10 minutes unless ``--seconds`` says otherwise) uploads join the mix: the statistics office
sends an energy CSV and the coordinator a file of online-monitoring readings every few seconds, each answered
at once with its job, whose page the sender then polls until the worker has read the file. The memory of
the server's processes (gunicorn and the worker) is read every 10 s; the last lines compare the first minute's
with the last minute's (flat: the ratio near 1) and count every answer that was not the expected one.

Prints requests/s and p50/p95/p99 per page; the last line gives the dashboard's p95 against the 200 ms goal.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

DASHBOARD = "/monitoring/"
#: the mix a quarter's deadline brings: (path, weight)
MIX = [
    ("/", 2),  # each user's front door: a department's 待办, the coordinator's and a leader's dashboard
    (DASHBOARD, 4),
    ("/plans/", 2),
    ("/plans/targets/", 2),
    ("/energy/", 2),
    ("/projection/", 2),
    ("/progress/", 2),
    ("/api/targets", 2),
]
LIGHT = {"/plans/", "/plans/targets/", "/progress/"}
GOAL_MS = 200
PASSWORD = "carbonpeak-demo"


def carbonpeak(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    code = "import sys; from carbonpeak.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, **kwargs)


def demo_users(env: dict) -> list[str]:
    """Every demo user whose pages are the mix's (the city's own users: not the administrator, an enterprise's
    reporter or a parent region's viewer, whose doors are elsewhere), coordinator and leader first."""
    out = carbonpeak(
        env,
        "manage",
        "shell",
        "-c",
        "import json; from django.contrib.auth import get_user_model; "
        "from carbonpeak.accounts.permissions import Action, can; "
        "users = get_user_model().objects.exclude(username='admin').order_by('id'); "
        "print(json.dumps([u.username for u in users if can(u, Action.VIEW_WORK)]))",
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class User:
    """One logged-in browser: its own cookies, urllib without following redirects."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, data: bytes, content_type: str) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.base + path,
            data=data,
            headers={"Content-Type": content_type, "X-CSRFToken": self.csrf(), "Referer": self.base + path},
        )
        self.last_path = ""
        try:
            with self.opener.open(request, timeout=300) as response:
                self.last_path = urllib.parse.urlsplit(response.geturl()).path  # where a redirect led
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def login(self) -> None:
        status, body = self.get("/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode(
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        self.post("/login/", form, "application/x-www-form-urlencoded")
        if not any(c.name == "sessionid" for c in self.jar):
            raise RuntimeError(f"{self.username} 未能登录")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def timed(user: User, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    status, _ = user.get(path)
    return (time.perf_counter() - started) * 1000, status


def ten_megabyte_csv() -> bytes:
    """A valid energy CSV of 10 MB (under the 200,000-row cap): the largest upload a reporter may send."""
    lines, size, row = ["period,region,sector,fuel,quantity,unit"], 40, 0
    while size < 10 * 10**6 - 200:
        row += 1
        lines.append(f"2025Q1,城厢镇,其他工业,原煤,{row % 9000 + 1000}.{row % 1000:03d},万吨")
        size += len(lines[-1].encode()) + 1
    return ("\n".join(lines) + "\n").encode()


def background_work(base: str, done: dict) -> None:
    """One projection with a new seed (queued for the worker) and one 10 MB upload, while the users work."""
    coordinator, stats = User(base, "coordinator"), User(base, "stats")
    coordinator.login()
    stats.login()
    seed = random.randrange(10**6, 2 * 10**6)
    started = time.perf_counter()
    status, body = coordinator.post(
        "/api/projections/" + urllib.parse.quote("规划情景") + "/runs",
        json.dumps({"seed": seed}).encode(),
        "application/json",
    )
    done["projection"] = (status, json.loads(body).get("status"))
    boundary = uuid.uuid4().hex
    data = ten_megabyte_csv()
    multipart = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    stats.get("/energy/submissions/")
    status, _ = stats.post(
        "/energy/submissions/upload/", multipart, f"multipart/form-data; boundary={boundary}"
    )
    done["upload"] = (status, len(data), round(time.perf_counter() - started, 1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--background", action="store_true", help="一个预测任务与一个 10 MB 上传同时进行")
    parser.add_argument("--soak", action="store_true", help="长时间运行（默认 10 分钟），上传混入，记录内存")
    args = parser.parse_args()
    if args.soak and args.seconds == parser.get_default("seconds"):
        args.seconds = 600
    base = f"http://127.0.0.1:{args.port}"
    with socket.socket() as probe:  # a server left on the port would be measured instead of this one
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is already in use: stop what serves it, or pass --port")

    with tempfile.TemporaryDirectory(prefix="carbonpeak-bench-web-") as data_dir:
        env = {**os.environ, "CARBONPEAK_DATA_DIR": data_dir, "PYTHONUNBUFFERED": "1"}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        carbonpeak(env, "demo", stdout=subprocess.DEVNULL)
        print(f"demo site prepared in {time.perf_counter() - started:.0f} s ({data_dir})")
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from carbonpeak.cli import main; sys.exit(main(sys.argv[1:]))",
                "serve",
                "--port",
                str(args.port),
                "--with-worker",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # so that the server is stopped too
        try:
            run(args, base, env, server.pid)
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def group_rss_mb(group: int) -> float:
    """The resident memory of every process of the server's process group (gunicorn and the worker)."""
    total = 0
    for entry in os.listdir("/proc"):
        try:
            pid = int(entry)
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # the fifth field of stat: the process group
                continue
            with open(f"/proc/{pid}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        except (ValueError, OSError, StopIteration):
            continue
    return total / 1024


def multipart(name: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def energy_csv(n: int) -> bytes:
    """A small valid quarter of the city (each upload a new revision of its draft)."""
    return (
        "period,region,sector,fuel,quantity,unit\n"
        f"2025Q1,太仓市,其他工业,原煤,{1000 + n},万吨\n"
        "2025Q1,太仓市,电力调入,电力,1,亿千瓦时\n2025Q1,太仓市,电力调出,电力,0,亿千瓦时\n"
    ).encode()


def meter_csv(n: int) -> bytes:
    """A day of 15-minute readings of one meter, a new meter each time (so no reading repeats)."""
    code = "91320585MA1MXXXX0X"  # replaced below by a valid code from the demo's register
    start = time.mktime((2025, 11, 1, 0, 0, 0, 0, 0, -1))
    rows = [
        f"{code},SOAK-{n},电力,{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(start + 900 * i))},1,千瓦时"
        for i in range(96)
    ]
    return (
        "统一社会信用代码,计量器具编号,能源品种,数据时标,数值,计量单位\n" + "\n".join(rows) + "\n"
    ).encode()


def uploader(base: str, username: str, kind: str, deadline: float, outcome: dict, lock, code: str) -> None:
    """Send a file every few seconds until the deadline, each time following its job to the end."""
    user = User(base, username)
    user.login()
    page = "/energy/submissions/upload/" if kind == "energy" else "/meters/upload/"
    user.get("/energy/submissions/" if kind == "energy" else "/meters/")
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        data = (
            energy_csv(n) if kind == "energy" else meter_csv(n).replace(b"91320585MA1MXXXX0X", code.encode())
        )
        body, content_type = multipart(f"soak-{n}.csv", data, "text/csv")
        started = time.perf_counter()
        status, _ = user.post(page, body, content_type)  # the redirect to the job's page is followed
        location = user.last_path
        state = "no-job"
        if location.startswith("/jobs/uploads/"):
            for _ in range(600):
                got, html = user.get(location)
                found = re.search(rb'data-status="(\w+)"', html)
                state = found.group(1).decode() if got == 200 and found else f"http-{got}"
                if state not in ("queued", "running"):
                    break
                time.sleep(0.5)
        with lock:
            outcome.setdefault(kind, []).append((status, state, round(time.perf_counter() - started, 2)))
        time.sleep(10)  # within the upload quota of 60 files an hour (本平台规则) over a 10-minute soak


def wait_for(base: str) -> None:
    """Until the server answers its login page (at most a minute)."""
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.1)


def run(args, base: str, env: dict, server_group: int) -> None:
    wait_for(base)
    names = demo_users(env)
    users = [User(base, names[i % len(names)]) for i in range(args.users)]
    for user in users:
        user.login()
    print(f"{len(users)} users logged in: {', '.join(sorted({u.username for u in users}))}")
    _, page = users[0].get(DASHBOARD)
    script = re.search(rb'src="(/static/vendor/echarts/[^"]+)"', page).group(1).decode()
    with urllib.request.urlopen(base + script, timeout=10) as response:
        print(f"static: {script} · Cache-Control: {response.headers.get('Cache-Control')}")

    # the baseline, in the same run: each page alone, one user, after a warm-up
    baseline = {}
    for path, _ in MIX:
        timed(users[0], path)
        samples = [timed(users[0], path) for _ in range(10)]
        baseline[path] = statistics.median(ms for ms, _ in samples)

    paths = [p for p, w in MIX for _ in range(w)]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.perf_counter() + args.seconds

    def browse(user: User, seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            ms, status = timed(user, path)
            with lock:
                latencies[path].append(ms)
                if status != 200:  # every page of the mix is open to these users: any other answer is one
                    errors[path] += 1

    done: dict = {}
    threads = [threading.Thread(target=browse, args=(u, i)) for i, u in enumerate(users)]
    if args.background:
        threads.append(threading.Thread(target=background_work, args=(base, done)))
    uploaded: dict = {}
    memory: list[tuple[float, float]] = []
    if args.soak:
        code = meter_code(env)
        for username, kind in (("stats", "energy"), ("coordinator", "meters")):
            threads.append(
                threading.Thread(target=uploader, args=(base, username, kind, deadline, uploaded, lock, code))
            )

        def watch() -> None:
            while time.perf_counter() < deadline:
                memory.append((time.perf_counter(), group_rss_mb(server_group)))
                time.sleep(10)

        threads.append(threading.Thread(target=watch))
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    total = sum(len(v) for v in latencies.values())
    print(
        f"\n{args.users} users, {elapsed:.0f} s: {total} requests, {total / elapsed:.1f} requests/s, "
        f"{sum(errors.values())} errors" + (f"; background: {done}" if args.background else "")
    )
    print(f"{'page':<18}{'n':>6}{'alone p50':>11}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}  (ms)")
    for path, _ in MIX:
        values = latencies[path]
        print(
            f"{path:<18}{len(values):>6}{baseline[path]:>11.0f}{percentile(values, 50):>9.0f}"
            f"{percentile(values, 95):>9.0f}{percentile(values, 99):>9.0f}{errors[path]:>8}"
        )
    light = [ms for p in LIGHT for ms in latencies[p]]
    worst = max(percentile(latencies[p], 95) for p, _ in MIX)
    print(f"light pages p95 {percentile(light, 95):.0f} ms; worst page p95 {worst:.0f} ms (goal 300 ms)")
    if args.soak:
        soak_report(uploaded, memory, errors)
    p95 = percentile(latencies[DASHBOARD], 95)
    print(
        f"dashboard p95 {p95:.0f} ms = {p95 / GOAL_MS:.2f} × the {GOAL_MS} ms goal "
        f"(alone: {baseline[DASHBOARD]:.0f} ms)"
    )


def meter_code(env: dict) -> str:
    """A credit code of the demo's register (valid, so that the readings are accepted)."""
    out = carbonpeak(
        env,
        "manage",
        "shell",
        "-c",
        "from carbonpeak.enterprises.models import Enterprise; print(Enterprise.objects.order_by('id')"
        ".values_list('credit_code', flat=True).first())",
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def soak_report(uploaded: dict, memory: list[tuple[float, float]], errors: dict) -> None:
    for kind, outcomes in sorted(uploaded.items()):
        states = defaultdict(int)
        for status, state, _ in outcomes:
            states[f"{status}/{state}"] += 1
        slowest = max((s for _, _, s in outcomes), default=0)
        print(
            f"uploads {kind}: {len(outcomes)} sent, answers/job states {dict(states)}, slowest to done {slowest} s"
        )
    unexpected = sum(1 for outcomes in uploaded.values() for status, state, _ in outcomes if state != "done")
    if memory:
        begin = memory[0][0]
        minutes = defaultdict(list)
        for at, mb in memory:
            minutes[int((at - begin) // 60)].append(mb)
        means = [statistics.mean(minutes[m]) for m in sorted(minutes)]
        print("server memory by minute (MB): " + " ".join(f"{mb:.0f}" for mb in means))
        ratio = means[-1] / means[0]
        print(
            f"server memory: first minute {means[0]:.0f} MB, last minute {means[-1]:.0f} MB, "
            f"peak {max(mb for _, mb in memory):.0f} MB; last/first = {ratio:.2f} (flat: near 1.00)"
        )
    print(f"soak: {sum(errors.values())} page errors, {unexpected} uploads not imported")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
