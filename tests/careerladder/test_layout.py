"""What every page shares: the layout, the CSP, htmx from our own static files, health."""

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.fixture
def page(client, cast):
    client.force_login(cast.owner)
    return client.get("/ladder/")


def test_the_csp_allows_no_inline_script_and_nothing_from_elsewhere(page):
    policy = page["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[\w-]+'", directives["script-src"])
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_every_script_is_ours_and_carries_the_nonce(page):
    nonce = re.search(r"'nonce-([\w-]+)'", page["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", page.text)

    assert scripts
    for tag in scripts:
        assert 'src="/static/' in tag
        assert f'nonce="{nonce}"' in tag
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in page.text
    assert finders.find("django_htmx/htmx-2.min.js")
    assert "<style" not in page.text
    assert " style=" not in page.text


def test_htmx_sends_the_csrf_token_from_the_body(page):
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "(\w+)"\}\'', page.text)

    assert token
    assert "<body hx-headers=" in page.text


def test_the_navigation_shows_who_is_signed_in(page):
    assert 'title="Settings for owner@example.org">Owner</a>' in page.text
    assert "Import a ladder" not in page.text


def test_staff_see_the_import_and_admin_links(client, cast):
    client.force_login(cast.staff)

    response = client.get("/ladder/")

    assert 'href="/ladder/import/"' in response.text
    assert 'href="/admin/"' in response.text


def test_the_stylesheet_is_served_from_our_static_files(page):
    assert '<link rel="stylesheet" href="/static/css/app.css">' in page.text
    assert finders.find("css/app.css")


def test_the_health_check_needs_no_sign_in(client, db):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.text == "ok"


def test_an_unknown_page_is_a_friendly_404(client, cast):
    client.force_login(cast.owner)

    response = client.get("/nowhere/")

    assert response.status_code == 404


def test_the_favicon_needs_no_sign_in(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


def test_no_template_comment_leaks_into_the_page(page):
    assert "{#" not in page.text
    assert "#}" not in page.text
