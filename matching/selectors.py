"""Reads of the matching app that pages, admin and services share."""
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Profile
from accounts.selectors import approved_profiles

from .models import MatchRun, Meeting, PairRule, Proposal, Tandem

QUIET_FLAG_DAYS = 56  # staff see Tandems quiet for eight weeks
CHECKIN_DAYS = 28  # the Tandem gets a check-in e-mail after four weeks without a logged meeting
PROFILE_RELATED = ("user", "organisation__org_type", "organisation__federal_state")
PAIR_RELATED = (*(f"mentee__{r}" for r in PROFILE_RELATED), *(f"mentor__{r}" for r in PROFILE_RELATED))


def pool_profiles() -> QuerySet[Profile]:
    """The matching pool, annotated with active Tandems as mentor and as mentee."""
    return approved_profiles().annotate(
        active_as_mentor=Count("tandems_as_mentor", filter=Q(tandems_as_mentor__status=Tandem.Status.ACTIVE),
                               distinct=True),
        active_as_mentee=Count("tandems_as_mentee", filter=Q(tandems_as_mentee__status=Tandem.Status.ACTIVE),
                               distinct=True),
    )


def excluded_pairs() -> set[tuple[int, int]]:
    """(mentee profile, mentor profile) pairs never to propose: rejected, ended, excluded by staff."""
    pairs = set(Proposal.objects.filter(status=Proposal.Status.REJECTED).values_list("mentee_id", "mentor_id"))
    pairs |= set(Tandem.objects.filter(status=Tandem.Status.ENDED).values_list("mentee_id", "mentor_id"))
    pairs |= set(PairRule.objects.filter(kind=PairRule.Kind.EXCLUDE).values_list("mentee_id", "mentor_id"))
    return pairs


def pinned_pairs() -> dict[int, int]:
    return dict(PairRule.objects.filter(kind=PairRule.Kind.PIN).values_list("mentee_id", "mentor_id"))


def proposals_for_run(*, run: MatchRun) -> QuerySet[Proposal]:
    return (run.proposals.exclude(status=Proposal.Status.SUPERSEDED)
            .select_related(*PAIR_RELATED, "decided_by")
            .order_by("status", "-score", "pk"))


def tandems_for_user(*, user) -> QuerySet[Tandem]:
    return (Tandem.objects.filter(Q(mentee__user=user) | Q(mentor__user=user))
            .select_related(*PAIR_RELATED)
            .annotate(meeting_count=Count("meetings"))
            .order_by("status", "-started_at"))


def tandem_for_user(*, user, pk: int) -> Tandem:
    """A Tandem its two members and staff may see; anyone else gets 404."""
    queryset = Tandem.objects.select_related(*PAIR_RELATED)
    if not user.is_staff:
        queryset = queryset.filter(Q(mentee__user=user) | Q(mentor__user=user))
    tandem = queryset.filter(pk=pk).first()
    if tandem is None:
        raise Http404
    return tandem


def meetings_for_tandem(*, tandem: Tandem) -> QuerySet[Meeting]:
    return tandem.meetings.select_related("logged_by").prefetch_related("topics")


def tandems_for_admin() -> QuerySet[Tandem]:
    return Tandem.objects.select_related(*PAIR_RELATED).annotate(
        open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))


def quiet_tandems(*, days: int, now=None) -> QuerySet[Tandem]:
    """Active Tandems with no logged meeting (or start) within ``days`` days."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Tandem.objects.filter(status=Tandem.Status.ACTIVE, last_activity_at__lt=cutoff)


def mentoring_minutes(*, profile: Profile, year: int) -> QuerySet[Meeting]:
    """Meetings a person took part in as Mentor*in in one calendar year."""
    return (Meeting.objects.filter(tandem__mentor=profile, date__year=year)
            .select_related("tandem__mentee__user", "tandem__mentee__organisation")
            .order_by("date", "pk"))

