"""Sign-in backends that load the signed-in person with what nearly every page reads about
them (track, ladder, current and target level) in the one query Django makes anyway; without
this each page pays two to four more queries before it starts its own work."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User

SIGNED_IN_RELATED = ("track__ladder", "current_level", "target_level")


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related(*SIGNED_IN_RELATED).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AuthenticationBackend(ModelBackend, AllauthBackend):
    """allauth's sign-in (by email, its checks) with the `get_user` above: allauth's backend
    is a ModelBackend, so this one comes first in the order and supplies only that."""
