from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from brag.document import logged_this_week
from careerladder.typing import AuthenticatedRequest


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    # The signed-in person arrives with track, ladder and levels (people/backends.py).
    user = request.user
    prefetch_related_objects([user], "memberships__team")
    return render(
        request,
        "home.html",
        {
            "person": user,
            "managers": user.managers(),
            "reports": user.reports(),
            "teammates": user.teammates(),
            "logged_this_week": logged_this_week(user),
        },
    )


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the real one."""
    return redirect(static("img/favicon.svg"), permanent=True)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: 200 when the app can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def ping(request: AuthenticatedRequest) -> HttpResponse:
    """The fastest signed-in page: the load benchmark's yardstick (docs/performance.md). It runs
    every middleware a real page does (session, sign-in, CSP, headers) and nothing else."""
    return HttpResponse("ok", content_type="text/plain")
