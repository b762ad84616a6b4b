"""Reads of the site pages that templates share."""
from django.db.models import QuerySet

from .models import SignLanguageVideo


def published_sign_language_videos() -> QuerySet[SignLanguageVideo]:
    return SignLanguageVideo.objects.filter(published=True).order_by("position", "pk")


def sign_language_video_published() -> bool:
    """One EXISTS query: the footer links /gebaerdensprache/ only when this is true."""
    return SignLanguageVideo.objects.filter(published=True).exists()
