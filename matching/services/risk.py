"""Which active Tandems staff should look at, and why (the cockpit's at-risk list)."""
from datetime import timedelta

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Agreement, CheckIn, Progress, Tandem
from .agreements import AGREEMENT_DUE_DAYS, tandems_without_agreement


def tandems_at_risk_page(*, tandems: QuerySet[Tandem] | None = None, now=None,
                         limit: int | None = None) -> tuple[list[tuple[Tandem, list[str]]], int]:
    """Active Tandems with at least one reason, oldest first (``tandems`` narrows the candidates): the
    first ``limit`` of them (all without a limit) and how many there are in all; only the rows shown
    are read with the partners' names."""
    now = now or timezone.now()
    base = (tandems if tandems is not None else Tandem.objects.all()).filter(status=Tandem.Status.ACTIVE)
    reasons: dict[int, list[str]] = {}
    for pk in tandems_without_agreement(now=now).filter(pk__in=base.values("pk")).values_list("pk", flat=True):
        reasons.setdefault(pk, []).append(
            _("keine bestätigte Vereinbarung nach %(days)d Tagen") % {"days": AGREEMENT_DUE_DAYS})
    for pk, why in _survey_reasons(base, now=now).items():
        reasons.setdefault(pk, []).extend(why)
    rows = base.filter(pk__in=reasons).select_related("mentee__user", "mentor__user").order_by("started_at", "pk")
    if limit is not None:
        rows = rows[:limit]
    return [(tandem, reasons[tandem.pk]) for tandem in rows], len(reasons)


LOW_RATING = 2  # a rating of at most this in the newest answer
STALE_GOAL_DAYS = 90


def _survey_reasons(base, *, now) -> dict[int, list[str]]:
    """Low rating in the newest answer, two answers in a row without a meeting, no goal moving for 90 days."""
    answers: dict[int, list[CheckIn]] = {}
    for checkin in (CheckIn.objects.filter(tandem__in=base, answered_at__isnull=False)
                    .order_by("tandem_id", "answered_at", "pk")):
        answers.setdefault(checkin.tandem_id, []).append(checkin)
    agreed = dict(Agreement.objects.filter(tandem__in=base, confirmed_at__isnull=False).order_by()
                  .values_list("tandem_id").annotate(first=Min("confirmed_at")))
    reasons: dict[int, list[str]] = {}
    for pk in set(answers) | set(agreed):
        rows, why = answers.get(pk, []), []
        if rows and rows[-1].rating is not None and rows[-1].rating <= LOW_RATING:
            why.append(_("niedrige Bewertung (%(rating)d von 5) in der Kurzbefragung") % {"rating": rows[-1].rating})
        by_person: dict[int, list[CheckIn]] = {}
        for row in rows:
            by_person.setdefault(row.user_id, []).append(row)
        if any(len(own) >= 2 and own[-1].met is False and own[-2].met is False for own in by_person.values()):
            why.append(_("zwei Kurzbefragungen ohne Treffen"))
        if pk in agreed:
            moved = agreed[pk]
            for own in by_person.values():
                previous: dict = {}
                for row in own:
                    if any(state != previous.get(topic, Progress.OPEN) for topic, state in row.progress.items()):
                        moved = max(moved, row.answered_at)
                    previous = row.progress
            if now - moved > timedelta(days=STALE_GOAL_DAYS):
                why.append(_("seit %(days)d Tagen bewegt sich kein Ziel") % {"days": STALE_GOAL_DAYS})
        if why:
            reasons[pk] = why
    return reasons
