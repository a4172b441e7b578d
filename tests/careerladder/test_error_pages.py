"""The 400, 403, 404 and 500 pages: the app's look, a way home, and nothing about the error.

Django renders them itself when a view raises; the 500 page gets no request context. They must
render when the database is the problem, so the tests without the `db` fixture render them with
database access forbidden (pytest-django raises on any query).
"""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path
from django.utils.functional import SimpleLazyObject
from django.views import defaults

SECRET = "db-password=hunter2 at /srv/careerladder/secret.py"
LEAKS = [SECRET, "hunter2", "Traceback", 'File "', "RuntimeError", "SuspiciousOperation"]


def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET)


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(SECRET)


def breaks(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404(SECRET)


@login_not_required
def breaks_for_strangers(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


# Used as ROOT_URLCONF below: the error handlers are Django's defaults, as in careerladder.urls.
urlpatterns = [
    path("refuses/", refuses),
    path("suspicious/", suspicious),
    path("breaks/", breaks),
    path("missing/", missing),
    path("public-breaks/", breaks_for_strangers),
    # The sign-in pages, which the middleware sends an expired htmx session to.
    path("accounts/", include("allauth.urls")),
]
ERROR_URLS = override_settings(ROOT_URLCONF=__name__, DEBUG=False)


def assert_safe_error_page(response: HttpResponse, status: int, heading: str) -> None:
    assert response.status_code == status
    text = response.content.decode()
    assert f"<h1>{heading}</h1>" in text
    for leak in LEAKS:
        assert leak not in text
    assert '<link rel="stylesheet" href="/static/css/app.css">' in text
    assert 'href="/">Back home</a>' in text


@pytest.fixture
def signed_in(client: Client, cast) -> Client:
    client.force_login(cast.owner)
    client.raise_request_exception = False
    return client


@ERROR_URLS
def test_an_unknown_address_gets_the_not_found_page(signed_in):
    assert_safe_error_page(signed_in.get("/no/such/page/"), 404, "Not found")


@ERROR_URLS
def test_a_not_found_message_is_not_shown(signed_in):
    assert_safe_error_page(signed_in.get("/missing/"), 404, "Not found")


@ERROR_URLS
def test_a_refusal_gets_the_not_allowed_page_without_its_message(signed_in):
    assert_safe_error_page(signed_in.get("/refuses/"), 403, "Not allowed")


@ERROR_URLS
def test_a_suspicious_request_gets_the_bad_request_page(signed_in):
    assert_safe_error_page(signed_in.get("/suspicious/"), 400, "Bad request")


@ERROR_URLS
def test_a_crash_gets_the_error_page_and_no_traceback(signed_in):
    response = signed_in.get("/breaks/")

    assert_safe_error_page(response, 500, "Something went wrong")
    assert "no-store" in response["Cache-Control"]


@ERROR_URLS
def test_a_crash_under_htmx_gets_the_same_page(signed_in):
    response = signed_in.get("/breaks/", headers={"HX-Request": "true"})

    assert_safe_error_page(response, 500, "Something went wrong")


@ERROR_URLS
def test_a_host_outside_allowed_hosts_gets_the_bad_request_page(client, db):
    client.raise_request_exception = False

    response = client.get("/public-breaks/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
    assert "<h1>Bad request</h1>" in response.content.decode()


def request_with_a_lazy_user(path: str) -> HttpRequest:
    """As the middleware leaves it: the person is read from the database only when asked for."""
    request = RequestFactory().get(path)
    request.session = SessionStore(session_key="k" * 32)  # a session cookie came with it
    request.user = SimpleLazyObject(lambda: get_user(request))
    return request


@override_settings(DEBUG=False)
def test_the_server_error_page_renders_without_a_request_or_a_database():
    response = defaults.server_error(request_with_a_lazy_user("/x/"))

    assert_safe_error_page(response, 500, "Something went wrong")


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (defaults.page_not_found, 404, "Not found"),
        (defaults.permission_denied, 403, "Not allowed"),
        (defaults.bad_request, 400, "Bad request"),
    ],
)
def test_the_other_error_pages_render_without_a_database(handler, status, heading):
    response = handler(request_with_a_lazy_user("/x/"), Exception(SECRET))

    assert_safe_error_page(response, status, heading)


def test_too_many_sign_in_attempts_get_a_page_that_says_to_wait(client, db):
    # allauth's limit on sign-in attempts per address (30 a minute), reached from one address.
    for _ in range(30):
        client.get("/accounts/login/")
        client.post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})

    response = client.post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})

    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in response.text
    assert "Traceback" not in response.text
