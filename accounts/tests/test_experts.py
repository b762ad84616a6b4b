"""Staff find experts ("wer kennt sich mit Starkregen aus?") by competence and level, role, Bundesland."""
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import selectors
from accounts.choices import MENTEE_ROLES, MENTOR_ROLES, Role
from accounts.models import Competence, FederalState, Registration, User
from accounts.tests.factories import OrganisationFactory, participant, staff_only_page, topic

URL = "/admin/accounts/profile/expertinnen/"
ROLE_INCLUDES = {"": tuple(Role), Role.MENTOR: MENTOR_ROLES, Role.MENTEE: MENTEE_ROLES, Role.BOTH: (Role.BOTH,)}


def person(name, *, state="06", role=Role.MENTOR, competences=(), status=Registration.Status.APPROVED, **kwargs):
    first, last = name.split()
    user = participant(mentor=role != Role.MENTEE, role=role, competences=competences, status=status,
                       organisation=OrganisationFactory(federal_state=FederalState.objects.get(code=state)),
                       user__first_name=first, user__last_name=last, **kwargs)
    return user


@pytest.fixture
def people(db):
    """Who knows Starkregen, and how well: in Hessen (06) and Nordrhein-Westfalen (05), in each role."""
    return {
        "anna": person("Anna Adler", competences=[("starkregen", 3), ("hitzeaktionsplan", 1)]),
        "ben": person("Ben Berg", role=Role.BOTH, competences=[("starkregen", 2)]),
        "cem": person("Cem Celik", role=Role.MENTEE, competences=[("starkregen", 1), ("schwammstadt", 3)]),
        "dora": person("Dora Dach", state="05", competences=[("starkregen", 3)]),
        "emil": person("Emil Ernst", competences=[("hitzeaktionsplan", 3)]),
        # Not approved (yet or any more): never offered as an expert.
        "fritz": person("Fritz Fuchs", competences=[("starkregen", 3)], status=Registration.Status.SUBMITTED),
        "gina": person("Gina Graf", competences=[("starkregen", 3)], status=Registration.Status.WITHDRAWN),
    }


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def names(profiles) -> list[str]:
    return [p.user.first_name for p in profiles]


def listed(response) -> list[str]:
    """First names in the result table, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">(\w+) \w+</a>', response.content.decode())


@pytest.mark.django_db
def test_the_selector_finds_who_knows_a_topic_at_a_level_best_first(people):
    starkregen = topic("starkregen")
    assert names(selectors.experts(topic=starkregen)) == ["Anna", "Dora", "Ben", "Cem"]
    assert names(selectors.experts(topic=starkregen, min_level=2)) == ["Anna", "Dora", "Ben"]
    hessen = FederalState.objects.get(code="06")
    assert names(selectors.experts(topic=starkregen, min_level=2, state=hessen)) == ["Anna", "Ben"]
    # "Mentor*in" includes those who take both roles; "beides" only them.
    assert names(selectors.experts(topic=starkregen, role=Role.MENTOR)) == ["Anna", "Dora", "Ben"]
    assert names(selectors.experts(topic=starkregen, role=Role.MENTEE)) == ["Ben", "Cem"]
    assert names(selectors.experts(topic=starkregen, role=Role.BOTH)) == ["Ben"]
    found = selectors.experts(topic=starkregen, min_level=3)
    assert [(p.expert_level, [str(c) for c in p.matching_competences]) for p in found] == [
        (3, ["Starkregenrisikomanagement (sehr erfahren)"])] * 2


@pytest.mark.django_db
def test_text_names_a_topic_or_a_person(people):
    # "Starkregen" is the short name of "Starkregenrisikomanagement".
    assert names(selectors.experts(text="starkregen")) == ["Anna", "Dora", "Ben", "Cem"]
    assert names(selectors.experts(text="hitze", min_level=3)) == ["Emil"]
    # A person found by name (without the competence) comes after those who know the topic.
    assert names(selectors.experts(text="Ernst")) == ["Emil"]
    assert names(selectors.experts(text="ben berg")) == ["Ben"]
    assert names(selectors.experts(topic=topic("starkregen"), text="Dach")) == ["Dora"]
    assert names(selectors.experts(text="gibt es nicht")) == []


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_search_returns_exactly_who_has_the_competence_at_the_level_in_that_state_and_role(data):
    with transaction.atomic():  # each example starts from an empty programme
        check_one_search(data)
        transaction.set_rollback(True)


def check_one_search(data):
    slugs = ["starkregen", "hitzeaktionsplan", "schwammstadt"]
    states = ["05", "06"]
    for index in range(data.draw(st.integers(0, 7))):
        competences = data.draw(st.dictionaries(st.sampled_from(slugs), st.integers(1, 3), max_size=3))
        person(f"Person{index} Nachname", state=data.draw(st.sampled_from(states)),
               role=data.draw(st.sampled_from(list(Role))), competences=list(competences.items()),
               status=data.draw(st.sampled_from([Registration.Status.APPROVED, Registration.Status.SUBMITTED])))
    wanted = topic(data.draw(st.sampled_from(slugs)))
    min_level = data.draw(st.integers(1, 3))
    role = data.draw(st.sampled_from(list(ROLE_INCLUDES)))
    state = FederalState.objects.get(code=data.draw(st.sampled_from(states)))

    found = list(selectors.experts(topic=wanted, min_level=min_level, role=role, state=state))

    expected = sorted(
        ((c.level, c.profile.user.last_name, c.profile.user.first_name, c.profile.pk) for c in
         Competence.objects.filter(topic=wanted).select_related("profile__user__registration", "profile__organisation")
         if c.level >= min_level and c.profile.role in ROLE_INCLUDES[role]
         and c.profile.organisation.federal_state_id == state.pk
         and c.profile.user.registration.status == Registration.Status.APPROVED),
        key=lambda row: (-row[0], row[1], row[2], row[3]))
    assert [(p.expert_level, p.pk) for p in found] == [(level, pk) for level, _last, _first, pk in expected]


@pytest.mark.django_db
def test_staff_search_the_admin_page_and_see_levels_best_first(staff_client, people):
    starkregen, hessen = topic("starkregen"), FederalState.objects.get(code="06")
    response = staff_client.get(URL, {"topic": starkregen.pk, "min_level": 2})
    html = response.content.decode()
    assert response.status_code == 200 and listed(response) == ["Anna", "Dora", "Ben"]
    assert "3 Personen gefunden" in html
    assert "Starkregenrisikomanagement: sehr erfahren" in html and "Starkregenrisikomanagement: erfahren" in html
    assert "Hitzeaktionsplan" not in html.split("<tbody>")[1]  # only the competences the search asked for
    assert listed(staff_client.get(URL, {"topic": starkregen.pk, "state": hessen.pk, "role": "mentee"})) == [
        "Ben", "Cem"]
    assert listed(staff_client.get(URL, {"q": "Starkregen", "min_level": 3})) == ["Anna", "Dora"]
    assert "Niemand passt zu dieser Suche" in staff_client.get(URL, {"q": "Sturmflut"}).content.decode()
    # The profile list leads there.
    assert URL in staff_client.get("/admin/accounts/profile/").content.decode()


@pytest.mark.django_db
def test_the_page_keeps_its_query_count_with_more_people(staff_client, people):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL, {"q": "Starkregen"}).status_code == 200
        return len(captured)

    few = queries()
    for index in range(12):
        person(f"Zora{index} Zeller", competences=[("starkregen", 2), ("schwammstadt", 1)])
    assert queries() == few


@pytest.mark.django_db
def test_the_results_are_paged(staff_client, people, settings):
    from accounts.admin import ProfileAdmin

    ProfileAdmin.experts_per_page = 2
    try:
        first = staff_client.get(URL, {"topic": topic("starkregen").pk})
        second = staff_client.get(URL, {"topic": topic("starkregen").pk, "seite": 2})
    finally:
        ProfileAdmin.experts_per_page = 50
    assert listed(first) == ["Anna", "Dora"] and listed(second) == ["Ben", "Cem"]
    assert f"topic={topic('starkregen').pk}&amp;seite=2" in first.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {"topic": "abc"}, {"topic": "987654"}, {"min_level": "9"}, {"min_level": "x"}, {"role": "admin"},
    {"state": "-1"}, {"q": "x" * 500}, {"seite": "-3"}, {"seite": "zwei"}, {"state": "Hessen"},
])
def test_bad_input_gives_a_german_message_not_an_error(staff_client, people, query):
    response = staff_client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    if "seite" not in query:
        assert "errorlist" in html
        assert re.search(r"gültige Auswahl|höchstens 100 Zeichen", html)


@pytest.mark.django_db
def test_participants_and_staff_without_the_permission_cannot_reach_it(client, people):
    page = staff_only_page(client, URL, participant=people["anna"], permissions=["view_profile"],
                           params={"q": "Starkregen"})
    assert page.status_code == 200


@pytest.mark.django_db
def test_inactive_accounts_are_not_offered(people):
    User.objects.filter(pk=people["anna"].pk).update(is_active=False)
    assert names(selectors.experts(topic=topic("starkregen"))) == ["Dora", "Ben", "Cem"]
