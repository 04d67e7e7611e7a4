from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns, assignments, reminders, the notification outbox, simulations."""

    name = "training.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        from training.campaigns import receivers  # noqa: F401  (reacts to progress's signals)
