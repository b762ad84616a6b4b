"""Checks of the files staff upload for the sign-language page: name, content (magic bytes) and size.

The model fields run these as validators, so Django admin shows each message next to its
field. A file already stored is not checked again (it was checked when it came in).
"""
import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentoring.kernel.files import upload_size_check

# Extension → the type the content must have and the site serves it as.
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
POSTER_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
CAPTION_TYPES = {".vtt": "text/vtt; charset=utf-8"}
SERVED_TYPES = {**VIDEO_TYPES, **POSTER_TYPES, **CAPTION_TYPES}
MAX_POSTER_BYTES = 5 * 1024 * 1024
MAX_CAPTION_BYTES = 1024 * 1024


def max_video_bytes() -> int:
    return settings.SIGN_LANGUAGE_VIDEO_MAX_MB * 1024 * 1024


def served_type_for_name(name: str) -> str:
    """The content type a stored file goes out with: the checked type of its extension."""
    return SERVED_TYPES.get(extension(name), "application/octet-stream")


def extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def _display_name(value) -> str:
    return os.path.basename((value.name or "").replace("\\", "/"))[:200]


def _new_upload(value) -> bool:
    """True for a file that arrived with this request (not yet written to storage)."""
    return value is not None and not getattr(value, "_committed", True)


def _head(value, count: int = 8192) -> bytes:
    upload = value.file
    upload.seek(0)
    head = upload.read(count)
    upload.seek(0)
    return head


def _check_size(value, limit: int) -> None:
    upload_size_check(value, limit=limit, name=_display_name(value))


def validate_video(value) -> None:
    if not _new_upload(value):
        return
    name = _display_name(value)
    if extension(name) not in VIDEO_TYPES:
        raise ValidationError(
            _("„%(name)s“ ist kein erlaubter Dateityp. Bitte laden Sie ein Video im Format MP4 oder WebM hoch "
              "(Dateiendung .mp4 oder .webm)."), params={"name": name}, code="file_type")
    _check_size(value, max_video_bytes())
    kind = filetype.guess(_head(value))
    if kind is None or kind.mime != VIDEO_TYPES[extension(name)]:
        raise ValidationError(
            _("„%(name)s“ ist dem Inhalt nach kein %(format)s-Video. Bitte speichern Sie das Video als MP4 "
              "(H.264) oder WebM und laden Sie es erneut hoch."),
            params={"name": name, "format": extension(name)[1:].upper()}, code="file_content")


def validate_poster(value) -> None:
    if not _new_upload(value):
        return
    name = _display_name(value)
    if extension(name) not in POSTER_TYPES:
        raise ValidationError(
            _("„%(name)s“ ist kein erlaubter Dateityp. Erlaubt sind Bilder im Format JPEG, PNG oder WebP."),
            params={"name": name}, code="file_type")
    _check_size(value, MAX_POSTER_BYTES)
    kind = filetype.guess(_head(value))
    if kind is None or kind.mime != POSTER_TYPES[extension(name)]:
        raise ValidationError(_("„%(name)s“ ist dem Inhalt nach kein Bild im Format JPEG, PNG oder WebP."),
                              params={"name": name}, code="file_content")


def validate_captions(value) -> None:
    if not _new_upload(value):
        return
    name = _display_name(value)
    if extension(name) not in CAPTION_TYPES:
        raise ValidationError(
            _("„%(name)s“ ist kein erlaubter Dateityp. Untertitel bitte als WebVTT-Datei (Endung .vtt) hochladen."),
            params={"name": name}, code="file_type")
    _check_size(value, MAX_CAPTION_BYTES)
    try:
        text = _head(value, MAX_CAPTION_BYTES + 1).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("„%(name)s“ ist nicht in UTF-8 gespeichert. Bitte speichern Sie die Untertitel "
                                "als UTF-8 und laden Sie sie erneut hoch."), params={"name": name},
                              code="file_encoding") from None
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not (first_line == "WEBVTT" or first_line.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(_("„%(name)s“ ist keine WebVTT-Datei: Die erste Zeile muss „WEBVTT“ lauten."),
                              params={"name": name}, code="file_content")
