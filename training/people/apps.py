from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Accounts, organisations, memberships, groups and classes."""

    name = "training.people"
    label = "people"
    verbose_name = "People"
