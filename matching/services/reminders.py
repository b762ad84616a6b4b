"""Daily reminders: a nudge to quiet Tandems and the notice before the mentee's funding ends (the Kurzbefragungen,
the programme's check-ins, are ``checkins``)."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mentoring.kernel.mail import mail_queue_once, recipient_language

from .. import selectors
from ..models import Tandem
from .tandems import tandem_path

FUNDING_NOTICE_DAYS = 42  # the Tandem hears six weeks before the mentee's funding ends


def tandem_reminders(*, now=None) -> dict:
    """Daily: a nudge to quiet Tandems and a notice before the mentee's funding ends."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = {"quiet": 0, "funding": 0}
    # Reminders name the partner and the mentee's funding end: only while contact data may be shared.
    quiet = selectors.with_contact_visible(selectors.quiet_tandems(days=selectors.QUIET_NUDGE_DAYS, now=now)).filter(
        contact_shared=True).select_related("mentee__user", "mentor__user")
    for tandem in quiet:
        with transaction.atomic():
            period = tandem.last_activity_at.date().isoformat()
            for me in (tandem.mentee, tandem.mentor):
                # The key keeps its first name ("checkin"), so a nudge sent before the rename is not sent again.
                sent["quiet"] += mail_queue_once(
                    key=f"tandem-checkin:{tandem.pk}:{period}:{me.pk}", to=me.user.email, template="matching_quiet",
                    context={"name": me.user.get_full_name(), "partner": str(tandem.partner_of(me).user),
                             "path": tandem_path(tandem), "since": tandem.last_activity_at},
                    language=recipient_language(me.user))
    ending = selectors.with_contact_visible(Tandem.objects.filter(
        status=Tandem.Status.ACTIVE, mentee__funding_ends_on__gte=today,
        mentee__funding_ends_on__lte=today + timedelta(days=FUNDING_NOTICE_DAYS))).filter(
        contact_shared=True).select_related("mentee__user", "mentor__user")
    for tandem in ending:
        with transaction.atomic():
            for me in (tandem.mentee, tandem.mentor):
                sent["funding"] += mail_queue_once(
                    key=f"tandem-funding-end:{tandem.pk}:{tandem.mentee.funding_ends_on}:{me.pk}", to=me.user.email,
                    template="matching_funding_end",
                    context={"name": me.user.get_full_name(), "is_mentee": me.pk == tandem.mentee_id,
                             "mentee": str(tandem.mentee.user), "ends_on": tandem.mentee.funding_ends_on,
                             "path": tandem_path(tandem)},
                    language=recipient_language(me.user))
    return sent
