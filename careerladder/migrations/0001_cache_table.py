"""The database cache's table (settings.CACHES), made by `migrate` so that no deployment needs a
separate `createcachetable` step. The command is idempotent: an existing table is left alone."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
