"""The task queue's app (django-tasks-db), kept out of the admin.

A queued reminder names the person it is for, and a reminder is queued only for someone who
logged nothing this week: the queue would tell staff who is quiet, and staff do not read brag
documents (DESIGN.md). Operators see the queue from the command line (docs/deployment.md).
Imports no model at load time: Django reads this module while it is still loading the apps.
"""

from django.contrib import admin
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        # The admin's autodiscovery ran first (django.contrib.admin is listed before this app)
        # and registered the package's own ModelAdmin.
        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
