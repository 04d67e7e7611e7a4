from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Live quiz sessions over WebSockets."""

    name = "training.live"
    label = "live"
    verbose_name = "Live quizzes"
