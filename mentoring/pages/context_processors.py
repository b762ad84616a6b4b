"""What the footer offers besides the legal pages: Leichte Sprache always, sign language once published."""
from django.utils.functional import SimpleLazyObject

from . import selectors


def accessibility_offers(request):
    # Lazy: the query runs only where a template asks, once per page.
    return {"SIGN_LANGUAGE_VIDEO_PUBLISHED": SimpleLazyObject(selectors.sign_language_video_published)}
