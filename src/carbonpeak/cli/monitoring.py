"""Grading and reminders, for a daily schedule (cron) beside the worker's own."""

from __future__ import annotations

import argparse

from django.utils.translation import gettext as _

from carbonpeak.core.language import said

from .common import opened


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Grade every target now and raise warnings (run daily, e.g. from cron, to catch overdue data)."""
    plan = opened(plan=True)
    from carbonpeak.monitoring.services import evaluate

    raised = evaluate(plan)
    print(
        _("已评估 %(targets)s 个目标，新增预警 %(warnings)s 条")
        % {"targets": plan.targets.count(), "warnings": len(raised)}
    )
    for warning in raised:
        print(f"  {said(warning.message)}")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    """Remind departments of progress reports due soon or overdue, once each (run daily from cron)."""
    opened()
    from carbonpeak.supervision.models import ReportingPeriod
    from carbonpeak.supervision.services import send_reminders

    made = [r for period in ReportingPeriod.objects.filter(is_open=True) for r in send_reminders(period)]
    print(_("已发出提醒 %(count)s 条") % {"count": len(made)})
    for reminder in made:
        print(f"  {said(reminder.message)}")
    return 0


def register(sub) -> None:
    """This module's commands on the ``carbonpeak`` parser."""

    ev = sub.add_parser("evaluate", help=_("评估全部目标并生成预警（可每日定时运行）"))
    ev.set_defaults(func=cmd_evaluate)

    rm = sub.add_parser("remind", help=_("进展报告截止前与逾期提醒（可每日定时运行）"))
    rm.set_defaults(func=cmd_remind)
