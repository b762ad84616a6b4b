"""Markdown is rendered safely; XSS payloads in titles, posts and file names stay inert."""
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from forum import services
from forum.models import Category, Thread

from .conftest import PDF, upload

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">klick</a>",
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![bild](javascript:alert(1))",
    "<iframe src=\"https://example.org\"></iframe>",
    "\"><script>alert(1)</script>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "[a](vbscript:msgbox(1))",
    "<style>body{display:none}</style>",
    "'><img src=x onerror=alert(1)//",
]

FORBIDDEN_TAGS = {"script", "iframe", "svg", "style", "math", "details", "body", "object", "embed"}


class _ActiveContentFinder(HTMLParser):
    """Collects every element or attribute inside <main> that could run code."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value:
                head = value.strip().split("/", 1)[0]
                scheme = head.split(":", 1)[0].lower() if ":" in head else ""
                if scheme and scheme not in ("http", "https", "mailto"):
                    self.found.append(f"{tag}[{name}={value}]")

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False


def active_content(html: str) -> list[str]:
    finder = _ActiveContentFinder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_in_title_post_and_file_name_renders_inert(client, mentor, payload):
    thread = services.thread_create(
        author=mentor, category=Category.objects.get(slug="praxistipps"), title=f"Titel {payload}",
        kind=Thread.Kind.TIP, topics=[], body=f"Text {payload}", files=[upload(f"{payload}.pdf", PDF)])
    client.force_login(mentor)
    for url in (reverse("forum:thread", args=[thread.pk]), reverse("forum:index"),
                reverse("forum:category", args=["praxistipps"])):
        response = client.get(url)
        assert response.status_code == 200
        assert active_content(response.content.decode()) == [], url


def test_markdown_renders_formatting_and_marks_links_nofollow(client, mentor):
    thread = services.thread_create(
        author=mentor, category=Category.objects.get(slug="praxistipps"), title="Formatierung",
        kind=Thread.Kind.TIP, topics=[],
        body="**fett** und *kursiv*\n\n- Punkt\n\n> Zitat\n\n[Leitfaden](https://example.org/leitfaden)")
    client.force_login(mentor)
    html = client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    assert "<strong>fett</strong>" in html and "<em>kursiv</em>" in html
    assert "<li>Punkt</li>" in html and "<blockquote>" in html
    assert re.search(r'<a href="https://example.org/leitfaden" rel="nofollow noopener">Leitfaden</a>', html)


def test_raw_html_is_shown_as_text_not_executed(client, mentor):
    thread = services.thread_create(
        author=mentor, category=Category.objects.get(slug="praxistipps"), title="HTML im Text",
        kind=Thread.Kind.TIP, topics=[], body="<b>nicht fett</b>")
    client.force_login(mentor)
    html = client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    assert "&lt;b&gt;nicht fett&lt;/b&gt;" in html


def test_attachment_download_headers_and_name(client, mentor):
    thread = services.thread_create(
        author=mentor, category=Category.objects.get(slug="praxistipps"), title="Mit Anhang",
        kind=Thread.Kind.TIP, topics=[], body="Siehe Anhang", files=[upload('"><script>.pdf', PDF)])
    attachment = thread.posts.get().attachments.get()
    client.force_login(mentor)
    response = client.get(reverse("forum:attachment", args=[attachment.pk, "x"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert not attachment.file.name.endswith("script>.pdf") and attachment.file.name.startswith("forum/")


def test_forum_shows_only_name_and_organisation(client, mentor, mentee):
    profile = mentor.profile
    profile.phone = "0171 1234567"
    profile.department = "Geheime Abteilung"
    profile.needs_text = "Private Bedarfsbeschreibung"
    profile.save()
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"),
                                    title="Mein Tipp", kind=Thread.Kind.TIP, topics=[], body="Tipp")
    client.force_login(mentee)
    html = client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    assert mentor.get_full_name() in html and profile.organisation.name in html
    for private in ("0171 1234567", "Geheime Abteilung", "Private Bedarfsbeschreibung", mentor.email,
                    profile.position):
        assert private not in html


def test_active_content_finder_catches_what_it_should():
    assert active_content('<main><script>x</script><a href="javascript:x">a</a><img src=x onerror=y></main>') == [
        "<script>", "a[href=javascript:x]", "img[onerror]"]


@pytest.mark.django_db
def test_the_kind_of_a_featured_tip_changed_in_admin_is_a_message_not_a_500(client, staff_user):
    from .factories import ThreadFactory
    tip = ThreadFactory(kind="tip", is_featured=True, title="Hitzeschutz im Rathaus")
    client.force_login(staff_user)
    response = client.post(reverse("admin:forum_thread_change", args=[tip.pk]), {
        "category": tip.category_id, "title": tip.title, "kind": "discussion"})
    assert response.status_code == 200
    assert "Hervorhebung" in str(response.context["adminform"].form.errors["kind"])
    tip.refresh_from_db()
    assert (tip.kind, tip.is_featured) == ("tip", True)


@pytest.mark.django_db
def test_a_question_made_a_discussion_in_admin_loses_its_accepted_answer(client, staff_user, mentee):
    from .factories import ThreadFactory
    question = ThreadFactory(kind="question", title="Wer kennt einen Förderaufruf?")
    answer = services.post_create(author=mentee, thread=question, body="Der Aufruf des Landes")
    type(question).objects.filter(pk=question.pk).update(accepted_post=answer)
    client.force_login(staff_user)
    response = client.post(reverse("admin:forum_thread_change", args=[question.pk]), {
        "category": question.category_id, "title": question.title, "kind": "discussion"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.accepted_post) == ("discussion", None)
