"""The Celery app; imported from the package so that @shared_task binds to it."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.local")

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
