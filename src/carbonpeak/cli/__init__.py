"""The ``carbonpeak`` command: one module per domain (plans, energy, monitoring, projection, reports, meters)
and one for running a site (operations), each adding its commands to the parser; Django's own commands
pass through (``carbonpeak migrate``, ``carbonpeak manage <command>``).

``carbonpeak --language en …`` (or ``CARBONPEAK_LANGUAGE=en``) says everything — help, output, refusals — in
English; Chinese is the default. Names and the plan's own words stay as written."""

from __future__ import annotations

import argparse
import os
import sys

from . import energy, meters, monitoring, operations, plans, projection, reports
from .common import BUNDLED_PLAN, Refused, django_setup

DJANGO_COMMANDS = ("manage", "migrate", "createsuperuser", "shell", "check", "makemigrations")


LANGUAGE_VARIABLE = "CARBONPEAK_LANGUAGE"


def _language_option(parser: argparse.ArgumentParser, help_text: str = "") -> None:
    parser.add_argument("--language", default=os.environ.get(LANGUAGE_VARIABLE, ""), help=help_text or None)


def build_parser() -> argparse.ArgumentParser:
    from django.utils.translation import gettext as _

    parser = argparse.ArgumentParser(prog="carbonpeak", description=_("CarbonPeak 碳达峰实施方案管理平台"))
    _language_option(
        parser,
        _("输出语言：zh-hans（默认）或 en；也可设环境变量 %(variable)s") % {"variable": LANGUAGE_VARIABLE},
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (plans, energy, monitoring, projection, reports, operations, meters):
        module.register(sub)
    return parser


def _language(argv: list[str]) -> tuple[list[str], str | None]:
    """Django set up, and the language asked for (``--language`` before the command, or the environment;
    "" for the platform's own); None when it is not one the platform speaks (said on stderr). With the rest
    of the command line."""
    from django.conf import settings

    rest = _command_at(argv)
    first = argparse.ArgumentParser(prog="carbonpeak", add_help=False, allow_abbrev=False)
    _language_option(first)
    known = first.parse_args(argv[: len(argv) - len(rest)])
    django_setup()
    chosen = known.language.strip().lower()
    codes = {code for code, _name in settings.LANGUAGES}
    if chosen and chosen not in codes:
        choices = " / ".join(sorted(codes))
        print(
            f"错误：不支持的语言“{chosen}”（可选：{choices}）/ Unknown language “{chosen}” ({choices})",
            file=sys.stderr,
        )
        return rest, None
    return rest, chosen or settings.LANGUAGE_CODE


def _command_at(argv: list[str]) -> list[str]:
    """The command line from the first word that is not the language option (or its value) on."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--language":
            i += 2
        elif word.startswith("--language="):
            i += 1
        else:
            return argv[i:]
    return []


def main(argv: list[str] | None = None) -> int:
    from django.utils import translation

    argv = list(sys.argv[1:] if argv is None else argv)
    rest, language = _language(argv)
    if language is None:
        return 2
    with translation.override(language):
        return _run(rest)


def _run(rest: list[str]) -> int:
    if rest and rest[0] in DJANGO_COMMANDS:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["carbonpeak", *(rest[1:] if rest[0] == "manage" else rest)])
        return 0
    args = build_parser().parse_args(rest)
    try:
        return args.func(args)
    except Refused as exc:
        from django.utils.translation import gettext

        print(gettext("错误：%(why)s") % {"why": exc}, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
