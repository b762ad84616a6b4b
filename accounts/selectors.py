"""Reads of people and registrations that pages share."""
from django.db.models import QuerySet

from . import rules
from .models import Profile, Registration


def profile_for_page(*, user) -> Profile | None:
    return (
        Profile.objects.select_related("user", "organisation__org_type", "organisation__federal_state")
        .prefetch_related("needs__topic", "competences__topic")
        .filter(user=user)
        .first()
    )


def registrations_for_admin() -> QuerySet[Registration]:
    return Registration.objects.select_related(
        "user__profile__organisation__org_type", "user__profile__organisation__federal_state")


def approved_profiles() -> QuerySet[Profile]:
    """The profiles of the matching pool (``accounts.rules.in_matching_pool``), ready for scoring."""
    return (
        Profile.objects.filter(rules.in_matching_pool_q("user"))
        .select_related("user", "organisation__org_type", "organisation__federal_state")
        .prefetch_related("needs__topic", "competences__topic", "organisation__federal_state__neighbours")
    )
