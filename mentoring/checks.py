"""``manage.py check --deploy``: the programme's legal and contact data are real before the site goes live.

The Impressum, the Datenschutzerklärung and every mail name the operator's address and contact; the
embedded defaults (``settings.base``) are placeholders for development. A deployment that forgot to set
them would publish "Musterstraße 1" and example.org addresses to public bodies.
"""
from django.conf import settings
from django.core import checks

PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")
PLACEHOLDER_ADDRESS = "Musterstraße"


def _placeholder_mail(value: str) -> bool:
    return any(value.strip().rstrip(">").lower().endswith(f"@{domain}") for domain in PLACEHOLDER_DOMAINS)


@checks.register(checks.Tags.security, deploy=True)
def check_programme_contact(app_configs=None, **kwargs):
    problems = []
    if PLACEHOLDER_ADDRESS in settings.PROGRAMME_ADDRESS:
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
    return problems
