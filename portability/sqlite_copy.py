"""Copies of a SQLite database through SQLite's online backup API (Python's sqlite3 module):
consistent while the app writes, WAL files included, with no sqlite3 program installed."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

HEADER = b"SQLite format 3\x00"


class CopyRefused(Exception):
    """Nothing was copied; the message says why."""


def database_file(using: str = DEFAULT_DB_ALIAS) -> Path:
    settings = connections[using].settings_dict
    if connections[using].vendor != "sqlite":
        raise CopyRefused(
            f"The database is {connections[using].vendor}, not SQLite: bin/backup and "
            "bin/restore use pg_dump and pg_restore for PostgreSQL."
        )
    name = str(settings["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CopyRefused(f"The database {name!r} is not a file.")
    return Path(name)


def _copy(source: Path, target: Path) -> None:
    # Read-only on the source, so that a backup never changes the database it reads.
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def backup(target: Path, using: str = DEFAULT_DB_ALIAS) -> Path:
    source = database_file(using)
    if not source.is_file():
        raise CopyRefused(f"There is no database at {source}.")
    if target.resolve() == source.resolve():
        raise CopyRefused("The backup cannot be the database itself.")
    target.unlink(missing_ok=True)
    _copy(source, target)
    return source


def restore(backup_file: Path, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Replace the database's whole content with the backup's, page by page. Stop the app
    first: sign-ins and edits made meanwhile would be lost."""
    target = database_file(using)
    if not backup_file.is_file():
        raise CopyRefused(f"No file {backup_file}.")
    with backup_file.open("rb") as stream:
        if stream.read(len(HEADER)) != HEADER:
            raise CopyRefused(f"{backup_file} is not a SQLite database.")
    with closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as check:
        try:
            problem = check.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            problem = str(error)
    if problem != "ok":
        raise CopyRefused(f"{backup_file} is damaged: {problem}")
    connections[using].close()  # our own connection must not hold the file meanwhile
    _copy(backup_file, target)
    return target
