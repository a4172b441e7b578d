from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from careerladder.typing import AuthenticatedRequest
from reviews.todo import todo_list


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    """What waits on me, by the hats I wear; below it where I stand and whom I work with."""
    # The signed-in person arrives with track, ladder and levels (people/backends.py).
    user = request.user
    memberships = list(user.memberships.select_related("team"))
    reports = list(user.reports())
    return render(
        request,
        "home.html",
        {
            "person": user,
            "todo": todo_list(user, memberships, reports),
            "memberships": memberships,
            "managers": list(user.managers()),
            "reports": reports,
            "teammates": list(user.teammates()),
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
