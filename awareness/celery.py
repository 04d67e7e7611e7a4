"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awareness.settings")

app = Celery("awareness")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Beyond the apps' own tasks modules: the platform tick, and personal data's nightly purge.
app.autodiscover_tasks(["awareness"], related_name="tick")
app.autodiscover_tasks(["training.privacy"])


def prepare_filesystem_broker() -> None:
    """kombu's filesystem transport (the embedded default) needs its folders to exist."""
    if not app.conf.broker_url.startswith("filesystem://"):
        return
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        Path(app.conf.broker_transport_options[key]).mkdir(parents=True, exist_ok=True)


prepare_filesystem_broker()
