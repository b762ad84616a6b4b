"""Services of the site pages: barrier reports from the accessibility statement, the sign-language video's files."""
from datetime import timedelta

from allauth.core import ratelimit
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from mentoring.kernel.mail import mail_queue

from .models import BarrierReport, SignLanguageVideo


def barrier_report_submit(*, request, name: str, email: str, page: str, description: str,
                          **_ignored) -> BarrierReport | None:
    """Store a barrier report, then mail staff and a receipt to the reporter; None when rate-limited."""
    if not ratelimit.consume(request, action="barrier_report"):
        return None
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        report = BarrierReport.objects.create(name=name, email=email, page=page, description=description, user=user)
        context = {"report": report, "name": name, "email": email, "page": page, "description": description,
                   "admin_path": f"/admin/mentoring/barrierreport/{report.pk}/change/"}
        for staff_email in settings.STAFF_NOTIFICATION_EMAILS:
            mail_queue(key=f"barrier-report:{report.pk}:{staff_email}", to=staff_email,
                       template="barrier_report_staff", context=context, language=settings.LANGUAGE_CODE)
        # The receipt speaks the language of the page the person wrote on (a logged-in person's own).
        mail_queue(key=f"barrier-report:{report.pk}:receipt", to=email, template="barrier_report_receipt",
                   context=context, language=user.language if user else translation.get_language())
    return report


def barrier_reports_mark_handled(*, reports, by) -> int:
    """Staff close the still open ones among ``reports``; returns how many were open."""
    return reports.filter(status=BarrierReport.Status.OPEN).update(
        status=BarrierReport.Status.HANDLED, handled_by=by, handled_at=timezone.now())


def barrier_reports_purge_expired(*, now=None) -> int:
    """Handled reports go ``BARRIER_REPORT_RETENTION_DAYS`` after they were handled; open ones stay."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.BARRIER_REPORT_RETENTION_DAYS)
    deleted, _ = BarrierReport.objects.filter(status=BarrierReport.Status.HANDLED, handled_at__lte=cutoff).delete()
    return deleted


def _barrier_reports_of(user):
    addresses = {user.email.lower(), *(a.lower() for a in user.emailaddress_set.values_list("email", flat=True))}
    by_address = Q()
    for address in addresses:
        by_address |= Q(email__iexact=address)
    return BarrierReport.objects.filter(Q(user=user) | by_address)


def barrier_reports_personal_data(*, user) -> dict:
    """The person's barrier reports, sent logged in or with one of their addresses."""
    return {"meldungen": [
        {"eingegangen_am": r.created_at.isoformat(), "seite": r.page, "beschreibung": r.description,
         "name": r.name, "email": r.email, "status": r.get_status_display(),
         "erledigt_am": r.handled_at.isoformat() if r.handled_at else None}
        for r in _barrier_reports_of(user).order_by("created_at")
    ]}


def barrier_reports_erase(*, user) -> None:
    _barrier_reports_of(user).delete()


def sign_language_files_note_replaced(*, video: SignLanguageVideo) -> None:
    """Before a save: remember which stored files the save replaces or clears (admin's "Zurücksetzen")."""
    if video.pk is None:
        video._replaced_files = []
        return
    stored = SignLanguageVideo.objects.filter(pk=video.pk).values(*SignLanguageVideo.FILE_FIELDS).first() or {}
    video._replaced_files = [name for field, name in stored.items()
                             if name and name != getattr(video, field).name]


def sign_language_files_delete_replaced(*, video: SignLanguageVideo) -> None:
    """After a save: the replaced files go from storage once the change is committed."""
    _delete_after_commit(getattr(video, "_replaced_files", []))
    video._replaced_files = []


def sign_language_files_delete(*, video: SignLanguageVideo) -> None:
    """After a delete: the video's files go from storage once the deletion is committed."""
    _delete_after_commit([getattr(video, field).name for field in SignLanguageVideo.FILE_FIELDS])


def _delete_after_commit(names: list[str]) -> None:
    storage = SignLanguageVideo._meta.get_field("video").storage
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
