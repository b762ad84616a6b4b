"""Every forum URL requested as every kind of user, with the answer each must get."""
import pytest
from django.urls import reverse

from accounts.tests.factories import participant
from forum import services
from forum import urls as forum_urls
from forum.models import Category
from mentoring.tests.routes import url_names

from .conftest import PDF, upload
from .factories import ThreadFactory

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "unapproved_user", "mentee", "mentor", "staff_user"]


@pytest.fixture
def world(mentor, staff_user):
    """An open thread with a mentor's reply and an attachment, and a thread only mentors see."""
    thread = ThreadFactory(author=staff_user, kind="question")
    reply = services.post_create(author=mentor, thread=thread, body="Eine Antwort",
                                 files=[upload("plan.pdf", PDF)])
    closed = ThreadFactory(author=staff_user, category=Category.objects.get(slug="methoden-hilfsmittel"))
    closed_post = closed.posts.get()
    token = services.unsubscribe_token(user=mentor, scope="thread", object_id=thread.pk)
    return {"thread": thread, "reply": reply, "attachment": reply.attachments.get(), "closed": closed,
            "closed_post": closed_post, "token": token}


def _client(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


# (url name, args from world, method, expected status for anonymous, unapproved, mentee, mentor, staff)
OK = (302, 403, 200, 200, 200)
MATRIX = [
    ("index", lambda w: [], "get", OK),
    ("search", lambda w: [], "get", OK),
    ("settings", lambda w: [], "get", OK),
    ("mark_all_read", lambda w: [], "post", (302, 403, 302, 302, 302)),
    ("category", lambda w: ["fragen-antworten"], "get", OK),
    ("category", lambda w: ["methoden-hilfsmittel"], "get", (302, 403, 404, 200, 200)),
    ("thread_create", lambda w: ["fragen-antworten"], "get", OK),
    ("thread_create", lambda w: ["methoden-hilfsmittel"], "get", (302, 403, 404, 403, 200)),
    ("category_subscribe", lambda w: ["fragen-antworten"], "post", (302, 403, 302, 302, 302)),
    ("category_subscribe", lambda w: ["methoden-hilfsmittel"], "post", (302, 403, 404, 302, 302)),
    ("thread", lambda w: [w["thread"].pk], "get", OK),
    ("thread", lambda w: [w["closed"].pk], "get", (302, 403, 404, 200, 200)),
    ("thread", lambda w: [999999], "get", (302, 403, 404, 404, 404)),
    ("thread_reply", lambda w: [w["thread"].pk], "get", OK),
    ("thread_reply", lambda w: [w["closed"].pk], "get", (302, 403, 404, 200, 200)),
    ("thread_subscribe", lambda w: [w["thread"].pk], "post", (302, 403, 302, 302, 302)),
    ("thread_subscribe", lambda w: [w["closed"].pk], "post", (302, 403, 404, 302, 302)),
    ("thread_moderate", lambda w: [w["thread"].pk], "post", (302, 403, 404, 404, 302)),
    ("post_link", lambda w: [w["reply"].pk], "get", (302, 403, 302, 302, 302)),
    ("post_link", lambda w: [w["closed_post"].pk], "get", (302, 403, 404, 302, 302)),
    # The reply is the mentor's: only they may edit it (staff moderate by hiding, not editing).
    ("post_edit", lambda w: [w["reply"].pk], "get", (302, 403, 403, 200, 403)),
    ("post_helpful", lambda w: [w["reply"].pk], "post", (302, 403, 302, 302, 302)),
    ("post_helpful", lambda w: [w["closed_post"].pk], "post", (302, 403, 404, 302, 302)),
    ("post_accept", lambda w: [w["reply"].pk], "post", (302, 403, 302, 302, 302)),
    ("post_report", lambda w: [w["reply"].pk], "get", OK),
    ("post_report", lambda w: [w["closed_post"].pk], "get", (302, 403, 404, 200, 200)),
    ("post_moderate", lambda w: [w["reply"].pk], "post", (302, 403, 404, 404, 302)),
    ("attachment", lambda w: [w["attachment"].pk, "plan.pdf"], "get", OK),
    ("unsubscribe", lambda w: [w["token"]], "get", (200, 200, 200, 200, 200)),
    ("unsubscribe", lambda w: ["gefaelscht"], "get", (400, 400, 400, 400, 400)),
]


@pytest.mark.parametrize(("who_index", "who"), list(enumerate(USERS)))
@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_permission_matrix(client, request, world, who_index, who, name, args, method, expected):
    client = _client(client, request, who)
    url = reverse(f"forum:{name}", args=args(world))
    response = getattr(client, method)(url)
    assert response.status_code == expected[who_index], (name, who, response.status_code)
    if who == "anonymous" and expected[who_index] == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if who == "unapproved_user" and expected[who_index] == 403:
        assert "Kennenlerngespräch" in response.content.decode()


def test_every_forum_url_is_in_the_matrix():
    """A new URL without a permission row fails here."""
    assert url_names(forum_urls) == {row[0] for row in MATRIX}


def test_hidden_post_is_404_for_others_but_visible_to_staff(client, world, mentee, staff_user):
    services.post_hide(post=world["reply"], by=staff_user)
    client.force_login(mentee)
    assert client.get(reverse("forum:post_link", args=[world["reply"].pk])).status_code == 404
    assert client.get(reverse("forum:attachment", args=[world["attachment"].pk, "plan.pdf"])).status_code == 404
    assert "Eine Antwort" not in client.get(reverse("forum:thread", args=[world["thread"].pk])).content.decode()
    client.force_login(staff_user)
    assert "Eine Antwort" in client.get(reverse("forum:thread", args=[world["thread"].pk])).content.decode()


def test_withdrawn_participant_loses_access(client, mentee):
    from accounts.models import Registration

    Registration.objects.filter(user=mentee).update(status=Registration.Status.WITHDRAWN)
    client.force_login(mentee)
    assert client.get(reverse("forum:index")).status_code == 403


@pytest.mark.django_db
def test_koordination_reads_in_the_forum_admin_only_what_is_not_hidden(client, mentee):
    """Hidden posts and threads are the Moderation's: Koordination, who may view the forum's tables to count
    them, finds them neither in the lists, nor by search, nor at their change pages, nor behind a report."""
    from accounts.staff_groups import MODERATION
    from accounts.tests.factories import staff_member
    from forum.models import Post, Report

    shown = ThreadFactory(title="Sichtbares Thema")
    hidden = ThreadFactory(title="Ausgeblendetes Thema")
    secret = services.post_create(author=mentee, thread=shown, body="Geheimnisvoller Beitrag mit Telefonnummer")
    reported = services.report_create(post=secret, reporter=participant(), reason="Telefonnummer")
    type(hidden).objects.filter(pk=hidden.pk).update(is_hidden=True)
    Post.objects.filter(pk=secret.pk).update(is_hidden=True)

    client.force_login(staff_member("Koordination"))
    assert "Ausgeblendetes Thema" not in client.get(reverse("admin:forum_thread_changelist")).content.decode()
    assert client.get(reverse("admin:forum_thread_change", args=[hidden.pk])).status_code == 302
    page = client.get(reverse("admin:forum_post_changelist") + "?q=Geheimnisvoller").content.decode()
    assert "0 Ergebnisse" in page and "Telefonnummer" not in page
    assert client.get(reverse("admin:forum_post_change", args=[secret.pk])).status_code == 302
    assert client.get(reverse("admin:forum_report_change", args=[reported.pk])).status_code == 302
    assert "Sichtbares Thema" in client.get(reverse("admin:forum_thread_changelist")).content.decode()

    client.force_login(staff_member(MODERATION))
    assert client.get(reverse("admin:forum_thread_change", args=[hidden.pk])).status_code == 200
    assert "Geheimnisvoller" in client.get(reverse("admin:forum_post_change", args=[secret.pk])).content.decode()
    assert Report.objects.filter(pk=reported.pk).exists()
    assert client.get(reverse("admin:forum_report_change", args=[reported.pk])).status_code == 200


@pytest.mark.django_db
def test_only_the_moderation_hides_restores_and_resolves(mentee):
    """One rule (access.moderates) for the site, the admin's actions and the services, not change rights."""
    from django.contrib.auth.models import Permission

    from accounts.tests.factories import staff_member
    from forum.services import ForumActionError

    thread = ThreadFactory()
    post = services.post_create(author=mentee, thread=thread, body="Ein Beitrag")
    report = services.report_create(post=post, reporter=participant(), reason="Werbung")
    clerk = staff_member(None)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["change_post", "change_report"]))
    for call in (lambda: services.posts_hide(post_pks=[post.pk], by=clerk),
                 lambda: services.posts_restore(post_pks=[post.pk], by=clerk),
                 lambda: services.report_resolve(report=report, by=clerk)):
        with pytest.raises(ForumActionError):
            call()
    from forum.services.moderation import moderators

    assert clerk not in moderators()
    moderator = staff_member("Moderation")
    assert moderator in moderators()
    services.posts_hide(post_pks=[post.pk], by=moderator)
    post.refresh_from_db()
    assert post.is_hidden
