from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from awareness.safety.models import AuditEvent


def record_audit(
    *,
    actor=None,
    organization=None,
    action: str,
    target: models.Model | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log, inside the caller's transaction, so an action that
    rolls back leaves no trace of having happened. Keep personal data out of `details`."""
    return AuditEvent.objects.create(
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        organization=organization,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        details=details or {},
    )
