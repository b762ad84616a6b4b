"""The end of a Tandem: each partner's closing review and the certificate of participation."""
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Competence, User
from mentoring.kernel.mail import recipient_language
from mentoring.kernel.pdf import document, text
from mentoring.kernel.programme import programme_name

from .. import selectors
from ..models import ClosingReview, Tandem, person_name
from .agreements import agreement_current, agreement_default_end
from .errors import MatchingError
from .statements import in_hours_and_days


def review_path(review: ClosingReview) -> str:
    return reverse("matching:review", args=[review.tandem_id, review.pk])


def reviews_open(*, tandem: Tandem, leaving=None) -> list[ClosingReview]:
    """When a Tandem ends, each remaining partner's closing review is opened (once); the mail about the end
    (``tandems.tandem_end``) asks for it, so that nobody gets two mails at the same moment.

    ``leaving``: the side who ended it by erasing their account or withdrawing is not asked.
    """
    agreement = agreement_current(tandem)
    ended_on = timezone.localdate(tandem.ended_at or timezone.now())
    # Without a confirmed Vereinbarung the Jahrgang's usual duration is the plan (the end a first draft proposes):
    # every such Tandem was asked why it ended "earlier than planned", after a full year too.
    early = ended_on < (agreement.planned_end if agreement is not None else agreement_default_end(tandem))
    created = []
    for side, is_mentee in ((tandem.mentee, True), (tandem.mentor, False)):
        if side is None or (leaving is not None and side.pk == leaving.pk):
            continue
        review, new = ClosingReview.objects.get_or_create(tandem=tandem, user=side.user,
                                                          defaults={"is_mentee": is_mentee, "early": early})
        if new:
            created.append(review)
    return created


def review_goals(review: ClosingReview) -> list[dict]:
    """The goals looked back on: those of the Vereinbarung last in force, with the person's registered level and
    the language they are written in."""
    agreement = agreement_current(review.tandem)
    rows = agreement.goal_rows() if agreement else []
    levels = dict(Competence.objects.filter(profile__user=review.user, topic__in=[row["topic"] for row in rows])
                  .values_list("topic_id", "level"))
    # The goals' texts are in their drafter's language: ``lang`` marks them on a page in the other one.
    lang = recipient_language(agreement.drafted_by) if agreement else ""
    return [{**row, "level": levels.get(row["topic"], ClosingReview.Competence.NONE), "lang": lang} for row in rows]


def review_answer(*, review: ClosingReview, user: User, goals_reached: dict[int, bool],
                  competence: dict[int, tuple[int, int]], helped: str, nps: int,
                  early_end_reason: str = "") -> ClosingReview:
    if review.user_id != user.pk:
        raise MatchingError(_("Dieser Rückblick gehört einer anderen Person."))
    if not 0 <= nps <= 10:
        raise MatchingError(_("Bitte wählen Sie einen Wert von 0 bis 10."), field="nps")
    topics = {goal["topic"] for goal in review_goals(review)}
    levels = set(ClosingReview.Competence.values)
    if set(goals_reached) != topics or set(competence) != topics or not all(
            then in levels and now in levels for then, now in competence.values()):
        raise MatchingError(_("Bitte beantworten Sie die Fragen zu jedem Ziel."))
    if review.early and early_end_reason not in ClosingReview.EarlyEnd.values:
        raise MatchingError(_("Bitte wählen Sie einen Grund."), field="early_end_reason")
    with transaction.atomic():
        review = ClosingReview.objects.select_for_update().get(pk=review.pk)
        if review.is_answered:
            raise MatchingError(_("Dieser Rückblick ist schon beantwortet."))
        review.goals_reached = {str(topic): bool(value) for topic, value in goals_reached.items()}
        review.competence = {str(topic): [then, now] for topic, (then, now) in competence.items()}
        review.helped, review.nps = helped.strip(), nps
        review.early_end_reason = early_end_reason if review.early else ""
        review.answered_at = timezone.now()
        review.save()
    return review


def review_open(*, tandem: Tandem, user: User) -> ClosingReview | None:
    return ClosingReview.objects.filter(tandem=tandem, user=user, answered_at__isnull=True).first()


def tandems_end_planned(*, now=None) -> int:
    """Daily: an active Tandem whose agreed planned end has passed ends; both partners get the review."""
    from .tandems import tandem_end  # tandem_end asks for the reviews: the two modules call each other
    today = timezone.localdate(now or timezone.now())
    ended = 0
    for tandem in Tandem.objects.filter(status=Tandem.Status.ACTIVE):
        agreement = agreement_current(tandem)
        if agreement is not None and agreement.planned_end < today:
            tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END)
            ended += 1
    return ended


def certificate_reissue(*, tandem: Tandem, by: User) -> Tandem:
    """Staff issue the certificate again (a corrected name, a lost copy): a new issue with today's date."""
    if tandem.is_active:
        raise MatchingError(_("Die Teilnahmebescheinigung gibt es, wenn das Tandem beendet ist."))
    Tandem.objects.filter(pk=tandem.pk).update(certificate_issue=F("certificate_issue") + 1,
                                               certificate_issued_at=timezone.now())
    tandem.refresh_from_db()
    return tandem


def certificate_pdf(*, tandem: Tandem, user: User) -> bytes:
    """The certificate of participation for one side of an ended Tandem, always in German."""
    if tandem.is_active:
        raise MatchingError(_("Die Teilnahmebescheinigung gibt es, wenn das Tandem beendet ist."))
    own = tandem.profile_of(user)
    if own is None:
        raise MatchingError(_("Nur die Partner*innen des Tandems erhalten eine Bescheinigung."))
    with translation.override("de"):
        return _certificate(tandem=tandem, own=own)


def _certificate(*, tandem: Tandem, own) -> bytes:
    is_mentee = own.pk == tandem.mentee_id
    minutes = tandem.meetings.filter(selectors.counted()).aggregate(total=Sum("duration_minutes"))["total"] or 0
    hours, days = in_hours_and_days(minutes)
    meetings = tandem.meetings.filter(selectors.counted()).count()
    # Only goals both sides confirmed: a draft one side never saw confirmed is no fact for a certificate.
    agreement = agreement_current(tandem)
    goals = agreement.goal_rows() if agreement is not None else []
    issued = timezone.localdate(tandem.certificate_issued_at or tandem.ended_at)
    pdf = document(title=_("Teilnahmebescheinigung"), author=text(settings.PROGRAMME_OPERATOR))
    pdf.add_page()
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.heading(_("Teilnahmebescheinigung"), size=20, line_height=12)
    pdf.paragraph(text(programme_name()), size=12, line_height=7)
    pdf.ln(6)
    pdf.paragraph(text(own.user.get_full_name() or own.user.email), size=16, line_height=9, bold=True)
    if own.organisation_id:
        pdf.paragraph(text(own.organisation.name))
    pdf.ln(4)
    partner = tandem.partner_of(own)
    role = _("als Mentee") if is_mentee else _("als Mentor*in")
    pdf.paragraph(_("hat %(role)s im Tandem mit %(partner)s teilgenommen") % {
        "role": role, "partner": text(person_name(partner))}, line_height=7)
    pdf.paragraph(_("vom %(start)s bis zum %(end)s.") % {"start": _day(timezone.localdate(tandem.started_at)),
                                                         "end": _day(timezone.localdate(tandem.ended_at))},
                  line_height=7)
    pdf.paragraph(
        _("Bestätigte Treffen: %(count)d, zusammen %(hours)s Stunden = %(days)s Mentoring-Tage (8 Stunden = 1 Tag).")
        # Two places each, as the time statement writes them: 12,75 Stunden = 1,59 Mentoring-Tage.
        % {"count": meetings, "hours": number_format(hours, decimal_pos=2),
           "days": number_format(days, decimal_pos=2)}, line_height=7)
    if goals:
        pdf.ln(4)
        pdf.heading(_("Ziele, an denen das Tandem gearbeitet hat"), level=2, size=12, line_height=7)
        pdf.bullets([text(f"{goal['name']}: {goal['text']}") for goal in goals])
    pdf.ln(10)
    issue = (_("Ausgestellt am %(date)s; ausstellende Stelle: %(operator)s")
             % {"date": _day(issued), "operator": text(settings.PROGRAMME_OPERATOR)})
    if tandem.certificate_issue > 1:
        issue += " " + _("(neu ausgestellt, Fassung %(issue)d)") % {"issue": tandem.certificate_issue}
    pdf.paragraph(issue, size=10)
    return bytes(pdf.output())


def _day(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")
