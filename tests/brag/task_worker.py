"""The task worker as production runs it (`manage.py db_worker`), once through the queue.

The worker takes over the process's signal handlers and sets its loggers' levels for as long as
it runs; a test puts them back, so that Ctrl-C still stops pytest and other tests log as before.
Tests that run it need `django_db(transaction=True)`: the worker checks its connection between
tasks the way a long-lived process must, and a connection left inside a test's transaction
fails that check on PostgreSQL.
"""

import logging
import signal
from io import StringIO

from django.core.management import call_command

WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
WORKER_LOGGERS = ["django.tasks", "django_tasks_db"]


def run_worker() -> str:
    """Run every queued task that is due, then stop; return what the worker printed."""
    handlers = {signum: signal.getsignal(signum) for signum in WORKER_SIGNALS}
    loggers = [logging.getLogger(name) for name in WORKER_LOGGERS]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    out = StringIO()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for logger, level, logger_handlers in saved:
            logger.setLevel(level)
            logger.handlers[:] = logger_handlers
    return out.getvalue()
