"""Reads of people, organisations and registrations that pages share."""
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery

from . import rules, signals
from .choices import MENTEE_ROLES, MENTOR_ROLES, Level, Role
from .models import Competence, FederalState, Organisation, Profile, Registration, Topic
from .organisations import reference_counts, similarity_key


def profile_for_page(*, user) -> Profile | None:
    return (
        Profile.objects.select_related("user", "organisation__org_type", "organisation__federal_state")
        .prefetch_related("needs__topic", "competences__topic")
        .filter(user=user)
        .first()
    )


def matching_outlook(*, user) -> signals.MatchingOutlook | None:
    """The matching's answer for a person in the pool (``signals.matching_outlook``); None without one."""
    for _receiver, answer in signals.matching_outlook.send(sender=type(user), user=user):
        if answer is not None:
            return answer
    return None


def registrations_for_admin() -> QuerySet[Registration]:
    return Registration.objects.select_related(
        "user__profile__organisation__org_type", "user__profile__organisation__federal_state")


# A search for Mentor*innen finds those who take both roles too; "beides" finds only them.
ROLE_INCLUDES = {Role.MENTOR: MENTOR_ROLES, Role.MENTEE: MENTEE_ROLES, Role.BOTH: (Role.BOTH,)}


def _person_matches(text: str) -> Q:
    """Every word of ``text`` in the person's name, e-mail or organisation."""
    condition = Q()
    for word in text.split():
        condition &= (Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
                      | Q(user__email__icontains=word) | Q(organisation__name__icontains=word))
    return condition


def experts(*, topic: Topic | None = None, min_level: int = Level.BASIC, role: str = "",
            state: FederalState | None = None, text: str = "") -> QuerySet[Profile]:
    """Approved participants who know a topic ("wer kennt sich mit Starkregenvorsorge aus?"), best first.

    ``topic`` asks for a competence in that topic at ``min_level`` or above; without it, ``text``
    names the topic ("Starkregen" finds Starkregenvorsorge) or the person, their e-mail or
    organisation; with neither, any competence at ``min_level`` counts. Each profile carries
    ``expert_level`` (its highest level among the topics asked for, None when only the person
    matched) and ``matching_competences`` (those competences, highest first). ``role`` "mentor"
    or "mentee" includes people who take both roles. The admin's expert search and the event
    speaker picker both ask this.
    """
    text = " ".join(text.split())
    if topic is not None:
        topics = Topic.objects.filter(pk=topic.pk)
    elif text:
        topics = Topic.objects.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    else:
        topics = Topic.objects.all()
    competences = Competence.objects.filter(topic__in=topics, level__gte=min_level)
    best = competences.filter(profile=OuterRef("pk")).order_by("-level").values("level")[:1]
    profiles = (
        Profile.objects.filter(rules.approved_participant_q("user"))
        .annotate(expert_level=Subquery(best))
        .select_related("user", "organisation__federal_state", "organisation__org_type")
        .prefetch_related(Prefetch("competences", to_attr="matching_competences",
                                   queryset=competences.select_related("topic").order_by("-level",
                                                                                         "topic__position")))
    )
    if topic is not None:
        profiles = profiles.filter(expert_level__isnull=False)
        if text:
            profiles = profiles.filter(_person_matches(text))
    elif text:
        profiles = profiles.filter(Q(expert_level__isnull=False) | _person_matches(text))
    else:
        profiles = profiles.filter(expert_level__isnull=False)
    if role:
        profiles = profiles.filter(role__in=ROLE_INCLUDES[role])
    if state is not None:
        profiles = profiles.filter(organisation__federal_state=state)
    return profiles.order_by(F("expert_level").desc(nulls_last=True), "user__last_name", "user__first_name", "pk")


def with_reference_counts(organisations: list[Organisation]) -> list[Organisation]:
    """Each organisation with ``references``: [(kind, count)] of the rows that point at it."""
    counts = reference_counts(Organisation, [o.pk for o in organisations])
    for organisation in organisations:
        organisation.references = sorted(counts[organisation.pk].items())
    return organisations


def possible_duplicate_organisations() -> list[list[Organisation]]:
    """Organisations whose names look alike (``similarity_key``), in groups, each with its references.

    Two queries plus one per kind of reference, however many organisations there are.
    """
    groups: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.select_related("org_type", "federal_state").order_by("name", "pk"):
        key = similarity_key(organisation.name)
        if key:
            groups.setdefault(key, []).append(organisation)
    found = [group for _key, group in sorted(groups.items()) if len(group) > 1]
    with_reference_counts([organisation for group in found for organisation in group])
    return found
