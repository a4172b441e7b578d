"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "careers.example.com",
    "DATABASE_URL": "sqlite:////tmp/careerladder-deploy-check.sqlite3",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "HTTPS"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, env: dict[str, str]) -> str:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_secret_key_production_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "Set SECRET_KEY (a long random string) when DEBUG=0." in result.stderr


def test_a_boolean_that_is_not_one_is_refused():
    result = manage("check", env={"DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG must be 1 or 0 (true or false), not 'maybe'" in result.stderr


def test_the_local_default_is_a_sqlite_file_and_the_console_mailer():
    assert setting("DATABASES['default']['ENGINE']", {}) == "django.db.backends.sqlite3"
    assert setting("DATABASES['default']['NAME']", {}).endswith("db.sqlite3")
    assert setting("MAILERS['default']['BACKEND']", {}).endswith("console.EmailBackend")


def test_a_postgres_url_uses_psycopg_with_djangos_pool():
    env = {"DATABASE_URL": "postgres://app:secret@db.internal:5432/careers"}

    assert setting("DATABASES['default']['ENGINE']", env) == "django.db.backends.postgresql"
    assert setting("DATABASES['default']['HOST']", env) == "db.internal"
    assert setting("DATABASES['default']['OPTIONS']['pool']['max_size']", env) == "10"
    assert setting("DATABASES['default']['CONN_MAX_AGE']", env) == "0"


def test_production_sends_email_to_a_local_relay_by_default():
    env = {k: v for k, v in PRODUCTION.items()}

    assert setting("MAILERS['default']['BACKEND']", env).endswith("smtp.EmailBackend")
    assert setting("MAILERS['default']['OPTIONS']['host']", env) == "localhost"
    assert setting("MAILERS['default']['OPTIONS']['port']", env) == "25"


def test_smtp_is_used_when_a_host_is_set():
    env = {"EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "2525"}

    assert setting("MAILERS['default']['BACKEND']", env).endswith("smtp.EmailBackend")
    assert setting("MAILERS['default']['OPTIONS']['port']", env) == "2525"


def test_the_tests_run_on_the_database_that_database_url_names(db):
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    if expected == "postgresql":
        assert connection.settings_dict["OPTIONS"]["pool"]["max_size"] == 10
