from django.apps import AppConfig


class SiteConfig(AppConfig):
    """Citizen pages: home, catalogue, module player. Owns no models."""

    name = "awareness.site"
    label = "site"
    verbose_name = "Public site"
