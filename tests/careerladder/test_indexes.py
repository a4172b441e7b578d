"""The hot filters have their indexes, by name, in the database the migrations build: read back
from the database itself (introspection), so a model edit without its migration fails here."""

from __future__ import annotations

import pytest
from django.db import connection

from brag.models import BragEntry
from reviews.models import Assessment

pytestmark = pytest.mark.django_db

# (table, index name, its columns in order)
HOT_INDEXES = [
    # A brag document newest first.
    (BragEntry._meta.db_table, "brag_alive_owner_newest", ["owner_id", "date", "created", "id"]),
    # Others' figures: visibility, dates, glue kinds, categories, read from the index alone.
    (
        BragEntry._meta.db_table,
        "brag_alive_owner_figures",
        ["owner_id", "visibility", "date", "glue_kind", "category", "id"],
    ),
    (BragEntry._meta.db_table, "brag_alive_owner_created", ["owner_id", "created"]),
    (BragEntry._meta.db_table, "brag_deleted_at", ["deleted_at"]),
    # A person's assessments per cycle.
    (Assessment._meta.db_table, "assessment_subject_cycle", ["subject_id", "cycle_id"]),
]


def constraints(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.parametrize(("table", "name", "columns"), HOT_INDEXES)
def test_the_hot_filter_has_its_named_index(table: str, name: str, columns: list[str]) -> None:
    found = constraints(table)
    assert name in found, f"{name} is missing on {table}: {sorted(found)}"
    assert found[name]["index"] is True
    assert found[name]["columns"] == columns


def test_the_old_unfiltered_owner_date_index_is_gone() -> None:
    # Replaced by the partial brag_alive_owner_newest: two indexes on the same columns would
    # cost every write twice.
    assert "brag_owner_date" not in constraints(BragEntry._meta.db_table)


def test_the_newest_first_index_runs_the_way_the_document_reads() -> None:
    index = constraints(BragEntry._meta.db_table)["brag_alive_owner_newest"]
    assert index["orders"] == ["ASC", "DESC", "DESC", "DESC"]


@pytest.mark.parametrize(
    ("through", "columns"),
    [
        # Both directions of the dimension tags: entries of a dimension, dimensions of entries.
        (BragEntry.dimensions.through, ["dimension_id"]),
        (BragEntry.dimensions.through, ["bragentry_id", "dimension_id"]),
    ],
)
def test_dimension_tags_are_indexed_both_ways(through: type, columns: list[str]) -> None:
    found = constraints(through._meta.db_table)
    assert any(c["columns"] == columns and (c["index"] or c["unique"]) for c in found.values())


def test_foreign_keys_the_rules_filter_on_keep_their_indexes() -> None:
    # Cycle and author lookups rest on Django's own foreign-key indexes: nothing to add.
    found = constraints(Assessment._meta.db_table)
    indexed = {tuple(c["columns"]) for c in found.values() if c["index"] or c["unique"]}
    assert {("cycle_id",), ("author_id",), ("subject_id", "cycle_id")} <= indexed
