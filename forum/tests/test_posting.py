"""Writing in the forum through its pages: threads, replies, preview, quoting, editing, bad input."""
import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Topic
from forum import services
from forum.models import Attachment, Category, Post, Thread
from forum.uploads import MAX_ATTACHMENT_BYTES

from .conftest import PDF, PNG, docx_bytes, upload
from .factories import ThreadFactory

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("forum:thread_create", args=["praxistipps"])


def _thread_data(**overrides):
    data = {"title": "Hitzeaktionsplan in 6 Monaten", "kind": "tip", "topics": [], "body": "So ging es bei uns."}
    data.update(overrides)
    return data


def test_mentor_writes_a_praxistipp_with_topics_and_attachments(client, mentor):
    client.force_login(mentor)
    topic_ids = list(Topic.objects.filter(slug__in=["hitzeaktionsplan", "haushalt"]).values_list("pk", flat=True))
    response = client.post(CREATE_URL, _thread_data(
        topics=topic_ids, attachments=[upload("leitfaden.pdf", PDF), upload("bericht.docx", docx_bytes()),
                                       upload("karte.png", PNG)]))
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("forum:thread", args=[thread.pk])
    assert thread.kind == Thread.Kind.TIP and thread.author == mentor and thread.post_count == 1
    assert set(thread.topics.values_list("slug", flat=True)) == {"hitzeaktionsplan", "haushalt"}
    assert sorted(Attachment.objects.values_list("extension", flat=True)) == ["docx", "pdf", "png"]
    assert thread.subscriptions.filter(user=mentor).exists()


def test_preview_renders_and_saves_nothing(client, mentor):
    client.force_login(mentor)
    response = client.post(CREATE_URL, _thread_data(body="**Vorschau-Text**", vorschau="1"))
    assert response.status_code == 200
    assert "<strong>Vorschau-Text</strong>" in response.content.decode()
    assert not Thread.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    (_thread_data(title=""), "Bitte geben Sie einen Titel ein."),
    (_thread_data(title="   ab  "), "mindestens 5 Zeichen"),
    (_thread_data(title="Ab"), "Der Titel braucht mindestens 5 Zeichen, damit andere das Thema finden."),
    (_thread_data(title="x" * 161), "höchstens 160 Zeichen"),
    (_thread_data(body="   "), "Bitte schreiben Sie einen Text."),
    (_thread_data(body="x" * 20001), "höchstens 20000 Zeichen"),
    (_thread_data(kind="gefaelscht"), "gültige Auswahl"),
    (_thread_data(topics=["999999"]), "Dieses Thema gibt es nicht."),
    (_thread_data(title="Hitzeschutz\r\nZur Prüfung: http://evil.example"), "ohne Zeilenumbrüche"),
])
def test_bad_thread_input_gives_german_error_and_saves_nothing(client, mentor, data, message):
    client.force_login(mentor)
    response = client.post(CREATE_URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "Bitte sicherstellen" not in page  # no generic Django wording
    assert not Thread.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("skript.pdf", b"#!/bin/sh\necho boese\n", "kein erlaubter Dateityp"),
    ("bild.png", b"<html><script>alert(1)</script></html>", "kein erlaubter Dateityp"),
    ("archiv.pdf", b"PK\x03\x04" + b"\x00" * 100, "kein erlaubter Dateityp"),
    ("programm.exe", b"MZ" + b"\x00" * 200, "kein erlaubter Dateityp"),
    ("leer.pdf", b"", "leer"),
    ("gross.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES, "„gross.pdf“ ist zu groß: erlaubt sind höchstens 10,0"),
])
def test_forbidden_or_oversized_attachment_is_refused(client, mentor, name, content, message, settings):
    client.force_login(mentor)
    response = client.post(CREATE_URL, _thread_data(attachments=[upload(name, content)]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Thread.objects.exists() and not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "forum").exists()


def test_too_many_attachments(client, mentor):
    client.force_login(mentor)
    response = client.post(CREATE_URL, _thread_data(attachments=[upload(f"d{i}.pdf", PDF) for i in range(6)]))
    assert "Höchstens 5 Anhänge" in response.content.decode()
    assert not Thread.objects.exists()


def test_file_with_pdf_name_but_png_content_is_stored_as_png(mentor):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"),
                                    title="Karte", kind="tip", topics=[], body="Karte",
                                    files=[upload("karte.pdf", PNG)])
    attachment = thread.posts.get().attachments.get()
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")


def test_files_are_removed_when_saving_fails(mentor, settings, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services.notifications, "post_notify", fail)
    with pytest.raises(RuntimeError):
        services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"), title="Karte",
                               kind="tip", topics=[], body="Karte", files=[upload("karte.pdf", PDF)])
    assert not Thread.objects.exists()
    assert not any(p.is_file() for p in (settings.MEDIA_ROOT).rglob("*"))


def test_participants_cannot_start_threads_in_staff_category(mentor):
    with pytest.raises(services.ForumActionError, match="nur das Programmteam"):
        services.thread_create(author=mentor, category=Category.objects.get(slug="methoden-hilfsmittel"),
                               title="Mein Thema", kind="discussion", topics=[], body="Text")


def test_mentee_cannot_post_in_mentors_category_even_by_service(mentee, staff_user):
    thread = ThreadFactory(author=staff_user, category=Category.objects.get(slug="methoden-hilfsmittel"))
    with pytest.raises(services.ForumActionError):
        services.post_create(author=mentee, thread=thread, body="Hallo")


def test_unknown_category_is_404(client, mentor):
    client.force_login(mentor)
    assert client.post(reverse("forum:thread_create", args=["gibt-es-nicht"]), _thread_data()).status_code == 404


def test_reply_and_quote(client, mentee, mentor):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="fragen-antworten"),
                                    title="Wie schreibe ich eine Ratsvorlage?", kind="question", topics=[],
                                    body="Erste Zeile\nZweite Zeile")
    client.force_login(mentee)
    first = thread.posts.get()
    form = client.get(reverse("forum:thread_reply", args=[thread.pk]) + f"?zitat={first.pk}").content.decode()
    assert f"{mentor.get_full_name()} schrieb:\n&gt; Erste Zeile\n&gt; Zweite Zeile" in form
    response = client.post(reverse("forum:thread_reply", args=[thread.pk]), {"body": "Danke, hilft!"})
    reply = Post.objects.get(body="Danke, hilft!")
    assert response.status_code == 302 and response["Location"] == reverse("forum:post_link", args=[reply.pk])
    thread.refresh_from_db()
    assert thread.post_count == 2 and thread.last_post_at == reply.created_at


def test_empty_reply_is_refused(client, mentee):
    thread = ThreadFactory()
    client.force_login(mentee)
    response = client.post(reverse("forum:thread_reply", args=[thread.pk]), {"body": "  "})
    assert response.status_code == 200 and "Bitte schreiben Sie einen Text." in response.content.decode()
    assert thread.posts.count() == 1


def test_locked_thread_refuses_replies_but_staff_may(client, mentee, staff_user):
    thread = ThreadFactory(is_locked=True)
    client.force_login(mentee)
    response = client.post(reverse("forum:thread_reply", args=[thread.pk]), {"body": "Noch was"})
    assert response.status_code == 403 and "gesperrt" in response.content.decode()
    assert thread.posts.count() == 1
    services.post_create(author=staff_user, thread=thread, body="Hinweis der Koordination")
    assert thread.posts.count() == 2


def test_author_edits_within_window_and_post_shows_edited(client, mentor):
    thread = ThreadFactory(author=mentor)
    post = thread.posts.get()
    client.force_login(mentor)
    response = client.post(reverse("forum:post_edit", args=[post.pk]), {"body": "Neuer Text"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Neuer Text" and post.edited_at is not None
    assert "bearbeitet am" in client.get(reverse("forum:thread", args=[thread.pk])).content.decode()


def test_edit_window_closes(client, mentor):
    thread = ThreadFactory(author=mentor)
    post = thread.posts.get()
    client.force_login(mentor)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        response = client.post(reverse("forum:post_edit", args=[post.pk]), {"body": "Zu spät"})
    assert response.status_code == 403 and "24 Stunden" in response.content.decode()
    post.refresh_from_db()
    assert post.body != "Zu spät"


def test_others_cannot_edit(client, mentee, mentor):
    post = ThreadFactory(author=mentor).posts.get()
    with pytest.raises(services.ForumActionError):
        services.post_edit(post=post, editor=mentee, body="gekapert")


def test_forged_move_category_gives_german_error(client, staff_user):
    thread = ThreadFactory()
    client.force_login(staff_user)
    response = client.post(reverse("forum:thread_moderate", args=[thread.pk]),
                           {"aktion": "verschieben", "category": "999999"}, follow=True)
    assert "Diese Kategorie gibt es nicht." in response.content.decode()
    thread.refresh_from_db()
    assert thread.category.slug == "fragen-antworten"


def test_pagination_of_threads_and_posts(client, mentee, staff_user):
    category = Category.objects.get(slug="veranstaltungen-austausch")
    for _ in range(27):
        ThreadFactory(category=category, author=staff_user)
    client.force_login(mentee)
    page2 = client.get(reverse("forum:category", args=[category.slug]) + "?seite=2").content.decode()
    assert page2.count('class="list-group-item py-3') == 2
    thread = ThreadFactory(author=staff_user)
    replies = [services.post_create(author=staff_user, thread=thread, body=f"Antwort {i}") for i in range(21)]
    response = client.get(reverse("forum:post_link", args=[replies[-1].pk]))
    assert response["Location"] == reverse("forum:thread", args=[thread.pk]) + f"?seite=2#beitrag-{replies[-1].pk}"
    assert "Antwort 20" in client.get(response["Location"]).content.decode()


def test_a_thread_deleted_in_the_admin_takes_its_attachment_files_from_storage(client, mentor, staff_user,
                                                                               django_capture_on_commit_callbacks):
    client.force_login(mentor)
    client.post(CREATE_URL, _thread_data(attachments=[upload("leitfaden.pdf", PDF)]))
    thread = Thread.objects.get()
    name = Attachment.objects.get().file.name
    storage = Attachment.file.field.storage
    assert storage.exists(name)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:forum_thread_delete", args=[thread.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Attachment.objects.exists()
    assert not storage.exists(name)


def test_the_services_hold_the_rules_the_page_shows(mentee):
    """Not only the buttons: the services refuse a report of one's own post and a sixth attachment too."""
    from forum.models import Report

    from .conftest import PDF, upload
    from .factories import ThreadFactory

    thread = ThreadFactory()
    post = services.post_create(author=mentee, thread=thread, body="Mein eigener Beitrag")
    with pytest.raises(services.ForumActionError, match="Eigene Beiträge"):
        services.report_create(post=post, reporter=mentee, reason="aus Versehen")
    assert not Report.objects.exists()
    with pytest.raises(services.ForumActionError, match="Höchstens 5 Anhänge") as refused:
        services.post_create(author=mentee, thread=thread, body="Sechs Dateien",
                             files=[upload(f"datei{n}.pdf", PDF) for n in range(6)])
    assert refused.value.field == "attachments"
    assert thread.posts.count() == 2
