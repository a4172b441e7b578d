"""bin/backup and bin/restore, run as an operator would: on a SQLite file always, and on the
PostgreSQL test database when the suite runs on PostgreSQL and pg_dump is installed."""

import glob
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from ladder.models import Ladder, Level
from people.models import Team, User

from ..factories import TeamFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHON": sys.executable, "DEBUG": "1"}
    return subprocess.run(
        [str(ROOT / "bin" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def manage(*args: str, database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


def sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory) -> Path:
    """A migrated SQLite file with the default ladder in it, as a first run leaves it."""
    path = tmp_path_factory.mktemp("sqlite") / "careerladder.sqlite3"
    url = f"sqlite:///{path}"
    manage("migrate", "--noinput", database_url=url)
    manage("load_default_ladder", database_url=url)
    return path


def test_sqlite_backup_and_restore_bring_back_the_same_rows(sqlite_database, tmp_path):
    url = f"sqlite:///{sqlite_database}"
    before = sqlite_rows(sqlite_database)
    assert before["ladder_level"]  # there is something to lose
    backup = tmp_path / "backup.sqlite3"

    made = run("backup", str(backup), database_url=url)
    assert made.returncode == 0, made.stderr
    assert sqlite_rows(backup) == before

    # Changes after the backup: rows lost and rows added.
    with sqlite3.connect(sqlite_database) as db:
        db.execute("DELETE FROM ladder_criterion")
        db.execute("UPDATE ladder_ladder SET name = 'Renamed'")
    assert sqlite_rows(sqlite_database) != before

    restored = run("restore", str(backup), database_url=url)
    assert restored.returncode == 0, restored.stderr
    assert sqlite_rows(sqlite_database) == before


def test_sqlite_backup_without_a_name_is_dated(sqlite_database, tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{sqlite_database}", "PYTHON": sys.executable}
    made = subprocess.run(
        [str(ROOT / "bin" / "backup")],
        cwd=tmp_path,
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert made.returncode == 0, made.stderr
    [backup] = tmp_path.glob("careerladder-*.sqlite3")
    assert sqlite_rows(backup) == sqlite_rows(sqlite_database)


def test_restore_refuses_a_file_that_is_not_a_database_and_changes_nothing(
    sqlite_database, tmp_path
):
    before = sqlite_rows(sqlite_database)
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")

    restored = run("restore", str(junk), database_url=f"sqlite:///{sqlite_database}")

    assert restored.returncode != 0
    assert "is not a SQLite database" in restored.stderr
    assert sqlite_rows(sqlite_database) == before


def test_restore_needs_a_file(sqlite_database, tmp_path):
    restored = run("restore", str(tmp_path / "missing"), database_url="sqlite:///x")

    assert restored.returncode != 0
    assert "no file" in restored.stderr


def pg_bin() -> str | None:
    """pg_dump's directory: on PATH, else the newest Debian /usr/lib/postgresql/*/bin."""
    found = shutil.which("pg_dump")
    if found:
        return str(Path(found).parent)
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    return dirs[-1] if dirs and Path(dirs[-1], "pg_dump").exists() else None


def postgres_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgresql://{auth}@{s['HOST'] or 'localhost'}{port}/{s['NAME']}"


def pg_state() -> tuple:
    return (
        sorted(User.objects.values_list("email", "name")),
        sorted(Team.objects.values_list("name", flat=True)),
        sorted(Ladder.objects.values_list("slug", "versions__number")),
        Level.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore_bring_back_the_same_rows(tmp_path, default_ladder):
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite (set DATABASE_URL to a PostgreSQL database)")
    if pg_bin() is None:
        pytest.skip("pg_dump is not installed (PATH or /usr/lib/postgresql/*/bin)")
    UserFactory(email="kept@example.org", name="Kept")
    TeamFactory(name="Kept team", slug="kept-team")
    before = pg_state()
    url = postgres_url()
    backup = tmp_path / "backup.dump"

    made = run("backup", str(backup), database_url=url)
    assert made.returncode == 0, made.stderr

    Team.objects.filter(name="Kept team").delete()
    UserFactory(email="added-later@example.org")
    connection.close()  # nothing of ours holds a table while pg_restore replaces them

    restored = run("restore", str(backup), database_url=url)
    assert restored.returncode == 0, restored.stderr
    after = pg_state()
    assert after == before
