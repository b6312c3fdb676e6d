"""The ``carbonpeak`` command: one module per domain (plans, energy, monitoring, projection, reports, meters)
and one for running a site (operations), each adding its commands to the parser; Django's own commands
pass through (``carbonpeak migrate``, ``carbonpeak manage <command>``)."""

from __future__ import annotations

import argparse
import sys

from . import energy, meters, monitoring, operations, plans, projection, reports
from .common import BUNDLED_PLAN, Refused, django_setup

DJANGO_COMMANDS = ("manage", "migrate", "createsuperuser", "shell", "check", "makemigrations")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carbonpeak", description="CarbonPeak 碳达峰实施方案管理平台")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (plans, energy, monitoring, projection, reports, operations, meters):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in DJANGO_COMMANDS:
        django_setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["carbonpeak", *(argv[1:] if argv[0] == "manage" else argv)])
        return 0
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Refused as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
