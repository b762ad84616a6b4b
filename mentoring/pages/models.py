"""The site pages' data: barrier reports from the accessibility statement, the sign-language video."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mentoring.kernel import cases
from mentoring.kernel.fields import acting_user

from .uploads import POSTER_TYPES, VIDEO_TYPES, extension, validate_captions, validate_poster, validate_video


class BarrierReport(models.Model):
    """A barrier reported on /barrierefreiheit/: stored first, then mailed to staff and reporter.

    The reporter may leave no address: then nobody can answer them, and the case is followed
    up in admin only. ``handled_at`` and ``handled_by`` say when and by whom it was set to
    "erledigt"; the retention period counts from then.
    """

    Status = cases.CaseState

    page = models.CharField(_("Seite"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # The site language the report was written in: the answer to someone without an account goes in it.
    language = models.CharField(_("Sprache"), max_length=8, blank=True)
    # Set when the reporter was logged in; the report goes with their account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="barrier_reports", verbose_name=_("Konto"))
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    status = cases.state_field()
    assignee = cases.assignee_field()
    handled_by = acting_user(_("erledigt durch"))
    handled_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Barriere-Meldung")
        verbose_name_plural = _("Barriere-Meldungen")
        ordering = ["-created_at"]
        constraints = [cases.closed_iff_done("handled_at", name="barrierreport_handled_at_iff_done")]

    def __str__(self):
        return _("Barriere-Meldung vom %(date)s") % {
            "date": date_format(timezone.localdate(self.created_at), "SHORT_DATE_FORMAT")}


class BarrierReportNote(cases.CaseNote):
    """An internal note of staff on a barrier report."""

    report = cases.case_link(BarrierReport, "notes")


class BarrierReportReply(cases.CaseReply):
    """Staff's answer to the reporter, mailed to the address they gave."""

    report = cases.case_link(BarrierReport, "replies")


def sign_language_upload_to(instance: "SignLanguageVideo", filename: str) -> str:
    # A random name on disk with the checked extension; the uploader's name is never a path.
    ext = extension(filename)
    return f"gebaerdensprache/{uuid.uuid4().hex}{'.jpg' if POSTER_TYPES.get(ext) == 'image/jpeg' else ext}"


class SignLanguageVideo(models.Model):
    """A video in Deutsche Gebärdensprache (BITV 2.0 asks public bodies for one), uploaded by staff.

    The site serves it itself on /gebaerdensprache/ (no third-party player); its content is
    public and holds no participant's data.
    """

    FILE_FIELDS = ("video", "poster", "captions")

    title = models.CharField(_("Titel"), max_length=200,
                             help_text=_("Überschrift über dem Video, z. B. „Die Website in Gebärdensprache“."))
    video = models.FileField(
        _("Video"), upload_to=sign_language_upload_to, max_length=200, validators=[validate_video],
        help_text=_("Das Video in Deutscher Gebärdensprache (DGS) als MP4 (H.264) oder WebM. Die Website liefert "
                    "es selbst aus, ohne fremden Videodienst."))
    poster = models.FileField(
        _("Vorschaubild (freiwillig)"), upload_to=sign_language_upload_to, max_length=200, blank=True,
        validators=[validate_poster],
        help_text=_("Bild, das vor dem Abspielen zu sehen ist: JPEG, PNG oder WebP, höchstens 5 MB."))
    captions = models.FileField(
        _("Untertitel (freiwillig)"), upload_to=sign_language_upload_to, max_length=200, blank=True,
        validators=[validate_captions],
        help_text=_("Deutsche Untertitel als WebVTT-Datei (Endung .vtt, UTF-8, höchstens 1 MB); der Browser "
                    "blendet sie auf Wunsch ein."))
    transcript = models.TextField(
        _("Text zum Video"), max_length=20000,
        help_text=_("Was im Video gebärdet wird, als Text. Er steht unter dem Video, für alle, die das Video "
                    "nicht sehen oder nicht abspielen können. Markdown ist erlaubt: **fett**, Listen mit „- “, "
                    "Überschriften mit „## “."))
    published = models.BooleanField(
        _("veröffentlicht"), default=False, db_index=True,
        help_text=_("Erst veröffentlichte Videos stehen auf /gebaerdensprache/, und erst dann verlinkt die "
                    "Fußzeile jeder Seite die Gebärdensprache. Vorher sieht nur die Koordination das Video."))
    position = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Mehrere Videos stehen nach dieser Zahl sortiert, kleinste zuerst."))
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Video in Gebärdensprache")
        verbose_name_plural = _("Videos in Gebärdensprache")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def video_type(self) -> str:
        """The checked content type of the stored video (``video/mp4`` or ``video/webm``)."""
        return VIDEO_TYPES.get(extension(self.video.name), "")

    @property
    def video_format(self) -> str:
        return {"video/mp4": "MP4", "video/webm": "WebM"}.get(self.video_type, "")

    @property
    def video_bytes(self) -> int | None:
        """Size of the stored video; None if storage has lost it (the page still renders)."""
        try:
            return self.video.size
        except OSError:
            return None
