"""The sign-in backends load the signed-in person with their track, ladder and levels."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.test import RequestFactory

from people.backends import AuthenticationBackend, ModelBackend


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_person_comes_with_track_ladder_and_levels(
    backend, cast, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        user = backend().get_user(cast.owner.pk)
        assert user is not None
        assert user.track.ladder.slug == "engineering"
        assert (user.current_level.code, user.target_level.code) == ("L3", "L4")


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_a_deactivated_or_unknown_person_is_nobody(backend, cast) -> None:
    cast.owner.is_active = False
    cast.owner.save()
    assert backend().get_user(cast.owner.pk) is None
    assert backend().get_user(999_999) is None


def test_signing_in_through_the_form_keeps_the_person_signed_in(client, cast) -> None:
    cast.owner.set_password("a long enough password")
    cast.owner.save()
    response = client.post(
        "/accounts/login/", {"login": cast.owner.email, "password": "a long enough password"}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(cast.owner.pk)
    request = RequestFactory().get("/")
    request.session = client.session
    assert get_user(request).pk == cast.owner.pk
    assert client.get("/").status_code == 200
