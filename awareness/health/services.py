from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from awareness.health.models import Heartbeat


def record_heartbeat(name: str, *, now: datetime) -> None:
    """Count one beat; a conditional UPDATE first so concurrent beats never lose a count."""
    if Heartbeat.objects.filter(name=name).update(beat_at=now, count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            Heartbeat.objects.create(name=name, beat_at=now, count=1)
    except IntegrityError:  # another process created it between our UPDATE and INSERT
        Heartbeat.objects.filter(name=name).update(beat_at=now, count=F("count") + 1)
