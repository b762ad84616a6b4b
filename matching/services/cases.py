"""Problem reports as cases: staff set status and assignee, write internal notes and reply to the reporter.

The reporter hears of every change of status and every reply by e-mail, in their language, and
reads both on the report's page; the Tandem partner never sees the report, its notes or replies.
"""
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from mentoring.kernel.cases import (
    CaseState,
    assignee_allowed,
    case_step,
    case_update_mail,
    cases_close,
    cases_take_over,
)
from mentoring.kernel.mail import recipient_language

from ..models import ProblemReport, ProblemReportReply
from .errors import MatchingError


def problem_report_path(report: ProblemReport) -> str:
    """The reporter's page of the report (state and replies)."""
    return reverse("matching:report_detail", args=[report.tandem_id, report.pk])


def problem_report_handle(*, report: ProblemReport, by: User, status: str, assignee: User | None, note: str = "",
                          reply: str = "") -> ProblemReport:
    """Staff's one step on a report: status, assignee, optionally an internal note and a reply.

    A new status or a reply is mailed to the reporter with the report's current state.
    """
    if status not in CaseState.values:
        raise MatchingError(_("Diesen Status gibt es nicht."), field="status")
    now = timezone.now()
    with transaction.atomic():
        report = (ProblemReport.objects.select_for_update(of=("self",)).select_related("reported_by")
                  .get(pk=report.pk))
        if not assignee_allowed(report, assignee):
            raise MatchingError(_("Zuständig kann nur jemand aus der Koordination sein."), field="assignee")
        changed, answer = case_step(report, by=by, status=status, assignee=assignee, note=note, reply=reply,
                                    now=now, done=("resolved_at", "resolved_by"))
        if changed or answer:
            _tell_reporter(report, answer=answer, now=now)
    return report


def _tell_reporter(report: ProblemReport, *, answer: ProblemReportReply | None, now) -> None:
    reporter = report.reported_by
    if reporter is None:
        return
    case_update_mail(kind="problem-report", case=report, to=reporter.email, language=recipient_language(reporter),
                     case_label=gettext_lazy("Ihr Anliegen zu Ihrem Tandem"), state=report.status, reply=answer,
                     now=now, page_url=f"{settings.SITE_URL}{problem_report_path(report)}")


def reports_resolve(*, reports: QuerySet[ProblemReport], by: User) -> int:
    """Set the still open ones among ``reports`` to "erledigt" (each reporter hears of it); how many were open."""
    return cases_close(reports, by=by, handle=problem_report_handle)


def reports_take_over(*, reports: QuerySet[ProblemReport], by: User) -> int:
    """``by`` takes the still open ones among ``reports`` (each reporter hears of it); how many."""
    return cases_take_over(reports, by=by, handle=problem_report_handle)
