"""Who a run pairs: the engine's view of a profile, the pool split into mentees and mentors, options by hand."""
from django.utils.translation import gettext as _

from accounts.choices import SIZE_ORDER
from accounts.models import FederalState, Profile

from .. import engine, selectors
from ..models import MatchingSettings, Tandem
from ..reasons import stored
from .errors import MatchingError


def capacity_left(profile: Profile) -> int:
    """Free places of a Mentor*in (``selectors.pool_mentors_with_capacity`` annotates the same for many)."""
    active = getattr(profile, "active_as_mentor", None)
    if active is None:
        active = Tandem.objects.filter(mentor=profile, status=Tandem.Status.ACTIVE).count()
    return max(profile.mentor_capacity - active, 0) if profile.mentor_available else 0


def person(profile: Profile) -> engine.Person:
    """The engine's view of a profile (needs and competences must be prefetched)."""
    organisation = profile.organisation
    size = organisation.size_class
    return engine.Person(
        key=profile.pk, organisation=organisation.pk, org_type=organisation.org_type_id,
        org_group=organisation.org_type.group, size=SIZE_ORDER.index(size) if size in SIZE_ORDER else -1,
        state=organisation.federal_state_id, meeting_format=profile.meeting_format,
        languages=tuple(profile.languages or ()), funding_line=profile.funding_line,
        concept_stage=profile.concept_stage,
        needs={n.topic_id: n.priority for n in profile.needs.all()},
        competences={c.topic_id: c.level for c in profile.competences.all()},
        prefers_same_state=profile.prefers_same_state,
        prefers_similar_organisation=profile.prefers_similar_organisation,
        capacity=capacity_left(profile) if profile.is_mentor else 0,
        available=profile.is_mentor and profile.mentor_available,
    )


def neighbour_map() -> dict[int, set[int]]:
    through = FederalState.neighbours.through
    result: dict[int, set[int]] = {}
    for a, b in through.objects.values_list("from_federalstate_id", "to_federalstate_id"):
        result.setdefault(a, set()).add(b)
        result.setdefault(b, set()).add(a)
    return result


def run_candidates() -> tuple[list[Profile], list[Profile]]:
    """The mentees a run looks for a Mentor*in for and the Mentor*innen with a place left, in pk order."""
    return list(selectors.pool_mentees().order_by("pk")), list(selectors.pool_mentors_with_capacity().order_by("pk"))


def mentor_options(*, mentee: Profile, limit: int = 5) -> list[dict]:
    """The best feasible Mentor*innen for one mentee, with score and reasons, for a choice by hand.

    Raises MatchingError when the mentee has left the pool since the run.
    """
    config = MatchingSettings.load()
    weights = config.weights()
    mentee = selectors.pool_profiles().filter(pk=mentee.pk).first()
    if mentee is None:
        raise MatchingError(_("Beide Personen müssen freigegeben und im Matching-Pool sein."))
    mentors = selectors.pool_mentors().exclude(pk=mentee.pk).order_by("pk")
    excluded = {b for a, b in selectors.excluded_pairs() if a == mentee.pk}
    neighbours = neighbour_map()
    me = person(mentee)
    options = []
    for profile in mentors:
        other = person(profile)
        if engine.infeasible_rules(me, other, excluded=profile.pk in excluded):
            continue
        reasons = engine.explain(me, other, weights, neighbours=neighbours)
        options.append({"mentor": profile, "score": round(sum(r.points for r in reasons), 2),
                        "capacity_left": other.capacity, "reasons": stored(reasons)})
    options.sort(key=lambda o: (-o["score"], o["mentor"].pk))
    return options[:limit]
