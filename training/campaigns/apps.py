from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns, assignments, reminders, the notification outbox, simulations."""

    name = "training.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
