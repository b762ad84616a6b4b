"""In a real browser: a mentor writes a Praxistipp with Markdown and a file, a mentee replies, the mentor is mailed."""

import pytest
from django.core import mail

from accounts.tests.factories import participant
from conftest import axe_violations, log_in
from forum.models import Attachment, Thread

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_praxistipp_reply_and_mail(browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    author = participant(mentor=True, user__first_name="Katharina", user__last_name="Becker")
    reader = participant(user__first_name="Jonas", user__last_name="Wagner", needs=["hitzeaktionsplan"])
    page = browser_page

    log_in(page, author.email)
    page.goto("/forum/")
    assert page.get_by_role("heading", name="Forum", exact=True).is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Praxistipps").first.click()
    page.wait_for_url("**/forum/kategorie/praxistipps/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Neues Thema").click()

    page.get_by_label("Titel").fill("Hitzeaktionsplan: Kitas früh einbinden")
    page.get_by_label("Praxistipp").check()
    page.get_by_label("Hitzeaktionsplan", exact=True).check()
    page.get_by_label("Text").fill("Unsere **drei Schritte**:\n\n1. Träger anschreiben\n2. Workshop\n3. Aushang\n\n"
                                   "[Vorlage des DWD](https://www.dwd.de/hitzewarnung)")
    page.get_by_role("button", name="Vorschau").click()
    preview = page.locator("section[aria-labelledby=vorschau-titel]")
    assert "drei Schritte" in preview.locator("strong").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Anhänge").set_input_files(
        files=[{"name": "Checkliste Hitze.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url("**/forum/thema/*/")
    thread = Thread.objects.get()
    assert thread.kind == Thread.Kind.TIP and thread.author == author
    assert page.locator("article strong", has_text="drei Schritte").is_visible()
    link = page.get_by_role("link", name="Vorlage des DWD")
    assert link.get_attribute("rel") == "nofollow noopener"
    assert Attachment.objects.get().original_name == "Checkliste Hitze.pdf"
    assert axe_violations(page) == []

    log_in(page, reader.email)
    page.goto("/forum/")
    assert "Hitzeaktionsplan: Kitas früh einbinden" in page.locator("#bedarfe").locator("..").inner_text()
    page.get_by_role("link", name="Hitzeaktionsplan: Kitas früh einbinden").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Checkliste Hitze.pdf").click()
    assert download.value.suggested_filename == "Checkliste Hitze.pdf"
    page.get_by_label("Ihre Antwort").fill("Danke! Wie habt ihr die *Träger* erreicht?")
    mail.outbox.clear()
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    page.wait_for_url("**/forum/thema/*/#beitrag-*")
    assert page.locator("article em", has_text="Träger").is_visible()
    assert axe_violations(page) == []

    [message] = [m for m in mail.outbox if m.to == [author.email]]
    assert message.subject == "Neue Antwort: Hitzeaktionsplan: Kitas früh einbinden"
    assert "Jonas Wagner" in message.body and "Wie habt ihr die *Träger* erreicht?" in message.body
    assert not [m for m in mail.outbox if m.to == [reader.email]]

    page.goto("/forum/suche/?q=Hitzeaktion")
    assert "1 Treffer" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.goto("/forum/einstellungen/")
    page.get_by_label("einmal täglich als Zusammenfassung").check()
    page.get_by_role("button", name="Speichern").click()
    assert "Ihre Einstellung ist gespeichert." in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_staff_moderation_page_is_accessible(browser_page, live_server):
    from accounts.tests.factories import StaffFactory
    from forum import services
    from forum.models import Category

    staff = StaffFactory(email="koordination-test@example.org")
    writer = participant(mentor=True)
    thread = services.thread_create(author=writer, category=Category.objects.get(slug="praxistipps"),
                                    title="Ein Tipp zum Moderieren", kind="tip", topics=[], body="Text")
    reply = services.post_create(author=participant(), thread=thread, body="Werbung")
    page = browser_page
    log_in(page, staff.email)
    page.goto(f"/forum/thema/{thread.pk}/")
    page.get_by_text("Moderation").click()
    page.get_by_role("button", name="Auf der Startseite hervorheben").click()
    assert "empfohlener Praxistipp" in page.locator("main").inner_text()
    page.locator(f"#beitrag-{reply.pk}").get_by_role("button", name="Ausblenden").click()
    assert "Ausgeblendet – nur für die Moderation sichtbar." in page.locator("main").inner_text()
    assert axe_violations(page) == []
