"""Background work, through Django's tasks framework. The default backend runs a task at once;
a deployment with a worker backend runs it there without any change here."""

from django.tasks import task

from people.models import User


@task
def send_brag_reminder(user_id: int, base_url: str) -> None:
    from .reminders import send_reminder

    user = User.objects.filter(pk=user_id, is_active=True, weekly_reminder=True).first()
    if user is not None:
        send_reminder(user, base_url)
