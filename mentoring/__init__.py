"""The project package: settings, URLs, Celery app, site pages and the e-mail outbox."""
from .celery import app as celery_app

__all__ = ("celery_app",)
