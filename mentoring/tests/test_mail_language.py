"""Real flows mail each person in their own language, whatever page language caused the mail; staff in German."""
import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation

from accounts.tests.factories import StaffFactory, participant
from events.services import event_register, event_reminder_send
from events.tests.factories import EventFactory
from forum import services as forum
from forum.models import Category
from matching import services as matching
from matching.tests.factories import MatchRunFactory, ProposalFactory, covers_haushalt
from mentoring.models import OutboxMessage

pytestmark = pytest.mark.django_db
GERMAN_WORDS = (" und ", " Ihre ", " bitte ", "Uhr", "Guten Tag", "Viele Grüße")


def only_mail_to(user) -> OutboxMessage:
    (message,) = OutboxMessage.objects.filter(to=user.email)
    return message


def assert_english(message: OutboxMessage) -> None:
    for text in (message.subject, message.body_text, message.body_html):
        assert not [word for word in GERMAN_WORDS if word in text], text
    assert message.body_text.startswith("Hello ")
    assert '<html lang="en">' in message.body_html


def assert_german(message: OutboxMessage) -> None:
    assert message.body_text.startswith("Guten Tag ")
    assert '<html lang="de">' in message.body_html


def person(language: str, **kwargs):
    user = participant(**kwargs)
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_forum_reply_mails_each_follower_in_their_language(django_capture_on_commit_callbacks):
    english, german, replier = person("en"), person("de"), person("de")
    thread = forum.thread_create(author=english, category=Category.objects.get(slug="fragen-antworten"),
                                 title="Mittelabruf", kind="question", topics=[], body="Wie rechne ich ab?")
    forum.thread_subscribe(thread=thread, user=german)
    with django_capture_on_commit_callbacks(execute=True):  # the mails are queued by a task after commit
        forum.post_create(author=replier, thread=thread, body="Quartalsweise.")
    to_english, to_german = only_mail_to(english), only_mail_to(german)
    assert to_english.subject == "New reply: Mittelabruf"
    assert "has replied to “Mittelabruf” in the forum." in to_english.body_text
    assert_english(to_english)
    assert to_german.subject == "Neue Antwort: Mittelabruf"
    assert_german(to_german)


def test_event_confirmation_and_reminder_follow_the_persons_language():
    start = timezone.make_aware(datetime.datetime(2027, 5, 12, 14, 30))
    with time_machine.travel(start - datetime.timedelta(days=10), tick=False):
        event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), title="Hitzeschutz")
        english = person("en")
        german = person("de")
        registrations = {user.pk: event_register(event=event, user=user) for user in (english, german)}
    assert OutboxMessage.objects.get(key=f"event-confirmed:{registrations[english.pk].pk}").subject == (
        "Registration confirmed: Hitzeschutz")
    with time_machine.travel(start - datetime.timedelta(hours=23), tick=False):
        for registration in registrations.values():
            assert event_reminder_send(registration_pk=registration.pk)
    to_english = OutboxMessage.objects.get(key=f"event-reminder:{registrations[english.pk].pk}")
    to_german = OutboxMessage.objects.get(key=f"event-reminder:{registrations[german.pk].pk}")
    assert to_english.subject == "Reminder: Hitzeschutz on 12 May, 14:30"
    assert "When: Wednesday, 12 May 2027, 14:30 to 16:30" in to_english.body_text
    assert "Kind regards" in to_english.body_text and "Viele Grüße" in to_german.body_text
    assert_english(to_english)
    assert to_german.subject == "Erinnerung: Hitzeschutz am 12. Mai, 14:30 Uhr"
    assert "Wann: Mittwoch, 12. Mai 2027, 14:30 Uhr bis 16:30 Uhr" in to_german.body_text
    assert_german(to_german)


def test_tandem_confirmation_in_each_partners_language():
    mentee = person("en", needs=["haushalt"])
    mentor = person("de", mentor=True, competences=["haushalt"])
    org_type = mentee.profile.organisation.org_type
    reasons = [*covers_haushalt(), {"criterion": "organisation", "kind": "same_type", "points": 3.0,
                                    "params": {"org_type_id": org_type.pk}}]
    proposal = ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory(), reasons=reasons)
    # Staff confirm in German; each partner reads the reasons, topic and organisation type included, in their own.
    with translation.override("de"):
        matching.proposal_confirm(proposal=proposal, by=StaffFactory())
    to_mentee, to_mentor = only_mail_to(mentee), only_mail_to(mentor)
    assert to_mentee.subject.startswith("Your tandem is set: ")
    assert "Your mentor is:" in to_mentee.body_text and "Why you are a good match:" in to_mentee.body_text
    with translation.override("en"):
        english_type = translation.gettext(org_type.name)
    assert "Budgeting" in to_mentee.body_text and "Haushaltsplanung" not in to_mentee.body_text
    assert f"both: {english_type}" in to_mentee.body_text and english_type != org_type.name
    assert_english(to_mentee)
    assert to_mentor.subject.startswith("Ihr Tandem steht: ")
    assert "Haushaltsplanung" in to_mentor.body_text and f"beide: {org_type.name}" in to_mentor.body_text
    assert_german(to_mentor)


@pytest.mark.parametrize(("stored", "page"), [("en", "de"), ("de", "en")])
def test_allauth_password_reset_mail_is_in_the_stored_language_not_the_pages(client, stored, page):
    user = person(stored)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page
    response = client.post("/konto/password/reset/", {"email": user.email})
    assert response.status_code == 302
    message = only_mail_to(user)
    assert "/konto/password/reset/key/" in message.body_text
    if stored == "en":
        assert "password" in message.subject.lower() and "Passwort" not in message.subject
        assert not [word for word in GERMAN_WORDS if word in message.body_text], message.body_text
        assert '<html lang="en">' in message.body_html and "Profile and consents" in message.body_html
    else:
        assert "Passwort" in message.subject and "Passwort" in message.body_text
        assert '<html lang="de">' in message.body_html and "Profil und Einwilligungen" in message.body_html


def test_a_problem_report_from_an_english_page_reaches_staff_in_german(client):
    mentee = person("en", needs=["haushalt"])
    mentor = person("de", mentor=True, competences=["haushalt"])
    proposal = ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory())
    tandem = matching.proposal_confirm(proposal=proposal, by=StaffFactory())
    with translation.override("en"):
        matching.problem_report(tandem=tandem, by=mentee, kind="problem", text="We never meet.")
    (notice,) = OutboxMessage.objects.filter(key__startswith="tandem-report:")
    assert notice.subject.startswith("Tandem-Meldung: ") and "(Nr. " in notice.subject
    assert "Gemeldet von: Mentee" in notice.body_text and "Neue Meldung zu einem Tandem." in notice.body_text
