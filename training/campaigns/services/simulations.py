"""Scam simulations: create, approve, launch (through the campaign outbox), track, teach,
close and anonymise. Every safety rule is checked here, whatever page or task calls."""

import functools
import secrets
from datetime import datetime, timedelta
from email.parser import HeaderParser

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awareness.lib.tokens import hash_token
from awareness.safety.services import record_audit
from training.campaigns import signals
from training.campaigns.bulk import insert_new_rows
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignModule,
    CampaignRun,
    CampaignStatus,
    Delivery,
    Landing,
    LureChannel,
    Notification,
    NotificationKind,
    NotificationStatus,
    RunStatus,
    Simulation,
    SimulationPolicy,
    SimulationStatus,
    SimulationTemplate,
)
from training.campaigns.services.lures import check_lure, sanitise_html
from training.people.domains import domain_of_address
from training.people.models import AgeBand, Group, Membership
from training.people.selectors import confirmed_phones, require_admin, verified_domain_names

FOLLOW_UP_DAYS = 14  # time to finish the micro-module a lure enrolled you in
LISTED = 20  # offending addresses named in a refusal; the count covers the rest


def simulation_policy(organization_id: int) -> SimulationPolicy:
    policy, _created = SimulationPolicy.objects.get_or_create(
        organization_id=organization_id,
        defaults={"report_key": secrets.token_urlsafe(24)},
    )
    return policy


def save_template(organization_id: int | None, slug: str, **fields) -> SimulationTemplate:
    """Create or update a lure template; placeholders and links are checked, HTML cleaned."""
    fields["html_body"] = sanitise_html(fields.get("html_body", ""))
    check_lure(
        subject=fields.get("subject", ""),
        html_body=fields["html_body"],
        text_body=fields.get("text_body", ""),
    )
    flags = fields.get("red_flags")
    if not flags or not all(isinstance(flag, str) and flag.strip() for flag in flags):
        raise ValidationError(_("List the lure's red flags, each as a sentence."))
    if fields.get("channel") == LureChannel.EMAIL and not fields.get("subject"):
        raise ValidationError(_("An e-mail lure needs a subject."))
    template, _created = SimulationTemplate.objects.update_or_create(
        organization_id=organization_id, slug=slug, defaults=fields
    )
    return template


def _require_own(actor: Membership, simulation: Simulation) -> None:
    require_admin(actor)
    if simulation.organization_id != actor.organization_id:
        raise PermissionDenied


@transaction.atomic
def create_simulation(
    actor: Membership,
    *,
    template: SimulationTemplate,
    name: str,
    groups: list[Group],
    send_over_hours: int = 4,
    open_days: int = 14,
) -> Simulation:
    """A draft (or, where the organisation asks for it, one waiting for approval)."""
    require_admin(actor)
    if template.organization_id not in (None, actor.organization_id):
        raise ValidationError(_("Choose one of the templates offered."))
    if not groups or any(g.organization_id != actor.organization_id for g in groups):
        raise ValidationError(_("Choose at least one group of your organisation."))
    policy = simulation_policy(actor.organization_id)
    simulation = Simulation.objects.create(
        organization_id=actor.organization_id,
        template=template,
        name=name,
        send_over_hours=send_over_hours,
        open_days=open_days,
        created_by=actor,
        status=SimulationStatus.AWAITING_APPROVAL
        if policy.require_approval
        else SimulationStatus.DRAFT,
    )
    simulation.groups.set(groups)
    _audit(actor, simulation, "simulation.created")
    return simulation


@transaction.atomic
def approve_simulation(actor: Membership, simulation: Simulation) -> Simulation:
    """A second administrator's approval: the creator cannot approve their own."""
    _require_own(actor, simulation)
    if simulation.created_by_id == actor.pk:
        raise ValidationError(_("Another administrator must approve a simulation you created."))
    approved = Simulation.objects.filter(
        pk=simulation.pk,
        status__in=[SimulationStatus.DRAFT, SimulationStatus.AWAITING_APPROVAL],
    ).update(status=SimulationStatus.APPROVED, approved_by=actor)
    if not approved:
        raise ValidationError(_("Only a simulation that has not been launched can be approved."))
    _audit(actor, simulation, "simulation.approved")
    simulation.refresh_from_db()
    return simulation


def refusals(simulation: Simulation, members: list[Membership]) -> list[str]:
    """Why these people may not be targeted, in words; empty when all may be."""
    problems = []
    children = [m for m in members if m.user.age_band != AgeBand.ADULT or m.user.is_pseudonymous]
    outsiders = [m for m in members if m.organization_id != simulation.organization_id]
    if children:
        problems.append(
            ngettext(
                "%(count)d child or classroom account can never be targeted: %(names)s.",
                "%(count)d child or classroom accounts can never be targeted: %(names)s.",
                len(children),
            )
            % {"count": len(children), "names": _names(m.user.username for m in children)}
        )
    if outsiders:
        problems.append(
            ngettext(
                "%(count)d person is not a member of your organisation.",
                "%(count)d people are not members of your organisation.",
                len(outsiders),
            )
            % {"count": len(outsiders)}
        )
    if simulation.template.channel == LureChannel.SMS:
        phones = confirmed_phones(simulation.organization_id)
        unconfirmed = [m for m in members if m.pk not in phones]
        if unconfirmed:
            problems.append(
                ngettext(
                    "%(count)d person has no confirmed phone number: %(names)s.",
                    "%(count)d people have no confirmed phone number: %(names)s.",
                    len(unconfirmed),
                )
                % {
                    "count": len(unconfirmed),
                    "names": _names(m.user.username for m in unconfirmed),
                }
            )
        return problems
    domains = verified_domain_names(simulation.organization_id)
    off_domain = [m.user.email or m.user.username for m in members
                  if _domain(m.user.email) not in domains]  # fmt: skip
    if off_domain:
        problems.append(
            ngettext(
                "%(count)d address is not on your organisation's verified domains: %(names)s.",
                "%(count)d addresses are not on your organisation's verified domains: %(names)s.",
                len(off_domain),
            )
            % {"count": len(off_domain), "names": _names(off_domain)}
        )
    return problems


@functools.lru_cache(maxsize=1024)
def _normalised(raw_domain: str) -> str | None:
    return domain_of_address(f"x@{raw_domain}")


def _domain(email: str) -> str | None:
    """domain_of_address, normalising each distinct domain once (IDNA is slow per address)."""
    local, at, raw_domain = (email or "").strip().rpartition("@")
    return _normalised(raw_domain.lower()) if at and local else None


def _names(names) -> str:
    names = sorted(names)
    shown = ", ".join(names[:LISTED])
    return shown + (" …" if len(names) > LISTED else "")


def launch_simulation(actor: Membership, simulation: Simulation, *, now: datetime) -> Simulation:
    """Queue one lure per person, due times spread over the sending window; the whole launch
    is refused, before anything is queued, if anyone may not be targeted."""
    _require_own(actor, simulation)
    with transaction.atomic():
        simulation = Simulation.objects.select_for_update().get(pk=simulation.pk)
        policy = simulation_policy(simulation.organization_id)
        if policy.require_approval and simulation.status != SimulationStatus.APPROVED:
            raise ValidationError(_("A second administrator must approve it first."))
        if simulation.status not in (SimulationStatus.DRAFT, SimulationStatus.APPROVED):
            raise ValidationError(_("This simulation was already launched or cancelled."))
        targets = _targets(simulation)
        if not targets:
            raise ValidationError(_("Nobody to send to: the chosen groups have no active members."))
        problems = refusals(simulation, [member for member, _group in targets])
        if problems:
            raise ValidationError(problems)
        simulation.follow_up = _follow_up_run(simulation, now)
        simulation.status = SimulationStatus.RUNNING
        simulation.launched_at = now
        simulation.save(update_fields=["follow_up", "status", "launched_at"])
        _queue_lures(simulation, targets, now)
        _audit(actor, simulation, "simulation.launched", people=len(targets))
    return simulation


def _targets(simulation: Simulation) -> list[tuple[Membership, int]]:
    """(membership, one of its groups here) for each active member of the groups, once."""
    seen: dict[int, tuple[Membership, int]] = {}
    rows = (
        Group.members.through.objects.filter(
            group__simulations=simulation, membership__is_active=True
        )
        .select_related("membership__user")
        .order_by("membership_id", "group__name")
    )
    for row in rows:
        seen.setdefault(row.membership_id, (row.membership, row.group_id))
    return list(seen.values())


def _follow_up_run(simulation: Simulation, now: datetime) -> CampaignRun:
    """A campaign with the lure's micro-module and no groups: only the people a teachable
    moment enrols are in it, and they get the usual reminders."""
    template = simulation.template
    campaign = Campaign.objects.create(
        organization_id=simulation.organization_id,
        name=_("%(name)s: follow-up training") % {"name": simulation.name},
        status=CampaignStatus.RUNNING,
        starts_at=now,
        due_days=FOLLOW_UP_DAYS,
        created_by=simulation.created_by,
    )
    CampaignModule.objects.create(
        campaign=campaign, position=0, module_slug=template.module_slug,
        module_title=template.module_slug.replace("-", " ").capitalize(),
    )  # fmt: skip
    return CampaignRun.objects.create(
        campaign=campaign,
        number=1,
        starts_at=now,
        due_at=now + timedelta(days=simulation.open_days + FOLLOW_UP_DAYS),
        status=RunStatus.LAUNCHED,
        launched_at=now,
    )


def _queue_lures(simulation: Simulation, targets, now: datetime) -> None:
    """Deliveries, then their outbox rows, each in one bulk insert (COPY on PostgreSQL)."""
    step = timedelta(hours=simulation.send_over_hours) / len(targets)
    insert_new_rows(
        Delivery,
        ["simulation", "membership", "group", "message_ref", "due_at"],
        (
            (simulation.pk, member.pk, group_id, secrets.token_hex(16), now + step * position)
            for position, (member, group_id) in enumerate(targets)
        ),
    )
    # Read in full first: nothing else may run on the connection while COPY writes.
    deliveries = list(
        Delivery.objects.filter(simulation=simulation).values_list("pk", "membership_id", "due_at")
    )
    insert_new_rows(
        Notification,
        ["key", "organization", "membership", "delivery", "kind", "status", "not_before",
         "attempts", "last_error"],
        (
            (f"lure:{pk}", simulation.organization_id, member, pk, NotificationKind.LURE,
             NotificationStatus.PENDING, due_at, 0, "")
            for pk, member, due_at in deliveries
        ),
    )  # fmt: skip


@transaction.atomic
def cancel_simulation(actor: Membership, simulation: Simulation) -> Simulation:
    """Stops every lure not yet sent; what happened so far stays in the results."""
    _require_own(actor, simulation)
    changed = Simulation.objects.filter(
        pk=simulation.pk, status__in=[s for s in SimulationStatus if s not in _ENDED]
    ).update(status=SimulationStatus.CANCELLED, closed_at=timezone.now())
    if changed:
        Notification.objects.filter(
            delivery__simulation=simulation,
            status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING],
        ).update(status=NotificationStatus.CANCELLED)
        _audit(actor, simulation, "simulation.cancelled")
    simulation.refresh_from_db()
    return simulation


_ENDED = (SimulationStatus.CLOSED, SimulationStatus.CANCELLED)


def _audit(actor: Membership, simulation: Simulation, action: str, **details) -> None:
    record_audit(
        actor=actor.user,
        organization=simulation.organization,
        action=action,
        target=simulation,
        details={"template": simulation.template.slug, **details},
    )


# --- What people do with a lure ---------------------------------------------------------------


def _live(token: str):
    """Deliveries of running simulations with this token: one query, whoever asks."""
    return Delivery.objects.filter(
        token_hash=hash_token(token), simulation__status=SimulationStatus.RUNNING
    )


def record_open(token: str, *, now: datetime) -> None:
    """The 1×1 image was loaded: one UPDATE whether or not the token exists."""
    _live(token).filter(opened_at__isnull=True).update(opened_at=now)


@transaction.atomic
def record_click(delivery: Delivery, *, now: datetime) -> None:
    """The link was followed; a lure without a sign-in form teaches straight away."""
    Delivery.objects.filter(pk=delivery.pk, clicked_at__isnull=True).update(clicked_at=now)
    Delivery.objects.filter(pk=delivery.pk, opened_at__isnull=True).update(opened_at=now)
    if delivery.simulation.template.landing == Landing.TEACHABLE:
        enrol_in_micro_module(delivery, now=now)


@transaction.atomic
def record_submission(delivery: Delivery, *, now: datetime) -> None:
    """Something was typed into the simulated sign-in form: only that fact is recorded."""
    Delivery.objects.filter(pk=delivery.pk, submitted_at__isnull=True).update(submitted_at=now)
    Delivery.objects.filter(pk=delivery.pk, clicked_at__isnull=True).update(clicked_at=now)
    enrol_in_micro_module(delivery, now=now)


def enrol_in_micro_module(delivery: Delivery, *, now: datetime) -> None:
    """An assignment of the lure's module in the follow-up run; once, however often."""
    simulation = delivery.simulation
    if delivery.membership_id is None or simulation.follow_up_id is None:
        return
    insert_new_rows(
        Assignment,
        ["run", "membership", "module_slug", "due_at"],
        [(simulation.follow_up_id, delivery.membership_id, simulation.template.module_slug,
          now + timedelta(days=FOLLOW_UP_DAYS))],
    )  # fmt: skip
    Delivery.objects.filter(pk=delivery.pk, enrolled_at__isnull=True).update(enrolled_at=now)


@transaction.atomic
def report_lure(token: str, *, now: datetime) -> None:
    """The person reported the message; integrations hear of it after commit."""
    delivery = _live(token).select_related("simulation__organization").first()
    if delivery is not None:
        _mark_reported(delivery, now)


@transaction.atomic
def report_to_mailbox(report_key: str, *, token: str = "", headers: str = "", now: datetime):
    """The bank's report button: its secret address with the lure's token or raw headers."""
    policy = SimulationPolicy.objects.filter(report_key=report_key).first()
    ref = _message_ref(headers)
    if policy is None or not (token or ref):
        return
    deliveries = Delivery.objects.filter(
        simulation__organization_id=policy.organization_id,
        simulation__status=SimulationStatus.RUNNING,
    ).select_related("simulation__organization")
    delivery = (
        deliveries.filter(token_hash=hash_token(token)) if token
        else deliveries.filter(message_ref=ref)
    ).first()  # fmt: skip
    if delivery is not None:
        _mark_reported(delivery, now)


def _message_ref(headers: str) -> str:
    """The lure's reference from the Message-ID in raw headers ("<ref@host>")."""
    message_id = HeaderParser().parsestr(headers or "", headersonly=True).get("Message-ID", "")
    return message_id.strip().strip("<>").partition("@")[0][:32]


def _mark_reported(delivery: Delivery, now: datetime) -> None:
    if not Delivery.objects.filter(pk=delivery.pk, reported_at__isnull=True).update(
        reported_at=now
    ):
        return
    organization = delivery.simulation.organization
    payload = {
        "simulation": delivery.simulation_id,
        "delivery": delivery.pk,
        "reported_at": now.isoformat(),
    }
    transaction.on_commit(
        lambda: signals.lure_reported.send(
            sender=Simulation, organization=organization, payload=payload
        )
    )


# --- The tick: close and anonymise ------------------------------------------------------------


def close_finished_simulations(*, now: datetime) -> int:
    """A simulation stops counting clicks and reports once its open days are over."""
    finished = [
        simulation.pk
        for simulation in Simulation.objects.filter(status=SimulationStatus.RUNNING).only(
            "pk", "launched_at", "open_days"
        )
        if simulation.launched_at + timedelta(days=simulation.open_days) <= now
    ]
    Notification.objects.filter(
        delivery__simulation__in=finished, status=NotificationStatus.PENDING
    ).update(status=NotificationStatus.CANCELLED)
    return Simulation.objects.filter(pk__in=finished).update(
        status=SimulationStatus.CLOSED, closed_at=now
    )


def anonymise_closed_simulations(*, now: datetime) -> int:
    """Per-person results go the organisation's set number of days after closing; the
    department figures stay."""
    done = 0
    ended = Simulation.objects.filter(
        status__in=_ENDED, anonymised_at__isnull=True, closed_at__isnull=False
    ).select_related("organization__simulation_policy")
    for simulation in ended:
        policy = getattr(simulation.organization, "simulation_policy", None)
        days = policy.anonymise_after_days if policy else SimulationPolicy().anonymise_after_days
        if simulation.closed_at + timedelta(days=days) > now:
            continue
        with transaction.atomic():
            Delivery.objects.filter(simulation=simulation).update(membership=None, token_hash=None)
            Notification.objects.filter(delivery__simulation=simulation).delete()
            Simulation.objects.filter(pk=simulation.pk).update(anonymised_at=now)
        done += 1
    return done
