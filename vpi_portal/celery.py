"""The portal's Celery application.

Workers and beat start with ``celery -A vpi_portal worker`` and ``celery -A vpi_portal beat``.
Every setting lives in Django's settings under the ``CELERY_`` prefix.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vpi_portal.settings")

app = Celery("vpi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
