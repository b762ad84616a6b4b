"""access_<thing>(user, pk) for the site pages: missing and not visible answer the same 404."""
from django.shortcuts import get_object_or_404

from accounts.staff_groups import staff_may

from .models import SignLanguageVideo


def access_sign_language_video(user, pk) -> SignLanguageVideo:
    """A published video for everyone; an unpublished one only for staff who may see it in admin (to check
    it before publishing)."""
    videos = SignLanguageVideo.objects.all()
    if not staff_may(user, "mentoring.view_signlanguagevideo"):
        videos = videos.filter(published=True)
    return get_object_or_404(videos, pk=pk)
