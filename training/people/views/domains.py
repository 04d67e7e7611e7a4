"""Verified domains: admins add, prove and remove their organisation's mail domains at
/orgs/<org>/domains/; a domain administrator confirms an e-mailed link at
/domain-verification/<token>/."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from awareness.lib.throttling import throttle_posts
from training.people.domains import display_domain
from training.people.forms import DomainForm, MailboxForm
from training.people.selectors import domain_for, domains_of
from training.people.services import (
    add_domain,
    check_dns,
    confirm_domain_link,
    remove_domain,
    send_domain_link,
)
from training.people.services.domains import DomainLinkError, domain_for_link
from training.people.views.gates import org_view


@login_required
@org_view(role="admin")
def domain_list(request, org, *, membership):
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified_domain = add_domain(membership, **form.cleaned_data, now=timezone.now())
        except ValidationError as error:
            form.add_error(None, error)  # {"domain": ...} lands on the field
        else:
            messages.success(
                request,
                _("%(domain)s added. Now prove that it is yours.")
                % {"domain": display_domain(verified_domain.domain)},
            )
            return redirect("domain_detail", org, verified_domain.pk)
    return render(
        request,
        "people/domains/list.html",
        {"membership": membership, "form": form, "domains": list(domains_of(membership))},
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def domain_detail(request, org, domain_id, *, membership):
    verified_domain = domain_for(membership, domain_id)
    return render(
        request,
        "people/domains/detail.html",
        {
            "membership": membership,
            "domain": verified_domain,
            "name": display_domain(verified_domain.domain),
            "mailbox_form": MailboxForm(domain=verified_domain.display_name),
            "link_hours": settings.DOMAIN_LINK_HOURS,
        },
    )


@login_required
@require_POST
@throttle_posts("domain-check", "RATELIMIT_DOMAIN_CHECK")
@org_view(role="admin")
def domain_check(request, org, domain_id, *, membership):
    verified_domain = domain_for(membership, domain_id)
    try:
        if check_dns(membership, verified_domain, timezone.now()):
            messages.success(
                request,
                _("%(domain)s is verified. Simulations can now reach addresses there.")
                % {"domain": display_domain(verified_domain.domain)},
            )
            return redirect("domain_list", org)
        # The reason is on the domain's page (check_problem), where the record is shown.
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("domain_detail", org, verified_domain.pk)


@login_required
@require_POST
@throttle_posts("domain-check", "RATELIMIT_DOMAIN_CHECK")
@org_view(role="admin")
def domain_send_link(request, org, domain_id, *, membership):
    verified_domain = domain_for(membership, domain_id)
    form = MailboxForm(request.POST, domain=verified_domain.domain)
    if not form.is_valid():
        messages.error(request, _("Choose one of the administrator addresses."))
        return redirect("domain_detail", org, verified_domain.pk)
    try:
        address = send_domain_link(
            membership,
            verified_domain,
            mailbox=form.cleaned_data["mailbox"],
            base_url=request.build_absolute_uri("/"),
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "A verification link is on its way to %(address)s. Whoever reads that mailbox "
                "opens it and confirms; it works for %(hours)s hours."
            )
            % {"address": address, "hours": settings.DOMAIN_LINK_HOURS},
        )
    return redirect("domain_detail", org, verified_domain.pk)


@login_required
@require_POST
@org_view(role="admin")
def domain_remove(request, org, domain_id, *, membership):
    verified_domain = domain_for(membership, domain_id)
    remove_domain(membership, verified_domain)
    messages.success(
        request,
        _("%(domain)s removed. No new simulation can reach addresses there.")
        % {"domain": display_domain(verified_domain.domain)},
    )
    return redirect("domain_list", org)


@never_cache
@throttle_posts("domain-confirm", "RATELIMIT_DOMAIN_CHECK")
def domain_confirm(request, token):
    """Anyone holding the e-mailed link may confirm: GET shows what they confirm, POST does."""
    try:
        verified_domain = domain_for_link(token)
    except DomainLinkError as problem:
        return render(request, "people/domains/confirm.html", {"problem": str(problem)}, status=410)
    context = {
        "domain": verified_domain,
        "name": display_domain(verified_domain.domain),
        "organization": verified_domain.organization,
    }
    if request.method == "POST" and not verified_domain.is_verified:
        try:
            confirm_domain_link(token, request.user, timezone.now())
        except (ValidationError, DomainLinkError) as error:
            context["error"] = (
                " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            )
            return render(request, "people/domains/confirm.html", context, status=409)
        context["confirmed"] = True
    return render(request, "people/domains/confirm.html", context)


org_urlpatterns = [
    path("", domain_list, name="domain_list"),
    path("<int:domain_id>/", domain_detail, name="domain_detail"),
    path("<int:domain_id>/check/", domain_check, name="domain_check"),
    path("<int:domain_id>/send/", domain_send_link, name="domain_send_link"),
    path("<int:domain_id>/remove/", domain_remove, name="domain_remove"),
]
public_urlpatterns = [
    path("<str:token>/", domain_confirm, name="domain_confirm"),
]
