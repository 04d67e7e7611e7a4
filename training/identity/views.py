"""Single sign-on pages: an owner connects the organisation's provider at /orgs/<org>/sign-in/;
anyone starts at /accounts/sso/ with their work address (domain discovery)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from awareness.lib.throttling import throttle_posts
from training.identity.forms import OidcSettingsForm, SsoAddressForm, TwoFactorPolicyForm
from training.identity.models import SsoConnection, TwoFactorPolicy
from training.identity.oidc import SsoCallback, SsoStart
from training.identity.selectors import sso_connection_of, sso_start_url_for_address
from training.identity.services import configure_oidc
from training.identity.services.oidc import require_owner
from training.identity.two_factor_views import two_factor_policy
from training.people.views.gates import org_view


@throttle_posts("login", "RATELIMIT_LOGIN")
def sso_sign_in(request):
    """Type a work address; an address on a domain with single sign-on goes to its provider."""
    form = SsoAddressForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if target := sso_start_url_for_address(request, form.cleaned_data["email"]):
            return redirect(target)
        form.add_error(
            "email",
            _("No organisation signs in this address with single sign-on. Log in with your "
              "password instead."),
        )  # fmt: skip
    if form.errors:
        status = 400
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(
        request, "identity/sso_sign_in.html", {"form": form, "next": next_url}, status=status
    )


def sso_continue(request, org):
    """A page of ours between a sign-in form and the provider: the form's CSP (form-action
    'self') would block a redirect chain from the form to another site."""
    connection = sso_connection_of(org)
    query = request.GET.urlencode()
    target = reverse("sso_oidc_start", args=[org]) + (f"?{query}" if query else "")
    return render(
        request,
        "identity/sso_continue.html",
        {"target": target, "organization": connection.organization},
    )


@never_cache
@login_required
@org_view()
def sign_in_settings(request, org, *, membership):
    require_owner(membership)
    connection = SsoConnection.objects.filter(organization=membership.organization).first()
    shown = ("issuer", "client_id", "default_role", "department_claim", "require_sso")
    initial = {field: getattr(connection, field) for field in shown} if connection else {}
    if connection is not None:
        initial["break_glass_owner"] = connection.break_glass_owner
    form = OidcSettingsForm(
        request.POST or None,
        initial=initial,
        organization=membership.organization,
        has_secret=connection is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            configure_oidc(membership, **form.cleaned_data, now=timezone.now())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Single sign-on settings saved."))
            return redirect("sign_in_settings", org)
    return render(
        request,
        "identity/sign_in_settings.html",
        {
            "membership": membership,
            "form": form,
            "connection": connection,
            "redirect_uri": request.build_absolute_uri(reverse("sso_oidc_callback")),
            "policy_form": TwoFactorPolicyForm(
                initial={
                    "required_for_staff": TwoFactorPolicy.objects.filter(
                        organization=membership.organization, required_for_staff=True
                    ).exists()
                }
            ),
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("", sso_sign_in, name="sso_sign_in"),
    path("oidc/callback/", SsoCallback.as_view(), name="sso_oidc_callback"),
    path("oidc/<slug:org>/", SsoStart.as_view(), name="sso_oidc_start"),
    path("<slug:org>/", sso_continue, name="sso_continue"),
]
org_urlpatterns = [
    path("", sign_in_settings, name="sign_in_settings"),
    path("two-factor/", two_factor_policy, name="two_factor_policy"),
]
