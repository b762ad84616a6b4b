"""Staff review registrations in admin: workflow actions, filters, search, CSV, access."""
import csv
import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Registration
from accounts.tests.factories import participant
from mentoring.kernel.models import OutboxMessage

CHANGELIST = "/admin/accounts/registration/"
S = Registration.Status


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def act(staff_client, action, users, **extra):
    pks = [u.registration.pk for u in users]
    return staff_client.post(CHANGELIST, {"action": action, "_selected_action": pks, **extra}, follow=True)


@pytest.mark.django_db
def test_a_kennenlerngespraech_is_planned_for_one_person_at_a_time(staff_client, staff_user):
    """One time and one host for the whole selection: the second of two people always clashed with the first."""
    people = [participant(status=S.SUBMITTED, needs=["haushalt"]) for _n in range(2)]
    page = act(staff_client, "schedule_intro", people).content.decode()
    assert "Bitte wählen Sie genau eine Anmeldung aus." in page and "intro_call_at_0" not in page
    assert not Registration.objects.filter(status=S.INTRO_SCHEDULED).exists()


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_full_workflow_records_who_and_when_and_mails(staff_client, staff_user):
    person = participant(status=S.SUBMITTED, needs=["haushalt"])
    # The scheduling action first asks for date, time and who holds the talk on an intermediate page.
    page = act(staff_client, "schedule_intro", [person])
    assert "Kennenlerngespräch am" in page.content.decode()
    act(staff_client, "schedule_intro", [person], apply="1", intro_call_at_0="02.12.2026", intro_call_at_1="10:30",
        intro_host=staff_user.pk)
    registration = Registration.objects.get(user=person)
    assert registration.status == S.INTRO_SCHEDULED
    assert registration.intro_call_at.isoformat().startswith("2026-12-02T09:30")  # 10:30 Berlin = 09:30 UTC
    act(staff_client, "record_intro", [person], apply="1", notes="Sucht Hilfe bei der Ratsvorlage.")
    asked = act(staff_client, "approve", [person])
    assert "Anmeldung freigeben" in asked.content.decode(), "approval asks once more"
    assert Registration.objects.get(user=person).status == S.INTRO_DONE
    act(staff_client, "approve", [person], apply="1")
    registration.refresh_from_db()
    assert registration.status == S.APPROVED
    assert registration.intro_call_notes == "Sucht Hilfe bei der Ratsvorlage."
    steps = list(registration.transitions.values_list("from_status", "to_status", "by"))
    assert steps == [(S.SUBMITTED, S.INTRO_SCHEDULED, staff_user.pk), (S.INTRO_SCHEDULED, S.INTRO_DONE, staff_user.pk),
                     (S.INTRO_DONE, S.APPROVED, staff_user.pk)]
    subjects = list(OutboxMessage.objects.filter(to=person.email).values_list("subject", flat=True))
    assert any("Kennenlerngespräch am 02.12.2026" in s for s in subjects)
    assert any("freigegeben" in s for s in subjects)


@pytest.mark.django_db
def test_reject_with_note_and_withdraw(staff_client):
    a = participant(status=S.INTRO_DONE, needs=["haushalt"])
    b = participant(status=S.SUBMITTED, needs=["haushalt"])
    act(staff_client, "reject", [a], apply="1", note="Die Stelle ist nicht in der Klimaanpassung.")
    act(staff_client, "mark_withdrawn", [b], apply="1", note="")
    assert Registration.objects.get(user=a).status == S.REJECTED
    assert Registration.objects.get(user=b).status == S.WITHDRAWN
    rejected_mail = OutboxMessage.objects.get(to=a.email)
    assert "nicht in der Klimaanpassung" in rejected_mail.body_text


@pytest.mark.django_db
def test_disallowed_transition_is_a_message_not_a_500(staff_client):
    person = participant(status=S.SUBMITTED, needs=["haushalt"])
    response = act(staff_client, "approve", [person], apply="1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "kann nicht zu" in page and f"({person.email}): " in page  # namesakes told apart
    assert Registration.objects.get(user=person).status == S.SUBMITTED


@pytest.mark.django_db
def test_schedule_without_date_shows_form_error(staff_client):
    person = participant(status=S.SUBMITTED, needs=["haushalt"])
    response = act(staff_client, "schedule_intro", [person], apply="1", intro_call_at_0="", intro_call_at_1="")
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Registration.objects.get(user=person).status == S.SUBMITTED


@pytest.mark.django_db
def test_filters_and_search(staff_client):
    from accounts.models import FederalState, OrganisationType
    from accounts.tests.factories import OrganisationFactory

    bavaria = OrganisationFactory(name="Landkreis Ebersberg", federal_state=FederalState.objects.get(code="09"),
                                  org_type=OrganisationType.objects.get(slug="landkreis"))
    a = participant(status=S.SUBMITTED, needs=["haushalt"], organisation=bavaria, funding_line="a2")
    b = participant(mentor=True, status=S.APPROVED, competences=["haushalt"])
    cases = {
        "?status__exact=submitted": {a}, "?status__exact=approved": {b},
        "?rolle=mentor": {b}, "?rolle=mentee": {a},
        f"?user__profile__organisation__federal_state__id__exact={bavaria.federal_state_id}": {a},
        "?user__profile__funding_line__exact=a2": {b, a},
        f"?user__profile__organisation__org_type__id__exact={bavaria.org_type_id}": {a},
        "?q=Ebersberg": {a}, f"?q={b.email}": {b}, f"?q={a.last_name}": {a},
    }
    for query, expected in cases.items():
        response = staff_client.get(CHANGELIST + query)
        assert response.status_code == 200, query
        shown = {r.user for r in response.context["cl"].result_list}
        assert shown == expected, query


@pytest.mark.django_db
def test_change_page_shows_readable_needs_and_competences(staff_client):
    person = participant(status=S.SUBMITTED, needs=[("haushalt", 3)], competences=[("beteiligung", 2)])
    html = staff_client.get(f"{CHANGELIST}{person.registration.pk}/change/").content.decode()
    assert "Kommunale Haushaltsplanung &amp; Finanzierung – hoch" in html
    assert "Akteurs- und Bürgerbeteiligung – erfahren" in html
    assert "<strong>Sprachen:</strong> Deutsch</p>" in html, "languages by name, not as codes"


@pytest.mark.django_db
def test_csv_export(staff_client):
    a = participant(status=S.SUBMITTED, needs=["haushalt", "politik"])
    response = act(staff_client, "export_csv", [a])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Eingang", "Status", "Vorname", "Nachname", "E-Mail"]
    assert rows[1][1] == "eingegangen" and rows[1][4] == a.email
    assert "Haushaltsplanung; Politik & Gremien" in rows[1]


@pytest.mark.django_db
def test_csv_export_speaks_the_staff_members_language(client, staff_user):
    """Topics, organisation types and dates as the admin pages show them to this staff member."""
    staff_user.language = "en"
    staff_user.save()
    client.force_login(staff_user)
    a = participant(status=S.SUBMITTED, needs=["haushalt"])
    response = act(client, "export_csv", [a])
    assert response["Content-Disposition"].startswith('attachment; filename="anmeldungen-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Received" and "Haushaltsplanung" not in ";".join(rows[1])
    assert rows[1][0][:2].isdigit() and not re.match(r"\d\d\.\d\d\.\d{4}", rows[1][0])  # no German date


@pytest.mark.django_db
def test_csv_export_neutralises_formulas(staff_client):
    from accounts.tests.factories import OrganisationFactory

    a = participant(status=S.SUBMITTED, organisation=OrganisationFactory(name="@SUM(1+1)*cmd|' /C calc'!A0"))
    a.first_name, a.last_name = "=HYPERLINK(\"http://böse.example\")", "＋1+1"
    a.save()
    response = act(staff_client, "export_csv", [a])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    formula = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
    assert not [cell for row in rows for cell in row if cell.startswith(formula)]
    assert rows[1][2] == "'=HYPERLINK(\"http://böse.example\")" and rows[1][3] == "'＋1+1"
    assert rows[1][6] == "'@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_non_staff_gets_no_admin(client, mentee):
    client.force_login(mentee)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_admin_login_is_rate_limited_through_allauth(client, staff_user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith("/konto/login/")
    for _ in range(5):
        client.post("/konto/login/", {"login": staff_user.email, "password": "geraten"})
    response = client.post("/konto/login/?next=/admin/", {"login": staff_user.email,
                                                          "password": "Sicheres-Passwort-42"})
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert "Passwort vergessen?" in response.content.decode().split("Zu viele fehlgeschlagene")[1][:300], \
        "a stranger can cause the lock: the person reads the way out (a new password lifts it)"
    assert client.get("/admin/").status_code == 302, "still not logged in"


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_changelist_query_count_is_flat(staff_client):
    for _ in range(2):
        participant(status=S.SUBMITTED, needs=["haushalt"], competences=["politik"])
    few = count_queries(staff_client, CHANGELIST)
    for _ in range(48):
        participant(status=S.SUBMITTED, needs=["haushalt"], competences=["politik"])
    assert count_queries(staff_client, CHANGELIST) == few


@pytest.mark.django_db
def test_koordination_downloads_a_persons_data_as_their_own_export_gives_it(client):
    """A request for information (DSGVO Art. 15) that comes by mail or phone: the user page offers the file."""
    import json

    from django.contrib.admin.models import LogEntry
    from django.urls import reverse

    from accounts import services
    from accounts.tests.factories import staff_member

    person = participant(needs=["haushalt"])
    url = reverse("admin:accounts_user_daten", args=[person.pk])
    client.force_login(staff_member("Moderation", email="m@example.org"))
    assert client.get(url).status_code == 403
    client.force_login(staff_member("Koordination", email="k@example.org"))
    assert url in client.get(reverse("admin:accounts_user_change", args=[person.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert f'filename="daten-{person.pk}-' in response["Content-Disposition"]
    assert json.loads(response.content) == json.loads(json.dumps(services.user_export(user=person), default=str))
    assert LogEntry.objects.filter(object_id=str(person.pk), user__email="k@example.org").exists()


@pytest.mark.django_db
def test_the_koordinations_copy_withholds_private_notes_and_the_feed_key(client):
    """Private meeting notes are the author's alone and the feed key opens their calendar: only the person's
    own export carries them; the Koordination's copy says that they exist."""
    from django.urls import reverse
    from django.utils import timezone

    from accounts.tests.factories import staff_member, topic
    from events.services import calendar_feed_for
    from matching import services as matching
    from matching.tests.factories import TandemFactory
    from mentoring.kernel.privacy import WITHHELD, contributors

    mentor = participant(mentor=True, competences=["haushalt"])
    tandem = TandemFactory(mentor=mentor.profile, mentee=participant(needs=["haushalt"]).profile)
    matching.meeting_log(tandem=tandem, by=mentor, date=timezone.localdate(), duration_minutes=60, format="online",
                         topics=[topic("haushalt")], note="Nur für mich: Ratsvorlage anmahnen")
    token = calendar_feed_for(user=mentor).token
    client.force_login(mentor)
    own = client.get(reverse("accounts:data_export")).content.decode()
    assert "Ratsvorlage anmahnen" in own and token in own
    personal_only = {key for part in contributors() for key in part.personal_only}
    assert personal_only == {"ihre_private_notiz", "schluessel"}
    assert all(f'"{key}"' in own for key in personal_only), "the keys the Koordination's copy withholds exist"
    client.force_login(staff_member("Koordination", email="k@example.org"))
    staff_copy = client.get(reverse("admin:accounts_user_daten", args=[mentor.pk])).content.decode()
    assert "Ratsvorlage anmahnen" not in staff_copy and token not in staff_copy and WITHHELD in staff_copy


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "steps"), [
    (S.SUBMITTED, ["schedule_intro", "record_intro", "reject", "mark_withdrawn"]),
    (S.INTRO_SCHEDULED, ["record_intro", "reject", "mark_withdrawn"]),
    (S.INTRO_DONE, ["approve", "reject", "mark_withdrawn"]),
    (S.APPROVED, ["mark_withdrawn"]),
    (S.REJECTED, []),
])
def test_the_registration_page_offers_its_next_steps(staff_client, status, steps):
    """Working through one registration after reading it: its next steps are buttons on its page, each
    opening the list's action for this one registration."""
    import re

    person = participant(status=status, needs=["haushalt"])
    page = staff_client.get(f"{CHANGELIST}{person.registration.pk}/change/").content.decode()
    assert re.findall(r'name="action" value="(\w+)"><input type="hidden" name="_selected_action" value="(\d+)"',
                      page) == [(step, str(person.registration.pk)) for step in steps]
    if "reject" in steps:
        # The step's page, and after it the registration's page again (not the list).
        own_page = f"{CHANGELIST}{person.registration.pk}/change/"
        asked = act(staff_client, "reject", [person], next=own_page)
        assert f'name="next" value="{own_page}"' in asked.content.decode()
        done = staff_client.post(CHANGELIST, {"action": "reject", "_selected_action": [person.registration.pk],
                                              "apply": "1", "note": "", "next": own_page})
        assert done.status_code == 302 and done["Location"] == own_page
        assert Registration.objects.get(user=person).status == S.REJECTED
        elsewhere = staff_client.post(CHANGELIST, {"action": "mark_withdrawn", "apply": "1", "note": "",
                                                   "_selected_action": [person.registration.pk],
                                                   "next": "https://evil.example/"})
        assert elsewhere["Location"] != "https://evil.example/"


@pytest.mark.django_db
def test_staff_who_see_no_registrations_see_only_approved_participants_profiles(client):
    """Veranstaltungen pick speakers from the profiles; an applicant's or a rejected person's profile would tell
    them of the application, which the group may not see."""
    from accounts.staff_groups import VERANSTALTUNGEN
    from accounts.tests.factories import staff_member

    approved = participant(user__last_name="Freigegeben")
    applied = participant(status=Registration.Status.SUBMITTED, user__last_name="Eingegangen")
    rejected = participant(status=Registration.Status.REJECTED, user__last_name="Abgelehnt")
    client.force_login(staff_member(VERANSTALTUNGEN, email="v@example.org"))
    listed = client.get(reverse("admin:accounts_profile_changelist")).content.decode()
    assert "Freigegeben" in listed and "Eingegangen" not in listed and "Abgelehnt" not in listed
    assert client.get(reverse("admin:accounts_profile_change", args=[approved.profile.pk])).status_code == 200
    for hidden in (applied, rejected):
        response = client.get(reverse("admin:accounts_profile_change", args=[hidden.profile.pk]))
        assert response.status_code == 302 and "Eingegangen" not in client.get(response["Location"]).content.decode()
    client.force_login(staff_member("Koordination", email="k@example.org"))
    assert "Eingegangen" in client.get(reverse("admin:accounts_profile_changelist")).content.decode()


@pytest.mark.django_db
def test_nobody_reads_the_key_to_an_account_in_the_outbox(client, django_capture_on_commit_callbacks, mailoutbox):
    """A password-reset link in the outbox would let staff take over the account (the superuser's included):
    such mails are sealed in admin while they wait and emptied once delivered."""
    from accounts.tests.factories import StaffFactory, UserFactory, staff_member

    target = UserFactory(email="admin-target@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("account_reset_password"), {"email": target.email})
    message = OutboxMessage.objects.get(to=target.email)
    assert message.purge_after_send and "/password/reset/key/" in message.body_text
    client.force_login(staff_member("Koordination", email="k@example.org"))
    page = client.get(reverse("admin:mentoring_outboxmessage_change", args=[message.pk])).content.decode()
    assert "/password/reset/key/" not in page and "Zugangs-Link" in page
    from mentoring.kernel.mail import outbox_deliver

    # Nor can the list be asked "does the text contain …?", one letter at a time.
    listing = reverse("admin:mentoring_outboxmessage_changelist")
    for lookup in ("body_text__contains", "body_html__icontains", "headers__contains", "attachments__contains"):
        assert client.get(listing, {"pk": message.pk, lookup: "/password/reset/key/"}).status_code == 400, lookup
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(reverse("admin:accounts_user_changelist"), {"password__startswith": "pbkdf2"}).status_code == 400
    outbox_deliver(message_pk=message.pk)
    assert "/password/reset/key/" in mailoutbox[0].body
    message.refresh_from_db()
    assert message.body_text == "" and message.to == ""


@pytest.mark.django_db
def test_the_superuser_erases_a_person_with_event_places_and_letters(client, django_capture_on_commit_callbacks):
    """An erasure request by mail or phone is carried out from the user's page, whatever the person holds."""
    from accounts.models import User
    from accounts.tests.factories import StaffFactory
    from events.tests.factories import EventFactory, EventRegistrationFactory
    from mentoring.letters.models import LetterRecipient
    from mentoring.letters.tests.factories import LetterFactory

    person = participant()
    EventRegistrationFactory(event=EventFactory(), user=person)
    LetterRecipient.objects.create(letter=LetterFactory(), user=person)
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:accounts_user_delete", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "keine Rechte" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_the_persons_copy_says_what_staff_did_to_their_records_in_admin(client):
    """Art. 15: the change history of their account, profile and registration, and the Koordination's download
    of their data, are in their own export."""
    from accounts.services import user_export
    from accounts.tests.factories import staff_member

    person = participant()
    coordinator = staff_member("Koordination", email="k@example.org", first_name="Kim", last_name="Koordinatorin")
    client.force_login(coordinator)
    assert client.get(reverse("admin:accounts_user_daten", args=[person.pk])).status_code == 200
    history = user_export(user=person)["aenderungen_in_der_verwaltung"]
    assert len(history) == 1 and "Auskunft nach Art. 15" in history[0]["aenderung"]
    assert history[0]["durch"] == "Koordination (Kim Koordinatorin)"
