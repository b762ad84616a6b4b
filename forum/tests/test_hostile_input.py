"""Hostile values in every parameter of every forum URL answer a normal page, 400 or 404, never 500.

NUL bytes make PostgreSQL (not SQLite) raise inside a query, so this runs on both in CI.
"""
import pytest
from django.urls import reverse

from forum import services
from forum import urls as forum_urls
from forum.models import Category, Post
from mentoring.tests.routes import url_names

from .conftest import PDF, upload
from .factories import ThreadFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["\x00", "1\x00", "²", "٣", "99999999999999999999999", "-1", "1e3", " 7", "", "'\"<>", "😀",
           "x" * 3000, "a:*|!&\\"]


@pytest.fixture
def world(mentor, staff_user):
    thread = ThreadFactory(author=mentor, kind="question")
    reply = services.post_create(author=staff_user, thread=thread, body="Antwort", files=[upload("plan.pdf", PDF)])
    return {"thread": thread, "reply": reply, "first": thread.posts.get(is_first=True),
            "attachment": reply.attachments.get(),
            "token": services.unsubscribe_token(user=mentor, scope="thread", object_id=thread.pk)}


# (url name, path arguments, method, parameters the view reads)
TABLE = [
    ("index", lambda w: [], "get", ["seite"]),
    ("search", lambda w: [], "get", ["q", "art", "thema", "seite"]),
    ("settings", lambda w: [], "get", []),
    ("settings", lambda w: [], "post", ["mode"]),
    ("mark_all_read", lambda w: [], "post", ["kategorie"]),
    ("category", lambda w: ["fragen-antworten"], "get", ["art", "thema", "seite", "q"]),
    ("thread_create", lambda w: ["fragen-antworten"], "post", ["title", "kind", "topics", "body", "vorschau"]),
    ("category_subscribe", lambda w: ["fragen-antworten"], "post", ["aktion"]),
    ("thread", lambda w: [w["thread"].pk], "get", ["seite"]),
    ("thread_reply", lambda w: [w["thread"].pk], "get", ["zitat"]),
    ("thread_reply", lambda w: [w["thread"].pk], "post", ["body", "vorschau"]),
    ("thread_subscribe", lambda w: [w["thread"].pk], "post", ["aktion"]),
    ("thread_moderate", lambda w: [w["thread"].pk], "post", ["aktion", "category"]),
    ("post_link", lambda w: [w["reply"].pk], "get", []),
    ("post_edit", lambda w: [w["reply"].pk], "post", ["body", "vorschau"]),
    ("post_helpful", lambda w: [w["first"].pk], "post", []),
    ("post_accept", lambda w: [w["reply"].pk], "post", ["aktion"]),
    ("post_report", lambda w: [w["reply"].pk], "post", ["reason"]),
    ("post_moderate", lambda w: [w["reply"].pk], "post", ["aktion"]),
    ("attachment", lambda w: [w["attachment"].pk, "plan.pdf"], "get", []),
    ("unsubscribe", lambda w: [w["token"]], "post", []),
]


def test_every_forum_url_is_in_the_table():
    assert url_names(forum_urls) == {row[0] for row in TABLE}


def _request(client, method, url, data):
    response = getattr(client, method)(url, data)
    return response.status_code


@pytest.mark.parametrize(("name", "args", "method", "params"), TABLE, ids=[f"{r[0]}-{r[2]}" for r in TABLE])
def test_hostile_values_never_answer_500(client, request, world, name, args, method, params):
    client.raise_request_exception = False
    # Staff reach every branch (moderation, hidden posts); a participant's pages are the same views.
    client.force_login(request.getfixturevalue("staff_user" if "moderate" in name else "mentee"))
    url = reverse(f"forum:{name}", args=args(world))
    failures = []
    for param in params or [None]:
        for value in HOSTILE:
            data = {param: value} if param else {}
            if method == "post" and param in ("aktion", "category"):
                data.setdefault("aktion", "verschieben")
            status = _request(client, method, url, data)
            if status >= 500:
                failures.append((param, value[:20], status))
    assert failures == []


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_path_values_never_answer_500(client, mentee, world, value):
    """Path parts the URL patterns let through: tokens, file names and very large ids."""
    client.raise_request_exception = False
    client.force_login(mentee)
    for path in (f"/forum/abbestellen/{value}/", f"/forum/anhang/{world['attachment'].pk}/{value}",
                 "/forum/thema/99999999999999999999999/", "/forum/beitrag/9223372036854775808/",
                 f"/forum/kategorie/{value}/"):
        for method in ("get", "post"):
            assert getattr(client, method)(path).status_code < 500, (method, path)


def test_quote_with_a_superscript_digit_shows_the_empty_form(client, mentee, world):
    client.force_login(mentee)
    response = client.get(reverse("forum:thread_reply", args=[world["thread"].pk]), {"zitat": "²"})
    assert response.status_code == 200
    assert "schrieb:" not in response.content.decode()


def test_quote_of_a_real_post_still_works(client, mentee, world):
    client.force_login(mentee)
    response = client.get(reverse("forum:thread_reply", args=[world["thread"].pk]), {"zitat": world["reply"].pk})
    assert "schrieb:" in response.content.decode() and "&gt; Antwort" in response.content.decode()


def test_mark_all_read_with_a_nul_byte_in_kategorie_answers_400(client, mentee):
    client.force_login(mentee)
    assert client.post(reverse("forum:mark_all_read"), {"kategorie": "fragen\x00"}).status_code == 400
    assert client.post(reverse("forum:mark_all_read"), {"kategorie": "²"}).status_code == 404
    assert client.post(reverse("forum:mark_all_read"), {"kategorie": "fragen-antworten"}).status_code == 302


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_forum_admin_never_answer_500(client, staff_user, world, value):
    client.raise_request_exception = False
    client.force_login(staff_user)
    for model in ("category", "thread", "post", "report", "attachment"):
        base = f"/admin/forum/{model}/"
        for url, data in ((base, {"q": value}), (base, {"o": value}), (base, {"p": value}),
                          (base, {"category__id__exact": value}), (base, {"is_hidden__exact": value}),
                          (f"{base}{value}/change/", {}), (f"{base}{value}/delete/", {})):
            status = client.get(url, data).status_code
            assert status < 500, (url, data, status)


def test_unknown_topic_in_a_new_thread_is_a_message_next_to_the_field(client, mentee):
    client.force_login(mentee)
    response = client.post(reverse("forum:thread_create", args=["fragen-antworten"]),
                           {"title": "Eine Frage zur Förderung", "kind": "question", "body": "Text",
                            "topics": ["99999999999999999999"]})
    assert response.status_code == 200 and "Dieses Thema gibt es nicht." in response.content.decode()
    assert not Post.objects.filter(body="Text").exists()


def test_move_to_a_category_id_no_key_can_have_changes_nothing(client, staff_user, world):
    client.force_login(staff_user)
    client.post(reverse("forum:thread_moderate", args=[world["thread"].pk]), {"aktion": "verschieben",
                                                                              "category": "٣"})
    world["thread"].refresh_from_db()
    assert world["thread"].category == Category.objects.get(slug="fragen-antworten")
