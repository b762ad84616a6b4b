"""A person's letters in their data export, and what erasing an account does to letters."""
import json

import pytest

from accounts.services import user_delete
from mentoring.kernel.mail import outbox_deliver
from mentoring.kernel.models import OutboxMessage
from mentoring.letters import services
from mentoring.letters.models import Letter, LetterRecipient

from .factories import LetterFactory, koordination, news_consent, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """An essential and a news letter to two people; the first person's news mail went out, the rest wait."""
    first, second = participant(), participant()
    for person in (first, second):
        news_consent(person)
    sender = koordination(first_name="Kora", last_name="Koordinatorin")
    news = services.letter_send(letter=LetterFactory(), by=sender)
    essential = services.letter_send(letter=LetterFactory(essential=True), by=sender)
    outbox_deliver(message_pk=OutboxMessage.objects.get(key=f"letter:{news.pk}:{first.pk}").pk)
    return {"first": first, "second": second, "sender": sender, "news": news, "essential": essential}


def test_the_export_lists_each_letter_with_its_delivery(client, sent):
    client.force_login(sent["first"])
    data = json.loads(client.get("/profil/export/").content)["rundschreiben"]
    assert [(r["betreff"], r["zustellung"]) for r in data["erhalten"]] == [
        ("Neues aus dem Programm", "versendet"), ("Neue Fristen", "wartet")]
    assert data["erhalten"][1]["art"].startswith("Wichtige Information zum Programm")
    assert data["verfasst_oder_versendet"] == []


def test_the_senders_export_lists_what_they_sent_with_the_reason(client, sent):
    client.force_login(sent["sender"])
    data = json.loads(client.get("/profil/export/").content)["rundschreiben"]
    assert [(r["betreff"], r["versendet"], r["grund"]) for r in data["verfasst_oder_versendet"]] == [
        ("Neues aus dem Programm", True, ""),
        ("Neue Fristen", True, "Die Fristen für die Meldung der Mentoring-Tage ändern sich.")]


def test_erasure_removes_the_person_from_every_list_and_their_mails(sent):
    first, second = sent["first"], sent["second"]
    first_mails = list(LetterRecipient.objects.filter(user=first).order_by("pk")
                       .values_list("outbox_message_id", flat=True))
    address = first.email
    user_delete(user=first)
    assert not LetterRecipient.objects.filter(outbox_message_id__in=first_mails).exists()
    delivered = OutboxMessage.objects.get(pk=first_mails[0])
    assert delivered.status == OutboxMessage.Status.SENT and delivered.purged_at is not None
    assert (delivered.to, delivered.body_text) == ("", "")
    assert not OutboxMessage.objects.filter(pk=first_mails[1]).exists(), "a waiting copy is not sent any more"
    assert not OutboxMessage.objects.filter(to=address).exclude(key__startswith="account-deleted:").exists()
    for letter in (sent["news"], sent["essential"]):
        assert list(letter.recipients.values_list("user_id", flat=True)) == [second.pk]
        assert OutboxMessage.objects.get(key=f"letter:{letter.pk}:{second.pk}").to == second.email
        letter.refresh_from_db()
        assert letter.recipient_count == 2, "the letter still says how many it reached"


def test_erasing_the_sender_keeps_the_letters_and_their_record(sent):
    user_delete(user=sent["sender"])
    essential = Letter.objects.get(pk=sent["essential"].pk)
    assert essential.sent_by is None and essential.status == Letter.Status.SENT
    assert essential.reason == "Die Fristen für die Meldung der Mentoring-Tage ändern sich."
    assert essential.recipients.count() == 2
