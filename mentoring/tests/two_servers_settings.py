"""Production's settings for app servers that a test reaches over plain HTTP on this machine.

Used by test_two_servers.py only. Everything that makes several servers one site (database,
Redis cache and sessions, object storage) is production's; only what HTTPS and a collectstatic
run would change differs.
"""
from mentoring.settings.production import *  # noqa: F401,F403
from mentoring.settings.production import STORAGES

# No collectstatic in a test: whitenoise's manifest storage needs one.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Plain HTTP between the test and the servers: cookies without the Secure flag, no redirect to HTTPS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
