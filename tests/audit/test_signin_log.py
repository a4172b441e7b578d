"""Sign-ins, sign-outs and failed sign-ins are logged with who and from where, never a password."""

import logging

import pytest

from ..factories import PASSWORD

LOGGER = "careerladder.audit"
ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


def _messages(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == LOGGER]


def test_a_sign_in_is_logged_with_the_person_and_address(client, cast, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    response = client.post(
        "/accounts/login/", {"login": cast.owner.email, "password": PASSWORD}, **ADDRESS
    )

    assert response.status_code == 302
    assert _messages(caplog) == [
        f"sign-in user={cast.owner.pk} email='owner@example.org' address=203.0.113.7"
    ]


def test_a_failed_sign_in_logs_the_address_tried_never_the_password(client, cast, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    client.post(
        "/accounts/login/",
        {"login": cast.owner.email, "password": "my-secret-guess"},
        **ADDRESS,
    )

    failures = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]
    assert [r.getMessage() for r in failures] == [
        "sign-in failed email='owner@example.org' address=203.0.113.7"
    ]
    assert "my-secret-guess" not in caplog.text


def test_a_failed_sign_in_for_nobody_logs_what_was_typed_on_one_line(client, db, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)

    client.post(
        "/accounts/login/",
        {"login": "nobody@example.org\nsign-in user=1", "password": "x"},
        **ADDRESS,
    )

    assert all("\n" not in message for message in _messages(caplog))


def test_a_sign_out_is_logged(client, cast, caplog):
    client.force_login(cast.manager)
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.clear()  # force_login's own sign-in

    client.post("/accounts/logout/", **ADDRESS)

    assert _messages(caplog) == [
        f"sign-out user={cast.manager.pk} email='manager@example.org' address=203.0.113.7"
    ]


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "198.51.100.1", "203.0.113.7"),  # no proxy trusted: the header is ignored
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "192.0.2.66, 198.51.100.1", "198.51.100.1"),  # the client's own claim is not used
        (2, "192.0.2.66, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    ],
)
def test_the_address_honours_the_trusted_proxy_count(
    client, cast, caplog, settings, proxies, forwarded, expected
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    caplog.set_level(logging.INFO, logger=LOGGER)

    client.post(
        "/accounts/login/",
        {"login": cast.owner.email, "password": PASSWORD},
        headers={"X-Forwarded-For": forwarded},
        **ADDRESS,
    )

    assert _messages(caplog)[-1].endswith(f"address={expected}")
