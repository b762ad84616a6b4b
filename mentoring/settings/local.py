"""Local development: SQLite, Celery eager, e-mail to the console and to var/mail/."""
from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
EMAIL_BACKEND = "mentoring.kernel.mail_backends.ConsoleAndFileBackend"
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
# `make run` keeps the README's demo staff login simple; STAFF_REQUIRE_MFA=true tries the real flow.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=False)
