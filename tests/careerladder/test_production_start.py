"""Production, started the way a deployment starts it: `bin/start` with DEBUG=0.

The app runs under gunicorn in a process group of its own, on a fresh SQLite database and an
empty STATIC_ROOT under the test's temporary folder; the group is killed whatever happens.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from careerladder.storage import ManifestOrPlainStaticFilesStorage

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "production-start-test-" + "q7Zp2Lm9Wv4Rt8Yn3Kb6Hd1Fs5Jc0Ge" * 2
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
# Variables of the developer's shell that would change what is being tested.
UNSET = {"DATABASE_URL", "HTTPS", "STATIC_ROOT", "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY"}


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET and not k.startswith("SECURE_")}
    return {
        **env,
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


class Server:
    def __init__(self, process: subprocess.Popen, base: str, log: Path) -> None:
        self.process, self.base, self.log = process, base, log

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return get(self.base + path)

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"bin/start exited with {self.process.returncode}:\n{self.output()}")
            try:
                if self.get("/healthz/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        pytest.fail(f"the app did not answer /healthz/ within a minute:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("production") / "static"


@pytest.fixture(scope="module")
def started(static_root: Path) -> Iterator[Server]:
    """One start for the module: migrating a fresh database is most of the time it takes."""
    if not (BIN / "gunicorn").exists():
        pytest.skip("gunicorn is not installed in this environment")
    port = free_port()
    folder = static_root.parent
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'production.sqlite3'}",
        STATIC_ROOT=str(static_root),
        ALLOWED_HOSTS="127.0.0.1",
        HTTPS="0",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    log = folder / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["sh", "bin/start"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's workers die with it
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        server.wait_until_up()
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_bin_start_serves_the_sign_in_page_and_its_stylesheet(started, static_root):
    status, headers, page = started.get("/accounts/login/")

    assert status == 200, started.output()
    assert "no-store" in headers["Cache-Control"]
    assert "base-uri 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    href = STYLESHEET.search(page)[1]
    # bin/start collected the static files: the name carries the content's hash.
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", href)
    assert (static_root / "staticfiles.json").exists()
    status, headers, css = started.get(href)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert "no-store" not in headers["Cache-Control"]
    assert css.strip()


def test_bin_start_answers_an_unknown_page_with_the_not_found_page(started):
    status, _, page = started.get("/no/such/page/")

    assert status == 404
    assert "<h1>Not found</h1>" in page
    assert "Traceback" not in page


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(
            ALLOWED_HOSTS="example.com",
            DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# Without collectstatic. These are the settings lines docs/deployment.md describes for DEBUG=0.
def without_collectstatic(static_root: Path) -> override_settings:
    return override_settings(
        DEBUG=False,
        STATIC_ROOT=static_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "careerladder.storage.ManifestOrPlainStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
    )


def test_without_collectstatic_pages_and_their_stylesheet_still_load(client, db, tmp_path):
    with without_collectstatic(tmp_path / "never-collected"):
        page = client.get(reverse("account_login"))
        href = STYLESHEET.search(page.text)[1]
        stylesheet = client.get(href)

    assert page.status_code == 200
    assert href == "/static/css/app.css"
    assert stylesheet.status_code == 200
    assert stylesheet["Content-Type"].startswith("text/css")


def test_once_collected_the_storage_gives_hashed_names(tmp_path):
    with without_collectstatic(tmp_path / "static"):
        assert ManifestOrPlainStaticFilesStorage().url("css/app.css") == "/static/css/app.css"
        call_command("collectstatic", interactive=False, verbosity=0)
        collected = ManifestOrPlainStaticFilesStorage()

        assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", collected.url("css/app.css"))
        assert (tmp_path / "static" / "css" / "app.css.gz").exists()
