from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """Attempts, answers, module progress, certificates and reports."""

    name = "training.progress"
    label = "progress"
    verbose_name = "Progress"

    def ready(self) -> None:
        from training.progress import receivers  # noqa: F401  (reacts to the people pages)
