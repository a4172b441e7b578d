"""The load benchmark's yardstick page: signed-in only, through every middleware."""

import pytest


@pytest.mark.parametrize("who", ["owner", "manager", "teammate", "outsider", "staff"])
def test_anyone_signed_in_gets_ok_under_the_private_page_headers(client, cast, who) -> None:
    client.force_login(getattr(cast, who))
    response = client.get("/ping/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_a_stranger_is_sent_to_sign_in(client, db) -> None:
    response = client.get("/ping/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_takes_no_post(client, cast) -> None:
    client.force_login(cast.owner)
    assert client.post("/ping/").status_code == 405
