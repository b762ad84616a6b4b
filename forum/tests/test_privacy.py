"""Erasing an account removes the person from the forum; the export holds every forum row about them."""
import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import User
from accounts.services import user_delete, user_export
from forum import services
from forum.models import Attachment, Category, NotificationSetting, Post, Thread
from mentoring.kernel.privacy import FORMER_PARTICIPANT

from .conftest import PDF, upload

pytestmark = pytest.mark.django_db

REASON = "Dieser Beitrag verrät Interna meiner Kommune Zwiebelstadt."


@pytest.fixture
def leaver(mentee):
    User.objects.filter(pk=mentee.pk).update(first_name="Annegret", last_name="Quirinius")
    mentee.refresh_from_db()
    return mentee


@pytest.fixture
def history(client, leaver, mentor, staff_user):
    """The leaver asks, attaches, follows, reads, marks and reports; the mentor answers quoting them."""
    question = services.thread_create(
        author=leaver, category=Category.objects.get(slug="fragen-antworten"), kind="question", topics=[],
        title="Hitzeschutz in Kitas – Frage von Annegret Quirinius",
        body="Wie gehen Sie vor?\nViele Grüße, Annegret Quirinius",
        files=[upload("Konzept Quirinius.pdf", PDF), upload("Hitzeplan.pdf", PDF)])
    leaver_post = question.posts.get()
    client.force_login(mentor)
    quoted = client.get(reverse("forum:thread_reply", args=[question.pk]), {"zitat": leaver_post.pk})
    initial = quoted.context["form"].initial["body"]
    assert initial.startswith("Annegret Quirinius schrieb:\n> Wie gehen Sie vor?")
    mentor_body = initial + "Wir beginnen mit einer Hitzekarte."
    client.post(reverse("forum:thread_reply", args=[question.pk]), {"body": mentor_body})
    mentor_reply = question.posts.get(author=mentor)
    other_thread = services.thread_create(
        author=mentor, category=Category.objects.get(slug="praxistipps"), kind="tip", topics=[],
        title="Ein anderer Tipp", body="Schattenplätze zuerst.")
    services.helpful_toggle(post=mentor_reply, user=leaver)
    services.category_subscribe(category=other_thread.category, user=leaver)
    services.thread_mark_read(thread=other_thread, user=leaver)
    services.notification_mode_set(user=leaver, mode=NotificationSetting.Mode.DAILY)
    services.post_create(author=mentor, thread=other_thread, body="Nachtrag")
    services.report_create(post=other_thread.posts.get(is_first=True), reporter=leaver, reason=REASON)
    return {"question": question, "leaver_post": leaver_post, "mentor_reply": mentor_reply,
            "mentor_body": mentor_body, "other_thread": other_thread}


def _forum_text_values():
    """Every text and character value in every forum table, as a dump would show them."""
    for model in apps.get_app_config("forum").get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        for row in model.objects.values_list(*fields):
            yield from (str(value) for value in row if value)


def _person_columns():
    """(model, column) for every forum column that points at a person."""
    return [(model, field) for model in apps.get_app_config("forum").get_models()
            for field in model._meta.concrete_fields if field.is_relation and field.related_model is User]


def test_erasure_leaves_nothing_of_the_person_in_the_forum(client, history, leaver, mentor):
    name, email, pk = leaver.get_full_name(), leaver.email, leaver.pk
    user_delete(user=leaver)
    for model, column in _person_columns():
        assert not model.objects.filter(**{column.attname: pk}).exists(), (model, column.name)
    values = list(_forum_text_values())
    for secret in (name, "Quirinius", email, REASON):
        assert not [value for value in values if secret in value], secret
    history["mentor_reply"].refresh_from_db()
    assert history["mentor_reply"].helpful_count == 0


def test_quote_header_shows_former_participant_and_the_rest_of_the_reply_is_untouched(client, history, leaver,
                                                                                       mentor):
    user_delete(user=leaver)
    reply = Post.objects.get(pk=history["mentor_reply"].pk)
    former = str(FORMER_PARTICIPANT).replace("*", "\\*")  # escaped: the body is Markdown
    assert reply.body == (f"{former} schrieb:\n> Wie gehen Sie vor?\n> Viele Grüße, {former}"
                          "\n\nWir beginnen mit einer Hitzekarte.")
    client.force_login(mentor)
    page = client.get(reverse("forum:thread", args=[history["question"].pk])).content.decode()
    assert f"{FORMER_PARTICIPANT} schrieb:" in page
    assert f"<strong>{FORMER_PARTICIPANT}</strong>" in page  # the kept question, author erased
    assert "Wie gehen Sie vor?" in page and "Quirinius" not in page


def test_text_of_others_that_only_looks_like_a_quote_header_stays_theirs(history, leaver, mentor):
    """Their own sentences (no quote follows) and headers in threads the person never wrote in are kept."""
    own_words = services.post_create(
        author=mentor, thread=history["question"],
        body="Wie Annegret Quirinius schrieb: erst messen.\nAnnegret Quirinius schrieb:\nkein Zitat danach")
    elsewhere = services.post_create(author=mentor, thread=history["other_thread"],
                                     body="Annegret Quirinius schrieb:\n> aus einer anderen Quelle")
    before = {post.pk: post.body for post in (own_words, elsewhere)}
    user_delete(user=leaver)
    assert {post.pk: post.body for post in Post.objects.filter(pk__in=before)} == before


def test_erasure_keeps_posts_threads_and_attachments_for_the_others(history, leaver):
    user_delete(user=leaver)
    question = Thread.objects.get(pk=history["question"].pk)
    assert question.author is None and question.posts.count() == 2
    assert question.title == f"Hitzeschutz in Kitas – Frage von {FORMER_PARTICIPANT}"
    post = Post.objects.get(pk=history["leaver_post"].pk)
    former = str(FORMER_PARTICIPANT).replace("*", "\\*")
    assert post.author is None and post.body == f"Wie gehen Sie vor?\nViele Grüße, {former}"
    names = sorted(Attachment.objects.filter(post=post).values_list("original_name", flat=True))
    renamed = Attachment.objects.get(post=post, original_name__startswith="Anhang-")
    assert names == sorted(["Hitzeplan.pdf", f"Anhang-{renamed.pk}.pdf"])


def test_erasure_without_a_forum_history_does_nothing_else(mentor, staff_user):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"), kind="tip",
                                    topics=[], title="Bleibt unverändert", body="Text")
    other = User.objects.create(email="leer@example.org", first_name="", last_name="")
    services.personal_data_erase(user=other)
    assert Post.objects.get(thread=thread).body == "Text"


def test_export_holds_every_forum_row_about_the_person(history, leaver, staff_user):
    services.post_hide(post=history["other_thread"].posts.get(body="Nachtrag"), by=staff_user)
    data = user_export(user=leaver)["forum"]
    assert [t["titel"] for t in data["themen"]] == [history["question"].title]
    assert [p["text"] for p in data["beitraege"]] == [history["leaver_post"].body]
    assert [a["name"] for a in data["beitraege"][0]["anhaenge"]] == ["Konzept Quirinius.pdf", "Hitzeplan.pdf"]
    assert data["meldungen"][0]["grund"] == REASON
    assert data["benachrichtigung"] == "daily"
    assert [s["kategorie"] for s in data["abonnierte_kategorien"]] == ["Praxistipps"]
    assert {s["thema"] for s in data["abonnierte_themen"]} == {history["question"].title}
    assert {r["thema"] for r in data["gelesen"]} == {history["question"].title, history["other_thread"].title}
    assert [m["thema"] for m in data["hilfreich_markiert"]] == [history["question"].title]
    staff_data = user_export(user=staff_user)["forum"]
    assert [p["thema"] for p in staff_data["moderation"]["ausgeblendete_beitraege"]] == [history["other_thread"].title]


# Every forum column that points at a person, and where the export shows its rows.
EXPORTED = {
    ("Thread", "author"): "themen", ("Post", "author"): "beitraege", ("Post", "hidden_by"): "moderation",
    ("HelpfulMark", "user"): "hilfreich_markiert", ("ThreadSubscription", "user"): "abonnierte_themen",
    ("CategorySubscription", "user"): "abonnierte_kategorien", ("NotificationSetting", "user"): "benachrichtigung",
    ("DigestItem", "user"): "wartend_fuer_tageszusammenfassung", ("ThreadRead", "user"): "gelesen",
    ("CategoryRead", "user"): "kategorien_gelesen",
    ("Report", "reporter"): "meldungen", ("Report", "resolved_by"): "moderation",
}


def test_every_column_naming_a_person_is_exported(leaver):
    found = {(model.__name__, column.name) for model, column in _person_columns()}
    assert found == set(EXPORTED)
    assert set(EXPORTED.values()) <= set(services.personal_data(user=leaver))
