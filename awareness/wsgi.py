"""WSGI entry point: production HTTP runs here, on gunicorn sync workers (see README)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awareness.settings")

application = get_wsgi_application()
