"""Who counts as what, written once: each rule as a predicate and as a queryset filter.

The rules differ on purpose, and each variant has its own name here:

- ``approved_participant``: an active account that is staff or whose registration was
  approved after the Kennenlerngespräch. Opens the forum, members-only events, /tandem/.
- ``mentor``: an active account whose profile takes the Mentor*in role (alone or both).
  Staff are not mentors by their role; places that let staff in say so themselves.
- ``in_matching_pool``: an approved registration (staff do not count by their role), an
  active account with a confirmed address (the match mail carries the partner's contact
  details), a profile and an active consent to share the profile with a Tandem partner.
  ``matching_pool_obstacles`` names which of these a person lacks (/profil/ says so); the
  predicate is "none".
- ``shares_contact``: active consents to the programme and to partner sharing; a Tandem
  partner sees contact data only while both people share it.
- ``news_recipient``: an active account with an active news consent and a confirmed
  address (double opt-in: news go only to an address its owner has confirmed).
- ``programme_mail_recipient``: an active account with an active programme consent; letters
  essential to the programme reach these, whatever their news consent says.

Each ``*_q(prefix)`` is the same rule as a ``Q`` for a queryset whose rows reach the user
through ``prefix`` ("" for ``User``, "user" for ``Profile`` or ``EventRegistration``); a
test holds predicate and filter equal on generated people.
"""
from enum import StrEnum

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from .choices import MENTOR_ROLES
from .models import Consent, Registration


def _path(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def _active_consent(prefix: str, purpose: str) -> Exists:
    return Exists(Consent.objects.active().filter(user=OuterRef(_path(prefix, "pk")), purpose=purpose))


def _has_consent(user, purpose: str) -> bool:
    return Consent.objects.active().filter(user=user, purpose=purpose).exists()


def _approved(user) -> bool:
    registration = getattr(user, "registration", None)
    return registration is not None and registration.status == Registration.Status.APPROVED


# Approved participant ---------------------------------------------------------------------


def approved_participant(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or _approved(user)


def approved_participant_q(prefix: str = "") -> Q:
    approved = Q(**{_path(prefix, "registration__status"): Registration.Status.APPROVED})
    return Q(**{_path(prefix, "is_active"): True}) & (Q(**{_path(prefix, "is_staff"): True}) | approved)


# Mentor -----------------------------------------------------------------------------------


def mentor(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    profile = getattr(user, "profile", None)
    return profile is not None and profile.is_mentor


def mentor_q(prefix: str = "") -> Q:
    return Q(**{_path(prefix, "is_active"): True, _path(prefix, "profile__role__in"): MENTOR_ROLES})


# Matching pool ----------------------------------------------------------------------------


class PoolObstacle(StrEnum):
    """What keeps a person out of the matching pool, one value per condition of the rule."""

    ACCOUNT_INACTIVE = "account_inactive"
    NOT_APPROVED = "not_approved"
    NO_PROFILE = "no_profile"
    NO_PARTNER_SHARING = "no_partner_sharing"
    UNCONFIRMED_ADDRESS = "unconfirmed_address"


def matching_pool_obstacles(user) -> list[PoolObstacle]:
    """Every condition of ``in_matching_pool`` the person does not meet, in this order; empty when in."""
    if not getattr(user, "is_authenticated", False):
        return [PoolObstacle.ACCOUNT_INACTIVE]  # a visitor without an account has no active one
    obstacles = []
    if not user.is_active:
        obstacles.append(PoolObstacle.ACCOUNT_INACTIVE)
    if not _approved(user):
        obstacles.append(PoolObstacle.NOT_APPROVED)
    if getattr(user, "profile", None) is None:
        obstacles.append(PoolObstacle.NO_PROFILE)
    if not _has_consent(user, Consent.Purpose.PARTNER_SHARING):
        obstacles.append(PoolObstacle.NO_PARTNER_SHARING)
    if not _confirmed_address(user):
        obstacles.append(PoolObstacle.UNCONFIRMED_ADDRESS)
    return obstacles


def in_matching_pool(user) -> bool:
    return not matching_pool_obstacles(user)


def in_matching_pool_q(prefix: str = "") -> Q:
    return _pool_q(prefix) & Q(**{_path(prefix, "profile__isnull"): False})


def profile_in_matching_pool_q() -> Q:
    """``in_matching_pool_q`` asked of a Profile: the rule for its user, without "has a profile",
    which holds by itself there. Through ``user__profile`` that condition joined the profile table
    to itself, which cost PostgreSQL more to plan (about 14 ms at 5,000 participants) than to run."""
    return _pool_q("user")


def _pool_q(prefix: str) -> Q:
    return (Q(**{_path(prefix, "is_active"): True,
                 _path(prefix, "registration__status"): Registration.Status.APPROVED})
            & Q(_active_consent(prefix, Consent.Purpose.PARTNER_SHARING)) & Q(_confirmed_address_q(prefix)))


# Contact sharing --------------------------------------------------------------------------


def shares_contact(user) -> bool:
    if user is None or not user.is_active:
        return False
    return (_has_consent(user, Consent.Purpose.PROGRAMME)
            and _has_consent(user, Consent.Purpose.PARTNER_SHARING))


def shares_contact_q(prefix: str = "") -> Q:
    return (Q(**{_path(prefix, "is_active"): True})
            & Q(_active_consent(prefix, Consent.Purpose.PROGRAMME))
            & Q(_active_consent(prefix, Consent.Purpose.PARTNER_SHARING)))


# Letters: news and what is essential to the programme --------------------------------------


def _confirmed_address(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def news_recipient(user) -> bool:
    if user is None or not user.is_active:
        return False
    return _has_consent(user, Consent.Purpose.NEWS) and _confirmed_address(user)


def _confirmed_address_q(prefix: str) -> Exists:
    return Exists(EmailAddress.objects.filter(user=OuterRef(_path(prefix, "pk")),
                                              email__iexact=OuterRef(_path(prefix, "email")), verified=True))


def ever_confirmed_q(prefix: str = "") -> Exists:
    """The person confirmed an address once, the current one or an earlier one: unlike ``_confirmed_address_q``
    (mail goes only to a confirmed current address) this asks whether the account was ever more than a
    sign-up nobody answered, which is what the retention of never-confirmed accounts asks."""
    return Exists(EmailAddress.objects.filter(user=OuterRef(_path(prefix, "pk")), verified=True))


def news_recipient_q(prefix: str = "") -> Q:
    return (Q(**{_path(prefix, "is_active"): True}) & Q(_active_consent(prefix, Consent.Purpose.NEWS))
            & Q(_confirmed_address_q(prefix)))


def programme_mail_recipient(user) -> bool:
    return user is not None and user.is_active and _has_consent(user, Consent.Purpose.PROGRAMME)


def programme_mail_recipient_q(prefix: str = "") -> Q:
    return Q(**{_path(prefix, "is_active"): True}) & Q(_active_consent(prefix, Consent.Purpose.PROGRAMME))


ROLE_FIXED = gettext_lazy("Nach der Freigabe ändert die Koordination Ihre Rolle im Programm. Passt sie nicht mehr, "
                          "schreiben Sie uns bitte.")


def role_changeable_by_self(profile) -> bool:
    """Whether the person may still change their role (mentee, Mentor*in, both) on /profil/bearbeiten/: until
    the Koordination approved them. After the approval the role opens the mentors' forum and the pool's
    Mentor*in side, so only the Koordination changes it (in admin)."""
    registration = Registration.objects.filter(user_id=profile.user_id).only("status").first()
    return registration is None or registration.status != Registration.Status.APPROVED
