"""The production header set: CSP, framing, referrer, HSTS, and caching of private pages.

Settings are the production ones the environment gives with DEBUG=0 and HTTPS on (see
careerladder/settings.py); requests go over HTTPS as they would behind the TLS proxy.
"""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse

from tests.factories import BragEntryFactory

PRODUCTION = override_settings(
    DEBUG=False,
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
HTMX = {"HX-Request": "true"}


@login_not_required
def greeting(request: HttpRequest) -> HttpResponse:
    """A public page that answers differently for a signed-in person."""
    who = request.user.get_username() if request.user.is_authenticated else "stranger"
    return HttpResponse(f"Hello {who}")


@login_not_required
def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse("the same for everyone", content_type="text/plain")


# Used as ROOT_URLCONF by the tests below that need public views of their own.
urlpatterns = [
    path("greeting/", greeting),
    path("constant/", constant),
    # A project view wrapping a sign-in page keeps allauth's URL name (as sign-up does).
    path("accounts/wrapped/", greeting, name="account_wrapped"),
    # The sign-in pages, which the middleware sends an expired htmx session to.
    path("accounts/", include("allauth.urls")),
]


@pytest.fixture(autouse=True)
def production():
    with PRODUCTION:
        yield


def directives(header: str) -> dict[str, list[str]]:
    policy = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def cache_control(response: HttpResponse) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def vary(response: HttpResponse) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",") if part}


def test_a_signed_in_page_carries_the_whole_production_header_set(client, cast):
    client.force_login(cast.owner)

    response = client.get(reverse("home"), secure=True)

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert "'self'" in policy["script-src"]
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["style-src"])
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert {"no-store", "private"} <= cache_control(response)
    assert "HX-Request" in vary(response)


def test_the_script_nonce_in_the_policy_is_the_one_on_the_page(client, cast):
    client.force_login(cast.owner)

    response = client.get(reverse("home"), secure=True)

    nonces = [
        s for s in directives(response["Content-Security-Policy"])["script-src"] if "nonce" in s
    ]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert f'nonce="{nonce}"' in response.text


def test_plain_http_is_sent_to_https(client, cast):
    response = client.get(reverse("account_login"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_an_htmx_fragment_is_not_stored_and_varies_on_hx_request(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Private win")
    client.force_login(cast.owner)

    response = client.get(reverse("brag:detail", args=[entry.pk]), headers=HTMX, secure=True)

    assert response.status_code == 200
    assert "Private win" in response.text
    assert "<html" not in response.text
    assert {"no-store", "private"} <= cache_control(response)
    assert "HX-Request" in vary(response)


@pytest.mark.parametrize("name", ["brag:detail", "brag:edit"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_entry_pages_and_fragments_vary_on_hx_request(client, cast, name, htmx):
    entry = BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    response = client.get(reverse(name, args=[entry.pk]), headers=HTMX if htmx else {}, secure=True)

    assert response.status_code == 200
    assert ("<html" in response.text) is not htmx
    assert "HX-Request" in vary(response)
    assert "no-store" in cache_control(response)


def test_a_redirect_to_a_signed_in_person_is_not_stored(client, cast):
    client.force_login(cast.owner)

    response = client.get(reverse("brag:person", args=[cast.owner.pk]), secure=True)

    assert response.status_code == 302
    assert "no-store" in cache_control(response)


def test_a_download_is_not_stored_and_does_not_vary_on_hx_request(client, cast):
    BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    response = client.get(reverse("brag:export"), secure=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert {"no-store", "private"} <= cache_control(response)
    assert "HX-Request" not in vary(response)


def test_a_failed_form_post_is_not_stored(client, cast):
    client.force_login(cast.owner)

    response = client.post(reverse("brag:add"), {"title": ""}, headers=HTMX, secure=True)

    assert response.status_code == 422
    assert "no-store" in cache_control(response)


def test_the_not_found_page_for_a_signed_in_person_is_not_stored(client, cast):
    client.force_login(cast.owner)

    response = client.get("/no/such/page/", secure=True)

    assert response.status_code == 404
    assert "no-store" in cache_control(response)


@pytest.mark.parametrize("name", ["account_login", "account_reset_password"])
def test_sign_in_and_password_pages_are_not_stored(client, db, name):
    response = client.get(reverse(name), secure=True)

    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_control(response)


@override_settings(ACCOUNT_ALLOW_SIGNUP=True)
def test_the_sign_up_page_is_not_stored(client, db):
    response = client.get(reverse("account_signup"), secure=True)

    assert response.status_code == 200
    assert "password" in response.text
    assert {"no-store", "private"} <= cache_control(response)


def test_a_password_reset_link_page_is_not_stored(client, db):
    response = client.get(
        reverse("account_reset_password_from_key", args=["1", "not-a-real-key"]), secure=True
    )

    assert response.status_code == 200
    assert "no-store" in cache_control(response)


def test_the_page_after_signing_in_is_not_stored(client, cast):
    cast.owner.set_password("a long enough password")
    cast.owner.save()

    response = client.post(
        reverse("account_login"),
        {"login": cast.owner.email, "password": "a long enough password"},
        secure=True,
    )

    assert response.status_code == 302
    assert "no-store" in cache_control(response)


def test_the_health_check_keeps_the_headers_its_view_sets(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    # healthz is never_cache by itself (a load balancer must not see a stale answer); the
    # middleware adds nothing to it.
    assert cache_control(response) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }
    assert "HX-Request" not in vary(response)
    assert "sessionid" not in response.cookies


def test_the_favicon_redirect_may_be_cached(client, db):
    response = client.get("/favicon.ico", secure=True)

    assert response.status_code == 301
    assert "no-store" not in cache_control(response)


@override_settings(ROOT_URLCONF=__name__)
def test_a_public_view_is_stored_for_strangers_but_not_for_a_signed_in_person(client, cast):
    anonymous = client.get("/greeting/", secure=True)
    client.force_login(cast.owner)
    signed_in = client.get("/greeting/", secure=True)

    assert anonymous.text == "Hello stranger"
    assert "no-store" not in cache_control(anonymous)
    assert signed_in.text == f"Hello {cast.owner.email}"
    assert {"no-store", "private"} <= cache_control(signed_in)


@override_settings(ROOT_URLCONF=__name__)
def test_a_public_non_html_answer_to_a_stranger_is_left_alone(client, cast):
    anonymous = client.get("/constant/", secure=True)
    client.force_login(cast.owner)
    signed_in = client.get("/constant/", secure=True)

    assert anonymous.text == signed_in.text == "the same for everyone"
    assert "Cache-Control" not in anonymous
    assert "HX-Request" not in vary(anonymous)
    assert "no-store" in cache_control(signed_in)


@override_settings(WHITENOISE_USE_FINDERS=True)
def test_static_files_are_cacheable_and_set_no_cookie(client, db):
    response = client.get("/static/css/app.css", secure=True)

    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
    assert any(part.startswith("max-age=") for part in cache_control(response))
    assert not response.cookies


@override_settings(ROOT_URLCONF=__name__)
def test_a_sign_in_page_wrapped_by_the_project_is_not_stored(client, db):
    response = client.get(reverse("account_wrapped"), secure=True)

    assert response.text == "Hello stranger"
    assert {"no-store", "private"} <= cache_control(response)
