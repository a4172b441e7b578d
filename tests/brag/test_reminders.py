"""The Friday reminder: in each person's time zone, never twice a week, and they can opt out.

Every test runs twice: with the task queue production uses (cron queues, then the worker sends)
and with the immediate backend a development server uses (cron sends at once)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from brag.models import BragEntry

from ..factories import BragEntryFactory
from .task_worker import run_worker

# Transactional: the worker checks its connection between tasks (see task_worker.py).
pytestmark = pytest.mark.django_db(transaction=True)

# Friday 20 November 2026.
FRIDAY_AFTERNOON_UTC = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
FRIDAY_MORNING_UTC = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["database", "immediate"])
def task_backend(request, settings) -> str:
    settings.TASKS = {
        "default": {
            "BACKEND": {
                "database": "django_tasks_db.DatabaseBackend",
                "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            }[request.param]
        }
    }
    return request.param


@pytest.fixture
def remind(task_backend):
    """Run the cron command at a frozen moment, then the worker if there is a queue."""

    def run(at: dt.datetime) -> str:
        out = StringIO()
        with time_machine.travel(at, tick=False):
            call_command(
                "send_brag_reminders", "--base-url", "https://careers.example.com", stdout=out
            )
            if task_backend == "database":
                run_worker()
        return out.getvalue()

    return run


@pytest.fixture
def quiet_week(cast):
    """Everyone in the cast logged something last week and nothing this week."""
    with time_machine.travel(FRIDAY_AFTERNOON_UTC - dt.timedelta(days=7)):
        for person in (cast.owner, cast.manager, cast.teammate, cast.outsider, cast.staff):
            BragEntryFactory(owner=person)
    return cast


def reminded() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_friday_afternoon_reminds_those_who_logged_nothing(quiet_week, remind):
    cast = quiet_week
    with time_machine.travel(FRIDAY_AFTERNOON_UTC - dt.timedelta(hours=2)):
        BragEntryFactory(owner=cast.teammate)  # logged this week: no reminder

    output = remind(FRIDAY_AFTERNOON_UTC)

    assert reminded() == sorted(
        [p.email for p in (cast.owner, cast.manager, cast.outsider, cast.staff)]
    )
    message = next(m for m in mail.outbox if m.to == [cast.owner.email])
    assert message.subject == "[Careerladder] Two minutes for your brag document"
    assert "https://careers.example.com/brag/" in message.body
    assert "https://careers.example.com/settings/" in message.body
    assert "4 reminder(s) " in output


def test_it_never_sends_twice_in_one_week(quiet_week, remind):
    remind(FRIDAY_AFTERNOON_UTC)
    first = len(mail.outbox)

    output = remind(FRIDAY_AFTERNOON_UTC + dt.timedelta(hours=1))
    remind(FRIDAY_AFTERNOON_UTC + dt.timedelta(hours=8))

    assert first == 5
    assert len(mail.outbox) == 5
    assert "0 reminder(s) " in output


def test_next_friday_reminds_again(quiet_week, remind):
    remind(FRIDAY_AFTERNOON_UTC)

    remind(FRIDAY_AFTERNOON_UTC + dt.timedelta(days=7))

    assert len(mail.outbox) == 10


def test_opting_out_stops_the_reminder(quiet_week, remind):
    cast = quiet_week
    cast.owner.weekly_reminder = False
    cast.owner.save()

    remind(FRIDAY_AFTERNOON_UTC)

    assert cast.owner.email not in reminded()


def test_it_waits_for_friday_afternoon_in_each_time_zone(quiet_week, remind):
    cast = quiet_week
    cast.owner.time_zone = "Pacific/Auckland"  # 22:00 on Friday there at 09:00 UTC
    cast.owner.save()
    cast.teammate.time_zone = "America/Los_Angeles"  # 01:00 on Friday there
    cast.teammate.save()

    remind(FRIDAY_MORNING_UTC)
    assert reminded() == [cast.owner.email]

    remind(dt.datetime(2026, 11, 20, 23, 0, tzinfo=dt.UTC))  # 15:00 in Los Angeles
    assert cast.teammate.email in reminded()
    assert reminded().count(cast.owner.email) == 1


def test_not_on_other_days(quiet_week, remind):
    remind(FRIDAY_AFTERNOON_UTC - dt.timedelta(days=1))

    assert mail.outbox == []


def test_a_deleted_entry_does_not_count_as_logged(quiet_week, remind):
    cast = quiet_week
    with time_machine.travel(FRIDAY_AFTERNOON_UTC - dt.timedelta(hours=3)):
        entry = BragEntryFactory(owner=cast.owner)
    entry.soft_delete()

    remind(FRIDAY_AFTERNOON_UTC)

    assert cast.owner.email in reminded()
    assert BragEntry.objects.filter(pk=entry.pk).exists()
