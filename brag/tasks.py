"""Background work, through Django's tasks framework. Production queues it in the database and
the worker (`manage.py db_worker`) runs it; a development server runs it at once (TASKS_BACKEND
in settings). The worker runs each queued task once and never retries a failed one, so a task
here must not need a retry to be correct."""

from django.tasks import task

from people.models import User


@task
def send_brag_reminder(user_id: int, base_url: str) -> None:
    from .reminders import send_reminder

    # Asked again when the worker gets to it, which may be hours later if it was down: someone
    # who opted out, or was deactivated, since cron queued the email no longer gets it.
    user = User.objects.filter(pk=user_id, is_active=True, weekly_reminder=True).first()
    if user is not None:
        send_reminder(user, base_url)
