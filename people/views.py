from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from careerladder.typing import AuthenticatedRequest

from .email_change import EmailChangeError, apply_change, check_change, send_verification
from .forms import AccountSettingsForm, EmailChangeForm

EMAIL_FORM = "email"  # the value of the hidden "form" field that says which form was posted


@require_http_methods(["GET", "POST"])
def account_settings(request: AuthenticatedRequest) -> HttpResponse:
    # An empty POST is still a POST: it is checked (and refused), never shown as a fresh page.
    posted = request.POST if request.method == "POST" else None
    which = posted.get("form") if posted is not None else None
    form = AccountSettingsForm(
        posted if posted is not None and which != EMAIL_FORM else None, instance=request.user
    )
    email_form = EmailChangeForm(
        posted if which == EMAIL_FORM else None, user=request.user, request=request
    )
    if posted is not None and which == EMAIL_FORM and email_form.is_valid():
        new_email = email_form.cleaned_data["new_email"]
        send_verification(request, request.user, new_email)
        messages.success(
            request,
            f"We sent a link to {new_email}. Your address changes when you follow it "
            "(signed in as you).",
        )
        return redirect("settings")
    if posted is not None and which != EMAIL_FORM and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("settings")
    context = {
        "form": form,
        "email_form": email_form,
        "email_form_value": EMAIL_FORM,
        "authenticator_types": set(
            Authenticator.objects.filter(user=request.user).values_list("type", flat=True)
        ),
    }
    invalid = form.errors or email_form.errors
    return render(request, "people/settings.html", context, status=422 if invalid else 200)


@require_http_methods(["GET", "POST"])
def confirm_email_change(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """The link from the verification mail: shows the change, and makes it on POST (a GET must
    not change anything: mail scanners follow links)."""
    try:
        change = check_change(token, request.user)
        if request.method == "POST":
            change = apply_change(token, request.user)
            messages.success(request, f"Your email address is now {change.new_email}.")
            return redirect("settings")
    except EmailChangeError as refused:
        return render(request, "people/confirm_email.html", {"problem": str(refused)}, status=400)
    return render(request, "people/confirm_email.html", {"change": change})
