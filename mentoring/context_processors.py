"""Programme facts every template may show (name, ministry, operator)."""
from django.conf import settings

from .kernel.programme import programme_name


def programme(request):
    return {
        "PROGRAMME_NAME": programme_name(),
        "MINISTRY_NAME": settings.MINISTRY_NAME,
        "PROGRAMME_OPERATOR": settings.PROGRAMME_OPERATOR,
        "PROGRAMME_ADDRESS": settings.PROGRAMME_ADDRESS,
        "PROGRAMME_CONTACT_EMAIL": settings.PROGRAMME_CONTACT_EMAIL,
    }
