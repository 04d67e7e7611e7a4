"""Organisation pages: create one, its overview, its members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.people.forms import MemberForm, OrganizationForm
from training.people.models import Membership
from training.people.selectors import (
    groups_visible_to,
    memberships_of,
    organization_summary,
)
from training.people.services import change_role, create_organization, deactivate_member
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
        messages.success(request, _("Your organisation is ready. Create your first class."))
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
        },
    )


@login_required
@org_view(role="admin")
def member_list(request, org, *, membership):
    members = (
        Membership.objects.filter(organization=membership.organization)
        .select_related("user")
        .order_by("-is_active", "user__username")
    )
    return render(
        request,
        "people/member_list.html",
        {"membership": membership, "members": members, "form": MemberForm()},
    )


@login_required
@require_POST
@org_view(role="admin")
def member_update(request, org, member_id, *, membership):
    member = Membership.objects.filter(pk=member_id, organization=membership.organization).first()
    if member is None:
        raise Http404("No such member.")
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
