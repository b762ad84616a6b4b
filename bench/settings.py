"""Production settings plus the bench's bare reference page (bench/urls.py); used by bench/web.py only."""
from mentoring.settings.production import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
