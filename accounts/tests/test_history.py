"""A person's history in admin: Kennenlerngespräch, steps, reports, Tandems, mails; flat query count."""
import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import intro_calls, services
from accounts.models import Registration, RegistrationTransition
from accounts.tests.factories import StaffFactory, participant
from matching import services as matching_services
from matching.models import Tandem
from matching.tests.factories import TandemFactory
from mentoring.kernel.mail import mail_queue, outbox_purge
from mentoring.models import BarrierReport, OutboxMessage

pytestmark = pytest.mark.django_db
S = Registration.Status
NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def history_url(user) -> str:
    return reverse("admin:accounts_user_verlauf", args=[user.pk])


def person_with_history(staff, n: int):
    """A participant with ``n`` of every kind of entry: steps, Tandems, reports, mails."""
    person = participant(status=S.SUBMITTED, needs=["haushalt"])
    registration = person.registration
    services.registration_transition(registration=registration, to_status=S.INTRO_SCHEDULED, by=staff,
                                     intro_call_at=timezone.now() + datetime.timedelta(days=3, hours=n),
                                     intro_host=staff, intro_video_url="https://video.example.org/r")
    for i in range(n):
        RegistrationTransition.objects.create(registration=registration, from_status=S.INTRO_SCHEDULED,
                                              to_status=S.INTRO_SCHEDULED, by=staff, note=f"Schritt {i}")
        # One active Tandem per mentee at a time: the earlier ones have ended.
        last = i == n - 1
        tandem = TandemFactory(mentee=person.profile, status=Tandem.Status.ACTIVE if last else Tandem.Status.ENDED,
                               ended_at=None if last else timezone.now())
        report = matching_services.problem_report(tandem=tandem, by=person, kind="problem", text=f"Meldung {i}")
        matching_services.problem_report_handle(report=report, by=staff, status="in_progress", assignee=staff,
                                                reply=f"Antwort {i}")
        BarrierReport.objects.create(email=person.email, description=f"Barriere {i}", page=f"/seite-{i}/")
        mail_queue(key=f"history-test:{i}", to=person.email, template="account_deleted", context={},
                   language="de")
    Registration.objects.filter(pk=registration.pk).update(intro_call_notes="Sucht Hilfe bei der Ratsvorlage.")
    return person


def test_history_shows_every_kind_of_entry_but_no_mail_body(client, staff_user):
    person = person_with_history(staff_user, 2)
    intro_calls.intro_move(registration=person.registration, by=staff_user,
                           starts_at=timezone.now() + datetime.timedelta(days=5), host=staff_user,
                           video_url="https://video.example.org/r", reason="Zugverspätung")
    secret = OutboxMessage.objects.filter(to=person.email).first()
    OutboxMessage.objects.filter(pk=secret.pk).update(body_text="GEHEIMER INHALT", body_html="<p>GEHEIMER INHALT</p>")
    outbox_purge(messages=OutboxMessage.objects.filter(key__startswith="history-test:1"))
    client.force_login(staff_user)
    response = client.get(history_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in ("Sucht Hilfe bei der Ratsvorlage.", "https://video.example.org/r",  # the talk
                     "Kennenlerngespräch verschoben", "Zugverspätung", "Schritt 1",  # its steps
                     "Meldung 0", "Meldungen zu Tandems", "in Bearbeitung",  # reports
                     "/seite-1/", "Barriere-Meldungen",  # barrier reports
                     reverse("admin:matching_tandem_change", args=[person.profile.tandems_as_mentee.first().pk]),
                     "Ihr Kennenlerngespräch am", "wartet"):  # mails: subject and status
        assert expected in html, expected
    assert "GEHEIMER INHALT" not in html, "mail bodies never show"
    assert str(staff_user) in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_history_query_count_is_flat(client, staff_user):
    few, many = person_with_history(staff_user, 2), person_with_history(staff_user, 10)
    client.force_login(staff_user)
    assert OutboxMessage.objects.filter(to=many.email).count() > OutboxMessage.objects.filter(to=few.email).count()
    assert count_queries(client, history_url(many)) == count_queries(client, history_url(few))


def test_history_is_linked_from_user_profile_and_registration_pages(client, staff_user):
    person = participant(status=S.SUBMITTED, needs=["haushalt"])
    client.force_login(staff_user)
    for url in (reverse("admin:accounts_user_change", args=[person.pk]),
                reverse("admin:accounts_profile_change", args=[person.profile.pk]),
                reverse("admin:accounts_registration_change", args=[person.registration.pk])):
        html = client.get(url).content.decode()
        assert f'href="{history_url(person)}"' in html and "Verlauf der Person" in html, url


def test_history_is_for_staff_who_may_see_people(client, staff_user, mentee):
    client.force_login(mentee)
    response = client.get(history_url(mentee))
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(StaffFactory(is_superuser=False))
    assert client.get(history_url(mentee)).status_code == 403
    client.force_login(staff_user)
    assert client.get(reverse("admin:accounts_user_verlauf", args=[987654])).status_code == 404


def test_the_admin_change_history_of_a_user_stays_next_to_the_verlauf(client, staff_user, mentee):
    client.force_login(staff_user)
    assert client.get(reverse("admin:accounts_user_history", args=[mentee.pk])).status_code == 200
    assert client.get(history_url(mentee)).status_code == 200
