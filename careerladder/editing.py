"""One way to refuse a stale edit: the check and the write are a single UPDATE, so there is no
window between them. Imports no app."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.dispatch import Signal

# Sent after a write that is a single UPDATE (save_if_current, or a service's own queryset
# update), which Django's post_save never hears of: sender is the model class, with `instance`,
# `changed` (the names of the fields whose value changed) and, when known, `by`. The audit trail
# records it like a save.
saved_by_update = Signal()


class StaleEdit(Exception):
    """Someone saved the object since the edit started; nothing was written."""

    def __init__(self, instance: models.Model):
        self.instance = instance
        super().__init__(f"{type(instance).__name__} {instance.pk} changed since the edit started")


def save_if_current(instance: models.Model, expected_version: int, **changes: Any) -> None:
    """Write `changes` only if nobody saved since `expected_version`; else raise StaleEdit.
    The instance takes the new values and version."""
    before = {name: getattr(instance, name) for name in changes}
    updated = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=expected_version)
        .update(version=F("version") + 1, **changes)
    )
    if not updated:
        raise StaleEdit(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1  # type: ignore[attr-defined]
    saved_by_update.send(
        sender=type(instance),
        instance=instance,
        changed=[name for name, value in changes.items() if before[name] != value],
    )
