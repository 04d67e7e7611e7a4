"""Invitations by e-mail: admins invite and revoke at /orgs/<org>/invitations/; the invited
person answers at /invitations/<token>/."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from awareness.lib.throttling import throttle_posts
from training.people.models import Group, Membership, Role
from training.people.selectors import (
    account_problem,
    groups_visible_to,
    invitation_by_token,
    invitation_for,
    invitations_of,
    link_problem,
)
from training.people.services import (
    accept_invitation,
    decline_invitation,
    invite,
    revoke_invitation,
)
from training.people.views.gates import org_view

INVITATIONS_PER_PAGE = 50


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), initial=Role.LEARNER)
    group = forms.ModelChoiceField(queryset=Group.objects.none(), required=False)

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        # Only an owner may make owners; the service refuses it too.
        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            if value != Role.OWNER or membership.role == Role.OWNER
        ]
        self.fields["group"].queryset = groups_visible_to(membership)
        self.fields["group"].label = capfirst(membership.organization.group_word)
        self.fields["group"].empty_label = _("None")
        self.fields["group"].help_text = _("Optional: they are added to it when they accept.")


@login_required
@org_view(role="admin")
def invitation_list(request, org, *, membership):
    form = InvitationForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invite(
                membership,
                **form.cleaned_data,
                base_url=request.build_absolute_uri("/"),
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitation_list", org)
    page = Paginator(invitations_of(membership), INVITATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/invitation_list.html",
        {"membership": membership, "form": form, "page": page, "now": timezone.now()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@org_view(role="admin")
def invitation_revoke(request, org, invitation_id, *, membership):
    invitation = invitation_for(membership, invitation_id)
    try:
        revoke_invitation(membership, invitation, timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s no longer works.") % {"email": invitation.email}
        )
    return redirect("invitation_list", org)


@never_cache
@throttle_posts("invitation-response", "RATELIMIT_INVITATION_RESPONSE")
def invitation_respond(request, token):
    invitation = invitation_by_token(token)
    now = timezone.now()
    problem = link_problem(invitation, now)
    if problem:
        return render(
            request,
            "people/invitation_respond.html",
            {"invitation": invitation, "problem": problem},
            status=410,
        )
    action = request.POST.get("action")
    if action == "accept" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    error = ""
    try:
        if action == "accept":
            member = accept_invitation(token, request.user, now)
            messages.success(
                request,
                _("Welcome to %(organization)s. You are now a member as %(role)s.")
                % {"organization": member.organization.name, "role": member.get_role_display()},
            )
            return redirect("organization_home", member.organization.slug)
        if action == "decline":
            decline_invitation(token, now)
            messages.info(
                request,
                _("You declined the invitation from %(organization)s. The link no longer works.")
                % {"organization": invitation.organization.name},
            )
            return redirect("home")
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    return render(
        request,
        "people/invitation_respond.html",
        {
            "invitation": invitation,
            "error": error,
            "account_problem": request.user.is_authenticated
            and account_problem(invitation, request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


org_urlpatterns = [
    path("", invitation_list, name="invitation_list"),
    path("<int:invitation_id>/revoke/", invitation_revoke, name="invitation_revoke"),
]
public_urlpatterns = [
    path("<str:token>/", invitation_respond, name="invitation_respond"),
]
