from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """Attempts, answers, module progress, certificates and reports."""

    name = "training.progress"
    label = "progress"
    verbose_name = "Progress"
