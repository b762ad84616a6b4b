"""In English the mentoring agreement, the check-in, the closing review, their mails and the staff evaluation
show none of the catalogue's German source texts."""
import datetime
import re

import pytest
import time_machine

from accounts.tests.factories import StaffFactory, participant
from matching import services
from matching.models import CheckIn, ClosingReview
from matching.tests.factories import START, agreed_tandem, at
from mentoring.models import OutboxMessage

from .test_english import flat, german_on, german_phrases

pytestmark = pytest.mark.django_db


@pytest.fixture
def tandem():
    with time_machine.travel(START, tick=False):
        mentee = participant(needs=["haushalt", "hitzeaktionsplan"], user__language="en")
        mentor = participant(mentor=True, competences=["haushalt"], user__language="en")
        return agreed_tandem(mentee, mentor, goals={"haushalt": "Budget", "hitzeaktionsplan": "Plan"},
                             planned_end=datetime.date(2026, 6, 30), meeting_form="mixed")


def test_agreement_check_in_and_closing_review_pages_and_mails_in_english(client, tandem):
    phrases = german_phrases()
    mentee = tandem.mentee.user
    with at(31):
        assert services.checkins_send() == 2
        checkin = CheckIn.objects.get(tandem=tandem, user=mentee)
        client.force_login(mentee)
        for path in (f"/tandem/{tandem.pk}/", f"/tandem/{tandem.pk}/vereinbarung/",
                     f"/tandem/{tandem.pk}/kurzbefragung/{checkin.pk}/"):
            assert german_on(client, path, phrases) == [], path
    with at(60):
        services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
        review = ClosingReview.objects.get(tandem=tandem, user=mentee)
        client.force_login(mentee)
        for path in (f"/tandem/{tandem.pk}/", f"/tandem/{tandem.pk}/rueckblick/{review.pk}/"):
            assert german_on(client, path, phrases) == [], path
    mails = OutboxMessage.objects.filter(to=mentee.email, key__regex=r"^tandem-(survey|ended):")
    assert mails.count() == 2
    for mail in mails:
        text = flat(mail.subject + " " + mail.body_text)
        assert sorted(p for p in phrases if p in text) == [], mail.key


def test_staff_evaluation_page_in_english(client):
    phrases = german_phrases()
    staff = StaffFactory(language="en")
    client.force_login(staff)
    response = client.get("/admin/uebersicht/auswertung/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    text = flat(re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL))
    assert "Survey evaluation" in text and "Check-ins and closing reviews" in text
    # The count column is "Responses", not the forum's "Reply" (the same German word "Antworten").
    assert "Responses" in text and "Reply" not in text
    assert sorted(p for p in phrases if p in text) == []
