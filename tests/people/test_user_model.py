import pytest
from django.core.exceptions import ValidationError

from ladder.models import Level
from people.models import User

from ..factories import UserFactory


def test_people_sign_in_by_a_lowercased_email(db):
    user = User.objects.create_user("Ada.Chen@Example.COM", "a long password")

    assert user.email == "ada.chen@example.com"
    assert user.check_password("a long password")
    assert user.display_name == "ada.chen"


def test_an_email_is_required(db):
    with pytest.raises(ValueError, match="email address"):
        User.objects.create_user("", "pw")


def test_levels_must_belong_to_the_persons_track(default_ladder):
    ic_level = Level.objects.get(code="L4")
    manager_level = Level.objects.get(code="EM")
    user = UserFactory(track=manager_level.track)
    user.current_level = ic_level

    with pytest.raises(ValidationError) as raised:
        user.full_clean()

    assert raised.value.message_dict["current_level"] == ["Pick a level of the Management track."]


def test_a_level_needs_a_track(default_ladder):
    user = UserFactory()
    user.current_level = Level.objects.get(code="L4")

    with pytest.raises(ValidationError) as raised:
        user.full_clean()

    assert raised.value.message_dict["current_level"] == ["Pick a track first."]


def test_the_target_cannot_be_below_the_current_level(default_ladder):
    levels = {level.code: level for level in Level.objects.filter(track__key="ic")}
    user = UserFactory(track=levels["L4"].track)
    user.current_level, user.target_level = levels["L4"], levels["L3"]

    with pytest.raises(ValidationError) as raised:
        user.full_clean()

    assert raised.value.message_dict["target_level"] == [
        "The target level cannot be below the current level."
    ]


def test_an_unknown_time_zone_is_refused(db):
    user = UserFactory()
    user.time_zone = "Mars/Olympus_Mons"

    with pytest.raises(ValidationError) as raised:
        user.full_clean()

    assert "is not a time zone" in raised.value.message_dict["time_zone"][0]
