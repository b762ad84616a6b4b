"""The Kennenlerngespräch as a calendar appointment: invite, move and cancel with .ics, reminders, admin forms."""
import base64
import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from ical.calendar_stream import IcsCalendarStream

from accounts import intro_calls, services
from accounts.errors import TransitionError
from accounts.models import Registration, RegistrationTransition, User
from accounts.tests.factories import StaffFactory, participant
from mentoring.kernel.models import OutboxMessage

pytestmark = pytest.mark.django_db
S = Registration.Status
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN)
TALK = datetime.datetime(2027, 3, 10, 10, 30, tzinfo=BERLIN)  # CET: 09:30 UTC
VIDEO = "https://video.example.org/raum/kennenlernen-42"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def host(db):
    return StaffFactory(email="gespraech@example.org", first_name="Hanna", last_name="Host")


@pytest.fixture
def person(db):
    user = participant(status=S.SUBMITTED, needs=["haushalt"])
    User.objects.filter(pk=user.pk).update(first_name="Paula", last_name="Probst")
    user.refresh_from_db()
    return user


def schedule(person, host, *, at=TALK, video=VIDEO, by=None):
    return services.registration_transition(registration=person.registration, to_status=S.INTRO_SCHEDULED,
                                            by=by or host, intro_call_at=at, intro_host=host, intro_video_url=video)


def mail(key_start: str) -> OutboxMessage:
    return OutboxMessage.objects.get(key__startswith=key_start)


def ics(message: OutboxMessage) -> tuple[str, bytes]:
    [attachment] = message.attachments
    content = attachment["content"]
    return attachment["mimetype"], base64.b64decode(content) if attachment["base64"] else content.encode()


def vevent(content: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(content)
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"
    [event] = calendar.walk("VEVENT")
    return calendar, event


def strict(content: bytes):
    """The second parser, as strict as a calendar client: every line CRLF and folded at 75 octets."""
    assert content.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    calendar = IcsCalendarStream.calendar_from_ics(content.decode("utf-8"))
    [event] = calendar.events
    return calendar, event


def test_invite_carries_a_request_ics_to_participant_and_host(person, host):
    registration = schedule(person, host)
    uid = f"kennenlerngespraech-{registration.pk}@127.0.0.1"
    for key, reader in ((f"intro-invite:{registration.pk}:0:participant", person),
                        (f"intro-invite:{registration.pk}:0:host", host)):
        message = mail(key)
        assert message.to == reader.email
        mimetype, content = ics(message)
        assert mimetype == "text/calendar; method=REQUEST"
        calendar, event = vevent(content)
        assert calendar["METHOD"] == "REQUEST" and str(event["UID"]) == uid and event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == TALK and event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=30)
        assert str(event["ORGANIZER"]) == "mailto:gespraech@example.org"
        assert event["ORGANIZER"].params["CN"] == "Hanna Host"
        assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
        assert str(event["LOCATION"]) == VIDEO and str(event["URL"]) == VIDEO
        assert str(event["STATUS"]) == "CONFIRMED"
        strict_calendar, strict_event = strict(content)
        assert strict_calendar.method == "REQUEST" and strict_event.uid == uid and strict_event.sequence == 0
        assert strict_event.dtstart.astimezone(datetime.UTC) == TALK.astimezone(datetime.UTC)
    participant_mail = mail(f"intro-invite:{registration.pk}:0:participant")
    assert participant_mail.subject == "Ihr Kennenlerngespräch am 10.03.2027"
    assert "um 10:30 Uhr" in participant_mail.body_text and "Hanna Host" in participant_mail.body_text
    assert VIDEO in participant_mail.body_text
    assert "Paula Probst" in mail(f"intro-invite:{registration.pk}:0:host").subject
    step = registration.transitions.get(to_status=S.INTRO_SCHEDULED)
    assert (step.by, step.intro_call_from, step.intro_call_to) == (host, None, TALK)


def test_move_sends_updated_invite_with_same_uid_and_next_sequence_and_records_the_step(person, host, client):
    registration = schedule(person, host)
    other = StaffFactory(email="zweite@example.org", first_name="Zora", last_name="Zweite")
    client.force_login(other)
    url = reverse("admin:accounts_registration_intro_move", args=[registration.pk])
    page = client.get(url).content.decode()
    assert "Termin verschieben" in page and 'value="10.03.2027"' in page
    response = client.post(url, {"intro_call_at_0": "12.03.2027", "intro_call_at_1": "14:00", "intro_host": host.pk,
                                 "intro_video_url": VIDEO, "reason": "Auf Wunsch der Teilnehmerin"}, follow=True)
    assert "Der Termin ist verschoben." in response.content.decode()
    registration.refresh_from_db()
    moved_to = datetime.datetime(2027, 3, 12, 14, 0, tzinfo=BERLIN)
    assert (registration.status, registration.intro_call_at, registration.intro_sequence) == (
        S.INTRO_SCHEDULED, moved_to, 1)
    step = registration.transitions.order_by("pk").last()
    assert (step.from_status, step.to_status, step.by, step.at, step.intro_call_from, step.intro_call_to,
            step.note) == (S.INTRO_SCHEDULED, S.INTRO_SCHEDULED, other, NOW, TALK, moved_to,
                           "Auf Wunsch der Teilnehmerin")
    assert str(step.label) == "Kennenlerngespräch verschoben"
    for role in ("participant", "host"):
        message = mail(f"intro-moved:{registration.pk}:1:{role}")
        mimetype, content = ics(message)
        calendar, event = vevent(content)
        assert mimetype == "text/calendar; method=REQUEST" and calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == f"kennenlerngespraech-{registration.pk}@127.0.0.1" and event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == moved_to
        assert strict(content)[1].sequence == 1
    body = mail(f"intro-moved:{registration.pk}:1:participant").body_text
    assert "vom 10. März 2027, 10:30 Uhr, auf Freitag, 12. März 2027 um 14:00 Uhr" in body
    assert "Auf Wunsch der Teilnehmerin" in body


def test_a_new_host_gets_the_invite_and_the_old_one_a_cancellation(person, host):
    registration = schedule(person, host)
    other = StaffFactory(email="zweite@example.org")
    intro_calls.intro_move(registration=registration, by=host, starts_at=TALK, host=other, video_url=VIDEO)
    assert mail(f"intro-moved:{registration.pk}:1:host:{other.pk}").to == "zweite@example.org"
    old_host_mail = mail(f"intro-cancel:{registration.pk}:1:host:{host.pk}")
    mimetype, content = ics(old_host_mail)
    calendar, event = vevent(content)
    assert mimetype == "text/calendar; method=CANCEL" and calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert str(vevent(ics(mail(f"intro-moved:{registration.pk}:1:participant"))[1])[1]["ORGANIZER"]) == \
        "mailto:zweite@example.org"


def test_the_old_host_reads_why_in_their_own_language(person, host):
    """Moved by a German colleague: the English-speaking old host's cancellation says why in English."""
    from django.utils import translation

    host.language = "en"
    host.save()
    registration = schedule(person, host)
    with translation.override("de"):
        intro_calls.intro_move(registration=registration, by=StaffFactory(), starts_at=TALK,
                               host=StaffFactory(email="zweite@example.org"), video_url=VIDEO)
    body = mail(f"intro-cancel:{registration.pk}:1:host:{host.pk}").body_text
    assert "Das Gespräch führt jetzt jemand anderes" not in body


def test_cancel_sends_a_cancelled_invite_and_puts_the_registration_back(person, host, client):
    registration = schedule(person, host)
    intro_calls.intro_move(registration=registration, by=host, starts_at=TALK + datetime.timedelta(days=1),
                           host=host, video_url=VIDEO)
    client.force_login(host)
    url = reverse("admin:accounts_registration_intro_cancel", args=[registration.pk])
    response = client.post(url, {"reason": "Die Gesprächsführung ist erkrankt."}, follow=True)
    assert "Der Termin ist abgesagt." in response.content.decode()
    registration.refresh_from_db()
    assert (registration.status, registration.intro_call_at, registration.intro_sequence) == (S.SUBMITTED, None, 2)
    step = registration.transitions.order_by("pk").last()
    assert (step.from_status, step.to_status, step.by, step.intro_call_from, step.intro_call_to, step.note) == (
        S.INTRO_SCHEDULED, S.SUBMITTED, host, TALK + datetime.timedelta(days=1), None,
        "Die Gesprächsführung ist erkrankt.")
    assert str(step.label) == "Kennenlerngespräch abgesagt"
    for role in ("participant", "host"):
        mimetype, content = ics(mail(f"intro-cancel:{registration.pk}:2:{role}"))
        calendar, event = vevent(content)
        assert mimetype == "text/calendar; method=CANCEL" and calendar["METHOD"] == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 2
        assert str(event["UID"]) == f"kennenlerngespraech-{registration.pk}@127.0.0.1"
        strict_calendar, strict_event = strict(content)
        assert strict_calendar.method == "CANCEL" and strict_event.sequence == 2
    assert "erkrankt" in mail(f"intro-cancel:{registration.pk}:2:participant").body_text
    # Planned again later: the same UID with a SEQUENCE above the cancellation's.
    schedule(person, host, at=TALK + datetime.timedelta(days=7))
    _, event = vevent(ics(mail(f"intro-invite:{registration.pk}:3:participant"))[1])
    assert event["SEQUENCE"] == 3 and str(event["UID"]) == f"kennenlerngespraech-{registration.pk}@127.0.0.1"


def test_withdrawing_while_planned_cancels_the_talk_in_both_calendars(person, host):
    registration = schedule(person, host)
    services.registration_withdraw(user=person, reason="Stelle gewechselt")
    registration.refresh_from_db()
    assert registration.status == S.WITHDRAWN and registration.intro_sequence == 1
    mimetype, content = ics(mail(f"intro-cancel:{registration.pk}:1:host"))
    assert mimetype == "text/calendar; method=CANCEL" and vevent(content)[1]["SEQUENCE"] == 1
    status_mail = OutboxMessage.objects.get(to=person.email, key__startswith="registration-status:")
    assert ics(status_mail)[0] == "text/calendar; method=CANCEL"


def test_reminder_goes_once_the_day_before_to_both_and_again_after_a_move(person, host, frozen_time):
    registration = schedule(person, host)

    def reminders():
        return sorted(OutboxMessage.objects.filter(key__startswith="intro-reminder:").values_list("to", "status"))

    frozen_time.move_to(datetime.datetime(2027, 3, 8, 7, 0, tzinfo=BERLIN))
    assert intro_calls.intro_reminders_send() == 0, "two days before: not yet"
    frozen_time.move_to(datetime.datetime(2027, 3, 9, 7, 0, tzinfo=BERLIN))
    assert intro_calls.intro_reminders_send() == 2
    assert reminders() == sorted([(person.email, "pending"), (host.email, "pending")])
    participant_reminder = OutboxMessage.objects.get(key__startswith="intro-reminder:", to=person.email)
    assert participant_reminder.subject == "Erinnerung: Ihr Kennenlerngespräch morgen um 10:30 Uhr"
    assert VIDEO in participant_reminder.body_text and "Hanna Host" in participant_reminder.body_text
    assert "Paula Probst" in OutboxMessage.objects.get(key__startswith="intro-reminder:", to=host.email).subject
    assert intro_calls.intro_reminders_send() == 0, "a second run sends nothing"
    # Moved to the afternoon of the same day: the unsent reminders for 10:30 are withdrawn, 15:00 gets its own.
    intro_calls.intro_move(registration=registration, by=host, starts_at=TALK.replace(hour=15, minute=0), host=host,
                           video_url=VIDEO)
    assert intro_calls.intro_reminders_send() == 2
    assert reminders() == sorted([(person.email, "pending"), (host.email, "pending"), ("", "withdrawn"),
                                  ("", "withdrawn")])
    assert intro_calls.intro_reminders_send() == 0


def test_reminders_cost_the_same_queries_for_one_talk_or_many(person, host, frozen_time,
                                                              django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    schedule(person, host)
    frozen_time.move_to(datetime.datetime(2027, 3, 9, 7, 0, tzinfo=BERLIN))
    with CaptureQueriesContext(connection) as one:
        assert intro_calls.intro_reminders_send() == 2
    OutboxMessage.objects.filter(key__startswith="intro-reminder:").delete()
    frozen_time.move_to(NOW)
    for minutes in range(1, 6):
        other = participant(status=S.SUBMITTED, needs=["haushalt"])
        schedule(other, host, at=TALK + datetime.timedelta(minutes=30 * minutes))  # one after the other
    frozen_time.move_to(datetime.datetime(2027, 3, 9, 7, 0, tzinfo=BERLIN))
    with django_assert_max_num_queries(len(one)):
        assert intro_calls.intro_reminders_send() == 12, "six talks, participant and host each"


def test_no_reminder_for_cancelled_or_held_talks(person, host, frozen_time):
    registration = schedule(person, host)
    intro_calls.intro_cancel(registration=registration, by=host, reason="Terminkonflikt")
    frozen_time.move_to(datetime.datetime(2027, 3, 9, 7, 0, tzinfo=BERLIN))
    assert intro_calls.intro_reminders_send() == 0


def test_the_reminder_task_runs_the_service(person, host, frozen_time):
    from accounts.tasks import send_intro_reminders

    schedule(person, host)
    frozen_time.move_to(datetime.datetime(2027, 3, 9, 7, 0, tzinfo=BERLIN))
    assert send_intro_reminders() == 2


def test_mails_are_written_in_the_recipients_language(person, host):
    person.language = "en"
    person.save(update_fields=["language"])
    registration = schedule(person, host)
    message = mail(f"intro-invite:{registration.pk}:0:participant")
    assert "Wednesday" in message.body_text
    # The calendar entry names the programme as the mail does, in English.
    _calendar, event = vevent(ics(message)[1])
    assert str(event["SUMMARY"]) == "Introductory call – Climate Adaptation Mentoring Programme"
    assert "Climate Adaptation Mentoring Programme" in str(event["DESCRIPTION"])
    assert "Mentoring-Programm" not in message.body_text + str(event["DESCRIPTION"])


def test_service_refuses_past_times_bad_links_and_non_staff_hosts(person, host):
    registration = person.registration
    for kwargs, field in (({"intro_call_at": NOW - datetime.timedelta(minutes=1)}, "intro_call_at"),
                          ({"intro_call_at": None}, "intro_call_at"),
                          # Far beyond any real date; 9998 crashed the calendar's time zone rules.
                          ({"intro_call_at": TALK.replace(year=9998)}, "intro_call_at"),
                          ({"intro_call_at": NOW + datetime.timedelta(days=366)}, "intro_call_at"),
                          ({"intro_video_url": "http://video.example.org/x"}, "intro_video_url"),
                          ({"intro_host": participant()}, "intro_host")):
        arguments = {"intro_call_at": TALK, "intro_host": host, "intro_video_url": VIDEO, **kwargs}
        with pytest.raises(TransitionError) as error:
            services.registration_transition(registration=registration, to_status=S.INTRO_SCHEDULED, by=host,
                                             **arguments)
        assert error.value.field == field
    registration.refresh_from_db()
    assert registration.status == S.SUBMITTED and not OutboxMessage.objects.exists()
    with pytest.raises(TransitionError):
        intro_calls.intro_cancel(registration=registration, by=host, reason="nichts geplant")
    schedule(person, host)
    with pytest.raises(TransitionError) as error:
        intro_calls.intro_move(registration=registration, by=host, starts_at=TALK, host=host, video_url=VIDEO)
    assert "unverändert" in str(error.value)
    with pytest.raises(TransitionError) as error:
        intro_calls.intro_cancel(registration=registration, by=host, reason="  ")
    assert error.value.field == "reason"


def field_error(html: str, field: str) -> str:
    """The error list of ``field``, which its input(s) name in aria-describedby (read out with the field)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error list for {field}"
    inputs = re.findall(rf'<(?:input|select|textarea)[^>]*name="{field}(?:_\d)?"[^>]*>', html)
    assert inputs and all(f"id_{field}_error" in tag for tag in inputs), inputs
    return match.group(1)


def test_bad_input_in_the_admin_forms_shows_german_messages_next_to_the_field(person, host, client):
    registration = schedule(person, host)
    client.force_login(host)
    url = reverse("admin:accounts_registration_intro_move", args=[registration.pk])
    cases = [
        ({"intro_call_at_0": "28.02.2027", "intro_call_at_1": "10:00"}, "intro_call_at",
         "Der Termin liegt in der Vergangenheit."),
        ({"intro_call_at_0": "31.02.2027", "intro_call_at_1": "10:00"}, "intro_call_at",
         "Bitte geben Sie ein gültiges Datum an"),
        ({"intro_video_url": "http://video.example.org/raum"}, "intro_video_url",
         "Bitte geben Sie einen Link an, der mit https:// beginnt."),
        ({"intro_video_url": "kein link"}, "intro_video_url", "Bitte geben Sie einen gültigen Link an."),
        ({"intro_host": "abc"}, "intro_host", "Bitte eine gültige Auswahl treffen."),
    ]
    for data, field_id, message in cases:
        post = {"intro_call_at_0": "12.03.2027", "intro_call_at_1": "14:00", "intro_host": host.pk,
                "intro_video_url": VIDEO, **data}
        response = client.post(url, post)
        assert response.status_code == 200, data
        assert message in field_error(response.content.decode(), field_id), data
    response = client.post(reverse("admin:accounts_registration_intro_cancel", args=[registration.pk]),
                           {"reason": ""})
    assert "Bitte geben Sie einen Grund an" in field_error(response.content.decode(), "reason")
    registration.refresh_from_db()
    assert registration.intro_sequence == 0 and registration.transitions.count() == 1


def test_schedule_action_refuses_a_past_date_next_to_the_field(person, host, client):
    client.force_login(host)
    response = client.post("/admin/accounts/registration/", {
        "action": "schedule_intro", "_selected_action": [person.registration.pk], "apply": "1",
        "intro_call_at_0": "01.02.2027", "intro_call_at_1": "10:00", "intro_host": host.pk,
        "intro_video_url": "ftp://video.example.org"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der Termin liegt in der Vergangenheit." in field_error(html, "intro_call_at")
    assert "https://" in field_error(html, "intro_video_url")
    assert Registration.objects.get(pk=person.registration.pk).status == S.SUBMITTED


def test_change_page_offers_move_and_cancel_only_while_planned_and_keeps_the_time_read_only(person, host, client):
    client.force_login(host)
    change = reverse("admin:accounts_registration_change", args=[person.registration.pk])
    assert "Termin verschieben" not in client.get(change).content.decode()
    move = reverse("admin:accounts_registration_intro_move", args=[person.registration.pk])
    response = client.get(move, follow=True)
    assert "Nur ein geplantes Kennenlerngespräch kann verschoben werden." in response.content.decode()
    schedule(person, host)
    html = client.get(change).content.decode()
    assert "Termin verschieben" in html and "Termin absagen" in html and "Verlauf der Person" in html
    assert 'name="intro_call_at_0"' not in html and 'name="intro_host"' not in html


def test_the_steps_need_the_right_to_change_registrations(person, host, client):
    registration = schedule(person, host)
    viewer = StaffFactory(is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)
    for name in ("intro_move", "intro_cancel"):
        assert client.get(reverse(f"admin:accounts_registration_{name}", args=[registration.pk])).status_code == 403
        assert client.post(reverse(f"admin:accounts_registration_{name}", args=[registration.pk]),
                           {"reason": "x"}).status_code == 403
    client.force_login(host)
    assert client.get(reverse("admin:accounts_registration_intro_move", args=[987654])).status_code == 404
    assert RegistrationTransition.objects.filter(registration=registration).count() == 1


def test_export_holds_host_link_and_the_moves_erasure_removes_them(person, host):
    registration = schedule(person, host)
    intro_calls.intro_move(registration=registration, by=host, starts_at=TALK + datetime.timedelta(hours=2),
                           host=host, video_url=VIDEO, reason="Zugverspätung")
    data = services.user_export(user=person)["anmeldung"]
    assert data["kennenlerngespraech_mit"] == "Koordination (Hanna Host)"
    assert data["kennenlerngespraech_videolink"] == VIDEO
    moved = data["statuswechsel"][-1]
    assert (moved["schritt"], moved["notiz"], datetime.datetime.fromisoformat(moved["termin_bisher"]),
            datetime.datetime.fromisoformat(moved["termin_neu"])) == (
        "Kennenlerngespräch verschoben", "Zugverspätung", TALK, TALK + datetime.timedelta(hours=2))
    services.user_delete(user=person)
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert not RegistrationTransition.objects.filter(registration_id=registration.pk).exists()
    assert not OutboxMessage.objects.filter(to=person.email).exclude(key__startswith="account-deleted:").exists()


def test_a_talk_recorded_as_held_before_its_date_leaves_both_calendars(person, host, frozen_time):
    registration = schedule(person, host)
    services.registration_transition(registration=registration, to_status=S.INTRO_DONE, by=host,
                                     note="am Telefon vorgezogen")
    registration.refresh_from_db()
    assert registration.status == S.INTRO_DONE and registration.intro_sequence == 1
    # The registration names the day the talk was held, not the date it no longer has.
    assert registration.intro_call_at == timezone.now()
    participant_mail = mail(f"intro-held:{registration.pk}:1:participant")
    assert participant_mail.to == person.email and "entfällt" in participant_mail.subject
    mimetype, content = ics(participant_mail)
    assert mimetype == "text/calendar; method=CANCEL" and vevent(content)[1]["SEQUENCE"] == 1
    assert ics(mail(f"intro-cancel:{registration.pk}:1:host"))[0] == "text/calendar; method=CANCEL"
    # Nobody is reminded of a talk that was held, and the later rejection cancels nothing again.
    frozen_time.move_to(datetime.datetime(2027, 3, 9, 7, 0, tzinfo=BERLIN))
    assert intro_calls.intro_reminders_send() == 0
    services.registration_transition(registration=registration, to_status=S.REJECTED, by=host, note="passt nicht")
    assert OutboxMessage.objects.filter(key__startswith="intro-cancel:").count() == 1, "only the held-early one"


def test_a_talk_recorded_after_its_date_sends_no_calendar_mail(person, host, frozen_time):
    registration = schedule(person, host)
    frozen_time.move_to(TALK + datetime.timedelta(hours=1))
    services.registration_transition(registration=registration, to_status=S.INTRO_DONE, by=host)
    assert not OutboxMessage.objects.filter(key__startswith="intro-held:").exists()


def test_only_staff_who_may_change_registrations_hold_the_talk(person, client):
    from accounts.tests.factories import staff_member

    coordinator = staff_member("Koordination", email="k@example.org")
    moderator = staff_member("Moderation", email="m@example.org")
    events_staff = staff_member("Veranstaltungen", email="v@example.org")
    hosts = set(intro_calls.intro_hosts())
    assert coordinator in hosts and not {moderator, events_staff} & hosts
    with pytest.raises(TransitionError) as error:
        schedule(person, moderator, by=coordinator)
    assert error.value.field == "intro_host"
    client.force_login(coordinator)
    response = client.post(reverse("admin:accounts_registration_changelist"),
                           {"action": "schedule_intro", "_selected_action": [person.registration.pk]})
    select = re.search(r'<select name="intro_host".*?</select>', response.content.decode(), re.S).group()
    offered = {int(pk) for pk in re.findall(r'value="(\d+)"', select)}
    assert coordinator.pk in offered and not {moderator.pk, events_staff.pk} & offered


def test_a_step_to_the_status_it_has_says_so(person, host):
    registration = person.registration
    for step in (S.INTRO_DONE, S.APPROVED):
        services.registration_transition(registration=registration, to_status=step, by=host)
    with pytest.raises(TransitionError) as error:
        services.registration_transition(registration=registration, to_status=S.APPROVED, by=host)
    assert str(error.value) == "Die Anmeldung ist bereits „freigegeben“."


def test_one_host_holds_one_talk_at_a_time(person, host, client):
    """Two talks were planned for one host at the same hour without a word; a later talk in the same half hour, or
    moving another into it, is refused next to the time, naming the talk in the way. Another host may take it."""
    from accounts.errors import TransitionError

    schedule(person, host)
    other = participant(status=S.SUBMITTED, needs=["haushalt"])
    for clash in (TALK, TALK + datetime.timedelta(minutes=29), TALK - datetime.timedelta(minutes=29)):
        with pytest.raises(TransitionError) as refused:
            schedule(other, host, at=clash)
        assert refused.value.field == "intro_call_at"
        assert "Hanna Host führt am 10.03.2027 10:30 schon ein Kennenlerngespräch (mit Paula Probst)" in str(
            refused.value)
    other.registration.refresh_from_db()
    assert other.registration.status == S.SUBMITTED and other.registration.intro_call_at is None
    schedule(other, host, at=TALK + datetime.timedelta(minutes=30))
    with pytest.raises(TransitionError):
        intro_calls.intro_move(registration=other.registration, by=host, host=host, video_url=VIDEO,
                               starts_at=TALK + datetime.timedelta(minutes=10))
    intro_calls.intro_move(registration=other.registration, by=host, starts_at=TALK, host=StaffFactory(),
                           video_url=VIDEO)
