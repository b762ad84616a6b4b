"""Reads of the site pages that templates share."""
import contextlib

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from .models import SignLanguageVideo


def published_sign_language_videos() -> QuerySet[SignLanguageVideo]:
    return SignLanguageVideo.objects.filter(published=True).order_by("position", "pk")


SIGN_LANGUAGE_KEY = "sign-language-published:1"
SIGN_LANGUAGE_SECONDS = 60  # the upper bound of a stale answer while the shared cache is down


def sign_language_video_published() -> bool:
    """The footer links /gebaerdensprache/ only when this is true. Every page's footer asks, so the answer
    is kept in the cache; saving or deleting a video forgets it (``sign_language_published_forget``)."""
    with contextlib.suppress(Exception):  # a cache that does not answer: the query instead
        published = cache.get(SIGN_LANGUAGE_KEY)
        if isinstance(published, bool):
            return published
    published = SignLanguageVideo.objects.filter(published=True).exists()
    with contextlib.suppress(Exception):
        cache.set(SIGN_LANGUAGE_KEY, published, SIGN_LANGUAGE_SECONDS)
    return published


def sign_language_published_forget() -> None:
    """After a change of a video: now and once its transaction is committed (a page rendered meanwhile
    may have stored the old answer)."""
    def forget():
        with contextlib.suppress(Exception):
            cache.delete(SIGN_LANGUAGE_KEY)

    forget()
    transaction.on_commit(forget)
