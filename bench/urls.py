"""The site's URLs plus /bench/ok/, the bare reference page: only bench/settings.py routes it."""
from django.http import HttpResponse
from django.urls import path

from mentoring.urls import urlpatterns as site


def bare(request):
    """Every middleware of the site runs (session, user, CSRF, CSP, request log); no query, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok/", bare), *site]
