"""Erasing an account removes the person from the forum; the export holds every forum row about them."""
import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.models import User
from accounts.services import user_delete, user_export
from forum import selectors, services
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


def test_others_keep_their_words_but_not_the_erased_persons_name(history, leaver, mentor):
    """Someone else's sentences stay theirs; where they name the person in full (or by address or phone), that
    mention becomes "ehemalige*r Teilnehmer*in", in any thread, and the search no longer finds the name."""
    own_words = services.post_create(
        author=mentor, thread=history["question"],
        body="Wie Annegret Quirinius schrieb: erst messen.\nAnnegret Quirinius schrieb:\nkein Zitat danach")
    elsewhere = services.post_create(author=mentor, thread=history["other_thread"],
                                     body="@Quirinius, Annegret: ruf an! Danke Annegret.")
    from accounts.models import Profile

    Profile.objects.filter(user=leaver).update(phone="+49 561 7654321")
    their_title = services.thread_create(
        author=mentor, category=Category.objects.get(slug="praxistipps"), kind="tip", topics=[],
        title="Frage an Annegret Quirinius", body="Erreichbar unter 0561/765 4321, sagt sie.")
    user_delete(user=leaver)
    their_title.refresh_from_db()
    assert their_title.title == f"Frage an {FORMER_PARTICIPANT}"
    assert "4321" not in their_title.posts.get().body
    assert not list(selectors.search_page(user=mentor, text="7654321").object_list)
    former = str(FORMER_PARTICIPANT).replace("*", "\\*")
    assert Post.objects.get(pk=own_words.pk).body == (f"Wie {former} schrieb: erst messen.\n{former} schrieb:\n"
                                                      "kein Zitat danach")
    assert Post.objects.get(pk=elsewhere.pk).body == f"@{former}: ruf an! Danke Annegret."
    assert not list(selectors.search_page(user=mentor, text="Quirinius").object_list)


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
    assert data["benachrichtigung"] == "einmal täglich als Zusammenfassung"  # the setting as the page words it
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


def test_erasure_unnames_the_surname_phone_and_file_names_in_any_spelling(mentor):
    """Their own title with the surname alone, a phone number in their post, file names that kept their name with
    an apostrophe turned into "_" or in capitals beyond ASCII: none of it names them afterwards."""
    from accounts.models import Profile

    person = User.objects.get(pk=mentor.pk)
    User.objects.filter(pk=person.pk).update(first_name="Siobhán", last_name="O'Brien")
    Profile.objects.filter(user=person).update(phone="+49 2871 953-4471")
    person.refresh_from_db()
    thread = services.thread_create(
        author=person, category=Category.objects.get(slug="praxistipps"), kind="tip", topics=[],
        title="Hitzeaktionsplan O'Brien", body="Rufen Sie an: +49 2871 953-4471",
        files=[upload("Lebenslauf O'Brien.pdf", PDF), upload("Zeugnis SIOBHÁN.pdf", PDF), upload("Plan.pdf", PDF)])
    user_delete(user=person)
    thread.refresh_from_db()
    assert "O'Brien" not in thread.title and "4471" not in thread.posts.get().body
    names = sorted(Attachment.objects.filter(post__thread=thread).values_list("original_name", flat=True))
    assert [name for name in names if not name.startswith("Anhang-")] == ["Plan.pdf"], names
