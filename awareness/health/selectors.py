from datetime import datetime

from awareness.health.models import Heartbeat


def last_heartbeat(name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
