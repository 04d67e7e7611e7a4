from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Service health checks, the scheduler tick and its heartbeat."""

    name = "awareness.health"
    label = "health"
    verbose_name = "Health"
