import zoneinfo

from django import forms

from .models import User


class AccountSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
        help_text="Your Friday and your week are counted in this time zone.",
    )

    class Meta:
        model = User
        fields = ["name", "time_zone", "weekly_reminder"]
        labels = {"name": "Your name", "weekly_reminder": "Friday reminder"}
