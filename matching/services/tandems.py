"""A Tandem's life outside its meetings: its page, ending it, problem reports."""
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Profile, User
from mentoring.kernel.mail import mail_queue, mail_staff, recipient_language

from .. import selectors
from ..models import ProblemReport, Tandem
from .errors import MatchingError


def tandem_path(tandem: Tandem) -> str:
    """The Tandem's page, for redirects and the links in e-mails."""
    return reverse("matching:tandem_detail", args=[tandem.pk])


def tandem_end(*, tandem: Tandem, by: User | None, reason: str = "", cause: str = Tandem.EndCause.STAFF,
               notify: bool = True, leaving: Profile | None = None) -> Tandem:
    """End a Tandem; the mentee returns to the pool and this pair is never proposed again.

    ``cause`` is stored as a code (``Tandem.EndCause``), so the partner's mail, the export and admin
    each read it in their own language; Koordination ending a Tandem writes its ``reason`` too.

    ``leaving`` is the side who ended it themselves (withdrawal, erasure): only the partner is
    mailed. The mail links the Tandem instead of naming the other side, so the outbox keeps
    no one's name beyond their own mail.
    """
    if cause == Tandem.EndCause.STAFF and not reason.strip():
        raise MatchingError(_("Bitte geben Sie einen Grund an."))
    with transaction.atomic():
        tandem = (Tandem.objects.select_for_update(of=("self",)).select_related("mentee__user", "mentor__user")
                  .get(pk=tandem.pk))
        if tandem.status == Tandem.Status.ENDED:
            if cause == Tandem.EndCause.STAFF:
                # Two staff ended it at once: the second is told, and the first one's reason stands.
                raise MatchingError(_("Dieses Tandem ist bereits beendet."))
            return tandem  # a withdrawal, an erasure or the planned end found it ended already
        tandem.status = Tandem.Status.ENDED
        tandem.ended_at, tandem.ended_by = timezone.now(), by
        tandem.end_cause, tandem.end_reason = cause, reason.strip()
        tandem.save(update_fields=["status", "ended_at", "ended_by", "end_cause", "end_reason"])
        # Open reports end with the Tandem; the mail about its end tells the reporter.
        tandem.reports.exclude(status=ProblemReport.Status.DONE).update(
            status=ProblemReport.Status.DONE, resolved_at=timezone.now(), resolved_by=by)
        from .reviews import review_path, reviews_open  # the review module ends Tandems at their planned end
        # One mail per side: the end with the closing review it asks for (they came as two at the same moment).
        reviews = {review.user_id: review for review in reviews_open(tandem=tandem, leaving=leaving)}
        if notify:
            for me in (tandem.mentee, tandem.mentor):
                if me is None or (leaving is not None and me.pk == leaving.pk):
                    continue
                review = reviews.get(me.user_id)
                mail_queue(key=f"tandem-ended:{tandem.pk}:{me.pk}", to=me.user.email, template="matching_ended",
                           context={"name": me.user.get_full_name(), "started": tandem.started_at,
                                    "path": tandem_path(tandem), "reason": tandem.end_reason_text,
                                    "is_mentee": me.pk == tandem.mentee_id,
                                    "review_path": review_path(review) if review else ""},
                           language=recipient_language(me.user))
    return tandem


def tandems_end_for_person(*, user: User, by: User | None, cause: str = Tandem.EndCause.WITHDRAWN) -> int:
    """A withdrawn registration (or partner-sharing consent) ends every active Tandem of that person.

    The person leaves, whoever recorded it: only the partner hears of the end and is asked for a closing
    review (a registration withdrawn by staff closes the Tandem pages to the person, review included; the
    person hears of the withdrawal itself)."""
    ended = 0
    own = Profile.objects.filter(user=user).first()
    for tandem in Tandem.objects.filter(selectors.sides_of(user), status=Tandem.Status.ACTIVE):
        tandem_end(tandem=tandem, by=by, cause=cause, leaving=own)
        ended += 1
    return ended



END_REQUEST_AFTER_END = gettext_lazy("Das Tandem ist schon beendet. Für ein anderes Anliegen wählen Sie bitte "
                                     "„Problem im Tandem“.")


def tandem_lock(tandem_pk: int) -> str | None:
    """Lock the Tandem's row and return its status. Every change to its meetings, an end request and its end take
    this lock first, so each sees the status the others leave."""
    return Tandem.objects.select_for_update().filter(pk=tandem_pk).values_list("status", flat=True).first()


def problem_report(*, tandem: Tandem, by: User, kind: str, text: str) -> ProblemReport:
    """A member reports a problem or asks to end the Tandem; staff are told at once."""
    if not text.strip():
        raise MatchingError(_("Bitte beschreiben Sie Ihr Anliegen."))
    with transaction.atomic():
        # Read under the Tandem's lock: an end request saved while staff end the Tandem stayed open on it.
        status = tandem_lock(tandem.pk)
        if kind == ProblemReport.Kind.END_REQUEST and status != Tandem.Status.ACTIVE:
            raise MatchingError(END_REQUEST_AFTER_END, field="kind")
        # The same message sent twice (a double click, the page sent again) is one report and one mail to staff.
        if same := tandem.reports.filter(reported_by=by, kind=kind, text=text.strip()).exclude(
                status=ProblemReport.Status.DONE).first():
            return same
        report = ProblemReport.objects.create(tandem=tandem, reported_by=by, kind=kind, text=text.strip())
        # Staff read the site's first language, whatever the reporter's page was in.
        with translation.override(settings.LANGUAGE_CODE):
            _report_mail_staff(report=report, tandem=tandem, by=by)
    return report


def _report_mail_staff(*, report: ProblemReport, tandem: Tandem, by: User) -> None:
    # Names stay in admin: the stored notice carries no one's name beyond the report text.
    mail_staff(key=f"tandem-report:{report.pk}", template="matching_report_staff",
               context={"report": report, "tandem": _("Nr. %(pk)s") % {"pk": tandem.pk},
                        "reporter": _("Mentee") if by.pk == getattr(tandem.mentee, "user_id", None)
                        else _("Mentor*in"),
                        "kind": report.get_kind_display(),
                        "admin_path": reverse("admin:matching_problemreport_change", args=[report.pk])})

