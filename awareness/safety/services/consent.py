from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awareness.content.caching import content_changed
from awareness.safety.models import ConsentRecord
from awareness.safety.selectors import require_reviewer
from awareness.safety.services.audit import record_audit


@transaction.atomic
def revoke_consent(consent: ConsentRecord, *, reviewer, reason: str, now: datetime) -> None:
    """From this moment every example relying on it, and every module using one, is hidden.
    Reloading the pack does not restore it: new consent needs a new record."""
    require_reviewer(reviewer)
    if not reason.strip():
        raise ValidationError(_("Say why consent is revoked."))
    revoked = ConsentRecord.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
        revoked_at=now, revocation_reason=reason.strip()
    )
    if not revoked:
        raise ValidationError(_("This consent has already been revoked."))
    consent.refresh_from_db()
    content_changed()
    record_audit(
        actor=reviewer,
        action="consent.revoked",
        target=consent,
        details={"examples": sorted(set(consent.examples.values_list("slug", flat=True)))},
    )
