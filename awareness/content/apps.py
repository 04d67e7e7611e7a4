from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Scam types, examples, modules and questions; content packs."""

    name = "awareness.content"
    label = "content"
    verbose_name = "Learning content"
