"""Changing the address a person signs in with, through a link sent to the new address.

The address is also where password reset links go, so a change takes effect only once the new
address has proved it reaches the person: the settings page sends a signed, expiring link to the
new address, and only following it while signed in as the same person changes User.email and
allauth's EmailAddress rows (one, primary and verified), in one transaction. The old address is
told. Nothing is stored until then: the link itself carries who, from what and to what, signed
with the SECRET_KEY, so it cannot be forged or pointed at another account.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from .models import User

logger = logging.getLogger(__name__)

SALT = "people.email_change"
LINK_MAX_AGE = dt.timedelta(days=3)


class EmailChangeError(Exception):
    """The link cannot change the address; the message says why, in the person's words."""


@dataclass(frozen=True)
class EmailChange:
    user_pk: int
    old_email: str
    new_email: str


def normalise(email: str) -> str:
    # Addresses are stored lower-case (UserManager.create_user does the same).
    return email.strip().lower()


def belongs_to_someone_else(email: str, user: User) -> bool:
    """True when another person signs in with, or has claimed, this address (case-insensitive):
    as their User.email or as any allauth EmailAddress row, verified or not."""
    return (
        User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists()
    )


def make_token(user: User, new_email: str) -> str:
    # The current address is in the token too: once the change is made (or the address changed
    # another way) the link no longer matches, so it works once.
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"user": user.pk, "from": user.email, "to": normalise(new_email)}
    )


def read_token(token: str) -> EmailChange:
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise EmailChangeError(
            "This link has expired. Ask for a new one in your settings."
        ) from None
    except signing.BadSignature:
        raise EmailChangeError(
            "This link is not valid. Ask for a new one in your settings."
        ) from None
    return EmailChange(user_pk=data["user"], old_email=data["from"], new_email=data["to"])


def send_verification(request: HttpRequest, user: User, new_email: str) -> None:
    """Mail the link to the new address; nothing changes yet."""
    new_email = normalise(new_email)
    link = request.build_absolute_uri(
        reverse("settings_confirm_email", args=[make_token(user, new_email)])
    )
    context = {
        "user": user,
        "new_email": new_email,
        "link": link,
        "days": LINK_MAX_AGE.days,
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] Confirm your new email address",
        message=render_to_string("people/email_change_verify.txt", context),
        from_email=None,
        recipient_list=[new_email],
    )


def check_change(token: str, user: User) -> EmailChange:
    """The change this link asks for, if it may still be made by `user`; else EmailChangeError."""
    change = read_token(token)
    if change.user_pk != user.pk:
        # Sent to someone else's account: say no more than that.
        raise EmailChangeError("This link is for another account. Sign in as its owner first.")
    if normalise(user.email) != normalise(change.old_email):
        raise EmailChangeError("This link has already been used, or your address has changed.")
    if belongs_to_someone_else(change.new_email, user):
        # Checked again here: the address may have been taken since the link was sent.
        raise EmailChangeError("This address can no longer be used for your account.")
    return change


def apply_change(token: str, user: User) -> EmailChange:
    """Make the change the link asks for, all or nothing, and tell the old address."""
    try:
        with transaction.atomic():
            # Lock the person's row: two tabs confirming at once make one change, not two.
            locked = User.objects.select_for_update().get(pk=user.pk)
            change = check_change(token, locked)
            locked.email = change.new_email
            locked.save(update_fields=["email"])
            # One address per person, the new one, primary and verified: an old address left
            # behind would still sign in and still receive password resets.
            EmailAddress.objects.filter(user=locked).delete()
            EmailAddress.objects.create(
                user=locked, email=change.new_email, primary=True, verified=True
            )
    except IntegrityError:
        # Someone else confirmed the same address a moment earlier: the unique email decides.
        raise EmailChangeError("This address can no longer be used for your account.") from None
    # Told after the commit: a failed mail must not undo a change the person confirmed.
    user.email = change.new_email
    try:
        send_notice(user, change)
    except OSError:  # smtplib's errors included
        logger.exception("Could not tell %s about the change of address", change.old_email)
    return change


def send_notice(user: User, change: EmailChange) -> None:
    context = {"user": user, "change": change, "site_name": settings.SITE_NAME}
    send_mail(
        subject=f"[{settings.SITE_NAME}] Your email address was changed",
        message=render_to_string("people/email_change_notice.txt", context),
        from_email=None,
        recipient_list=[change.old_email],
    )
