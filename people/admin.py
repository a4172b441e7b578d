"""People, teams and their memberships; and, replacing the third parties' own admins, the
account records staff look after (groups, email addresses, authenticators). Every admin here
extends StaffAdmin: delete confirmations name only what staff may read (see
careerladder/admin_privacy.py)."""

from typing import Any, cast

from allauth.account import admin as account_admin
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from careerladder.admin_privacy import NamesForm, StaffAdmin, guard_view_on_site
from careerladder.text import RefuseBidiControls

from .models import Membership, Team, User


class UserCreationForm(RefuseBidiControls, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(RefuseBidiControls, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ChosenPersonSelect(AutocompleteSelect):
    """The admin's person search, which names the person already chosen from the membership
    the inline loaded with its user, instead of asking for them once per row. Anyone else (a
    different person picked in a form sent back with an error) is looked up as Django does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen: dict[str, str] = {}

    def optgroups(self, name: str, value: Any, attr: Any = None) -> list[Any]:
        empty = self.choices.field.empty_values
        selected = {str(v) for v in value if str(v) not in empty}
        if not selected or not selected <= self.chosen.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in sorted(selected):
            options.append(self.create_option(name, pk, self.chosen[pk], True, len(options)))
        return [(None, options, 0)]


class MembershipForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("user")
        widget = getattr(field, "widget", None)
        select = getattr(widget, "widget", widget)  # inside the admin's related-field wrapper
        membership = self.instance
        if isinstance(select, ChosenPersonSelect) and Membership.user.is_cached(membership):
            label = cast(forms.ModelChoiceField, field).label_from_instance(membership.user)
            select.chosen = {str(membership.user_id): label}


class MembershipInline(admin.TabularInline):
    """A team's people, found by the admin's search. Each row is named from the membership's
    user and team loaded in one query, so the page asks the same number of queries for a team
    of three and a team of three hundred."""

    model = Membership
    form = MembershipForm
    extra = 1
    autocomplete_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user", "team")

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "user":
            kwargs["widget"] = ChosenPersonSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(StaffAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "track", "current_level", "target_level", "is_staff"]
    list_select_related = ["track__ladder", "current_level", "target_level"]
    list_filter = ["is_staff", "is_active", "track"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "name", "password", "time_zone"]}),
        ("On the ladder", {"fields": ["track", "current_level", "target_level"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        ),
    ]


@admin.register(Team)
class TeamAdmin(StaffAdmin):
    form = NamesForm
    list_display = ["name", "slug", "ladder"]
    list_select_related = ["ladder"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [MembershipInline]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(StaffAdmin, auth_admin.GroupAdmin):
    form = NamesForm


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(StaffAdmin, account_admin.EmailAddressAdmin):
    form = NamesForm
    list_select_related = ["user"]


# A confirmation's key confirms the address to whoever holds it: never listed.
if admin.site.is_registered(EmailConfirmation):
    admin.site.unregister(EmailConfirmation)

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(StaffAdmin):
    """Staff remove the authenticator of someone who lost their phone, so that they can set up
    a new one. What it holds (the TOTP secret, the recovery codes' seed) is never shown."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


# The site's own "view on site" redirect would tell staff which private records exist. Here,
# with the site's other admins, because admin modules load before the root URLconf reads the
# site's URLs.
guard_view_on_site(admin.site)
