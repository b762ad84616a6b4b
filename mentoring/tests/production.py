"""Run the site as production configures it: a fresh process with production's environment."""
import functools
import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "mentoring.settings.production",
    "DJANGO_ALLOWED_HOSTS": "mentoring.example.org",
    "DATABASE_URL": "postgres://mentoring@127.0.0.1:5432/mentoring",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:geheim@smtp.example.org:587",
    # The legal and contact data a deployment must set (mentoring/checks.py refuses the placeholders).
    "PROGRAMME_ADDRESS": "Am Klimaweg 7, 34117 Kassel",
    "SITE_URL": "https://mentoring-klimaanpassung.de",
    "PROGRAMME_CONTACT_EMAIL": "koordination@mentoring-klimaanpassung.de",
    "STAFF_NOTIFICATION_EMAILS": "koordination@mentoring-klimaanpassung.de",
    "DEFAULT_FROM_EMAIL": "Mentoring Klimaanpassung <noreply@mentoring-klimaanpassung.de>",
}
# Variables of the developer's or CI's shell that would change what production defaults to.
CLEARED = ("DJANGO_ALLOW_ASYNC_UNSAFE", "TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER")


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    return {**env, **PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **overrides}


def production_run(*args: str, **env_overrides) -> subprocess.CompletedProcess:
    """``python *args`` in the project folder under production's settings; output captured as text."""
    return subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env=production_env(**env_overrides),
                          capture_output=True, text=True, timeout=120)


@functools.cache
def production_settings(*names: str, **env_overrides) -> dict:
    """The named settings (JSON-able) of mentoring.settings.production; missing ones are None.

    ``env_overrides`` change the environment, e.g. DJANGO_SETTINGS_MODULE for CI's test settings.
    """
    script = ("import json, sys, django; django.setup(); from django.conf import settings; "
              "print(json.dumps({n: getattr(settings, n, None) for n in sys.argv[1:]}))")
    result = production_run("-c", script, *names, **env_overrides)
    result.check_returncode()
    return json.loads(result.stdout.strip().splitlines()[-1])
