"""access_<thing>(user, pk) for the site pages: missing and not visible answer the same 404."""
from django.http import Http404

from .models import SignLanguageVideo


def access_sign_language_video(user, pk) -> SignLanguageVideo:
    """A published video for everyone; an unpublished one only for staff (to check it before publishing)."""
    videos = SignLanguageVideo.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        videos = videos.filter(published=True)
    video = videos.filter(pk=pk).first()
    if video is None:
        raise Http404
    return video
