"""The personal download: everything a person may read about themselves, as JSON."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from careerladder.typing import AuthenticatedRequest

from .personal import personal_data


@require_GET
@never_cache
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    response = JsonResponse(
        personal_data(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    day = timezone.localdate(timezone=request.user.zone).isoformat()
    response["Content-Disposition"] = f'attachment; filename="careerladder-my-data-{day}.json"'
    return response
