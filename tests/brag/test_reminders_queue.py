"""Reminders through the task queue: cron only queues, the worker sends, nobody gets two.

The real database backend (django-tasks-db) and its real worker command; mail goes to Django's
test outbox, or to an SMTP server that is not there when a send must fail."""

import datetime as dt
import os
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from brag.reminders import send_reminders

from ..factories import BragEntryFactory
from .task_worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
FRIDAY_AFTERNOON_UTC = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
REMINDER_TASK = "brag.tasks.send_brag_reminder"


@pytest.fixture(autouse=True)
def database_queue(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def quiet_week(cast):
    """Everyone in the cast logged something last week and nothing this week."""
    with time_machine.travel(FRIDAY_AFTERNOON_UTC - dt.timedelta(days=7)):
        for person in (cast.owner, cast.manager, cast.teammate, cast.outsider, cast.staff):
            BragEntryFactory(owner=person)
    return cast


def cron(at: dt.datetime = FRIDAY_AFTERNOON_UTC) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("send_brag_reminders", "--base-url", "https://careers.example.com", stdout=out)
    return out.getvalue()


def queued(status: TaskResultStatus) -> int:
    return DBTaskResult.objects.filter(task_path=REMINDER_TASK, status=status).count()


def reminded() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_cron_only_queues_and_the_worker_sends(quiet_week):
    output = cron()

    assert mail.outbox == []
    assert queued(TaskResultStatus.READY) == 5
    assert "Reminder for owner@example.org queued for the worker" in output
    assert "5 reminder(s) queued for the worker, 0 not due." in output

    run_worker()

    assert len(reminded()) == 5
    assert queued(TaskResultStatus.SUCCESSFUL) == 5
    assert queued(TaskResultStatus.READY) == 0


def test_while_the_worker_is_down_reminders_wait_and_cron_queues_nobody_twice(quiet_week):
    cron()
    cron(FRIDAY_AFTERNOON_UTC + dt.timedelta(hours=1))
    cron(FRIDAY_AFTERNOON_UTC + dt.timedelta(hours=2))

    assert queued(TaskResultStatus.READY) == 5
    assert mail.outbox == []

    run_worker()
    run_worker()  # a second worker, or the same one again, finds nothing left to send

    assert reminded() == sorted(
        p.email for p in (quiet_week.owner, quiet_week.manager, quiet_week.teammate,
                          quiet_week.outsider, quiet_week.staff)
    )  # fmt: skip


def test_someone_who_opts_out_before_the_worker_runs_gets_nothing(quiet_week):
    cron()
    quiet_week.owner.weekly_reminder = False
    quiet_week.owner.save()

    run_worker()

    assert quiet_week.owner.email not in reminded()
    assert len(reminded()) == 4
    assert queued(TaskResultStatus.SUCCESSFUL) == 5


def test_a_failed_send_is_kept_with_its_error_and_never_sent_again(quiet_week, settings):
    with socket.socket() as sock:  # a port nothing listens on: the mail server is down
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mail_server_down = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
    }
    outbox = settings.MAILERS["default"]
    cron()

    settings.MAILERS = {"default": mail_server_down}
    run_worker()
    settings.MAILERS = {"default": outbox}
    run_worker()

    assert mail.outbox == []
    failed = DBTaskResult.objects.filter(task_path=REMINDER_TASK, status=TaskResultStatus.FAILED)
    assert failed.count() == 5
    assert all("ConnectionRefusedError" in task.traceback for task in failed)
    # The week stays claimed: the next cron run queues nothing, so nobody gets it twice.
    assert "0 reminder(s) queued" in cron(FRIDAY_AFTERNOON_UTC + dt.timedelta(hours=1))


def test_a_claim_and_its_queued_email_commit_together(quiet_week):
    class CronDied(Exception):
        pass

    with (
        time_machine.travel(FRIDAY_AFTERNOON_UTC, tick=False),
        pytest.raises(CronDied),
        transaction.atomic(),
    ):
        send_reminders(base_url="https://careers.example.com")
        # Queued in the claim's own transaction, not after it commits.
        assert DBTaskResult.objects.count() == 5
        raise CronDied

    quiet_week.owner.refresh_from_db()
    assert quiet_week.owner.last_reminded_on is None
    assert not DBTaskResult.objects.exists()
    # Nothing was lost: the next run claims and queues everyone.
    assert "5 reminder(s) queued" in cron(FRIDAY_AFTERNOON_UTC + dt.timedelta(hours=1))


def test_staff_do_not_see_the_queue_in_the_admin():
    # A queued reminder says who logged nothing this week; staff do not read brag documents.
    assert not admin.site.is_registered(DBTaskResult)


def settings_value(name: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "TASKS_BACKEND"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT, env={**clean, "SECRET_KEY": "s" * 50, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_queues_tasks_and_a_development_server_runs_them_at_once():
    production = settings_value("TASKS['default']['BACKEND']", DEBUG="0")
    development = settings_value("TASKS['default']['BACKEND']", DEBUG="1")
    without_worker = settings_value(
        "TASKS['default']['BACKEND']", DEBUG="0", TASKS_BACKEND="immediate"
    )

    assert production.stdout.strip() == "django_tasks_db.DatabaseBackend"
    assert development.stdout.strip() == "django.tasks.backends.immediate.ImmediateBackend"
    assert without_worker.stdout.strip() == "django.tasks.backends.immediate.ImmediateBackend"


def test_an_unknown_task_backend_is_refused():
    result = settings_value("TASKS", TASKS_BACKEND="redis")

    assert result.returncode != 0
    assert "TASKS_BACKEND must be database or immediate, not 'redis'" in result.stderr
