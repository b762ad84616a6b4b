"""The Mentoring-Vereinbarung: one partner drafts it, the other confirms; amendments are new versions."""
import calendar
import datetime
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Topic, User
from mentoring.kernel.mail import mail_queue, mail_queue_once, recipient_language

from ..models import Agreement, Tandem
from .errors import MatchingError
from .tandems import tandem_path

MIN_GOALS, MAX_GOALS = 2, 4
CONFIDENTIAL_MISSING = gettext_lazy("Bitte bestätigen Sie die Vertraulichkeit.")
AGREEMENT_DUE_DAYS = 14  # staff see Tandems still without an agreed Vereinbarung after two weeks
DEFAULT_TANDEM_MONTHS = 12


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def agreement_default_end(tandem: Tandem) -> datetime.date:
    """The planned end a new Vereinbarung proposes: the start plus the Jahrgang's usual duration."""
    months = tandem.programme_year.tandem_months if tandem.programme_year_id else DEFAULT_TANDEM_MONTHS
    return add_months(timezone.localdate(tandem.started_at), months)


def goal_topics(tandem: Tandem) -> list[Topic]:
    """The topics goals are chosen from: the mentee's registered needs, most pressing first."""
    if tandem.mentee is None:
        return []
    return [need.topic for need in tandem.mentee.needs.select_related("topic")]


def agreement_current(tandem: Tandem) -> Agreement | None:
    """The Vereinbarung in force: the newest confirmed version."""
    return (tandem.agreements.filter(confirmed_at__isnull=False).select_related("drafted_by").order_by("-version")
            .first())


def agreement_pending(tandem: Tandem) -> Agreement | None:
    """A draft waiting for the other partner: the newest version, if it is not confirmed."""
    newest = tandem.agreements.select_related("drafted_by").order_by("-version").first()
    return newest if newest is not None and not newest.is_confirmed else None


def agreement_draft(*, tandem: Tandem, by: User, goals: list[tuple[int, str]], frequency: str, meeting_form: str,
                    planned_end: datetime.date, confidential: bool) -> Agreement:
    """A partner drafts the Vereinbarung or an amendment; the other partner is asked to confirm it.

    ``goals`` are (topic pk, free text) pairs. A draft waiting for confirmation is replaced by the
    new one (it stays in the history as an unconfirmed version).
    """
    if not agreement_may_draft(tandem=tandem, user=by):
        raise MatchingError(_("Nur die beiden Partner*innen eines aktiven Tandems können die Vereinbarung "
                              "entwerfen."))
    own = tandem.profile_of(by)
    refusals = agreement_refusals(tandem=tandem, goals=goals, planned_end=planned_end, frequency=frequency,
                                  meeting_form=meeting_form)
    if not confidential:
        refusals["confidential"] = CONFIDENTIAL_MISSING
    MatchingError.raise_any(refusals)
    with transaction.atomic():
        tandem = Tandem.objects.select_for_update(of=("self",)).select_related("mentee__user", "mentor__user").get(
            pk=tandem.pk)
        if not agreement_may_draft(tandem=tandem, user=by):  # ended (or left) since the page was read
            raise MatchingError(_("Nur die beiden Partner*innen eines aktiven Tandems können die Vereinbarung "
                                  "entwerfen."))
        newest = tandem.agreements.select_related("drafted_by").order_by("-version").first()
        # Asked again under the lock: the same draft sent twice at once (a double click) is one version.
        if refusal := _unchanged_refusal(newest, goals=goals, planned_end=planned_end, frequency=frequency,
                                         meeting_form=meeting_form):
            raise MatchingError(refusal)
        agreement = Agreement.objects.create(
            tandem=tandem, version=(newest.version + 1) if newest else 1, drafted_by=by,
            goals=_goal_list(goals), frequency=frequency,
            meeting_form=meeting_form, planned_end=planned_end, confidential=True)
        partner = tandem.partner_of(own)
        if partner is not None:
            # One mail a day about drafts the partner has not answered: a draft reworded five times in an afternoon
            # told them five times. Once they have drafted or a version is confirmed, the next draft is news again.
            answered = tandem.agreements.filter(Q(drafted_by=partner.user) | Q(confirmed_at__isnull=False)).aggregate(
                version=Max("version"))["version"] or 0
            mail_queue(key=f"tandem-agreement:{tandem.pk}:{partner.pk}:{answered}:{timezone.localdate().isoformat()}",
                       to=partner.user.email,
                       template="matching_agreement_draft",
                       context={"name": partner.user.get_full_name(), "path": tandem_path(tandem) + "#vereinbarung",
                                "amendment": _amends(agreement)},
                       language=recipient_language(partner.user))
    return agreement


def _goal_list(goals) -> list[dict]:
    return [{"topic": pk, "text": text.strip()} for pk, text in goals]


def agreement_refusals(*, tandem: Tandem, goals: list[tuple[int, str]], planned_end: datetime.date | None,
                       frequency: str | None, meeting_form: str | None) -> dict[str | None, str]:
    """Every goal and end of a draft that cannot be, ``{field: message}`` (``goals`` for the choice of goals,
    None for the draft as a whole): the form shows them with its own errors, the service refuses with them (and
    with the confidentiality tick, the form's own required field). A value None: the form has its own error."""
    errors = {}
    if refusal := _unchanged_refusal(tandem.agreements.order_by("-version").first(), goals=goals,
                                     planned_end=planned_end, frequency=frequency, meeting_form=meeting_form):
        errors[None] = refusal
    allowed = {topic.pk for topic in goal_topics(tandem)}
    topics = [pk for pk, _text in goals]
    if not MIN_GOALS <= len(goals) <= MAX_GOALS:
        errors["goals"] = _("Bitte wählen Sie zwei bis vier Ziele.")
    elif len(set(topics)) != len(topics) or not set(topics) <= allowed:
        errors["goals"] = _("Bitte wählen Sie Ziele aus den Bedarfen des Mentees.")
    if planned_end is not None and planned_end <= timezone.localdate():
        errors["planned_end"] = _("Das geplante Ende muss in der Zukunft liegen.")
    elif planned_end is not None and planned_end > add_months(timezone.localdate(tandem.started_at), 36):
        errors["planned_end"] = _("Ein Tandem dauert höchstens drei Jahre.")
    return errors


def _unchanged_refusal(newest: Agreement | None, *, goals, planned_end, frequency, meeting_form) -> str | None:
    """Saved unchanged: a new version would only ask the partner to confirm what already stands."""
    def in_order(rows):  # by topic and text: PostgreSQL's jsonb keeps no key order, so no str() of a row
        return sorted((row["topic"], row["text"]) for row in rows)

    if newest is None or None in (planned_end, frequency, meeting_form) or (
            in_order(_goal_list(goals)), planned_end, frequency, meeting_form) != (
            in_order(newest.goals), newest.planned_end, newest.frequency, newest.meeting_form):
        return None
    if not newest.is_confirmed:
        return _("Dieser Entwurf wartet schon auf die Bestätigung; ändern Sie etwas, oder lassen Sie ihn so stehen.")
    return _("Die Vereinbarung gilt schon so; ändern Sie, was sich geändert hat, bevor Sie sie neu zur Bestätigung "
             "geben.")


def _amends(agreement: Agreement) -> bool:
    """Whether the version changes a Vereinbarung once confirmed; a first draft reworded is no amendment."""
    return agreement.tandem.agreements.filter(version__lt=agreement.version, confirmed_at__isnull=False).exists()


def agreement_may_draft(*, tandem: Tandem, user: User) -> bool:
    """Either partner of an active Tandem drafts the Vereinbarung or an amendment."""
    return tandem.is_active and tandem.has_member(user)


def _confirm_refusal(agreement: Agreement, user: User) -> str | None:
    """Why ``user`` may not confirm this draft (German), or None: only the other partner of an active Tandem
    confirms, and only the newest draft."""
    tandem = agreement.tandem
    if not tandem.has_member(user) or not tandem.is_active:
        return _("Nur die Partner*innen eines aktiven Tandems können die Vereinbarung bestätigen.")
    in_force = tandem.agreements.filter(confirmed_at__isnull=False).order_by("-version").first()
    if in_force is not None and in_force.version > agreement.version:
        # A stale page: confirming this version changes nothing, and saying "bestätigt" would mislead.
        return _("Diese Fassung gilt nicht mehr; in Kraft ist die bestätigte Fassung %(version)d.") % {
            "version": in_force.version}
    if agreement.is_confirmed:
        return None  # the version in force, confirmed twice (a double click): nothing to change
    if agreement.drafted_by_id == user.pk:
        return _("Ihr*e Tandempartner*in bestätigt den Entwurf, den Sie geschrieben haben.")
    if tandem.agreements.filter(version__gt=agreement.version).exists():
        return _("Es gibt einen neueren Entwurf; bitte bestätigen Sie diesen.")
    return None


def agreement_may_confirm(*, agreement: Agreement | None, user: User) -> bool:
    """Whether the Tandem page offers ``user`` to confirm this draft (``agreement_confirm`` would take it)."""
    return agreement is not None and not agreement.is_confirmed and _confirm_refusal(agreement, user) is None


def agreement_confirm(*, agreement: Agreement, by: User) -> Agreement:
    """The other partner confirms the newest draft; from then on it is the Vereinbarung in force, and its author
    hears so."""
    with transaction.atomic():
        # The Tandem's lock first, as a new draft and the Tandem's end take it: a draft written meanwhile is seen.
        Tandem.objects.select_for_update(of=("self",)).filter(agreements=agreement.pk).first()
        agreement = Agreement.objects.select_for_update(of=("self",)).select_related("tandem").get(pk=agreement.pk)
        if refusal := _confirm_refusal(agreement, by):
            raise MatchingError(refusal)
        if agreement.is_confirmed:
            return agreement
        agreement.confirmed_by, agreement.confirmed_at = by, timezone.now()
        agreement.save(update_fields=["confirmed_by", "confirmed_at"])
        # Whoever drafted it hears that it stands (they knew of it only when they opened the page again).
        drafter = agreement.drafted_by
        if drafter is not None and drafter.is_active and agreement.tandem.has_member(drafter):
            mail_queue(key=f"tandem-agreement-confirmed:{agreement.pk}", to=drafter.email,
                       template="matching_agreement_confirmed",
                       context={"name": drafter.get_full_name(), "amendment": _amends(agreement),
                                "path": tandem_path(agreement.tandem) + "#vereinbarung"},
                       language=recipient_language(drafter))
    return agreement


def tandems_without_agreement(*, now=None):
    """Active Tandems begun at least two weeks ago that have no confirmed Vereinbarung yet."""
    now = now or timezone.now()
    confirmed = Agreement.objects.filter(tandem=OuterRef("pk"), confirmed_at__isnull=False)
    return Tandem.objects.filter(status=Tandem.Status.ACTIVE,
                                 started_at__lte=now - timedelta(days=AGREEMENT_DUE_DAYS)).filter(~Exists(confirmed))


def agreement_reminders(*, now=None) -> int:
    """Daily: each partner of a Tandem without an agreed Vereinbarung after two weeks hears once."""
    sent = 0
    for tandem in tandems_without_agreement(now=now).select_related("mentee__user", "mentor__user"):
        for me in (tandem.mentee, tandem.mentor):
            if me is None:
                continue
            sent += mail_queue_once(
                key=f"tandem-agreement-reminder:{tandem.pk}:{me.pk}", to=me.user.email,
                template="matching_agreement_reminder",
                context={"name": me.user.get_full_name(), "path": tandem_path(tandem) + "#vereinbarung",
                         "started": tandem.started_at},
                language=recipient_language(me.user))
    return sent
