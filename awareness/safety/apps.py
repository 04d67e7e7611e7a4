from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """Consent and provenance records, removal requests, audit log, transparency."""

    name = "awareness.safety"
    label = "safety"
    verbose_name = "Safety and consent"
