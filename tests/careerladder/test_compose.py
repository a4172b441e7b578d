"""docker-compose.yml, deploy/nginx.conf and the Dockerfile, read as files (no Docker engine
here): N app servers behind one proxy, one worker, migrations run once, one database."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
# What every app container needs to start in production and reach its database.
APP_ENV = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "TASKS_BACKEND"]
# What the operator may set in .env and each app container must therefore pass on.
PASSED_FROM_ENV = [
    "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "HTTPS", "SECURE_PROXY_SSL_HEADER", "SITE_URL",
    "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL", "TIME_ZONE", "TRUSTED_PROXY_COUNT", "MFA_REQUIRED_FOR_STAFF",
    "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "DATABASE_POOL_MAX", "WEB_CONCURRENCY",
]  # fmt: skip


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def nginx_conf() -> str:
    # Without comments: only what nginx reads counts.
    return re.sub(r"#[^\n]*", "", NGINX_CONF.read_text())


def test_web_scales_it_publishes_no_port_and_has_no_fixed_name(services):
    web = services["web"]

    assert "ports" not in web
    assert "container_name" not in web
    assert web["healthcheck"]["test"] == ["CMD", "python", "bin/healthcheck"]
    assert (ROOT / "bin" / "healthcheck").exists()
    # No other service pins a name either: `--scale` and two checkouts on one host both work.
    assert not [name for name, service in services.items() if "container_name" in service]


def test_only_the_proxy_publishes_a_port_and_only_on_the_hosts_loopback(services):
    proxy = services["proxy"]

    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"] == ["127.0.0.1:${HTTP_PORT:-8000}:80"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]


def test_the_proxy_reads_the_nginx_config_read_only(services):
    assert services["proxy"]["volumes"] == ["./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"]


def test_the_worker_runs_the_task_worker_from_the_web_image_and_environment(services):
    web, worker = services["web"], services["worker"]

    assert worker["command"] == ["python", "manage.py", "db_worker"]
    assert worker["build"] == web["build"] == "."
    assert worker["image"] == web["image"]
    assert worker["environment"] == web["environment"]
    assert "ports" not in worker
    # The command exists in the app and comes from the task queue's package.
    assert get_commands()["db_worker"] == "django_tasks_db"


def test_every_app_container_queues_tasks_in_the_database(services):
    for name in ("web", "worker", "migrate"):
        env = services[name]["environment"]
        for variable in APP_ENV:
            assert env.get(variable), f"{name} lacks {variable}"
        assert env["DEBUG"] == "0"
        assert env["TASKS_BACKEND"] == "database"
        assert env["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY in .env}"
        assert env["DATABASE_URL"].startswith("postgres://careerladder:")
        assert env["DATABASE_URL"].endswith("@db:5432/careerladder")


def test_every_setting_an_operator_may_change_reaches_the_app(services):
    env = services["web"]["environment"]

    for name in PASSED_FROM_ENV:
        assert env[name].startswith(f"${{{name}:-"), name
    # One nginx adds to X-Forwarded-For in front of gunicorn.
    assert env["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


def test_migrations_run_once_and_the_app_waits_for_them(services):
    migrate = services["migrate"]

    assert "manage.py migrate --noinput" in " ".join(migrate["command"])
    assert "load_default_ladder" in " ".join(migrate["command"])
    assert migrate["restart"] == "no"
    assert migrate["image"] == services["web"]["image"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        # ...and do not migrate again as they start (bin/start reads MIGRATE).
        assert services[name]["environment"]["MIGRATE"] == "0"
    start = (ROOT / "bin" / "start").read_text()
    assert 'if [ "${MIGRATE:-1}" != "0" ]; then' in start
    assert "gunicorn" in start


def test_the_database_is_postgres_with_a_healthcheck_and_a_volume(services):
    db = services["db"]
    volumes = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["volumes"]

    assert db["image"].startswith("postgres:")
    assert "pg_isready" in db["healthcheck"]["test"][1]
    assert db["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pgdata" in volumes


def test_every_host_nginx_sends_to_is_a_service(services):
    conf = nginx_conf()
    hosts = re.findall(r"https?://([\w.-]+):\d+", conf)

    assert hosts == ["web"]
    assert set(hosts) <= set(services)
    assert re.search(r"server\s+[\w.-]+:\d+", conf) is None  # no upstream looked up only once


def test_nginx_finds_the_replicas_through_dockers_dns_at_request_time():
    conf = nginx_conf()

    assert re.search(r"^resolver 127\.0\.0\.11 valid=\d+s", conf, re.MULTILINE)
    assert "set $web_servers http://web:8000;" in conf
    assert "proxy_pass $web_servers;" in conf


def test_nginx_forwards_the_client_address_scheme_and_host():
    conf = nginx_conf()

    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $forwarded_proto;" in conf
    assert "proxy_set_header Host $http_host;" in conf


def test_the_image_installs_the_pinned_requirements_before_the_code_and_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line[:1].isupper()]
    steps = [" ".join(parts) for parts in instructions]

    install = steps.index("RUN pip install -r requirements.txt")
    assert steps.index("COPY requirements.txt .") < install < steps.index("COPY . .")
    assert any(step.startswith("USER ") and "root" not in step for step in steps)
    assert steps[-1] == 'CMD ["sh", "bin/start"]'
    assert ".venv" in (ROOT / ".dockerignore").read_text().split()


def test_the_worker_has_its_package_and_app_in_the_image():
    pins = (ROOT / "requirements.txt").read_text().splitlines()

    assert "django-tasks-db==0.13.0" in pins
    # Its own requirement, pinned too, so the image installs what the tests ran with.
    assert any(pin.startswith("django-stubs-ext==") for pin in pins)
    assert "brag.task_queue.TaskQueueConfig" in settings.INSTALLED_APPS
