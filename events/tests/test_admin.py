"""Staff in /admin/: edit with notification, participant CSV, attendance, cancellation with a message."""
import csv
import datetime
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventRegistration
from events.services import event_cancel
from mentoring.kernel.models import OutboxMessage

from .factories import EventFactory, EventRegistrationFactory, participant

pytestmark = pytest.mark.django_db
Status = EventRegistration.Status


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def admin_form_data(event: Event, **changes) -> dict:
    local = {name: timezone.localtime(getattr(event, name))
             for name in ("starts_at", "ends_at", "registration_deadline")}
    data = {
        "title": event.title, "kind": event.kind, "format": event.format, "visibility": event.visibility,
        "status": event.status, "description": event.description, "venue": event.venue,
        "online_url": event.online_url, "organiser": event.organiser, "capacity": event.capacity,
        "federal_state": "",
        "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0", "registrations-INITIAL_FORMS": "0",
    }
    for name, value in local.items():
        data[f"{name}_0"] = value.strftime("%d.%m.%Y")
        data[f"{name}_1"] = value.strftime("%H:%M:%S")
    data.update(changes)
    return data


def test_admin_pages_render(staff_client):
    event = EventFactory()
    EventRegistrationFactory(event=event)
    for url in (reverse("admin:events_event_changelist"), reverse("admin:events_event_add"),
                reverse("admin:events_event_change", args=[event.pk]),
                reverse("admin:events_eventregistration_changelist")):
        assert staff_client.get(url).status_code == 200


def test_participant_csv_export(staff_client):
    event = EventFactory(title="Fortbildung Starkregen", capacity=1)
    first = EventRegistrationFactory(event=event, note="=HYPERLINK(\"http://böse.example\")")
    waiting = EventRegistrationFactory(event=event, status=Status.WAITLISTED, confirmed_at=None)
    EventRegistrationFactory(event=event, status=Status.CANCELLED)
    response = staff_client.post(reverse("admin:events_event_changelist"),
                                 {"action": "export_participants", ACTION_CHECKBOX_NAME: [event.pk]})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Veranstaltung", "Beginn", "Status"]
    assert len(rows) == 3
    assert rows[1][2] == "angemeldet" and rows[1][6] == first.user.email
    assert rows[1][9].startswith("'=")  # no formula runs in a spreadsheet
    assert rows[2][2] == "auf der Warteliste" and rows[2][3] == "1" and rows[2][6] == waiting.user.email


def test_cancel_action_asks_for_a_reason_then_mails_everyone(staff_client):
    event = EventFactory()
    registration = EventRegistrationFactory(event=event)
    url = reverse("admin:events_event_changelist")
    response = staff_client.post(url, {"action": "cancel_events", ACTION_CHECKBOX_NAME: [event.pk]})
    assert response.status_code == 200
    assert "Begründung der Absage" in response.content.decode()
    response = staff_client.post(url, {"action": "cancel_events", ACTION_CHECKBOX_NAME: [event.pk], "apply": "1",
                                       "message": ""})
    assert response.status_code == 200  # empty reason: the form again, nothing cancelled
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    response = staff_client.post(url, {"action": "cancel_events", ACTION_CHECKBOX_NAME: [event.pk], "apply": "1",
                                       "message": "Der Saal ist nicht verfügbar."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.cancellation_message == "Der Saal ist nicht verfügbar."
    assert OutboxMessage.objects.filter(key=f"event-cancelled:{event.pk}:{registration.pk}").exists()


def test_attendance_only_after_the_start(staff_client):
    past = EventRegistrationFactory(event=EventFactory(past=True))
    future = EventRegistrationFactory()
    url = reverse("admin:events_eventregistration_changelist")
    staff_client.post(url, {"action": "mark_attended", ACTION_CHECKBOX_NAME: [past.pk, future.pk]})
    past.refresh_from_db()
    future.refresh_from_db()
    assert past.attended is True
    assert future.attended is None


def test_attendance_recorded_for_nobody_is_not_reported_as_a_success(staff_client):
    """"Teilnahme bei 0 Anmeldungen eingetragen." came as a success when every chosen row was skipped."""
    from django.contrib.messages import constants, get_messages

    future = EventRegistrationFactory()
    url = reverse("admin:events_eventregistration_changelist")
    response = staff_client.post(url, {"action": "mark_attended", ACTION_CHECKBOX_NAME: [future.pk]}, follow=True)
    said = [(message.level, message.message) for message in get_messages(response.wsgi_request)]
    said = said or [(message.level, message.message) for message in response.context["messages"]]
    assert [level for level, _text in said] == [constants.ERROR], said
    assert "übersprungen" in said[0][1]


def test_admin_edit_of_the_time_notifies_registered(staff_client):
    event = EventFactory()
    registration = EventRegistrationFactory(event=event)
    later = timezone.localtime(event.starts_at + datetime.timedelta(hours=2))
    data = admin_form_data(event, starts_at_1=later.strftime("%H:%M:%S"),
                           ends_at_1=(later + datetime.timedelta(hours=2)).strftime("%H:%M:%S"),
                           ends_at_0=(later + datetime.timedelta(hours=2)).strftime("%d.%m.%Y"))
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.revision == 1
    assert OutboxMessage.objects.filter(key=f"event-changed:{event.pk}:1:{registration.pk}").exists()
    # Staff read whom the save reached (it said only "erfolgreich geändert").
    assert "1 angemeldete Person hat eine E-Mail zu dieser Änderung erhalten." in staff_client.get(
        response.url).content.decode()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"capacity": "1"}, "capacity", "bereits 2 bestätigte"),
    ({"ends_at_0": "01.01.2020"}, "ends_at", "nach ihrem Beginn enden"),
    ({"venue": "", "format": "onsite", "online_url": ""}, "venue", "Ort"),
    # A draft is hidden from everyone registered: they could neither open nor leave it, nor hear of changes.
    ({"status": "draft"}, "status", "sagen Sie sie bitte ab"),
    # Moved into the past, nobody registered would hear of it, and it would drop from their lists.
    ({"starts_at_0": "01.11.2020", "ends_at_0": "01.11.2020", "registration_deadline_0": "31.10.2020"}, "ends_at",
     "erführe niemand davon"),
])
def test_admin_bad_input_gives_german_errors_and_saves_nothing(staff_client, changes, field, message):
    event = EventFactory(capacity=5)
    EventRegistrationFactory.create_batch(2, event=event)
    before = Event.objects.values().get(pk=event.pk)
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]),
                                 admin_form_data(event, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert Event.objects.values().get(pk=event.pk) == before


def test_admin_cancel_registration_asks_first_tells_the_person_and_promotes(staff_client):
    import base64

    import icalendar

    event = EventFactory(capacity=1)
    place = EventRegistrationFactory(event=event)
    waiting = EventRegistrationFactory(event=event, user=participant(), status=Status.WAITLISTED, confirmed_at=None)
    changelist = reverse("admin:events_eventregistration_changelist")
    asked = staff_client.post(changelist, {"action": "cancel_registrations", ACTION_CHECKBOX_NAME: [place.pk]})
    assert asked.status_code == 200 and "Verbindlich abmelden" in asked.content.decode()
    place.refresh_from_db()
    assert place.status == Status.CONFIRMED, "nothing happens before the confirmation"
    done = staff_client.post(changelist, {"action": "cancel_registrations", ACTION_CHECKBOX_NAME: [place.pk],
                                          "apply": "1", "reason": "Doppelt angemeldet über zwei Adressen."},
                             follow=True)
    assert "1 Anmeldung abgemeldet; die Person erhält eine E-Mail." in done.content.decode()
    place.refresh_from_db()
    waiting.refresh_from_db()
    assert place.status == Status.CANCELLED and waiting.status == Status.CONFIRMED
    mail = OutboxMessage.objects.get(key__startswith=f"event-removed:{place.pk}:")
    assert mail.to == place.user.email and "Doppelt angemeldet" in mail.body_text
    # The events team or the Koordination removes people: the mail names the programme team, not one of them.
    assert "das Programmteam hat Sie" in mail.body_text and "Nachricht des Programmteams" in mail.body_text
    assert "die Koordination" not in mail.body_text and "der Koordination" not in mail.body_text
    assert event.online_url and event.online_url not in mail.body_text, "no link for someone without a place"
    [attachment] = mail.attachments
    content = base64.b64decode(attachment["content"]) if attachment["base64"] else attachment["content"].encode()
    [vevent] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED"
    # Again on the same row: an error written for staff, not for the participant.
    again = staff_client.post(changelist, {"action": "cancel_registrations", ACTION_CHECKBOX_NAME: [place.pk],
                                           "apply": "1", "reason": ""}, follow=True)
    assert "ist für diese Veranstaltung bereits abgemeldet" in again.content.decode()
    assert OutboxMessage.objects.filter(key__startswith="event-removed:").count() == 1


def test_a_cancelled_event_stays_cancelled_when_edited(staff_client, staff_user):
    event = event_cancel(event=EventFactory(), message="Ausfall", by=staff_user)
    data = admin_form_data(event, status="published", title="Neuer Titel")
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Neuer Titel" and event.status == Event.Status.CANCELLED


def test_an_event_without_registrations_may_go_back_to_draft_and_the_service_refuses_otherwise(staff_client,
                                                                                               staff_user):
    from events.services import EventRegistrationError, event_save

    empty = EventFactory()
    response = staff_client.post(reverse("admin:events_event_change", args=[empty.pk]),
                                 admin_form_data(empty, status="draft"))
    assert response.status_code == 302
    empty.refresh_from_db()
    assert empty.status == Event.Status.DRAFT
    taken = EventFactory()
    EventRegistrationFactory(event=taken, status=Status.WAITLISTED, confirmed_at=None)
    taken.status = Event.Status.DRAFT
    with pytest.raises(EventRegistrationError):
        event_save(event=taken, changed_fields=["status"], by=staff_user)
    assert Event.objects.get(pk=taken.pk).status == Event.Status.PUBLISHED


def test_a_registration_between_the_forms_check_and_the_save_refuses_all_of_it_with_the_reason(staff_client,
                                                                                               monkeypatch):
    """The form saw room for a smaller capacity; under the event's lock the service sees places given since:
    the page says why, and neither the capacity nor the title nor the topics are saved."""
    from django.contrib.messages import get_messages

    from accounts.models import Topic

    event = EventFactory(capacity=5, title="Hitzeschutz")
    for _person in range(3):
        EventRegistrationFactory(event=event)
    real = Event.capacity_refused_because
    calls = []

    def room_at_the_forms_check(self, capacity):
        calls.append(capacity)
        return None if len(calls) == 1 else real(self, capacity)

    monkeypatch.setattr(Event, "capacity_refused_because", room_at_the_forms_check)
    topic = Topic.objects.first()
    url = reverse("admin:events_event_change", args=[event.pk])
    response = staff_client.post(url, admin_form_data(event, capacity="2", title="Neuer Titel", topics=[topic.pk]))
    # The page again with what was typed, and the reason once next to the places.
    assert response.status_code == 200
    form = response.context["adminform"].form
    [message] = form.errors["capacity"]
    assert "Plätze" in message or "Platz" in message
    assert form["title"].value() == "Neuer Titel"
    assert not list(get_messages(response.wsgi_request))
    event.refresh_from_db()
    assert (event.capacity, event.title, list(event.topics.all())) == (5, "Hitzeschutz", [])


def test_events_with_registrations_cannot_be_deleted(staff_client):
    event = EventRegistrationFactory().event
    assert staff_client.get(reverse("admin:events_event_delete", args=[event.pk])).status_code == 403
    empty = EventFactory()
    assert staff_client.get(reverse("admin:events_event_delete", args=[empty.pk])).status_code == 200


@pytest.mark.parametrize("capacity", ["0", "-3"])
def test_an_event_without_a_place_is_refused_next_to_the_places(staff_client, capacity):
    event = EventFactory()
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]),
                                 admin_form_data(event, capacity=capacity))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["capacity"] == ["Eine Veranstaltung hat mindestens einen Platz."] and "__all__" not in errors
    assert Event.objects.get(pk=event.pk).capacity == event.capacity


@pytest.mark.parametrize("year", ["0001", "1899", "2201", "9999"])
def test_a_year_no_event_can_have_is_refused_next_to_its_field_with_the_form_kept(staff_client, year):
    """Year 1 at half past midnight falls before year 1 in UTC: the save answered a bare 400 and the form was lost."""
    event = EventFactory()
    data = admin_form_data(event, title="Neuer Titel")
    for name in ("starts_at", "ends_at", "registration_deadline"):
        data[f"{name}_0"], data[f"{name}_1"] = f"01.01.{year}", "00:30:00"
    response = staff_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["starts_at"] == ["Bitte prüfen Sie das Jahr."]
    assert response.context["adminform"].form["title"].value() == "Neuer Titel"
    assert not Event.objects.filter(title="Neuer Titel").exists()


def test_every_admin_date_input_asks_for_a_plausible_year(rf, admin_user):
    """Every registered admin's form and its inlines' rows: a date in year 2500 is refused next to its field."""
    from django import forms
    from django.contrib import admin as django_admin

    request = rf.get("/admin/")
    request.user = admin_user
    checked = set()
    for model, model_admin in django_admin.site._registry.items():
        forms_shown = [model_admin.get_form(request, None, change=False)]
        forms_shown += [inline(model, django_admin.site).get_formset(request, None).form
                        for inline in model_admin.get_inlines(request, None)]  # as the change page takes them
        for form_class in forms_shown:
            for name, field in form_class.base_fields.items():
                if isinstance(field, forms.SplitDateTimeField):
                    data = {f"{name}_0": "01.06.2500", f"{name}_1": "10:00"}
                elif isinstance(field, (forms.DateField, forms.DateTimeField)):
                    data = {name: "01.06.2500" if isinstance(field, forms.DateField) else "01.06.2500 10:00"}
                else:
                    continue
                form = form_class(data=data, prefix=None)
                assert "Bitte prüfen Sie das Jahr." in form.errors.get(name, []), (model, form_class, name)
                checked.add((form_class._meta.model._meta.label, name))
    assert {("events.Event", "starts_at"), ("accounts.ProgrammeYear", "opens_on"),
            ("django_celery_beat.ClockedSchedule", "clocked_time")} <= checked, checked
    assert len(checked) > 10


def test_a_long_text_in_admin_has_a_limit_next_to_its_field(rf, admin_user):
    """200,000 characters pasted into an event's description were saved (and shown on every page of it)."""
    from django.contrib import admin as django_admin

    from events.models import Event
    from mentoring.kernel.admin_input import ADMIN_TEXT_LIMIT

    request = rf.get("/admin/")
    request.user = admin_user
    form_class = django_admin.site._registry[Event].get_form(request, None, change=False)
    form = form_class(data={"description": "x" * (ADMIN_TEXT_LIMIT + 1)})
    assert any("50000" in message or "50.000" in message for message in form.errors["description"])
    assert form_class.base_fields["description"].widget.attrs["maxlength"] == str(ADMIN_TEXT_LIMIT)
    assert "description" not in form_class(data={"description": "x" * ADMIN_TEXT_LIMIT}).errors
