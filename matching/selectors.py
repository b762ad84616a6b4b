"""Reads of the matching app that pages, admin and services share."""
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import rules
from accounts.choices import MENTEE_ROLES, MENTOR_ROLES, FundingLine
from accounts.models import Profile
from accounts.rules import profile_in_matching_pool_q
from accounts.staff_groups import staff_may

from .models import MatchRun, Meeting, MeetingNote, PairRule, ProblemReport, Proposal, Tandem

QUIET_FLAG_DAYS = 56  # staff see Tandems quiet for eight weeks
QUIET_NUDGE_DAYS = 28  # a quiet Tandem is nudged by e-mail after four weeks without a logged meeting
PROFILE_RELATED = ("user", "organisation__org_type", "organisation__federal_state")
PAIR_RELATED = (*(f"mentee__{r}" for r in PROFILE_RELATED), *(f"mentor__{r}" for r in PROFILE_RELATED))



def pool_profiles() -> QuerySet[Profile]:
    """The matching pool (``accounts.rules.in_matching_pool``), with what the engine reads and the
    active Tandems as mentor and as mentee annotated."""
    return (
        Profile.objects.filter(profile_in_matching_pool_q())
        .select_related("user", "organisation__org_type", "organisation__federal_state")
        .prefetch_related("needs__topic", "competences__topic", "organisation__federal_state__neighbours")
        .annotate(
            active_as_mentor=Count("tandems_as_mentor", filter=Q(tandems_as_mentor__status=Tandem.Status.ACTIVE),
                                   distinct=True),
            active_as_mentee=Count("tandems_as_mentee", filter=Q(tandems_as_mentee__status=Tandem.Status.ACTIVE),
                                   distinct=True),
        )
    )


def pool_mentees() -> QuerySet[Profile]:
    """Mentees in the pool without an active Tandem: the people a run looks for a Mentor*in for."""
    return pool_profiles().filter(role__in=MENTEE_ROLES, active_as_mentee=0)


def pool_mentors() -> QuerySet[Profile]:
    """Mentor*innen in the pool, whether or not they have a place left."""
    return pool_profiles().filter(role__in=MENTOR_ROLES)


def pool_mentors_with_capacity() -> QuerySet[Profile]:
    """Mentor*innen in the pool who are available and have a place left, with ``free_places`` annotated:
    their capacity minus their active Tandems (what a run and the overview's free places read; the options page
    lists every pool Mentor*in and marks the full ones through the engine's capacity rule)."""
    return (pool_mentors().filter(mentor_available=True, mentor_capacity__gt=F("active_as_mentor"))
            .annotate(free_places=F("mentor_capacity") - F("active_as_mentor")))


def proposed_as(profile: Profile) -> tuple[bool, bool]:
    """Whether a run looks for a Mentor*in for this person (``pool_mentees``) and whether it may propose
    them as a Mentor*in (``pool_mentors_with_capacity``): the querysets a run reads, asked of one person."""
    return (pool_mentees().filter(pk=profile.pk).exists(),
            pool_mentors_with_capacity().filter(pk=profile.pk).exists())


def excluded_pairs() -> set[tuple[int, int]]:
    """(mentee profile, mentor profile) pairs never to propose: rejected, ended, excluded by staff."""
    pairs = set(Proposal.objects.filter(status=Proposal.Status.REJECTED).values_list("mentee_id", "mentor_id"))
    pairs |= set(Tandem.objects.filter(status=Tandem.Status.ENDED).values_list("mentee_id", "mentor_id"))
    pairs |= set(PairRule.objects.filter(kind=PairRule.Kind.EXCLUDE).values_list("mentee_id", "mentor_id"))
    return pairs


def pair_excluded(*, mentee_pk: int, mentor_pk: int) -> bool:
    """The one pair's answer of ``excluded_pairs``, without loading every pair."""
    return (Proposal.objects.filter(mentee_id=mentee_pk, mentor_id=mentor_pk, status=Proposal.Status.REJECTED).exists()
            or Tandem.objects.filter(mentee_id=mentee_pk, mentor_id=mentor_pk, status=Tandem.Status.ENDED).exists()
            or PairRule.objects.filter(mentee_id=mentee_pk, mentor_id=mentor_pk,
                                       kind=PairRule.Kind.EXCLUDE).exists())


def pinned_pairs() -> dict[int, int]:
    return dict(PairRule.objects.filter(kind=PairRule.Kind.PIN).values_list("mentee_id", "mentor_id"))


def proposals_for_run(*, run: MatchRun) -> QuerySet[Proposal]:
    return (run.proposals.exclude(status=Proposal.Status.SUPERSEDED)
            .select_related(*PAIR_RELATED, "decided_by")
            .order_by("status", "-score", "pk"))


# One page of a run's proposals as plain rows: the ordering is the partial index
# proposal_run_page (run, status, -score, id where not superseded), so the database reads just
# the page from the index instead of sorting every proposal of the run; the people of the page
# come in a second query (few joins, so planning stays cheap).
PROPOSAL_PAGE_FIELDS = ("pk", "status", "score", "manual", "reasons", "mentee_id", "mentor_id", "decided_at",
                        "decided_by__first_name", "decided_by__last_name", "decided_by__email")
PROPOSAL_PERSON_COLUMNS = ("pk", "user__first_name", "user__last_name", "user__email", "organisation__name",
                           "organisation__federal_state__name")


def proposal_page_rows(*, run: MatchRun) -> QuerySet:
    """The run's current proposals (not superseded) in the page's order, as dicts of
    PROPOSAL_PAGE_FIELDS; a slice of it is one page."""
    return (run.proposals.exclude(status=Proposal.Status.SUPERSEDED)
            .order_by("status", "-score", "pk").values(*PROPOSAL_PAGE_FIELDS))


def people_rows(profile_ids: Iterable[int]) -> dict[int, dict]:
    """Name, organisation and state of the given profiles, as dicts of PROPOSAL_PERSON_COLUMNS by profile id."""
    return {row["pk"]: row for row in Profile.objects.filter(pk__in=set(profile_ids)).values(*PROPOSAL_PERSON_COLUMNS)}


def user_label(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """What ``str(user)`` says (full name, else e-mail address), from the columns of a values() row."""
    return f"{first_name or ''} {last_name or ''}".strip() or (email or "")


# Contact data -------------------------------------------------------------------------------



def with_contact_visible(queryset: QuerySet[Tandem]) -> QuerySet[Tandem]:
    """The rule for contact data: shown only while the Tandem is active and both people
    share contact data (``accounts.rules.shares_contact``), annotated as ``contact_shared``."""
    rule = (Q(status=Tandem.Status.ACTIVE, mentee__isnull=False, mentor__isnull=False)
            & rules.shares_contact_q("mentee__user") & rules.shares_contact_q("mentor__user"))
    return queryset.annotate(contact_shared=Case(When(rule, then=Value(True)), default=Value(False),
                                                 output_field=BooleanField()))


def contact_visible(tandem: Tandem) -> bool:
    """May the partners see each other's e-mail, phone, organisation and needs now?"""
    shared = getattr(tandem, "contact_shared", None)
    if shared is None:
        shared = with_contact_visible(Tandem.objects.filter(pk=tandem.pk)).values_list(
            "contact_shared", flat=True).first() or False
    return shared


def either_side(profile: Profile) -> Q:
    """Rows with a mentee and a Mentor*in side (Tandems, proposals, pair rules) in which ``profile`` is one."""
    return Q(mentee=profile) | Q(mentor=profile)


def sides_of(user) -> Q:
    """The Tandems ``user`` is a side of, on the two indexed columns mentee_id and mentor_id: the
    user's profile id is one scalar subquery, so the database looks both columns up in their
    indexes instead of joining the profiles (and an OR across two joins)."""
    profile_id = Subquery(Profile.objects.filter(user_id=user.pk).values("pk")[:1])
    return Q(mentee_id=profile_id) | Q(mentor_id=profile_id)


# What the list of one's Tandems shows of each side: name, organisation and its state.
LIST_RELATED = tuple(f"{side}__{r}" for side in ("mentee", "mentor")
                     for r in ("user", "organisation__federal_state"))


def tandems_for_user(*, user) -> QuerySet[Tandem]:
    return with_contact_visible(
        Tandem.objects.filter(sides_of(user))
        .select_related(*LIST_RELATED)
        .annotate(meeting_count=Count("meetings"))
        .order_by("status", "-started_at"))


def tandems_visible_to(*, user) -> QuerySet[Tandem]:
    """The Tandems ``user`` may read: their own, or every Tandem for staff who may read Tandems in admin
    (``access.access_tandem`` fetches one)."""
    queryset = with_contact_visible(Tandem.objects.select_related(*PAIR_RELATED))
    if not staff_may(user, "matching.view_tandem"):
        queryset = queryset.filter(sides_of(user))
    return queryset


def reports_by(*, tandem: Tandem, user) -> QuerySet[ProblemReport]:
    """The reports ``user`` sent about ``tandem``, newest first, with the replies of the Koordination.

    Only the reporter's own: a partner asking gets none of them.
    """
    return (ProblemReport.objects.filter(tandem=tandem, reported_by=user, reported_by__isnull=False)
            .prefetch_related("replies").order_by("-created_at", "-pk"))


# Meetings -----------------------------------------------------------------------------------


def confirm_cutoff(now=None):
    """Entries submitted at or before this moment without objection count as confirmed."""
    return (now or timezone.now()) - timedelta(days=settings.MEETING_CONFIRM_DAYS)


def counted(now=None) -> Q:
    """Which meetings count (mentoring time, totals): confirmed, corrected, or open long enough."""
    return (Q(status__in=[Meeting.Status.CONFIRMED, Meeting.Status.CORRECTED])
            | Q(status=Meeting.Status.OPEN, submitted_at__lte=confirm_cutoff(now)))


# ``counted`` read on meetings annotated by ``with_state``: their state is one of these exactly when they count.
COUNTED_STATES = (Meeting.Status.CONFIRMED, Meeting.Status.CORRECTED)


def with_state(queryset: QuerySet[Meeting], now=None) -> QuerySet[Meeting]:
    """Annotate ``state``: the status as users see it, an unanswered entry confirmed after the period."""
    return queryset.annotate(state=Case(
        When(status=Meeting.Status.OPEN, submitted_at__lte=confirm_cutoff(now), then=Value(Meeting.Status.CONFIRMED)),
        default="status", output_field=CharField()))


def meetings_for_tandem(*, tandem: Tandem, user) -> QuerySet[Meeting]:
    """The Tandem's meetings with their state and only ``user``'s own private note (``own_notes``)."""
    return with_state(tandem.meetings.select_related("logged_by").prefetch_related(
        "topics", Prefetch("notes", queryset=MeetingNote.objects.filter(author=user), to_attr="own_notes")))


def _quiet(*, days: int, now=None) -> Q:
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Q(status=Tandem.Status.ACTIVE, last_activity_at__lt=cutoff)


def quiet_tandems(*, days: int, now=None) -> QuerySet[Tandem]:
    """Active Tandems with no logged meeting (or start) within ``days`` days."""
    return Tandem.objects.filter(_quiet(days=days, now=now))


def tandems_for_admin() -> QuerySet[Tandem]:
    """Tandems with their open reports and whether staff see them as quiet (``QUIET_FLAG_DAYS``)."""
    return Tandem.objects.select_related(*PAIR_RELATED).annotate(
        open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
        is_quiet=Case(When(_quiet(days=QUIET_FLAG_DAYS), then=Value(True)), default=Value(False),
                      output_field=BooleanField()))


def a2_mentors_with_minutes(*, year: int) -> QuerySet[Profile]:
    """Every Mentor*in funded under A.2 with an active account, annotated with ``minutes``: the
    confirmed mentoring time of ``year`` (what ``mentoring_minutes`` lists one by one), fewest first."""
    minutes = (Meeting.objects.filter(counted(), tandem__mentor=OuterRef("pk"), date__year=year)
               .order_by().values("tandem__mentor").annotate(total=Sum("duration_minutes")).values("total"))
    return (Profile.objects.filter(rules.mentor_q("user"), funding_line=FundingLine.A2)
            .annotate(minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), 0))
            .select_related("user", "organisation").order_by("minutes", "user__last_name", "pk"))


def mentoring_minutes(*, profile: Profile, year: int) -> QuerySet[Meeting]:
    """Confirmed meetings a person took part in as Mentor*in in one calendar year, each once."""
    return (Meeting.objects.filter(counted(), tandem__mentor=profile, date__year=year)
            .select_related("tandem__mentee__user", "tandem__mentee__organisation")
            .order_by("date", "pk"))



def open_proposals_counts() -> dict:
    """What a new run would replace: the open proposals of all runs (only the newest has any) and how many
    of them staff chose by hand ("Top 5 ansehen")."""
    return Proposal.objects.filter(status=Proposal.Status.OPEN).aggregate(
        open=Count("pk"), manual=Count("pk", filter=Q(manual=True)))
