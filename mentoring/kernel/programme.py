"""The programme's name as the reader's language writes it."""
from django.conf import settings
from django.utils.translation import gettext_lazy


def programme_name():
    """``PROGRAMME_NAME`` in the language a page or mail is rendered in: the German name is a message of the
    English catalogue too ("Climate Adaptation Mentoring Programme"), so English pages and mails name the programme
    as English page titles and account mails already did. A name set for another deployment stays as it is set."""
    return gettext_lazy(settings.PROGRAMME_NAME)
