"""A test lure, sent to the admin who asks, exactly as a launch would send it."""

import smtplib

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.safety.services import record_audit
from training.campaigns.models import SendingProfile, SimulationTemplate
from training.campaigns.services.lures import compose_email, sample_values
from training.people.models import Membership
from training.people.selectors import require_admin


def send_test_lure(
    actor: Membership, template: SimulationTemplate, profile: SendingProfile | None
) -> None:
    """The lure, as a launch would send it through the profile, to the admin's own address;
    its link opens the lure host's "not found" page, as no one is tracked."""
    require_admin(actor)
    if template.organization_id not in (None, actor.organization_id) or (
        profile is not None and profile.organization_id != actor.organization_id
    ):
        raise ValidationError(_("Choose one of your organisation's templates and profiles."))
    if not actor.user.email:
        raise ValidationError(_("Your account has no e-mail address to send the test to."))
    values = sample_values(actor.organization, user=actor.user)
    message = compose_email(
        template, values, to=actor.user.email, organization=actor.organization, profile=profile,
        message_ref=f"test-{timezone.now():%Y%m%d%H%M%S%f}",
    )  # fmt: skip
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise ValidationError(
            _("The mail server did not take the test: %(error)s") % {"error": error}
        ) from error
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="simulation.test_sent",
        target=template,
        details={"profile": profile.pk if profile else None, "to": actor.user.email},
    )
