"""In a real browser: both partners agree on goals, one answers a Kurzbefragung from the mail's link
without login, staff see the Tandem at risk and the evaluation, then the closing review and the
certificate; axe finds no violation on these pages."""
import datetime
import re

import pytest
from django.core import mail as django_mail
from django.utils import timezone
from django.utils.text import slugify

from accounts.tests.factories import StaffFactory, participant
from conftest import axe_violations, log_in
from matching import services
from matching.models import CheckIn, ClosingReview, Tandem
from matching.tests.factories import TandemFactory
from mentoring.kernel.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partners_and_staff_walk_through_agreement_checkin_review_and_evaluation(browser_page):
    page = browser_page
    staff = StaffFactory(email="koordination@example.org")
    mentee = participant(needs=[("haushalt", 3), ("hitzeaktionsplan", 2)])
    mentor = participant(mentor=True, competences=[("haushalt", 3)])
    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile)
    Tandem.objects.filter(pk=tandem.pk).update(started_at=timezone.now() - datetime.timedelta(days=31))

    # The mentee drafts the Vereinbarung.
    log_in(page, mentee.email)
    page.goto(f"/tandem/{tandem.pk}/")
    page.get_by_role("link", name="Vereinbarung entwerfen").click()
    assert axe_violations(page) == []
    page.get_by_label("Ziel zum Thema „Kommunale Haushaltsplanung & Finanzierung“").check()
    page.get_by_label("Was genau wollen Sie zu „Kommunale Haushaltsplanung & Finanzierung“ erreichen?").fill(
        "Mittel für den Hitzeplan im Haushalt 2027")
    page.get_by_label("Ziel zum Thema „Hitzeaktionsplan“").check()
    page.get_by_label("Was genau wollen Sie zu „Hitzeaktionsplan“ erreichen?").fill("Entwurf bis zum Sommer")
    page.get_by_label("einmal im Monat").check()
    page.get_by_label("mal online, mal vor Ort").check()
    page.get_by_label("Was wir im Tandem besprechen, bleibt unter uns.", exact=False).check()
    page.get_by_role("button", name="Entwurf speichern und zur Bestätigung geben").click()
    page.get_by_text("Der Entwurf ist gespeichert.").wait_for()

    # The Mentor*in confirms it.
    log_in(page, mentor.email)
    page.goto(f"/tandem/{tandem.pk}/")
    assert page.get_by_text("Mittel für den Hitzeplan im Haushalt 2027").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Entwurf bestätigen").click()
    page.get_by_text("Die Mentoring-Vereinbarung ist bestätigt.").wait_for()

    # The Kurzbefragung: the Mentor*in opens the mail's link without login and answers.
    services.checkins_send()
    checkin = CheckIn.objects.get(tandem=tandem, user=mentor)
    # The outbox row is emptied once sent (the link answers as the mentor); the delivered mail carries it.
    assert OutboxMessage.objects.get(key=f"tandem-survey:{checkin.pk}:{mentor.pk}").purge_after_send
    delivered = next(m for m in django_mail.outbox if m.to == [mentor.email] and "token=" in m.body)
    path = re.search(r"https?://[^/\s]+(/tandem/\S+?token=\S+)", delivered.body).group(1)
    page.context.clear_cookies()
    page.goto(path)
    assert axe_violations(page) == []
    page.get_by_label("1 – gar nicht gut").check()
    page.get_by_role("group", name="Haben Sie sich seit dem Beginn Ihres Tandems getroffen?").get_by_label(
        "nein").check()
    for name in ("Kommunale Haushaltsplanung & Finanzierung", "Hitzeaktionsplan"):
        page.get_by_role("group", name=re.compile(f"Ziel „{re.escape(name)}“")).get_by_label("in Arbeit").check()
    page.get_by_label("Hinweis an die Koordination (freiwillig)").fill("Wir finden kaum Termine.")
    page.get_by_role("button", name="Antworten senden").click()
    page.get_by_text("Vielen Dank! Ihre Antworten sind bei der Koordination angekommen.").wait_for()
    page.goto(path)
    assert page.get_by_text("Diese Kurzbefragung ist beantwortet. Vielen Dank!").is_visible()

    # Staff see the Tandem at risk with the reason, and the evaluation.
    log_in(page, staff.email)
    page.goto("/admin/")
    assert page.get_by_text("niedrige Bewertung (1 von 5) in der Kurzbefragung").first.is_visible()
    page.get_by_role("link", name="Auswertung der Befragungen").click()
    # Two people answered: their free texts stay hidden (fewer than five), the figures say "zu wenige Antworten".
    page.get_by_text("Freitexte erscheinen erst, wenn mindestens 5 Personen").wait_for()
    assert not page.get_by_text("Wir finden kaum Termine.").is_visible()
    assert page.get_by_text("zu wenige Antworten").first.is_visible()
    assert axe_violations(page) == []

    # The Tandem ends; the mentee looks back and downloads the certificate.
    services.tandem_end(tandem=tandem, by=staff, reason="Stellenwechsel")
    review = ClosingReview.objects.get(tandem=tandem, user=mentee)
    log_in(page, mentee.email)
    page.goto(f"/tandem/{tandem.pk}/")
    page.get_by_role("link", name="Rückblick ausfüllen").click()
    assert axe_violations(page) == []
    for name in ("Kommunale Haushaltsplanung & Finanzierung", "Hitzeaktionsplan"):
        page.get_by_role("group", name=re.compile(re.escape(name))).get_by_label("ja").check()
        page.get_by_label(f"Ihre Erfahrung in „{name}“ heute").select_option("2")
    page.get_by_label("9", exact=True).check()
    page.get_by_label("Stellenwechsel oder Ende der Förderung").check()
    page.get_by_role("button", name="Rückblick senden").click()
    page.get_by_text("Vielen Dank für Ihren Rückblick!").wait_for()
    review.refresh_from_db()
    assert review.nps == 9 and review.early_end_reason == "job"
    with page.expect_download() as download:
        page.get_by_role("link", name="Teilnahmebescheinigung herunterladen (PDF)").click()
    ended = timezone.localdate(Tandem.objects.get(pk=tandem.pk).ended_at).isoformat()
    assert download.value.suggested_filename == f"teilnahmebescheinigung-{slugify(mentee.get_full_name())}-{ended}.pdf"
    assert axe_violations(page) == []
