"""Tandems, meetings and statements are fetched through these helpers: what a user may not see
answers 404, the same as what does not exist (in the style of Zulip's ``access_stream_by_id``)."""
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Profile

from . import selectors
from .models import Agreement, CheckIn, ClosingReview, Meeting, ProblemReport, Tandem

FIRST_STATEMENT_YEAR = 2020


def access_tandem(user, pk: int) -> Tandem:
    """A Tandem its two members and staff may read, with ``contact_shared`` annotated."""
    return get_object_or_404(selectors.tandems_visible_to(user=user), pk=pk)


def access_member_tandem(user, pk: int) -> Tandem:
    """A Tandem ``user`` belongs to, for what only its members do (meetings, reports); staff act in admin."""
    tandem = access_tandem(user, pk)
    _require_member(user, tandem)
    return tandem


def _require_member(user, tandem: Tandem) -> None:
    if not tandem.has_member(user):
        raise Http404


def access_meeting(user, tandem: Tandem, pk: int) -> Meeting:
    """One meeting of a Tandem ``user`` belongs to, with its state and only ``user``'s own note."""
    _require_member(user, tandem)
    return get_object_or_404(selectors.meetings_for_tandem(tandem=tandem, user=user), pk=pk)


def access_problem_report(user, tandem: Tandem, pk: int) -> ProblemReport:
    """A report ``user`` sent about a Tandem they belong to, with its replies; the partner gets a 404."""
    _require_member(user, tandem)
    return get_object_or_404(selectors.reports_by(tandem=tandem, user=user), pk=pk)


def access_statement_profile(user, year: int) -> Profile:
    """The Mentor*in's own profile, for the statement of a year from 2020 up to this one."""
    profile = Profile.objects.filter(user=user).select_related("user", "organisation").first()
    if profile is None or not profile.is_mentor or not FIRST_STATEMENT_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return profile


def access_agreement(tandem: Tandem, pk: int) -> Agreement:
    """A version of the Vereinbarung of a Tandem the caller already reached through ``access_member_tandem``."""
    return get_object_or_404(tandem.agreements, pk=pk)


def access_review(user, tandem: Tandem, pk: int) -> ClosingReview:
    """``user``'s own closing review of a Tandem they belong to; the partner's answers a 404."""
    return get_object_or_404(ClosingReview, pk=pk, tandem=tandem, user=user)


def access_checkin(user, tandem_pk: int, pk: int, *, token: str = "") -> tuple[CheckIn, bool]:
    """A Kurzbefragung and whether it was opened through its mail's link (``True``) rather than by its own
    person after login. A link opens it without login, once (``services.checkin_by_token`` refuses a
    forged, expired or used one with ``MatchingError``, whether or not the Kurzbefragung exists); anyone
    else gets 404."""
    from .services import checkin_by_token  # the token's rules live with the Kurzbefragungen

    entry = CheckIn.objects.select_related("tandem").filter(pk=pk, tandem_id=tandem_pk).first()
    if entry is not None and getattr(user, "is_authenticated", False) and entry.user_id == user.pk:
        return entry, False
    if token:
        return checkin_by_token(checkin=entry, token=token), True
    raise Http404
