"""What every page shares: the layout, the CSP, htmx from our own static files, health."""

import re
from html.parser import HTMLParser

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
    found = re.search(r"'nonce-([\w-]+)'", page["Content-Security-Policy"])
    assert found
    nonce = found.group(1)
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


class _Header(HTMLParser):
    """The menu button's attributes, and the links inside the menu and inside the nav."""

    def __init__(self) -> None:
        super().__init__()
        self.button: dict[str, str | None] | None = None
        self.menu_links: list[str] = []
        self.nav_links: list[str] = []
        self.menu_forms: list[str] = []
        self._open: list[tuple[str, str]] = []  # (tag, role in the header) of the open elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "button" and "menu-button" in (attributes.get("class") or ""):
            self.button = attributes
        if tag in VOID_ELEMENTS:
            return
        part = ""
        if attributes.get("id") == "site-menu":
            part = "menu"
        elif tag == "nav" and attributes.get("aria-label") == "Main":
            part = "nav"
        self._open.append((tag, part))
        inside = {p for _, p in self._open}
        if tag == "a" and "menu" in inside:
            self.menu_links.append(attributes.get("href") or "")
        if tag == "a" and "nav" in inside:
            self.nav_links.append(attributes.get("href") or "")
        if tag == "form" and "menu" in inside:
            self.menu_forms.append(attributes.get("action") or "")

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break


VOID_ELEMENTS = {"img", "input", "br", "hr", "meta", "link", "source", "col", "wbr"}


def header_of(html: str) -> _Header:
    parser = _Header()
    parser.feed(html)
    return parser


def test_the_menu_button_controls_the_menu_and_starts_closed_and_hidden(page):
    header = header_of(page.text)

    assert header.button is not None
    assert header.button["type"] == "button"
    assert header.button["aria-expanded"] == "false"
    assert header.button["aria-controls"] == "site-menu"
    # Without JavaScript it stays hidden and the menu stays open: menu.js shows it on phones.
    assert "hidden" in header.button
    assert page.text.count('id="site-menu"') == 1


def test_the_main_navigation_keeps_its_links_inside_the_menu(page):
    header = header_of(page.text)

    assert header.nav_links == ["/", "/brag/", "/reviews/", "/ladder/"]
    assert set(header.nav_links) <= set(header.menu_links)
    assert "/settings/" in header.menu_links
    assert header.menu_forms == ["/accounts/logout/"]


def test_the_menu_script_is_loaded_from_our_static_files(page):
    assert '<script src="/static/js/menu.js" defer nonce=' in page.text
    assert finders.find("js/menu.js")


def test_the_sign_in_page_has_no_menu_button(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert header_of(response.text).button is None
