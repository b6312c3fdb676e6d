"""The public pages under a crowd: 50 anonymous clients at once, against the logged-in dashboard, one run.

Usage: python benchmarks/bench_public.py [--clients 50] [--seconds 30] [--port 8766] [--two-servers]
                                         [--database postgres://user@host:5432/postgres]

Prepares a demo site of its own (``carbonpeak demo``: SQLite, one sample release), serves it as ``make demo``
does (gunicorn and the worker), then for the given time has N anonymous clients request the public mix below
one request after another (no session, no cookies), and after that N logged-in users request the dashboard
for the same time (the baseline, measured in the same run on the same server). The per-address rate limit of
the public pages is lifted for the run (every client here shares 127.0.0.1), through
``CARBONPEAK_PUBLIC_RATE``.

Prints requests/s and p50/p95 of each, and the ratios public / dashboard. With ``--two-servers`` a second
server process (same database, no worker) is started and the anonymous crowd is spread over both: requests/s
over two servers against one, in the same run (on one machine they share its cores), and the logged-in users
(sessions made on the first server) are spread over both for the dashboard too. ``--database`` runs the whole
on PostgreSQL, as several servers are deployed: a database of its own is made on that server for the run and
dropped after it, and both servers are given the same ``SECRET_KEY``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import DASHBOARD, User, carbonpeak, demo_users, percentile, wait_for  # noqa: E402

#: what a crowd reads: the latest release mostly, its open data and the feed sometimes
PUBLIC_MIX = [
    ("/public/", 6),
    ("/public/releases/1/", 2),
    ("/api/public/releases/1", 1),
    ("/public/feed.atom", 1),
]


def crowd(
    base: str | list[str], paths: list[str], users: list[User] | None, clients: int, seconds: float
) -> tuple:
    """N clients (anonymous when ``users`` is None) requesting ``paths`` for ``seconds``, spread over the
    servers ``base`` names: latencies, errors, the time taken."""
    bases = [base] if isinstance(base, str) else base
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def one(index: int) -> None:
        rng = random.Random(index)
        user = users[index % len(users)] if users else None
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            started = time.perf_counter()
            if user is not None:
                status, _ = user.get(path)
            else:
                try:
                    with urllib.request.urlopen(bases[index % len(bases)] + path, timeout=120) as response:
                        response.read()
                        status = response.status
                except urllib.error.HTTPError as error:
                    status = error.code
            ms = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(ms)
                errors[0] += status != 200

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0], time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--database", default="", help="PostgreSQL 服务器地址：在其上新建本次测量专用的数据库（结束后删除）"
    )
    parser.add_argument(
        "--two-servers",
        action="store_true",
        help="再启动第二个服务进程（同一数据库），比较两台与一台的公开页吞吐",
    )
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is already in use: stop what serves it, or pass --port")
    with tempfile.TemporaryDirectory(prefix="carbonpeak-bench-public-") as data_dir:
        env = {
            **os.environ,
            "CARBONPEAK_DATA_DIR": data_dir,
            "PYTHONUNBUFFERED": "1",
            "CARBONPEAK_PUBLIC_RATE": "1000000/m",
        }
        env.pop("DATABASE_URL", None)
        if args.database:
            env.update(
                DATABASE_URL=fresh_database(args.database),
                SECRET_KEY="bench-public-the-same-key-on-both-servers",
                CARBONPEAK_SERVERS="2",
            )
        started = time.perf_counter()
        carbonpeak(env, "demo", stdout=subprocess.DEVNULL)
        print(f"demo site prepared in {time.perf_counter() - started:.0f} s")
        code = "import sys; from carbonpeak.cli import main; sys.exit(main(sys.argv[1:]))"
        server = subprocess.Popen(
            [sys.executable, "-c", code, "serve", "--port", str(args.port), "--with-worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
        try:
            wait_for(base)
            public_paths = [p for p, w in PUBLIC_MIX for _ in range(w)]
            crowd(base, public_paths, None, 2, 2)  # warm-up: the first render of each page fills the cache
            public, public_errors, public_s = crowd(base, public_paths, None, args.clients, args.seconds)
            names = demo_users(env)
            users = [User(base, names[i % len(names)]) for i in range(args.clients)]
            for user in users:
                user.login()
            crowd(base, [DASHBOARD], users, 2, 2)
            dash, dash_errors, dash_s = crowd(base, [DASHBOARD], users, args.clients, args.seconds)
            both = dash_both = None
            if args.two_servers:  # a second server on the same database, the clients spread over both
                second = f"http://127.0.0.1:{args.port + 1}"
                other = subprocess.Popen(
                    [sys.executable, "-c", code, "serve", "--port", str(args.port + 1)],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                try:
                    wait_for(second)
                    crowd([base, second], public_paths, None, 2, 2)
                    both = crowd([base, second], public_paths, None, args.clients, args.seconds)
                    for user in users[1::2]:  # half the users go on on the second server, same session
                        user.base = second
                    crowd(second, [DASHBOARD], users[1::2], 2, 2)
                    dash_both = crowd(second, [DASHBOARD], users, args.clients, args.seconds)
                finally:
                    os.killpg(other.pid, 15)
                    other.wait(timeout=30)
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
            if args.database:
                drop_database(args.database, env["DATABASE_URL"])
    public_rps, dash_rps = len(public) / public_s, len(dash) / dash_s
    print(f"{args.clients} clients each, {args.seconds:.0f} s each, on {os.cpu_count()} cores")
    print(
        f"public (anonymous): {len(public)} requests, {public_rps:.1f} requests/s, "
        f"p50 {percentile(public, 50):.0f} ms, p95 {percentile(public, 95):.0f} ms, {public_errors} errors"
    )
    print(
        f"dashboard (logged in): {len(dash)} requests, {dash_rps:.1f} requests/s, "
        f"p50 {percentile(dash, 50):.0f} ms, p95 {percentile(dash, 95):.0f} ms, {dash_errors} errors"
    )
    print(
        f"public / dashboard: requests/s × {public_rps / dash_rps:.1f}, "
        f"p95 × {percentile(public, 95) / percentile(dash, 95):.2f}"
    )
    if both is not None:
        latencies, errors, seconds = both
        rps = len(latencies) / seconds
        print(
            f"public over two servers: {len(latencies)} requests, {rps:.1f} requests/s, "
            f"p95 {percentile(latencies, 95):.0f} ms, {errors} errors; "
            f"two / one server: requests/s × {rps / public_rps:.2f} (both on these {os.cpu_count()} cores)"
        )
        latencies, errors, seconds = dash_both
        rps = len(latencies) / seconds
        print(
            f"dashboard over two servers: {len(latencies)} requests, {rps:.1f} requests/s, "
            f"p95 {percentile(latencies, 95):.0f} ms, {errors} errors; "
            f"two / one server: requests/s × {rps / dash_rps:.2f}"
        )
    print(f"database: {'PostgreSQL' if args.database else 'SQLite'}")


def fresh_database(server: str) -> str:
    """A new, empty database on the PostgreSQL server ``server`` names: its URL."""
    import psycopg

    name = f"carbonpeak_bench_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def drop_database(server: str, url: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
