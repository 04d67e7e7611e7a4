"""E-mailed links that let a person in without a password they were never told: a set-up link
for a new account (invited or imported), and a short-lived sign-in link on request. Each works
once; only its hash is stored."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from awareness.lib.tokens import hash_token
from awareness.safety.services import record_audit
from training.people.models import LinkPurpose, Membership, SignInLink, User
from training.people.sign_in import password_refusal

SET_UP_LIFETIME = timedelta(days=7)
SIGN_IN_LIFETIME = timedelta(minutes=15)
# Sign-in links one address may be sent in SIGN_IN_LIFETIME: more requests are ignored
# silently, as for an unknown address, so the answer never tells who has an account.
SIGN_IN_LINKS_PER_WINDOW = 3


def _issue(user: User, purpose: str, now: datetime, *, next_path: str = "") -> str:
    """A new link's token (returned once). A new set-up link voids the earlier ones."""
    if purpose == LinkPurpose.SET_UP:
        SignInLink.objects.filter(
            user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    lifetime = SET_UP_LIFETIME if purpose == LinkPurpose.SET_UP else SIGN_IN_LIFETIME
    SignInLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=hash_token(token),
        next_path=next_path,
        created_at=now,
        expires_at=now + lifetime,
    )
    return token


def issue_set_up_token(user: User, now: datetime) -> str:
    return _issue(user, LinkPurpose.SET_UP, now)


def _send(user: User, template: str, context: dict) -> None:
    """A multipart mail in the person's own language, greeting them by first name."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "name": user.greeting_name, **context}
        subject = " ".join(
            render_to_string(f"people/email/{template}_subject.txt", context).split()
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"people/email/{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string(f"people/email/{template}.html", context), "text/html"
        )
    message.send()


def site_link(name: str, token: str, base_url: str = "") -> str:
    """A link on this site: under the address the request came to, or SITE_URL from a task."""
    return (base_url or settings.SITE_URL).rstrip("/") + reverse(name, args=[token])


def can_use_links(user: User) -> bool:
    """Classroom accounts have no e-mail: their teacher resets their password instead."""
    return bool(user.email) and user.is_active and not user.is_pseudonymous


@transaction.atomic
def send_set_up_link(
    member: Membership, *, now: datetime, actor: Membership | None = None, base_url: str = ""
) -> None:
    """E-mail a new member the link that sets up their account (after commit)."""
    user = member.user
    if not can_use_links(user):
        raise ValidationError(_("This account has no e-mail address to send a link to."))
    if member.activated_at is not None:
        raise ValidationError(
            _("%(name)s has already signed in: they need no set-up link.")
            % {"name": user.get_full_name() or user.email}
        )
    token = _issue(user, LinkPurpose.SET_UP, now)
    record_audit(
        actor=actor.user if actor else None,
        organization=member.organization,
        action="account.set_up_link_sent",
        target=member,
    )
    context = {
        "organization": member.organization,
        "link": site_link("account_set_up", token, base_url),
        "days": SET_UP_LIFETIME.days,
    }
    transaction.on_commit(lambda: _send(user, "set_up", context), robust=True)


def send_set_up_links(organization_id: int, user_ids: list[int], *, now: datetime) -> int:
    """Set-up links for people an import added, once each: whoever already has a link or has
    signed in is skipped, so running this twice sends nothing twice."""
    members = (
        Membership.objects.filter(
            organization_id=organization_id,
            user_id__in=user_ids,
            is_active=True,
            activated_at__isnull=True,
            user__last_login__isnull=True,
        )
        .exclude(user__sign_in_links__purpose=LinkPurpose.SET_UP)
        .select_related("user", "organization")
    )
    sent = 0
    for member in members:
        if can_use_links(member.user):
            send_set_up_link(member, now=now)
            sent += 1
    return sent


def request_sign_in_link(email: str, *, next_path: str, now: datetime, base_url: str = "") -> None:
    """E-mail a sign-in link if the address belongs to an account that may use one. Unknown
    addresses, classroom accounts and addresses past their limit get no mail and the same
    answer."""
    user = User.objects.filter(email__iexact=email.strip()).exclude(email="").first()
    if user is None or not can_use_links(user) or password_refusal(user):
        return
    recent = SignInLink.objects.filter(
        user=user, purpose=LinkPurpose.SIGN_IN, created_at__gt=now - SIGN_IN_LIFETIME
    ).count()
    if recent >= SIGN_IN_LINKS_PER_WINDOW:
        return
    with transaction.atomic():
        token = _issue(user, LinkPurpose.SIGN_IN, now, next_path=next_path)
        context = {
            "link": site_link("sign_in_link_open", token, base_url),
            "minutes": int(SIGN_IN_LIFETIME.total_seconds() // 60),
        }
        transaction.on_commit(lambda: _send(user, "sign_in_link", context), robust=True)


def link_problem(token: str, purpose: str, now: datetime) -> str:
    """Why a link cannot be used, in words for the person holding it ("" if it can)."""
    link = (
        SignInLink.objects.filter(token_hash=hash_token(token), purpose=purpose)
        .select_related("user")
        .first()
    )
    if link is None or not link.user.is_active:
        return _("This link is not valid. Check that you copied all of it, or ask for a new one.")
    if link.used_at is not None:
        return _("This link has already been used. Each link works once: ask for a new one.")
    if link.expires_at <= now:
        return _("This link has expired. Ask for a new one.")
    # An organisation that requires single sign-on refuses links as it refuses passwords.
    return password_refusal(link.user) or ""


def link_holder(token: str, purpose: str) -> SignInLink | None:
    return (
        SignInLink.objects.filter(token_hash=hash_token(token), purpose=purpose)
        .select_related("user")
        .first()
    )


def _redeem(token: str, purpose: str, now: datetime) -> SignInLink:
    """Single use: only the request whose UPDATE marks the link used goes on."""
    problem = link_problem(token, purpose, now)
    if problem:
        raise ValidationError(problem)
    claimed = SignInLink.objects.filter(
        token_hash=hash_token(token), purpose=purpose, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        raise ValidationError(link_problem(token, purpose, now) or _("This link cannot be used."))
    return link_holder(token, purpose)


@transaction.atomic
def set_up_account(token: str, *, password: str, now: datetime) -> User:
    """Use a set-up link: with a password it becomes the account's password; without one the
    person signs in with e-mailed links. A password the validators refuse changes nothing."""
    link = link_holder(token, LinkPurpose.SET_UP)
    if password and link is not None:
        validate_password(password, user=link.user)
    link = _redeem(token, LinkPurpose.SET_UP, now)
    user = link.user
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    for member in Membership.objects.filter(user=user).select_related("organization"):
        record_audit(
            actor=user, organization=member.organization, action="account.set_up", target=member
        )
    return user


@transaction.atomic
def use_sign_in_link(token: str, *, now: datetime) -> SignInLink:
    """Use a sign-in link; the caller signs the returned link's user in."""
    return _redeem(token, LinkPurpose.SIGN_IN, now)


def note_sign_in(user: User, now: datetime) -> None:
    """A member who signs in for the first time is activated in each of their organisations."""
    Membership.objects.filter(user=user, activated_at__isnull=True).update(activated_at=now)
