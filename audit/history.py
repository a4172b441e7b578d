"""How the audit trail records a change: django-simple-history's HistoricalRecords, taught three
things it does not do on its own.

- Which fields changed, by name (`changed_fields` on every history row), worked out before the
  save by comparing with the row as the database has it. That is what the staff page shows.
- Some fields are followed by name only (`names_only`): their change is recorded, their value
  never is. Long private text (rating comments, note bodies, packet sections, decision reasons)
  is followed this way, so that a history table never holds a copy of text that a delete, a
  purge or the end of an undo window removes.
- A save that changes nothing the trail follows (a sign-in touching `last_login`, an autosave of
  the same text) makes no history row.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

# The model of every audited class -> its records, for writes that bypass save() (record_update).
AUDITED: dict[type[models.Model], AuditedRecords] = {}

# Set on the instance between the pre_save comparison and the history row that uses it.
_CHANGED = "_audit_changed_fields"


class AuditedChange(models.Model):
    """What every history table adds to simple-history's columns."""

    # Field names only, never values: what the staff page lists as "fields changed".
    changed_fields = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


def _is_filled(value: object) -> bool:
    return value not in (None, "", [], {}, False)


class AuditedRecords(HistoricalRecords):
    """HistoricalRecords that records which fields changed and can follow a field by name only.

    names_only: fields left out of the history table whose changes are still named.
    quiet: fields whose changes alone are not worth a row (timestamps, version counters).
    actor: a foreign key to the person who made the latest save (ReviewNote.updated_by), the
    "who" of a change made outside a request (a command, a service called from the shell)."""

    def __init__(
        self,
        *,
        names_only: Iterable[str] = (),
        quiet: Iterable[str] = (),
        actor: str | None = None,
        excluded_fields: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        self.names_only = tuple(names_only)
        self.quiet = frozenset(quiet)
        self.actor = actor
        # A user's id, not a foreign key: deleting a person must not erase who changed what.
        kwargs.setdefault(
            "history_user_id_field", models.BigIntegerField(null=True, blank=True, db_index=True)
        )
        super().__init__(
            bases=(AuditedChange,),
            excluded_fields=[*excluded_fields, *self.names_only],
            **kwargs,
        )

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        stored = {field.name for field in self.fields_included(sender)}
        self.watched = [
            field
            for field in sender._meta.concrete_fields
            if (field.name in stored or field.name in self.names_only)
            and field.name not in self.quiet
            and not field.primary_key
        ]
        AUDITED[sender] = self
        pre_save.connect(self._compare, sender=sender, weak=False)

    def _compare(
        self,
        sender: type[models.Model],
        instance: models.Model,
        raw: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Before an update is written: which followed fields it changes, compared with the row
        in the database (one query, and none when `update_fields` touches nothing followed)."""
        if raw or instance._state.adding:
            return
        fields = self.watched
        if update_fields is not None:
            names = set(update_fields)
            fields = [f for f in fields if f.name in names or f.attname in names]
        if not fields:
            setattr(instance, _CHANGED, [])
            return
        before = (
            sender._base_manager.using(using)
            .filter(pk=instance.pk)
            .values(*[f.attname for f in fields])
            .first()
        )
        if before is None:  # saved with a pk it did not have yet: a creation after all
            return
        setattr(
            instance,
            _CHANGED,
            [f.name for f in fields if before[f.attname] != getattr(instance, f.attname)],
        )

    def get_history_user(self, instance: models.Model) -> Any:
        user = super().get_history_user(instance)
        if user is None and self.actor is not None:
            # Only its id is kept (history_user_id): no need to load the person.
            pk = getattr(instance, f"{self.actor}_id", None)
            return SimpleNamespace(pk=pk) if pk is not None else None
        return user

    def post_save(
        self, instance: models.Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        changed = instance.__dict__.pop(_CHANGED, None)
        if not created and changed == []:
            return
        if created:
            changed = [f.name for f in self.watched if _is_filled(getattr(instance, f.attname))]
        setattr(instance, _CHANGED, changed or [])
        try:
            super().post_save(instance, created, using=using, **kwargs)
        finally:
            instance.__dict__.pop(_CHANGED, None)

    def m2m_changed(
        self,
        instance: models.Model,
        action: str,
        attr: str,
        pk_set: set[Any] | None,
        reverse: bool,
        **kwargs: Any,
    ) -> None:
        if not action.startswith("post_") or (action != "post_clear" and not pk_set):
            return
        if reverse:
            # Changed from the other side (person.decider_rounds.add(round)): the rows that
            # changed are ours, named in pk_set. A reverse clear names none and goes unrecorded.
            for own in self.cls._base_manager.filter(pk__in=pk_set or ()):
                record_update(own, [attr])
            return
        record_update(instance, [attr])


def record_update(instance: models.Model, changed: Iterable[str], by: Any = None) -> None:
    """Record a change that did not go through save(): a queryset update, a bulk write, an M2M
    change. `changed` names the fields written; those the trail does not follow are ignored,
    and nothing is recorded when none is left. `by`: who did it, when not the request's user."""
    records = AUDITED.get(type(instance))
    if records is None:
        return
    followed = {f.name for f in records.watched} | {
        f.name for f in records.get_m2m_fields_from_model(type(instance))
    }
    names = [name for name in dict.fromkeys(changed) if name in followed]
    if not names:
        return
    setattr(instance, _CHANGED, names)
    if by is not None:
        instance._history_user = by  # type: ignore[attr-defined]
    try:
        records.create_historical_record(instance, "~")
    finally:
        instance.__dict__.pop(_CHANGED, None)
        if by is not None:
            instance.__dict__.pop("_history_user", None)


def saved_by_update(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Receiver for the project's "saved by a queryset update" signal (see AuditConfig.ready)."""
    record_update(instance, kwargs.get("changed") or (), by=kwargs.get("by"))


def _fill_changed_fields(sender: type[models.Model], **kwargs: Any) -> None:
    instance, row = kwargs["instance"], kwargs["history_instance"]
    if isinstance(row, AuditedChange):
        row.changed_fields = list(getattr(instance, _CHANGED, None) or [])


pre_create_historical_record.connect(_fill_changed_fields, dispatch_uid="audit.changed_fields")
