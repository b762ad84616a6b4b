"""Who a run pairs: the engine's view of a profile, the pool split into mentees and mentors, options by hand."""
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.choices import LANGUAGES, SIZE_ORDER, MeetingFormat
from accounts.models import FederalState, OrganisationType, Profile, Topic

from .. import engine, selectors
from ..models import MatchingSettings, Tandem
from .errors import MatchingError


def capacity_left(profile: Profile) -> int:
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


@dataclass
class Labels:
    """Names the German reasons need; loaded once per run."""

    topics: dict[int, str]
    states: dict[int, str]
    org_types: dict[int, str]

    @classmethod
    def load(cls) -> "Labels":
        return cls(topics=dict(Topic.objects.values_list("pk", "short_name")),
                   states=dict(FederalState.objects.values_list("pk", "name")),
                   org_types=dict(OrganisationType.objects.values_list("pk", "name")))


def reason_texts(reasons: Iterable[engine.Reason], labels: Labels) -> list[dict]:
    """The engine's reasons as stored German sentences with their points."""
    groups = dict(OrganisationType.Group.choices)
    formats = dict(MeetingFormat.choices)
    languages = dict(LANGUAGES)
    result = []
    for reason in reasons:
        params = dict(reason.params)
        if "topic_ids" in params:
            params["topics"] = ", ".join(labels.topics.get(t, "?") for t in params.pop("topic_ids"))
        if "org_type_id" in params:
            params["org_type"] = labels.org_types.get(params.pop("org_type_id"), "?")
        if "group" in params:
            params["group"] = str(groups.get(params["group"], params["group"]))
        if "state_id" in params:
            params["state"] = labels.states.get(params.pop("state_id"), "?")
            params["other_state"] = labels.states.get(params.pop("other_state_id"), "?")
        if "format" in params:
            params["format"] = str(formats.get(params["format"], params["format"]))
        if "language_codes" in params:
            params["languages"] = ", ".join(str(languages.get(c, c)) for c in params.pop("language_codes"))
        result.append({"criterion": reason.criterion, "points": round(reason.points, 2),
                       "text": _(reason.text) % params})
    return result


def rule_texts(rules: Iterable[str]) -> list[str]:
    return [_(engine.RULE_TEXTS[rule]) for rule in rules]


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
    labels = Labels.load()
    me = person(mentee)
    options = []
    for profile in mentors:
        other = person(profile)
        if engine.infeasible_rules(me, other, excluded=profile.pk in excluded):
            continue
        reasons = engine.explain(me, other, weights, neighbours=neighbours)
        options.append({"mentor": profile, "score": round(sum(r.points for r in reasons), 2),
                        "capacity_left": other.capacity, "reasons": reason_texts(reasons, labels)})
    options.sort(key=lambda o: (-o["score"], o["mentor"].pk))
    return options[:limit]
