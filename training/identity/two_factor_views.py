"""Two-factor pages at /accounts/two-factor/: set up an authenticator app (QR code and the
secret as text), then confirm it's you with its code or a recovery code."""

import base64

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from training.identity.forms import SecondFactorForm, TwoFactorPolicyForm
from training.identity.gates import note_two_factor_orgs, safe_next
from training.identity.services import (
    check_second_factor,
    confirm_authenticator,
    forget_authenticator,
    has_second_factor,
    pending_authenticator,
    set_two_factor_policy,
)
from training.identity.services.oidc import require_owner
from training.people.views.gates import org_view


@never_cache
@login_required
def two_factor(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = SecondFactorForm(request.POST or None)
    if has_second_factor(request.user):
        return _verify(request, form, next_url)
    device = pending_authenticator(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = confirm_authenticator(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            otp_login(request, device)
            return render(
                request, "identity/recovery_codes.html", {"codes": codes, "next": next_url or "/"}
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "identity/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr": segno.make(device.config_url, error="m").svg_inline(
                scale=5, title=_("QR code for your authenticator app")
            ),
        },
        status=400 if form.errors else 200,
    )


def _verify(request, form, next_url):
    if request.method == "POST" and form.is_valid():
        try:
            device = check_second_factor(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                return render(
                    request,
                    "identity/recovery_used.html",
                    {"left": device.token_set.count(), "next": next_url or "/"},
                )
            return redirect(next_url or "home")
    return render(
        request,
        "identity/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def new_authenticator(request):
    """After a recovery code (a lost phone): remove the old app and set up a new one."""
    if not request.user.is_verified():
        return redirect("two_factor")
    forget_authenticator(request.user)
    return redirect("two_factor")


@login_required
@require_POST
@org_view()
def two_factor_policy(request, org, *, membership):
    require_owner(membership)
    form = TwoFactorPolicyForm(request.POST)
    if form.is_valid():
        set_two_factor_policy(membership, **form.cleaned_data, now=timezone.now())
        note_two_factor_orgs(None, request, request.user)  # the owner's own session at once
    return redirect("sign_in_settings", org)


urlpatterns = [
    path("", two_factor, name="two_factor"),
    path("new-authenticator/", new_authenticator, name="new_authenticator"),
]
