from collections.abc import Callable
from typing import Any

from allauth.account import views as account_views
from allauth.account.adapter import get_adapter
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, re_path

from people import views as people_views

from . import views
from .staff import require_staff_mfa, staff_without_required_mfa

admin.site.site_header = "Careerladder administration"
admin.site.site_title = "Careerladder admin"

_admin_view = admin.site.admin_view
_has_permission = admin.site.has_permission


def admin_view(view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., Any]:
    return require_staff_mfa(_admin_view(view, cacheable))


def has_permission(request: HttpRequest) -> bool:
    # Also here, so that anything in the admin that asks "may this person use the admin?"
    # (the login page's redirect, each_context) gets the same answer as the pages themselves.
    return _has_permission(request) and not staff_without_required_mfa(request)


# Every admin page goes through admin_view, the sign-in page excepted; both are wrapped. These
# instance attributes must be set before admin.site.urls is read below.
admin.site.admin_view = admin_view  # type: ignore[method-assign, assignment]
admin.site.has_permission = has_permission  # type: ignore[method-assign]
# Everyone signs in through allauth (its rate limits, its password reset, its MFA stage), the admin
# included.
admin.site.login = require_staff_mfa(secure_admin_login(admin.site.login))  # type: ignore[method-assign]


@login_not_required
def signup(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Sign-up exists only while it is open (ALLOW_SIGNUP=1); otherwise the page is not there."""
    if not get_adapter(request).is_open_for_signup(request):
        raise Http404
    return account_views.signup(request, *args, **kwargs)


# Only the allauth pages the product needs, under allauth's own URL names so that its views and
# templates find them. Not routed on purpose: email management (addresses change through the
# settings page, with verification), email confirmation, the "inactive account" page (a
# deactivated account gets the same answer as a wrong password), login by code, phone numbers.
account_urls = [
    path("login/", account_views.login, name="account_login"),
    path("logout/", account_views.logout, name="account_logout"),
    path("signup/", signup, name="account_signup"),
    path("reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account_views.password_change, name="account_change_password"),
    # The change page sends anyone without a usable password here; without the route it would 500.
    path("password/set/", account_views.password_set, name="account_set_password"),
    path("password/reset/", account_views.password_reset, name="account_reset_password"),
    path(
        "password/reset/done/",
        account_views.password_reset_done,
        name="account_reset_password_done",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account_views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        account_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    # TOTP, recovery codes, the MFA sign-in stage and its reauthentication.
    path("2fa/", include("allauth.mfa.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("ping/", views.ping, name="ping"),
    path("favicon.ico", views.favicon),
    path("ladder/", include("ladder.urls")),
    path("brag/", include("brag.urls")),
    path("teams/", include("brag.team_urls")),
    path("reviews/", include("reviews.urls")),
    path("settings/", people_views.account_settings, name="settings"),
    path(
        "settings/email/<str:token>/",
        people_views.confirm_email_change,
        name="settings_confirm_email",
    ),
    path("settings/data/", include("portability.urls")),
    path("audit/", include("audit.urls")),
    path("accounts/", include(account_urls)),
    path("admin/", admin.site.urls),
]
