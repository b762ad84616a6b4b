"""Scoring: each criterion, each hard rule, and the German reasons staff read."""
import pytest

from accounts.choices import ConceptStage, FundingLine, MeetingFormat, SizeClass
from accounts.models import FederalState, OrganisationType, Profile
from accounts.tests.factories import OrganisationFactory, participant
from matching import engine, services
from matching.reasons import readable, rule_texts, stored

pytestmark = pytest.mark.django_db
WEIGHTS = engine.Weights()


def org(type_slug="landkreis", state="06", size=SizeClass.NOT_APPLICABLE):
    return OrganisationFactory(org_type=OrganisationType.objects.get(slug=type_slug),
                               federal_state=FederalState.objects.get(code=state), size_class=size)


def load(user) -> Profile:
    return (Profile.objects.select_related("user", "organisation__org_type", "organisation__federal_state")
            .prefetch_related("needs", "competences").get(user=user))


def reasons(mentee_user, mentor_user):
    mentee, mentor = services.person(load(mentee_user)), services.person(load(mentor_user))
    explained = engine.explain(mentee, mentor, WEIGHTS, neighbours=services.neighbour_map())
    return {r["criterion"]: r for r in readable(stored(explained))}


def test_topics_cover_needs_weighted_by_priority_and_level():
    mentee = participant(needs=[("haushalt", 3), ("steuerungskreis", 2), ("oeffentlichkeit", 1), ("monitoring", 1)])
    mentor = participant(mentor=True, competences=[("haushalt", 3), ("steuerungskreis", 3), ("oeffentlichkeit", 1)])
    result = reasons(mentee, mentor)["topics"]
    assert result["text"] == "deckt 3 von 4 Bedarfen ab: Haushaltsplanung, Steuerungskreis, Öffentlichkeitsarbeit"
    # (3*3 + 2*3 + 1*1) / (3 * (3+2+1+1)) of the weight
    assert result["points"] == pytest.approx(round(WEIGHTS.topics * 16 / 21, 2))


def test_no_common_topic_gives_no_topic_reason():
    mentee = participant(needs=["haushalt"])
    mentor = participant(mentor=True, competences=["monitoring"])
    assert "topics" not in reasons(mentee, mentor)


def test_same_organisation_type_and_similar_group():
    mentee = participant(organisation=org("landkreis"))
    same = participant(mentor=True, organisation=org("landkreis", state="16"))
    other_municipal = participant(mentor=True, organisation=org("kreisfreie-stadt", state="16"))
    social = participant(mentor=True, organisation=org("traeger", state="16"))
    assert reasons(mentee, same)["organisation"]["text"] == "beide: Landkreis (Kreis)"
    assert reasons(mentee, same)["organisation"]["points"] == WEIGHTS.organisation
    assert reasons(mentee, other_municipal)["organisation"]["text"] == "gleiche Art von Organisation: Kommune"
    assert "organisation" not in reasons(mentee, social)


def test_preference_for_similar_organisation_boosts():
    mentee = participant(organisation=org("landkreis"), prefers_similar_organisation=True)
    mentor = participant(mentor=True, organisation=org("landkreis", state="16"))
    assert reasons(mentee, mentor)["organisation"]["points"] == WEIGHTS.organisation * engine.PREFERENCE_BOOST


def test_size_class_same_and_neighbouring():
    mentee = participant(organisation=org("kreisfreie-stadt", size=SizeClass.CITY))
    same = participant(mentor=True, organisation=org("kreisfreie-stadt", "16", SizeClass.CITY))
    near = participant(mentor=True, organisation=org("kreisfreie-stadt", "16", SizeClass.LARGE_CITY))
    far = participant(mentor=True, organisation=org("kreisfreie-stadt", "16", SizeClass.RURAL))
    assert reasons(mentee, same)["size"]["text"] == "gleiche Größenklasse"
    assert reasons(mentee, near)["size"]["text"] == "ähnliche Größenklasse"
    assert "size" not in reasons(mentee, far)


def test_region_same_state_neighbour_and_onsite_counts_more():
    mentee = participant(organisation=org(state="06"), meeting_format=MeetingFormat.ONSITE)
    same = participant(mentor=True, organisation=org(state="06"), meeting_format=MeetingFormat.BOTH)
    neighbour = participant(mentor=True, organisation=org(state="16"), meeting_format=MeetingFormat.BOTH)
    far = participant(mentor=True, organisation=org(state="01"), meeting_format=MeetingFormat.BOTH)
    assert reasons(mentee, same)["region"]["text"] == "gleiches Bundesland: Hessen"
    assert reasons(mentee, neighbour)["region"]["text"] == "benachbarte Bundesländer: Hessen/Thüringen"
    assert "region" not in reasons(mentee, far)
    online_mentee = participant(organisation=org(state="06"), meeting_format=MeetingFormat.ONLINE)
    assert reasons(online_mentee, same)["region"]["points"] < reasons(mentee, same)["region"]["points"]


def test_format_and_language_reasons():
    mentee = participant(meeting_format=MeetingFormat.ONLINE, languages=["en", "de"])
    mentor = participant(mentor=True, meeting_format=MeetingFormat.ONLINE, languages=["de"])
    result = reasons(mentee, mentor)
    assert result["meeting_format"]["text"] == "gleiches Format: online"
    assert result["language"]["text"] == "gemeinsame Sprache: Deutsch"
    assert result["language"]["points"] == WEIGHTS.language * 0.5  # not the mentee's first language
    mixed = participant(mentor=True, meeting_format=MeetingFormat.BOTH, languages=["en"])
    assert reasons(mentee, mixed)["meeting_format"]["text"] == "Format vereinbar"


def test_funding_line_fit():
    mentee = participant(funding_line=FundingLine.A1, concept_stage=ConceptStage.IN_PROGRESS)
    a2 = participant(mentor=True, funding_line=FundingLine.A2)
    assert reasons(mentee, a2)["funding"]["text"] == (
        "A.2-Mentor*in für ein A.1-Erstvorhaben, das sein Konzept erst erstellt")
    assert reasons(mentee, a2)["funding"]["points"] == WEIGHTS.funding
    unfunded = participant(mentor=True, funding_line=FundingLine.NONE, concept_stage=ConceptStage.NONE)
    assert "funding" not in reasons(mentee, unfunded)


def test_reason_points_sum_to_score():
    mentee = participant(needs=[("haushalt", 3)], organisation=org(state="06"))
    mentor = participant(mentor=True, competences=[("haushalt", 2)], organisation=org(state="16"))
    a, b = services.person(load(mentee)), services.person(load(mentor))
    neighbours = services.neighbour_map()
    total = sum(r.points for r in engine.explain(a, b, WEIGHTS, neighbours=neighbours))
    scores, _feasible = engine.score_matrix([a], [b], WEIGHTS, neighbours=neighbours)
    assert scores[0, 0] == pytest.approx(total)


@pytest.mark.parametrize(("mentee_kwargs", "mentor_kwargs", "rule", "text"), [
    ({}, {"mentor_available": False}, engine.RULE_UNAVAILABLE, "Mentor*in ist nicht verfügbar"),
    ({}, {"mentor_capacity": 0}, engine.RULE_NO_CAPACITY, "Mentor*in hat keine freie Kapazität"),
    ({"languages": ["de"]}, {"languages": ["en"]}, engine.RULE_NO_LANGUAGE, "keine gemeinsame Sprache"),
    ({"meeting_format": MeetingFormat.ONSITE}, {"meeting_format": MeetingFormat.ONLINE}, engine.RULE_FORMAT,
     "Format unvereinbar (nur vor Ort / nur online)"),
])
def test_hard_rules(mentee_kwargs, mentor_kwargs, rule, text):
    mentee = services.person(load(participant(**mentee_kwargs)))
    mentor = services.person(load(participant(mentor=True, **mentor_kwargs)))
    rules = engine.infeasible_rules(mentee, mentor)
    assert rules == [rule]
    assert rule_texts(rules) == [text]


def test_same_organisation_and_same_person_are_infeasible():
    shared = org()
    mentee = services.person(load(participant(organisation=shared)))
    colleague = services.person(load(participant(mentor=True, organisation=shared)))
    assert engine.infeasible_rules(mentee, colleague) == [engine.RULE_SAME_ORGANISATION]
    both = services.person(load(participant(mentor=True, role="both")))
    assert engine.RULE_SAME_PERSON in engine.infeasible_rules(both, both)
    assert engine.infeasible_rules(mentee, colleague, excluded=True)[-1] == engine.RULE_EXCLUDED


def test_no_protected_attribute_is_a_criterion():
    assert set(engine.Weights().as_dict()) == {"topics", "organisation", "size", "region", "meeting_format",
                                               "language", "funding"}
    fields = set(engine.Person.__dataclass_fields__)
    assert not fields & {"gender", "age", "birth_date", "origin", "nationality", "first_name", "last_name"}
