from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from people import views as people_views

from . import views

admin.site.site_header = "Careerladder administration"
admin.site.site_title = "Careerladder admin"
# Everyone signs in through allauth (its rate limits, its password reset), the admin included.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("ladder/", include("ladder.urls")),
    path("brag/", include("brag.urls")),
    path("teams/", include("brag.team_urls")),
    path("reviews/", include("reviews.urls")),
    path("settings/", people_views.account_settings, name="settings"),
    path("settings/data/", include("portability.urls")),
    path("audit/", include("audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
