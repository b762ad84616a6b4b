"""``manage.py check --deploy``: the programme's legal and contact data are real before the site goes live.

The Impressum, the Datenschutzerklärung and every mail name the operator's address and contact; the
embedded defaults (``settings.base``) are placeholders for development. A deployment that forgot to set
them would publish "Musterstraße 1" and example.org addresses to public bodies.
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")


def _placeholder_host(host: str) -> bool:
    host = host.lower().strip().rstrip(".")
    return any(host == domain or host.endswith(f".{domain}") for domain in PLACEHOLDER_DOMAINS)


def _placeholder_mail(value: str) -> bool:
    address = value.strip().rstrip(">").rsplit("<", 1)[-1]
    return "@" not in address or _placeholder_host(address.rsplit("@", 1)[1])


@checks.register(checks.Tags.security, deploy=True)
def check_programme_contact(app_configs=None, **kwargs):
    problems = []
    if any(word in settings.PROGRAMME_ADDRESS.lower() for word in ("musterstraße", "musterstrasse")):
        problems.append(checks.Warning(
            "PROGRAMME_ADDRESS is the development placeholder; the Impressum would publish it.",
            hint="Set PROGRAMME_ADDRESS to the operator's postal address.", id="mentoring.W001"))
    mails = {"PROGRAMME_CONTACT_EMAIL": [settings.PROGRAMME_CONTACT_EMAIL],
             "DEFAULT_FROM_EMAIL": [settings.DEFAULT_FROM_EMAIL],
             "STAFF_NOTIFICATION_EMAILS": list(settings.STAFF_NOTIFICATION_EMAILS)}
    for name, values in mails.items():
        if not values or any(_placeholder_mail(value) for value in values):
            problems.append(checks.Warning(
                f"{name} is missing or an example address; mails and the legal pages would name it.",
                hint=f"Set {name} to the programme's real address(es).", id="mentoring.W002"))
    site = urlsplit(settings.SITE_URL)
    if site.scheme != "https" or not site.hostname or site.hostname in ("localhost", "127.0.0.1") or (
            _placeholder_host(site.hostname)):
        problems.append(checks.Warning(
            "SITE_URL is not the site's public https address; every link in mails and calendars would point there.",
            hint="Set SITE_URL, e.g. https://mentoring.example-land.de", id="mentoring.W003"))
    return problems
