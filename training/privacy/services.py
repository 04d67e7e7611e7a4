"""A person's own data: downloaded whole, or deleted leaving no row about them. Learners act
for themselves; an organisation's admins (and a class's educator) act for members who belong
to that organisation only."""

from datetime import datetime
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awareness.safety.models import AuditEvent
from awareness.safety.services.audit import record_audit
from training.people.models import Membership, Role, RosterImport, User
from training.privacy.selectors import (
    audit_targets,
    invitations_to,
    personal_data,
    removal_requests_by,
)


def export_personal_data(person: User, *, actor: User, organization=None) -> dict:
    """Everything held about `person`. The download is audited first, so it lists itself."""
    with transaction.atomic():
        record_audit(
            actor=actor, organization=organization, action="personal_data.exported", target=person
        )
    return personal_data(person)


def _require_only_this_organization(member: Membership) -> None:
    """An organisation speaks only for people it alone holds: anyone else decides for
    themselves, from their own account."""
    if (
        Membership.objects.filter(user_id=member.user_id)
        .exclude(organization_id=member.organization_id)
        .exists()
    ):
        raise ValidationError(
            _(
                "%(name)s also belongs to another organisation, so only they can download or "
                "delete their account. End their access here instead."
            )
            % {"name": member.user.get_username()}
        )


def export_member_data(actor: Membership, member: Membership) -> dict:
    _require_only_this_organization(member)
    return export_personal_data(member.user, actor=actor.user, organization=actor.organization)


@transaction.atomic
def delete_member_account(actor: Membership, member: Membership, *, now: datetime) -> None:
    """An organisation deletes the account of one of its own: a pupil's classroom account."""
    if member.user_id == actor.user_id:
        raise ValidationError(_("Delete your own account from your account page."))
    if member.role == Role.OWNER:
        raise ValidationError(_("An owner's account cannot be deleted by others."))
    _require_only_this_organization(member)
    delete_account(member.user, actor=actor.user, organization=actor.organization, now=now)


@transaction.atomic
def delete_own_account(person: User, *, password: str, now: datetime) -> None:
    """Confirmed with the password. Classroom accounts are deleted by their educator."""
    if person.is_pseudonymous:
        raise ValidationError(
            _("Classroom accounts are deleted by your teacher. Ask them to delete it.")
        )
    if not person.has_usable_password():
        raise ValidationError(
            _(
                "Your account has no password yet. Set one with “Forgot your password?” on "
                "the log-in page, or ask your organisation to delete your account."
            )
        )
    if not person.check_password(password):
        raise ValidationError(_("That is not your password. Nothing was deleted."))
    delete_account(person, actor=person, now=now)


def delete_account(person: User, *, actor: User, organization=None, now: datetime) -> None:
    """Delete the account and every row about the person. The audit log keeps what happened,
    without who it was about."""
    record_audit(
        actor=actor,
        organization=organization,
        action="account.deleted",
        target=person,
        details={"by": "self" if actor.pk == person.pk else "organisation"},
    )
    _forget_in_audit_log(person)
    removal_requests_by(person).update(filed_by=None, contact_email="", details="")
    invitations_to(person).delete()
    _forget_in_rosters(person)
    _forget_sign_ins(person, now)
    person.certificates.all().delete()  # they keep their attempt from a cascading delete
    person.delete()


def _forget_in_audit_log(person: User) -> None:
    AuditEvent.objects.filter(audit_targets(person))._forget_person(target_id="", target_label="")
    AuditEvent.objects.filter(actor=person)._forget_person(actor=None)


def _forget_in_rosters(person: User) -> None:
    """Roster files keep the rows they imported: drop the person's row and any problem
    quoting their address."""
    if not person.email:
        return
    email = person.email.casefold()
    organizations = person.memberships.values("organization_id")
    for roster in RosterImport.objects.filter(organization_id__in=organizations):
        rows = [row for row in roster.rows if row.get("email", "").casefold() != email]
        problems = [p for p in roster.problems if email not in p.get("message", "").casefold()]
        if (rows, problems) != (roster.rows, roster.problems):
            RosterImport.objects.filter(pk=roster.pk).update(rows=rows, problems=problems)


def _forget_sign_ins(person: User, now: datetime) -> None:
    """Log-in records, admin history about the account, and its open sessions anywhere."""
    username = person.get_username()
    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(username=username).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).delete()
    # Sessions are signed blobs without an index on the user: read the live ones, once.
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            # Through the session engine, so a cached copy goes too.
            import_module(settings.SESSION_ENGINE).SessionStore(session.session_key).delete()
