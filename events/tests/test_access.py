"""Every events URL × every kind of user, with the expected answer (404 where nothing may leak)."""
import pytest
from django.urls import reverse

from events import urls as event_urls
from events.models import EventRegistration
from events.services import calendar_feed_for
from mentoring.tests.routes import url_names

from .conftest import USER_KINDS

pytestmark = pytest.mark.django_db

ANON, UNAPPROVED, MENTEE, MENTOR, STAFF = USER_KINDS
# Expected status per user kind, in the order of USER_KINDS.
ALL_200 = (200, 200, 200, 200, 200)
MEMBERS = (404, 404, 200, 200, 200)
MENTORS = (404, 404, 404, 200, 200)
STAFF_ONLY = (404, 404, 404, 404, 200)
APPROVED_PAGE = (302, 403, 200, 200, 200)
APPROVED_POST = (302, 403, 302, 302, 302)

# (url name, event visibility or None, method, expected statuses)
MATRIX = [
    ("list", None, "get", ALL_200),
    ("archive", None, "get", ALL_200),
    ("mine", None, "get", APPROVED_PAGE),
    ("feed_renew", None, "post", APPROVED_POST),
    ("detail", "public", "get", ALL_200),
    ("detail", "members", "get", MEMBERS),
    ("detail", "mentor_training", "get", MENTORS),
    ("detail", "draft", "get", STAFF_ONLY),
    ("ics", "public", "get", ALL_200),
    ("ics", "members", "get", MEMBERS),
    ("ics", "mentor_training", "get", MENTORS),
    ("ics", "draft", "get", STAFF_ONLY),
    ("register", "public", "post", APPROVED_POST),
    ("register", "members", "post", APPROVED_POST),
    ("register", "mentor_training", "post", (302, 403, 404, 302, 302)),
    ("register", "draft", "post", (302, 403, 404, 404, 302)),
    ("cancel", "public", "post", APPROVED_POST),
    ("cancel", "members", "post", APPROVED_POST),
    ("cancel", "mentor_training", "post", (302, 403, 404, 302, 302)),
    ("cancel", "draft", "post", (302, 403, 404, 404, 302)),
]
CASES = [(name, visibility, method, kind, expected[i])
         for name, visibility, method, expected in MATRIX for i, kind in enumerate(USER_KINDS)]


@pytest.mark.parametrize(("name", "visibility", "method", "kind", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES])
def test_permission_matrix(name, visibility, method, kind, expected, events_by_visibility, client_as):
    client = client_as(kind)
    args = [events_by_visibility[visibility].pk] if visibility else []
    response = getattr(client, method)(reverse(f"events:{name}", args=args))
    assert response.status_code == expected
    if expected == 302 and kind == ANON:
        assert response["Location"].startswith(reverse("account_login"))


def test_every_url_is_in_the_matrix():
    assert url_names(event_urls) - {"feed"} == {row[0] for row in MATRIX}


@pytest.mark.parametrize(("kind", "visible"), [
    (ANON, {"public"}),
    (UNAPPROVED, {"public"}),
    (MENTEE, {"public", "members"}),
    (MENTOR, {"public", "members", "mentor_training"}),
    (STAFF, {"public", "members", "mentor_training", "draft"}),
])
def test_list_shows_only_what_each_user_may_see(kind, visible, events_by_visibility, client_as):
    content = client_as(kind).get(reverse("events:list")).content.decode()
    for visibility, event in events_by_visibility.items():
        assert (event.title in content) == (visibility in visible), visibility


def test_registering_for_a_hidden_event_is_refused_without_a_row(events_by_visibility, client_as, mentee):
    response = client_as(MENTEE).post(reverse("events:register", args=[events_by_visibility["mentor_training"].pk]))
    assert response.status_code == 404
    assert not EventRegistration.objects.exists()


def test_feed_answers_its_owner_token_only(client, mentee, unapproved_user):
    feed = calendar_feed_for(user=mentee)
    assert client.get(reverse("events:feed", args=[feed.token])).status_code == 200
    assert client.get(reverse("events:feed", args=["falsch" + feed.token])).status_code == 404
    # A person whose registration is not (or no longer) approved has no feed.
    other = calendar_feed_for(user=unapproved_user)
    assert client.get(reverse("events:feed", args=[other.token])).status_code == 404


def test_renewing_the_feed_revokes_the_old_url(client_as, mentee):
    old = calendar_feed_for(user=mentee).token
    client = client_as(MENTEE)
    assert client.post(reverse("events:feed_renew")).status_code == 302
    new = calendar_feed_for(user=mentee).token
    assert new != old
    assert client.get(reverse("events:feed", args=[old])).status_code == 404
    assert client.get(reverse("events:feed", args=[new])).status_code == 200


def test_online_link_only_for_registered_participants(events_by_visibility, client_as, mentee):
    event = events_by_visibility["public"]
    assert event.online_url not in client_as(MENTEE).get(event.get_absolute_url()).content.decode()
    assert event.online_url not in client_as(ANON).get(reverse("events:ics", args=[event.pk])).content.decode()
    EventRegistration.objects.create(event=event, user=mentee, status=EventRegistration.Status.CONFIRMED)
    client = client_as(MENTEE)
    assert event.online_url in client.get(event.get_absolute_url()).content.decode()
    assert event.online_url in client.get(reverse("events:ics", args=[event.pk])).content.decode().replace(
        "\r\n ", "")


@pytest.mark.django_db
def test_a_logged_out_participant_on_a_members_event_finds_the_way_to_log_in(client, mentee):
    """A link from a mail opened while logged out: the 404 names the login, which leads back to the event."""
    from .factories import EventFactory

    event = EventFactory(visibility="members")
    path = reverse("events:detail", args=[event.pk])
    response = client.get(path)
    assert response.status_code == 404
    login = f'{reverse("account_login")}?next={path}'
    assert f'href="{login}"' in response.content.decode()
    client.force_login(mentee)
    assert client.get(path).status_code == 200
    assert 'href="/konto/login/?next=' not in client.get("/gibt-es-nicht/").content.decode()
