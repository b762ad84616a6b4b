"""Reads for letters: who belongs to a letter's group, a sample of them, the delivery states."""
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts import rules
from accounts.choices import FundingLine, Role
from accounts.models import Registration, User
from events.models import EventRegistration
from matching.services import a2_mentors_behind
from mentoring.kernel.models import OutboxMessage

from .models import Letter

SAMPLE_SIZE = 10
# Criteria that choose people by what only some staff may see, with the right each needs: the status of
# an Anmeldung (registrations) and the A.2 mentors behind on their days (meeting logs). Without the
# right a letter goes to approved participants and the form does not offer the criterion.
CRITERION_RIGHTS = {"statuses": "accounts.view_registration", "a2_behind_year": "matching.view_meeting"}
APPROVED_ONLY = [Registration.Status.APPROVED]


def criteria_withheld(user) -> set[str]:
    """The group criteria ``user`` may not choose people by."""
    from accounts.staff_groups import staff_may

    return {name for name, perm in CRITERION_RIGHTS.items() if not staff_may(user, perm)}


# When a letter chooses people by a criterion of CRITERION_RIGHTS, written once: as a predicate on a letter
# (``chooses_by``) and as a filter on letters (``chooses_by_q``). A letter that leaves the status at "approved"
# alone (what every staff member's letters get) and names no A.2 year does not.


def chooses_by(letter: Letter, criterion: str) -> bool:
    """Whether ``letter`` chooses people by ``criterion`` (a key of ``CRITERION_RIGHTS``)."""
    if criterion == "statuses":
        return letter.statuses != APPROVED_ONLY
    if criterion == "a2_behind_year":
        return letter.a2_behind_year is not None
    raise ValueError(criterion)


def chooses_by_q(criterion: str) -> Q:
    """``chooses_by`` as a condition on ``Letter`` rows."""
    if criterion == "statuses":
        return ~Q(statuses=APPROVED_ONLY)
    if criterion == "a2_behind_year":
        return Q(a2_behind_year__isnull=False)
    raise ValueError(criterion)


def letters_for(user, letters: QuerySet[Letter]) -> QuerySet[Letter]:
    """The letters ``user`` may open in admin: not those that chose people by what the user may not see (their
    group, recipient list and preview would tell it, a sent one too)."""
    for criterion in criteria_withheld(user):
        letters = letters.exclude(chooses_by_q(criterion))
    return letters


def criteria_beyond(letter: Letter, user) -> list[str]:
    """The names (German) of the criteria ``letter`` chooses by that ``user`` may not see: the preview
    and the send would show them people through those criteria."""
    withheld = criteria_withheld(user)
    return [str(Letter._meta.get_field(criterion).verbose_name) for criterion in CRITERION_RIGHTS
            if criterion in withheld and chooses_by(letter, criterion)]


def letter_group(letter: Letter) -> QuerySet[User]:
    """Everyone the letter goes to if it is sent now: people with an Anmeldung who match every
    criterion, and for news only those who receive news (``accounts.rules.news_recipient``),
    for essential letters those the programme may write to (``programme_mail_recipient``)."""
    people = User.objects.filter(registration__isnull=False)
    if letter.roles:
        people = people.filter(profile__role__in=letter.roles)
    if letter.statuses:
        people = people.filter(registration__status__in=letter.statuses)
    if letter.funding_lines:
        people = people.filter(profile__funding_line__in=letter.funding_lines)
    if letter.pk and letter.federal_states.exists():
        people = people.filter(profile__organisation__federal_state__in=letter.federal_states.all())
    if letter.event_id:
        statuses = [EventRegistration.Status.CONFIRMED]
        if letter.event_waitlist:
            statuses.append(EventRegistration.Status.WAITLISTED)
        people = people.filter(pk__in=EventRegistration.objects.filter(event_id=letter.event_id,
                                                                       status__in=statuses).values("user_id"))
    if letter.a2_behind_year:
        behind = [row["profile"].user_id for row in a2_mentors_behind(year=letter.a2_behind_year)]
        people = people.filter(pk__in=behind)
    rule = rules.programme_mail_recipient_q() if letter.is_essential else rules.news_recipient_q()
    return people.filter(rule).order_by("last_name", "first_name", "pk")


def group_description(letter: Letter) -> list[tuple[str, str]]:
    """The letter's group in words, one (criterion, choice) row each, for admin and the send page."""
    def labels(values, choices) -> str:
        names = dict(choices)
        return ", ".join(str(names.get(value, value)) for value in values) or _("alle")

    states = ", ".join(state.name for state in letter.federal_states.all()) if letter.pk else ""
    rows = [
        (_("Art"), letter.get_kind_display()),
        (_("Rollen"), labels(letter.roles, Role.choices)),
        (_("Status der Anmeldung"), labels(letter.statuses, Registration.Status.choices)),
        (_("Bundesländer"), states or _("alle")),
        (_("Förderlinien"), labels(letter.funding_lines, FundingLine.choices)),
    ]
    if letter.event_id:
        text = (_("%(event)s (angemeldet oder auf der Warteliste)") if letter.event_waitlist
                else _("%(event)s (angemeldet)"))
        rows.append((_("Veranstaltung"), text % {"event": letter.event}))
    if letter.a2_behind_year:
        rows.append((_("A.2-Mentor*innen im Rückstand"), str(letter.a2_behind_year)))
    rows.append((_("Einwilligung"), _("nur wer in Programmhinweise eingewilligt und die Adresse bestätigt hat")
                 if not letter.is_essential else _("alle der Gruppe, unabhängig von der Einwilligung in "
                                                   "Programmhinweise")))
    return rows


def group_sample(people: QuerySet[User], size: int = SAMPLE_SIZE) -> list[User]:
    return list(people[:size])


def delivery_states() -> dict[str, Q]:
    """``LetterRecipient.delivery`` as a filter for each state: the counts on a letter and admin's filter."""
    return {
        "skipped": Q(skipped=True),
        "waiting": Q(skipped=False, outbox_message__isnull=True, queued_at__isnull=True),
        "gone": Q(skipped=False, outbox_message__isnull=True, queued_at__isnull=False),
        **{status: Q(skipped=False, outbox_message__status=status) for status in OutboxMessage.Status.values},
    }


def delivery_counts(letter: Letter) -> dict[str, int]:
    """How many recipients are in each delivery state (see ``LetterRecipient.delivery``)."""
    states = delivery_states()
    # Named apart from the model's fields ("skipped" is one), which an aggregate may not shadow.
    counts = letter.recipients.aggregate(**{f"n_{state}": Count("pk", filter=q) for state, q in states.items()})
    counts = {state: counts[f"n_{state}"] for state in states}
    return {state: number for state, number in counts.items() if number}
