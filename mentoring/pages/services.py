"""Services of the site pages: barrier reports from the accessibility statement, handled as cases, and the
sign-language video's files."""
from datetime import timedelta

from allauth.core import ratelimit
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.kernel.cases import CaseState, assignee_allowed, author_name, case_step, case_update_mail, cases_close
from mentoring.kernel.errors import Refusal
from mentoring.kernel.mail import mail_queue, mail_staff, outbox_erase_keys, recipient_language
from mentoring.kernel.privacy import moment

from .models import BarrierReport, BarrierReportNote, BarrierReportReply, SignLanguageVideo


class BarrierReportError(Refusal):
    """A step on a barrier report that cannot be carried out; the message is German."""


def barrier_report_submit(*, request, name: str, email: str, page: str, description: str,
                          **_ignored) -> BarrierReport | None:
    """Store a barrier report, then mail staff and, if an address was given, a receipt; None when rate-limited."""
    if not ratelimit.consume(request, action="barrier_report"):
        return None
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        report = BarrierReport.objects.create(name=name, email=email, page=page, description=description, user=user,
                                              language=translation.get_language() or "")
        context = {"report": report, "name": name, "email": email, "page": page, "description": description,
                   "admin_path": reverse("admin:mentoring_barrierreport_change", args=[report.pk])}
        mail_staff(key=f"barrier-report:{report.pk}", template="barrier_report_staff", context=context)
        if email:
            # The address is typed by anyone and confirmed by no one: the receipt repeats nothing that was typed
            # (a name and a text sent to a stranger's address would carry anyone's message under our sender).
            mail_queue(key=f"barrier-report:{report.pk}:receipt", to=email, template="barrier_report_receipt",
                       context={"report": report}, language=_reporter_language(report))
    return report


def _reporter_language(report: BarrierReport) -> str:
    return recipient_language(report.user, default=report.language)


def barrier_report_handle(*, report: BarrierReport, by, status: str, assignee=None, note: str = "",
                          reply: str = "") -> BarrierReport:
    """Staff's one step on a barrier report: status, assignee, optionally an internal note and a reply.

    A new status or a reply is mailed to the address the reporter gave; without one, nobody is
    mailed, and a reply is refused because it could never arrive.
    """
    if status not in CaseState.values:
        raise BarrierReportError(_("Diesen Status gibt es nicht."))
    if reply.strip() and not report.email:
        raise BarrierReportError(_("Die meldende Person hat keine E-Mail-Adresse angegeben: Eine Antwort kann "
                                   "nicht zugestellt werden."))
    now = timezone.now()
    with transaction.atomic():
        report = BarrierReport.objects.select_for_update(of=("self",)).select_related("user").get(pk=report.pk)
        if not assignee_allowed(report, assignee):
            raise BarrierReportError(_("Zuständig kann nur jemand aus der Koordination sein."))
        changed, answer = case_step(report, by=by, status=status, assignee=assignee, note=note, reply=reply,
                                    now=now, done=("handled_at", "handled_by"))
        if changed or answer:
            case_update_mail(kind="barrier-report", case=report, to=report.email,
                             language=_reporter_language(report),
                             case_label=gettext_lazy("Ihre Meldung zur Barrierefreiheit"), state=status,
                             reply=answer, now=now)
    return report


def barrier_reports_mark_handled(*, reports, by) -> int:
    """Staff close the still open ones among ``reports`` (each reporter with an address hears of it)."""
    return cases_close(reports, by=by, handle=barrier_report_handle)


def barrier_reports_purge_expired(*, now=None) -> int:
    """Handled reports go ``BARRIER_REPORT_RETENTION_DAYS`` after they were handled; open ones stay."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.BARRIER_REPORT_RETENTION_DAYS)
    deleted, _counts = BarrierReport.objects.filter(status=CaseState.DONE, handled_at__lte=cutoff).delete()
    return deleted


def barrier_reports_of(user):
    """Reports sent logged in as ``user`` or from one of their addresses."""
    addresses = {user.email.lower(), *(a.lower() for a in user.emailaddress_set.values_list("email", flat=True))}
    by_address = Q()
    for address in addresses:
        by_address |= Q(email__iexact=address)
    return BarrierReport.objects.filter(Q(user=user) | by_address)


def barrier_reports_personal_data(*, user) -> dict:
    """The person's barrier reports, sent logged in or with one of their addresses, with staff's notes and replies."""
    reports = barrier_reports_of(user).order_by("created_at").prefetch_related(
        Prefetch("notes", queryset=BarrierReportNote.objects.select_related("author")),
        Prefetch("replies", queryset=BarrierReportReply.objects.select_related("author")))
    return {"meldungen": [
        {"eingegangen_am": moment(r.created_at), "seite": r.page, "beschreibung": r.description,
         "name": r.name, "email": r.email, "status": r.get_status_display(),
         "erledigt_am": moment(r.handled_at),
         "antworten": [_entry(e) for e in r.replies.all()],
         "interne_notizen_der_koordination": [_entry(e) for e in r.notes.all()]}
        for r in reports
    ]}


def _entry(entry) -> dict:
    return {"am": moment(entry.created_at), "von": author_name(entry), "text": entry.text}


def barrier_reports_erase(*, user) -> None:
    """The reports go with their notes and replies (cascade); the outbox keeps no copy of the replies."""
    reports = barrier_reports_of(user)
    outbox_erase_keys(key_prefixes=[f"barrier-report:{pk}:" for pk in reports.values_list("pk", flat=True)])
    reports.delete()


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
