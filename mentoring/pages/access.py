"""access_<thing>(user, pk) for the site pages: missing and not visible answer the same 404."""
from django.http import Http404

from accounts.staff_groups import staff_may

from .models import SignLanguageVideo


def access_sign_language_video(user, pk) -> SignLanguageVideo:
    """A published video for everyone; an unpublished one only for staff who may see it in admin (to check
    it before publishing)."""
    videos = SignLanguageVideo.objects.all()
    if not staff_may(user, "mentoring.view_signlanguagevideo"):
        videos = videos.filter(published=True)
    video = videos.filter(pk=pk).first()
    if video is None:
        raise Http404
    return video
