"""Invitations by e-mail: a single-use link that makes the invited address a member in a role."""

import secrets
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from awareness.lib.tokens import hash_token
from awareness.safety.services import record_audit
from training.people.models import (
    Group,
    Invitation,
    InvitationStatus,
    Membership,
    Organization,
    Role,
)
from training.people.selectors import (
    account_problem,
    invitation_by_token,
    link_problem,
    require_admin,
)

INVITATION_LIFETIME = timedelta(days=7)


@transaction.atomic
def invite(
    actor: Membership,
    *,
    email: str,
    role: str,
    group: Group | None = None,
    base_url: str,
    now: datetime,
) -> tuple[Invitation, str]:
    """Invite an address and e-mail it the link after commit. Returns the token once: only
    its hash is stored. An earlier pending invitation to the address stops working."""
    require_admin(actor)
    email = BaseUserManager.normalize_email(email.strip())
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ValidationError({"role": _("Only an owner can invite someone as an owner.")})
    if group is not None and group.organization_id != actor.organization_id:
        raise ValidationError({"group": _("This group is not part of your organisation.")})
    # Lock the organisation so two invitations to one address cannot both stay pending.
    organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
    if organization.memberships.filter(is_active=True, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is already a member of %(organization)s. Change their role on "
                    "the members page instead."
                )
                % {"email": email, "organization": organization.name}
            }
        )
    organization.invitations.filter(email__iexact=email, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED, responded_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        group=group,
        token_hash=hash_token(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    record_audit(
        actor=actor.user,
        organization=organization,
        action="invitation.sent",
        target=invitation,
        details={"role": role, "group": group.pk if group else None},
    )
    link = base_url.rstrip("/") + reverse("invitation_respond", args=[token])
    transaction.on_commit(
        partial(send_invitation_email, invitation, link, translation.get_language()), robust=True
    )
    return invitation, token


def send_invitation_email(invitation: Invitation, link: str, language: str | None) -> None:
    """The e-mail, in the inviter's language; it asks for nothing but a click on our own site."""
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.invited_by.user.get_full_name()
        or invitation.invited_by.user.get_username(),
        "link": link,
    }
    with translation.override(language):
        context["LANGUAGE_CODE"] = translation.get_language()
        subject = render_to_string("people/invitation_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("people/invitation_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("people/invitation_email.html", context), "text/html"
        )
    message.send()


def _refuse_unless_usable(invitation: Invitation, now: datetime) -> None:
    problem = link_problem(invitation, now)
    if problem:
        raise ValidationError(problem)


def _claim(invitation: Invitation, now: datetime, **changes) -> None:
    """Single use: only the request whose UPDATE moves the row out of pending goes on."""
    claimed = Invitation.objects.filter(
        pk=invitation.pk, status=InvitationStatus.PENDING, expires_at__gt=now
    ).update(responded_at=now, **changes)
    if claimed != 1:
        invitation.refresh_from_db(fields=["status", "expires_at"])
        _refuse_unless_usable(invitation, now)
        raise ValidationError(_("This invitation can no longer be used."))
    invitation.responded_at = now
    for field, value in changes.items():
        setattr(invitation, field, value)


@transaction.atomic
def accept_invitation(token: str, user, now: datetime) -> Membership:
    """Make the invited account a member in the invited role (and group); an ended
    membership is reactivated."""
    invitation = invitation_by_token(token)
    _refuse_unless_usable(invitation, now)
    problem = account_problem(invitation, user)
    if problem:
        raise ValidationError(problem)
    member = Membership.objects.filter(organization=invitation.organization, user=user).first()
    if member is not None and member.is_active:
        raise ValidationError(
            _(
                "You are already a member of %(organization)s. Ask its administrators to "
                "change your role if it should be different."
            )
            % {"organization": invitation.organization.name}
        )
    _claim(invitation, now, status=InvitationStatus.ACCEPTED, accepted_by=user)
    if member is None:
        member = Membership.objects.create(
            organization=invitation.organization, user=user, role=invitation.role
        )
    else:
        member.role, member.is_active = invitation.role, True
        member.save(update_fields=["role", "is_active"])
    if invitation.group is not None:
        invitation.group.members.add(member)
    record_audit(
        actor=user,
        organization=invitation.organization,
        action="invitation.accepted",
        target=invitation,
        details={"role": invitation.role},
    )
    return member


@transaction.atomic
def decline_invitation(token: str, now: datetime) -> Invitation:
    """Anyone holding the link may turn it down: it then works for nobody."""
    invitation = invitation_by_token(token)
    _refuse_unless_usable(invitation, now)
    _claim(invitation, now, status=InvitationStatus.DECLINED)
    record_audit(
        organization=invitation.organization, action="invitation.declined", target=invitation
    )
    return invitation


@transaction.atomic
def revoke_invitation(actor: Membership, invitation: Invitation, now: datetime) -> Invitation:
    require_admin(actor)
    if invitation.organization_id != actor.organization_id:
        raise PermissionDenied
    revoked = Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED, responded_at=now
    )
    if revoked != 1:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.status, invitation.responded_at = InvitationStatus.REVOKED, now
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="invitation.revoked",
        target=invitation,
    )
    return invitation
