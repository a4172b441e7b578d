"""The whole instance as one JSON document, and back: Django's serialization framework (the
machinery of dumpdata and loaddata), with natural keys wherever a model has one.

The document is a Django fixture: a list of {"model", "pk", "fields"} objects, models in
dependency order, rows by primary key, so that the same database always gives the same text.
Rows of a model with a natural key (people by email, ladders by slug, tracks, levels,
dimensions and ladder versions by ladder slug and key, teams by slug, groups by name) carry no
database id, and every reference to them names them by that key. Rows of other models keep
their id, which an empty database takes as it is.

Importing fills an empty, migrated database, all or nothing, and names the row that failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.models import Model, Prefetch
from simple_history.models import HistoricalChanges

# Left out on purpose, each for its reason; docs/backup.md says the same to operators.
EXCLUDED_MODELS = {
    # Made by `migrate` in every database; rows refer to them by natural key.
    "contenttypes.contenttype",
    "auth.permission",
    # Sign-ins of the old instance: everyone signs in again on the new one.
    "sessions.session",
    # Pending address confirmations expire within days; a new one is a click away.
    "account.emailconfirmation",
    # The admin's log points at rows by database id, which natural keys renumber.
    "admin.logentry",
}
# The audit trail (its own app, and simple-history's tables wherever a model registers them)
# records database ids, including those of rows deleted since, which a document by natural
# keys cannot carry. It stays in backups (bin/backup), which keep the database as it is.
EXCLUDED_APPS = {"audit"}


class ImportRefused(Exception):
    """The import did not happen; the message says why. Nothing was written."""


def instance_models() -> list[type[Model]]:
    """The models of an instance export, each after those it refers to by natural key."""
    app_list = [
        (config, None)
        for config in apps.get_app_configs()
        if config.label not in EXCLUDED_APPS and config.models_module is not None
    ]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.label_lower not in EXCLUDED_MODELS
        and not issubclass(model, HistoricalChanges)
        and model._meta.managed
        and not model._meta.proxy
    ]


def _natural_key_paths(model: type[Model], only_to: set[type[Model]] | None = None) -> list[str]:
    """The joins that a row's references by natural key need (a rating's level needs its
    track and that track's ladder), so that the export does not ask for them row by row."""
    paths = []
    for field in model._meta.fields:
        target = field.related_model if (field.many_to_one or field.one_to_one) else None
        if target is None or target is model or not hasattr(target, "natural_key"):
            continue
        if only_to is not None and target not in only_to:
            continue
        paths.append(field.name)
        needs = {apps.get_model(dep) for dep in getattr(target.natural_key, "dependencies", [])}
        if needs:
            paths += [f"{field.name}__{path}" for path in _natural_key_paths(target, needs)]
    return paths


def _rows(models: list[type[Model]], using: str) -> Iterator[Model]:
    for model in models:
        if not router.allow_migrate_model(using, model):
            continue
        related = []
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            target = field.related_model
            if through is None or not through._meta.auto_created or not isinstance(target, type):
                continue  # an explicit through model is exported as rows of its own
            # By id, so that two exports of the same rows list them in the same order.
            targets = target._base_manager.order_by("pk")
            if hasattr(target, "natural_key"):
                if paths := _natural_key_paths(target):
                    targets = targets.select_related(*paths)
            else:
                targets = targets.only("pk")
            related.append(Prefetch(field.name, queryset=targets))
        rows = model._base_manager.using(using).order_by(model._meta.pk.name)
        if paths := _natural_key_paths(model):
            rows = rows.select_related(*paths)
        yield from rows.prefetch_related(*related).iterator(chunk_size=500)


@contextlib.contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent view of the database for the whole export, while the app runs."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            # Each statement would otherwise see the rows committed by then.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def export_instance(stream: IO[str], using: str = DEFAULT_DB_ALIAS) -> int:
    """Write the instance to `stream`; return the number of rows written."""
    written = 0

    def counted(rows: Iterator[Model]) -> Iterator[Model]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    with _snapshot(using):
        serializers.serialize(
            "json",
            counted(_rows(instance_models(), using)),
            indent=1,
            cls=ExactJSONEncoder,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
            stream=stream,
        )
    stream.write("\n")
    return written


def _describe(item: DeserializedObject) -> str:
    row = item.object
    if hasattr(row, "natural_key"):
        try:
            return f"{row._meta.label_lower} {list(row.natural_key())}"
        except Exception:  # a half-built row may not answer its key; its label still helps
            pass
    return f"{row._meta.label_lower} pk={row.pk}"


def _refuse_unless_empty(models: list[type[Model]], using: str) -> None:
    held = []
    for model in models:
        try:
            count = model._base_manager.using(using).count()
        except DatabaseError as error:
            raise ImportRefused(
                f"The database has no table for {model._meta.label_lower} ({error}): run "
                "`manage.py migrate` on it first."
            ) from error
        if count:
            held.append(f"{count} {model._meta.label_lower}")
    if held:
        raise ImportRefused(
            "The database is not empty: it holds "
            + ", ".join(held)
            + ". An instance is imported into a new database only: create one, run "
            "`manage.py migrate` and nothing else (not the app, not load_default_ladder, "
            "which adds the default ladder), then import."
        )


def _row_text(row: object) -> str:
    text = json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder)
    return text if len(text) <= 300 else text[:300] + "…"


def import_instance(stream: IO[str] | IO[bytes], using: str = DEFAULT_DB_ALIAS) -> int:
    """Load an instance export into an empty database, in one transaction; return the number
    of rows. On any problem nothing is written and ImportRefused names the row."""
    try:
        rows = json.load(stream)
    except ValueError as error:
        raise ImportRefused(f"Could not read the file as JSON: {error}") from error
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ImportRefused("The file is not an instance export: a list of rows was expected.")
    connection = connections[using]
    models = instance_models()
    allowed = {model._meta.label_lower for model in models}
    for number, row in enumerate(rows, start=1):
        if str(row.get("model", "")).lower() not in allowed:
            raise ImportRefused(
                f"Row {number} is a {row.get('model')!r} row, which an instance export never has."
            )
    loaded = 0
    with transaction.atomic(using=using):
        _refuse_unless_empty(models, using)
        with connection.constraint_checks_disabled():
            deferred = []
            items = iter(
                serializers.deserialize("python", rows, using=using, handle_forward_references=True)
            )
            while True:
                # Rows come out one by one, in the file's order: a failure is at rows[loaded].
                try:
                    item = next(items)
                except StopIteration:
                    break
                except Exception as error:  # whatever a field or a lookup by natural key raised
                    raise ImportRefused(
                        f"Could not import row {loaded + 1}, {_row_text(rows[loaded])}: "
                        f"{type(error).__name__}: {error}"
                    ) from error
                try:
                    item.save(using=using)
                except (DatabaseError, ValueError, TypeError) as error:
                    raise ImportRefused(
                        f"Could not import row {loaded + 1}, {_describe(item)}: {error}"
                    ) from error
                if item.deferred_fields:
                    deferred.append(item)
                loaded += 1
            try:
                for item in deferred:
                    item.save_deferred_fields(using=using)
            except DeserializationError as error:
                raise ImportRefused(f"A reference could not be resolved: {error}") from error
        tables = [model._meta.db_table for model in models] + [
            through._meta.db_table
            for model in models
            for field in model._meta.local_many_to_many
            if (through := field.remote_field.through) is not None
        ]
        try:
            connection.check_constraints(table_names=tables)
        except DatabaseError as error:
            raise ImportRefused(f"A row refers to one that is not in the file: {error}") from error
        # Rows came with their ids: the next id of each table must follow them (PostgreSQL).
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    return loaded


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, so that a row
    saved at 12:00:00.000400 would come back from an import as 12:00:00."""

    def default(self, o: object) -> object:
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)
