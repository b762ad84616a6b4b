"""The language a text on a page is written in, for its ``lang`` attribute (WCAG 3.1.2, language of parts): an
English page that shows an event, a thread or a message typed in German marks it, so that a screen reader reads
it with a German voice."""
from django import template
from django.conf import settings

register = template.Library()


@register.filter
def written_in(author) -> str:
    """What a person writes in: the language they read the site in; staff texts (``None``) and those of a former
    participant are in the programme's first language, German."""
    return getattr(author, "language", "") or settings.LANGUAGE_CODE
