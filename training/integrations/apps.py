from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Learning records (xAPI) to an organisation's LRS, and signed webhooks."""

    name = "training.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from training.integrations import receivers  # noqa: F401  (connects the named signals)
