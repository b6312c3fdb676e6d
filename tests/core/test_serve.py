"""`carbonpeak serve`: its address, its size and whether a worker runs beside it, as gunicorn is told."""

from __future__ import annotations

import sys

import pytest

from carbonpeak.cli import build_parser, operations


@pytest.fixture
def gunicorn_argv(monkeypatch):
    """What `serve` hands gunicorn (gunicorn itself not started)."""
    import gunicorn.app.wsgiapp

    seen: list[list[str]] = []
    monkeypatch.setattr(gunicorn.app.wsgiapp, "run", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    return seen


def test_serve_binds_to_this_machine_only_and_starts_no_worker_unless_asked(gunicorn_argv, monkeypatch):
    started = []
    monkeypatch.setattr("subprocess.Popen", lambda *a, **k: started.append(a))
    args = build_parser().parse_args(["serve", "--port", "9100"])
    assert (args.bind, args.with_worker, args.workers) == ("127.0.0.1", False, None)
    operations._serve(args.port, host=args.bind, with_worker=args.with_worker, workers=args.workers)
    argv = gunicorn_argv[-1]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9100" and started == []


def test_serve_behind_a_load_balancer(gunicorn_argv, monkeypatch):
    args = build_parser().parse_args(["serve", "--port", "9101", "--bind", "0.0.0.0", "--workers", "3"])
    operations._serve(args.port, host=args.bind, with_worker=False, workers=args.workers)
    argv = gunicorn_argv[-1]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9101"
    assert argv[argv.index("--workers") + 1] == "3"
    monkeypatch.setenv("CARBONPEAK_BIND", "::")
    ipv6 = build_parser().parse_args(["serve"])
    operations._serve(8000, host=ipv6.bind, with_worker=False)
    assert "[::]:8000" in gunicorn_argv[-1]


def test_the_demo_serves_with_its_worker(gunicorn_argv, monkeypatch):
    class Worker:
        pid = 4242

        def terminate(self):
            pass

    started = []
    monkeypatch.setattr("subprocess.Popen", lambda command, **k: started.append(command) or Worker())
    monkeypatch.setattr("atexit.register", lambda fn: None)
    operations._serve(8000)  # what `carbonpeak demo --serve` calls
    assert gunicorn_argv[-1][gunicorn_argv[-1].index("--bind") + 1] == "127.0.0.1:8000"
    assert len(started) == 1 and "worker" in started[0][-1]


def test_several_servers_need_the_same_secret_key_given(tmp_path):
    """With CARBONPEAK_SERVERS > 1 a missing SECRET_KEY stops the start with the reason; given, two data
    directories share it (one generated per data directory would break sessions between servers)."""
    import os
    import subprocess

    check = [
        sys.executable,
        "-c",
        "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "carbonpeak.settings", "CARBONPEAK_SERVERS": "2"}
    env.pop("SECRET_KEY", None)
    refused = subprocess.run(
        check, env={**env, "CARBONPEAK_DATA_DIR": str(tmp_path / "a")}, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr and "多台服务器" in refused.stderr
    keys = {
        subprocess.run(
            check,
            env={**env, "SECRET_KEY": "shared-key-for-the-test", "CARBONPEAK_DATA_DIR": str(tmp_path / d)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for d in ("a", "b")
    }
    assert keys == {"shared-key-for-the-test"}
