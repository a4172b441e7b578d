"""Sign-in backends that load the signed-in person with what nearly every page reads about
them (track, ladder, current and target level) in the one query Django makes anyway; without
this each page pays two to four more queries before it starts its own work."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User

SIGNED_IN_RELATED = ("track__ladder", "current_level", "target_level")


def signed_in_user(user_id: Any) -> User | None:
    try:
        user = User.objects.select_related(*SIGNED_IN_RELATED).get(pk=user_id)
    except User.DoesNotExist:
        return None
    return user


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
