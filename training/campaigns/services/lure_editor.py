"""An organisation's own lures: a library template copied into it (private to it) and edited
there; every save goes through the same checks as the library (placeholders, links, HTML)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awareness.safety.services import record_audit
from training.campaigns.models import SimulationTemplate
from training.campaigns.services.simulations import save_template
from training.people.models import Membership
from training.people.selectors import require_admin

EDITABLE = (
    "name", "channel", "sender_name", "subject", "html_body", "text_body", "landing",
    "landing_html", "red_flags", "difficulty", "language", "module_slug",
)  # fmt: skip


@transaction.atomic
def copy_template(actor: Membership, template: SimulationTemplate) -> SimulationTemplate:
    """The organisation's own copy of a library (or its own) template, named "… (copy)"."""
    require_admin(actor)
    if template.organization_id not in (None, actor.organization_id):
        raise ValidationError(_("Choose one of the templates offered."))
    taken = set(
        SimulationTemplate.objects.filter(organization_id=actor.organization_id).values_list(
            "slug", flat=True
        )
    )
    slug = next(
        candidate
        for candidate in (f"{template.slug}-{n}" if n else template.slug for n in range(1000))
        if candidate not in taken
    )
    fields = {name: getattr(template, name) for name in EDITABLE}
    copy = SimulationTemplate.objects.create(
        organization_id=actor.organization_id,
        slug=slug,
        scam_type=template.scam_type,
        **{**fields, "name": _("%(name)s (copy)") % {"name": template.name}},
    )
    _audit(actor, copy, "simulation_template.copied", source=template.pk)
    return copy


@transaction.atomic
def edit_template(actor: Membership, template: SimulationTemplate, **fields) -> SimulationTemplate:
    """Save the organisation's own template; the library's are never changed here."""
    require_admin(actor)
    if template.organization_id != actor.organization_id:
        raise ValidationError(_("Only your organisation's own copies can be edited."))
    saved = save_template(
        actor.organization_id, template.slug, scam_type=template.scam_type, **fields
    )
    _audit(actor, saved, "simulation_template.edited")
    return saved


def _audit(actor: Membership, template: SimulationTemplate, action: str, **details) -> None:
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action=action,
        target=template,
        details={"slug": template.slug, **details},
    )
