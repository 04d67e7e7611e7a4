from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API. Owns no models."""

    name = "training.api"
    label = "api"
    verbose_name = "API"
