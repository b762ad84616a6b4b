"""The language a text on a page is written in, for its ``lang`` attribute (WCAG 3.1.2, language of parts): an
English page that shows an event, a thread or a message typed in German marks it, so that a screen reader reads
it with a German voice."""
from django import template
from django.utils.html import format_html

from mentoring.kernel.mail import recipient_language

register = template.Library()


# What a person writes in is the language they read the site in (``kernel.mail.recipient_language``): staff texts
# (``None``) and those of a former participant are in the programme's first language, German.
register.filter("written_in", recipient_language)


@register.filter
def in_language(text, language: str):
    """``text`` marked as written in ``language``, for a title inside a translated sentence ("Antwort auf „…“")."""
    return format_html('<span lang="{}">{}</span>', language, text)
