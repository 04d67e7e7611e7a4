"""Organisation pages: create one, its overview, its members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.people.forms import ChildAgeLimitForm, MemberFilters, MemberForm, OrganizationForm
from training.people.member_list import MemberPage, members_page
from training.people.onboarding import setup_checklist
from training.people.selectors import (
    groups_visible_to,
    member_for,
    memberships_of,
    organization_summary,
)
from training.people.services import change_role, create_organization, deactivate_member
from training.people.services.organizations import set_child_age_limit
from training.people.services.sign_in import send_set_up_link
from training.people.views.gates import org_view


@login_required
def organization_list(request):
    return render(
        request, "people/organization_list.html", {"memberships": memberships_of(request.user)}
    )


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = create_organization(request.user, **form.cleaned_data)
        messages.success(
            request, _("Your organisation is ready. The checklist below walks you through it.")
        )
        return redirect("organization_home", membership.organization.slug)
    status = 400 if form.errors else 200
    return render(request, "people/organization_create.html", {"form": form}, status=status)


@login_required
@org_view()
def organization_home(request, org, *, membership):
    return render(
        request,
        "people/organization_home.html",
        {
            "membership": membership,
            "groups": groups_visible_to(membership).select_related("leader__user"),
            "summary": organization_summary(membership.organization),
            "checklist": setup_checklist(membership.organization) if membership.is_admin else [],
        },
    )


@login_required
@org_view(role="admin")
def organization_settings(request, org, *, membership):
    """What the menu leaves out for this kind of organisation, the rarely used pages, and a
    school's age below which learners get pseudonymous accounts."""
    organization = membership.organization
    form = ChildAgeLimitForm(
        request.POST or None, initial={"child_age_limit": organization.child_age_limit}
    )
    if request.method == "POST" and form.is_valid():
        set_child_age_limit(membership, age=form.cleaned_data["child_age_limit"])
        messages.success(request, _("The age for children's accounts is saved."))
        return redirect("organization_settings", org=organization.slug)
    return render(
        request,
        "people/organization_settings.html",
        {"membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def member_list(request, org, *, membership):
    filters = MemberFilters(request.GET, groups=groups_visible_to(membership).order_by("name"))
    if filters.is_valid():
        page = members_page(
            membership,
            **{k: v for k, v in filters.cleaned_data.items() if k != "q"},
            search=filters.cleaned_data["q"],
        )
    else:
        page = MemberPage([], None)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "people/member_list.html",
        {
            "membership": membership,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "roles": MemberForm.base_fields["role"].choices,
        },
        status=200 if filters.is_valid() else 400,
    )


@login_required
@require_POST
@org_view(role="admin")
def member_set_up_link(request, org, member_id, *, membership):
    """Send a member who has not signed in yet a new set-up link (the old one stops working)."""
    member = member_for(membership, member_id)
    try:
        send_set_up_link(
            member,
            now=timezone.now(),
            actor=membership,
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new set-up link is on its way to %(email)s.") % {"email": member.user.email},
        )
    return redirect(request.POST.get("back") or reverse("member_list", args=[org]))


@login_required
@require_POST
@org_view(role="admin")
def member_update(request, org, member_id, *, membership):
    member = member_for(membership, member_id)
    try:
        if request.POST.get("action") == "deactivate":
            deactivate_member(membership, member)
            messages.success(request, _("%(name)s no longer has access.") % {"name": member.user})
        else:
            form = MemberForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a role from the list."))
            change_role(membership, member, role=form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("member_list", org)
