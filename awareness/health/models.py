from django.db import models


class Heartbeat(models.Model):
    """When a background process last proved it was alive, e.g. the Celery beat tick."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
