import zoneinfo
from typing import Any

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django import forms
from django.http import HttpRequest

from careerladder.text import RefuseBidiControls

from .email_change import belongs_to_someone_else, normalise
from .models import User


class AccountSettingsForm(RefuseBidiControls, forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
        help_text="Your Friday and your week are counted in this time zone.",
    )

    class Meta:
        model = User
        fields = ["name", "time_zone", "weekly_reminder"]
        labels = {"name": "Your name", "weekly_reminder": "Friday reminder"}


WRONG_PASSWORD = "That is not your password."
ADDRESS_UNAVAILABLE = "This address can't be used for your account. Choose another one."
SAME_ADDRESS = "This is already your address."
TOO_MANY = "Too many requests for a new address. Wait a few minutes and try again."


class EmailChangeForm(RefuseBidiControls, forms.Form):
    """A new sign-in address: checked here, changed only when the link mailed to it is followed."""

    # Whoever has the session alone (an unlocked laptop) must not move the account elsewhere.
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_email = forms.EmailField(
        label="New email address",
        max_length=254,  # User.email's length (an email address's limit in RFC 5321)
        help_text="We send a link to this address; your address changes when you follow it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(WRONG_PASSWORD, code="wrong_password")
        return password

    def clean_new_email(self) -> str:
        email = normalise(self.cleaned_data["new_email"])
        if self.has_error("password"):
            return email  # nothing is sent, so nothing is counted
        if email == normalise(self.user.email) and not self.needs_verifying(email):
            raise forms.ValidationError(SAME_ADDRESS, code="same")
        if belongs_to_someone_else(email, self.user):
            # The same words whatever the reason (another person's address, an address someone
            # claimed), so the form tells no more than "not this one".
            raise forms.ValidationError(ADDRESS_UNAVAILABLE, code="unavailable")
        # Each request sends a mail to an address the person typed: limited per person and per
        # address (allauth's limits, counted in the shared cache) so the page cannot spam anyone.
        if not ratelimit.consume(
            self.request, action="manage_email", user=self.user
        ) or not ratelimit.consume(self.request, action="confirm_email", key=email):
            raise forms.ValidationError(TOO_MANY, code="rate_limited")
        return email

    def needs_verifying(self, email: str) -> bool:
        """An address recorded but never verified (sign-up with verification off) may be sent a
        link, so that its owner can verify it, which allauth asks before two-factor set-up."""
        return EmailAddress.objects.filter(
            user=self.user, email__iexact=email, verified=False
        ).exists()
