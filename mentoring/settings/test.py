"""Tests: fast hashing, e-mail in memory, Celery eager; PostgreSQL when DATABASE_URL is set."""
from .base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Rate limits are tested on purpose; the cache is cleared between tests. With REDIS_URL (CI)
# the cache is the production one (base.py), otherwise process memory.
# Uploads on disk whatever the shell says (tests/test_two_servers.py runs object storage in processes).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The MFA tests switch it on; every other admin test logs staff in without a second factor.
STAFF_REQUIRE_MFA = False
