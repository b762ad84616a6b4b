"""The Celery app; imported from the package so that @shared_task binds to it."""
import functools
import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.local")

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    """Celery's DjangoTask, but publishing after commit never blocks or raises.

    A request has already committed when its on-commit callbacks run; a dead broker must not
    turn that success into an error page or hold the response. Whatever was not handed over
    is caught up by the periodic task that owns its state (the outbox flush for mail).
    """

    def delay_on_commit(self, *args, **kwargs) -> None:
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(functools.partial(self._publish_or_log, args, kwargs, options))

    def _publish_or_log(self, args, kwargs, options) -> None:
        try:
            # retry=False: one connection attempt with the broker's short timeouts, no retry loop.
            self.apply_async(args, kwargs, retry=False, **options)
        except OperationalError:
            logger.warning("Task %s%r not handed to the broker; its periodic catch-up runs it later",
                           self.name, tuple(args or ()), exc_info=True)


app = Celery("mentoring", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The kernel is no Django app of its own: its tasks (the outbox's) are found here.
app.autodiscover_tasks(["mentoring.kernel"])
