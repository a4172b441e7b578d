"""Sign-in limits (ACCOUNT_RATE_LIMITS): counted per client address and per account in the
shared database cache, with the client address read behind ALLAUTH_TRUSTED_PROXY_COUNT proxies.
Addresses are from the documentation ranges; no traffic leaves the test client."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection

from ..factories import PASSWORD, UserFactory
from .signin_helpers import sign_in

ATTACKER, CLIENT, PROXY = "203.0.113.66", "198.51.100.7", "192.0.2.1"
LIMITED = "Too many failed login attempts. Try again later."
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def fail_from(client, times: int, **extra) -> None:
    """Wrong passwords, each for a different made-up address so that only the per-address limit
    counts (the per-account one is 5 in 5 minutes)."""
    for n in range(times):
        response = sign_in(client, f"guess{n}@example.org", "wrong password", **extra)
        assert LIMITED not in response.text


def test_failed_sign_ins_from_one_address_get_limited(client, cast):
    fail_from(client, 10, REMOTE_ADDR=ATTACKER)

    response = sign_in(client, "owner@example.org", PASSWORD, REMOTE_ADDR=ATTACKER)

    assert LIMITED in response.text
    assert "_auth_user_id" not in client.session


def test_another_address_still_signs_in(client, cast):
    fail_from(client, 10, REMOTE_ADDR=ATTACKER)

    response = sign_in(client, "owner@example.org", PASSWORD, REMOTE_ADDR=CLIENT)

    assert response["Location"] == "/"


def test_the_limit_lifts_after_a_minute(client, cast, clock):
    fail_from(client, 10, REMOTE_ADDR=ATTACKER)
    clock.shift(dt.timedelta(seconds=61))

    response = sign_in(client, "owner@example.org", PASSWORD, REMOTE_ADDR=ATTACKER)

    assert response["Location"] == "/"


def test_guessing_at_one_account_locks_only_that_account(client, cast):
    for n in range(5):  # five addresses, so that no per-address limit is reached
        sign_in(client, "owner@example.org", "wrong", REMOTE_ADDR=f"203.0.113.{n + 1}")

    owner = sign_in(client, "owner@example.org", PASSWORD, REMOTE_ADDR=CLIENT)
    teammate = sign_in(client, "teammate@example.org", PASSWORD, REMOTE_ADDR=CLIENT)

    assert LIMITED in owner.text
    assert teammate["Location"] == "/"


def test_good_sign_ins_do_not_reset_the_count_for_an_attacker(client, cast, clock):
    """An attacker with an account of their own cannot wipe their count by signing in."""
    mallory = UserFactory(email="mallory@example.org")
    guesses = ["owner", "manager", "teammate", "outsider"] * 3

    def guess(n: int) -> str:
        clock.shift(dt.timedelta(seconds=1))  # distinct times, as in life
        return sign_in(client, f"{guesses[n]}@example.org", "wrong", REMOTE_ADDR=ATTACKER).text

    for n in range(9):
        guess(n)
    clock.shift(dt.timedelta(seconds=1))
    assert sign_in(client, mallory.email, PASSWORD, REMOTE_ADDR=ATTACKER)["Location"] == "/"
    client.post("/accounts/logout/")

    assert LIMITED not in guess(9)
    assert LIMITED in guess(10)


# Behind a proxy: every request comes from the proxy's address; the client's is in X-Forwarded-For.


def test_without_trusted_proxies_everyone_behind_a_proxy_shares_a_limit(client, cast, settings):
    """Why TRUSTED_PROXY_COUNT matters: left at 0 behind a proxy, one attacker locks out all."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    fail_from(client, 10, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)

    response = sign_in(
        client, "owner@example.org", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT
    )

    assert LIMITED in response.text


def test_with_one_trusted_proxy_each_client_has_its_own_limit(client, cast, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    fail_from(client, 10, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)

    attacker = sign_in(
        client, "owner@example.org", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    other = sign_in(
        client, "owner@example.org", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT
    )

    assert LIMITED in attacker.text
    assert other["Location"] == "/"


def test_a_forged_left_hand_address_does_not_escape_the_limit(client, cast, settings):
    """The proxy appends the address it saw; what the client sent stands to its left."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        forged = f"10.9.8.{n}, {ATTACKER}"
        sign_in(
            client, f"guess{n}@example.org", "x", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged
        )

    response = sign_in(
        client,
        "owner@example.org",
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{CLIENT}, {ATTACKER}",
    )

    assert LIMITED in response.text


def test_with_no_trusted_proxy_the_forwarded_header_is_ignored(client, cast, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        sign_in(
            client,
            f"guess{n}@example.org",
            "x",
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    response = sign_in(client, "owner@example.org", PASSWORD, REMOTE_ADDR=ATTACKER)

    assert LIMITED in response.text


# Shared by every worker: the counters live in the database cache.


def test_the_counters_live_in_the_shared_database_cache(client, cast):
    fail_from(client, 3, REMOTE_ADDR=ATTACKER)

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM careerladder_cache")
        keys = [row[0] for row in cursor.fetchall()]
    counters = [key for key in keys if "allauth:rl" in key and "login_failed" in key]
    assert any(key.endswith(f"ip:{ATTACKER}") for key in counters)

    # What another worker sees: a fresh connection to the same cache, not this process's memory.
    other_worker = caches.create_connection("default")
    ip_key = next(k for k in counters if k.endswith(f"ip:{ATTACKER}")).split(":", 2)[2]
    assert len(other_worker.get(ip_key)) == 3
