"""Which active Tandems staff should look at, and why (the cockpit's at-risk list)."""
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Tandem
from .agreements import AGREEMENT_DUE_DAYS, tandems_without_agreement


def tandems_at_risk(*, tandems: QuerySet[Tandem] | None = None, now=None) -> list[tuple[Tandem, list[str]]]:
    """Active Tandems with at least one reason, oldest first; ``tandems`` narrows the candidates."""
    now = now or timezone.now()
    base = (tandems if tandems is not None else Tandem.objects.all()).filter(status=Tandem.Status.ACTIVE)
    reasons: dict[int, list[str]] = {}
    for pk in tandems_without_agreement(now=now).filter(pk__in=base.values("pk")).values_list("pk", flat=True):
        reasons.setdefault(pk, []).append(
            _("keine bestätigte Vereinbarung nach %(days)d Tagen") % {"days": AGREEMENT_DUE_DAYS})
    for pk, why in _survey_reasons(base, now=now).items():
        reasons.setdefault(pk, []).extend(why)
    rows = base.filter(pk__in=reasons).select_related("mentee__user", "mentor__user").order_by("started_at", "pk")
    return [(tandem, reasons[tandem.pk]) for tandem in rows]


def _survey_reasons(base, *, now) -> dict[int, list[str]]:
    return {}
