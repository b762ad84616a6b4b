"""Reads of people and registrations that pages share."""
from django.db.models import QuerySet

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
    """Approved participants who agreed to share their profile with a partner: the matching pool."""
    from .models import Consent

    return (
        Profile.objects.filter(user__registration__status=Registration.Status.APPROVED, user__is_active=True,
                               user__consents__purpose=Consent.Purpose.PARTNER_SHARING,
                               user__consents__withdrawn_at__isnull=True)
        .select_related("user", "organisation__org_type", "organisation__federal_state")
        .prefetch_related("needs__topic", "competences__topic", "organisation__federal_state__neighbours")
    )
