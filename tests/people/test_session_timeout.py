"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
sign-in (careerladder.sessions). The clock is time-machine's: no sleeping."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session

from careerladder.sessions import LAST_SEEN_AT, SIGNED_IN_AT

from .signin_helpers import sign_in

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limits(settings):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_MAX_HOURS = 10
    return settings


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_session_ends_after_the_idle_time(client, cast, clock, limits):
    sign_in(client, "owner@example.org")
    clock.shift(dt.timedelta(minutes=29))
    assert signed_in(client)

    clock.shift(dt.timedelta(minutes=30, seconds=1))
    response = client.get("/brag/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/brag/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "You were signed out after a while without activity." in page.text


def test_activity_keeps_a_session_alive(client, cast, clock, limits):
    sign_in(client, "owner@example.org")

    for _ in range(16):  # four hours, a request every quarter of an hour
        clock.shift(dt.timedelta(minutes=15))
        assert signed_in(client)


def test_a_session_ends_at_the_absolute_limit_however_busy(client, cast, clock, limits):
    sign_in(client, "owner@example.org")
    for _ in range(39):  # 9 h 45 min of steady work
        clock.shift(dt.timedelta(minutes=15))
        assert signed_in(client)

    clock.shift(dt.timedelta(minutes=15, seconds=1))

    assert not signed_in(client)
    page = client.get("/accounts/login/")
    assert "Your session has reached its time limit." in page.text


def test_signing_in_again_starts_both_clocks_again(client, cast, clock, limits):
    sign_in(client, "owner@example.org")
    clock.shift(dt.timedelta(hours=11))
    assert not signed_in(client)

    sign_in(client, "owner@example.org")

    assert signed_in(client)
    assert client.session[SIGNED_IN_AT] == int((START + dt.timedelta(hours=11)).timestamp())


def test_an_htmx_request_after_the_timeout_is_sent_to_sign_in(client, cast, clock, limits):
    sign_in(client, "owner@example.org")
    clock.shift(dt.timedelta(minutes=31))

    response = client.get("/brag/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_a_session_without_times_gets_them_on_first_sight(client, cast, clock, limits):
    client.force_login(cast.owner)
    session = client.session
    session.pop(SIGNED_IN_AT, None)
    session.pop(LAST_SEEN_AT, None)
    session.save()

    assert signed_in(client)

    now = int(START.timestamp())
    assert (client.session[SIGNED_IN_AT], client.session[LAST_SEEN_AT]) == (now, now)
    clock.shift(dt.timedelta(minutes=31))
    assert not signed_in(client)


def test_the_last_seen_time_is_written_at_most_once_a_minute(client, cast, clock, limits):
    sign_in(client, "owner@example.org")
    key = client.session.session_key
    saved = Session.objects.get(session_key=key).expire_date

    clock.shift(dt.timedelta(seconds=50))
    assert signed_in(client)
    assert client.session[LAST_SEEN_AT] == int(START.timestamp())
    assert Session.objects.get(session_key=key).expire_date == saved  # not written again

    clock.shift(dt.timedelta(seconds=20))
    assert signed_in(client)
    assert client.session[LAST_SEEN_AT] == int(START.timestamp()) + 70
    assert Session.objects.get(session_key=key).expire_date > saved


def test_anonymous_requests_leave_the_session_alone(client, db, clock, limits):
    client.get("/accounts/login/")

    assert SIGNED_IN_AT not in client.session
    assert LAST_SEEN_AT not in client.session
