from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from careerladder.typing import AuthenticatedRequest

from .forms import AccountSettingsForm


@require_http_methods(["GET", "POST"])
def account_settings(request: AuthenticatedRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = AccountSettingsForm(request.POST if posted else None, instance=request.user)
    if posted and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("settings")
    return render(
        request, "people/settings.html", {"form": form}, status=422 if form.errors else 200
    )
