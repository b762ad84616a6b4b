"""Erasure leaves no trace in any table, and the export holds every row that names the person.

Both tests build one person with data in every app (through the same services the pages
use, so mails and logs arise as they do in use), then read the whole database.
The feature apps' tables (matching_, forum_, events_) depend on each app's registered
``erase``/``export``; they are checked in separate, parametrised tests so that a missing
app part is named as such.
"""
import base64
import contextlib
import datetime
import html
import json
import zlib

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts import services
from accounts.models import Consent, Registration, User
from accounts.tests.factories import StaffFactory, participant, topic
from accounts.tests.test_registration import form_data
from events.services import event_register
from events.tests.factories import EventFactory
from forum import services as forum_services
from forum.models import Category, Thread
from matching import services as matching_services
from matching.tests.factories import MatchRunFactory, ProposalFactory, TandemFactory
from mentoring.letters import services as letter_services
from mentoring.letters.models import Letter
from mentoring.models import BarrierReport, OutboxMessage

FIRST, LAST = "Xaveria", "Quendelmeier-Tost"
EMAIL = "xaveria.quendelmeier@kommune-beispiel.de"
PHONE = "+49 641 9876-5432"
# One marker per free text the person (or staff about them) wrote; none may survive.
MARKERS = {
    "needs_text": "BEDARFMARKER7731", "competences_text": "KOMPETENZMARKER7732", "position": "STELLENMARKER7733",
    "intro_note": "KENNENLERNMARKER7734", "approve_note": "FREIGABEMARKER7735",
    "meeting_note": "TREFFENMARKER7736", "problem_report": "PROBLEMMARKER7737", "thread_title": "THEMAMARKER7738",
    "thread_body": "ERÖFFNUNGSMARKER7739", "reply": "ANTWORTMARKER7740", "forum_report": "MELDUNGMARKER7741",
    "event_note": "VERANSTALTUNGSMARKER7742", "barrier": "BARRIEREMARKER7743",
}
FEATURE_APPS = ("matching", "forum", "events")


def _session_texts(raw: str) -> list[str]:
    """A session row as stored, and its decoded payload (signed, base64, maybe compressed)."""
    texts = [raw]
    payload = raw.split(":", 1)[0]
    compressed = payload.startswith(".")
    try:
        decoded = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
        texts.append((zlib.decompress(decoded) if compressed else decoded).decode("utf-8", errors="ignore"))
    except (ValueError, zlib.error):
        pass
    return texts


def _variants(value) -> list[str]:
    """The stored text plus the text a reader sees (JSON and HTML escapes undone)."""
    if value is None:
        return []
    if isinstance(value, memoryview | bytes):
        value = bytes(value).decode("utf-8", errors="ignore")
    text = str(value)
    variants = [text, html.unescape(text)]
    with contextlib.suppress(ValueError, TypeError):
        variants.append(json.dumps(json.loads(text), ensure_ascii=False))
    return variants


def database_dump() -> list[tuple[str, str]]:
    """(table, text) for every value of every row of every table, read with raw SQL."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # Table names come from the database's own catalogue, quoted.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    texts = _variants(value)
                    if table == Session._meta.db_table and isinstance(value, str):
                        texts += _session_texts(value)
                    dump += [(table, text) for text in texts]
    return dump


def leaks(needles: dict[str, str]) -> dict[str, set[str]]:
    """table → which of ``needles`` (by name) it still holds."""
    found: dict[str, set[str]] = {}
    for table, text in database_dump():
        folded = text.casefold()
        for name, needle in needles.items():
            if needle.casefold() in folded:
                found.setdefault(table, set()).add(name)
    return found


def owner(table: str) -> str:
    return next((app for app in FEATURE_APPS if table.startswith(f"{app}_")), "accounts/mentoring")


def person_with_data_everywhere(client: Client, django_capture_on_commit_callbacks) -> dict:
    """The person signs up through /anmeldung/ and then leaves data in every app."""
    staff = StaffFactory(email="koordinatorin@example.org", first_name="Kora", last_name="Koordinatorin")
    # Signed up in one browser (its session remembers the address), logged in on two others.
    signup_browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = signup_browser.post("/anmeldung/", form_data(
            first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE, position=MARKERS["position"],
            needs_text=MARKERS["needs_text"], competences_text=MARKERS["competences_text"], consent_news="on"))
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    user.emailaddress_set.update(verified=True)
    registration = user.registration
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_transition(registration=registration, to_status=Registration.Status.INTRO_SCHEDULED,
                                         by=staff, intro_call_at=timezone.now() + datetime.timedelta(days=2))
        services.registration_transition(registration=registration, to_status=Registration.Status.INTRO_DONE,
                                         by=staff, note=MARKERS["intro_note"])
        services.registration_transition(registration=registration, to_status=Registration.Status.APPROVED,
                                         by=staff, note=MARKERS["approve_note"])
    # A news letter to the approved participants (the person gave the news consent at sign-up).
    letter = Letter.objects.create(kind=Letter.Kind.NEWS, subject_de="Neuigkeiten aus dem Programm", body_de="Text",
                                   statuses=[Registration.Status.APPROVED])
    with django_capture_on_commit_callbacks(execute=True):
        letter_services.letter_send(letter=letter, by=staff)
    assert letter.recipients.filter(user=user).exists()
    LogEntry.objects.create(
        user=staff, content_type=ContentType.objects.get_for_model(Registration), object_id=str(registration.pk),
        object_repr=str(registration)[:200], action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["Status"]}},
                                   {"added": {"name": "Statuswechsel", "object": f"{FIRST} {LAST}"}}]))
    LogEntry.objects.create(user=staff, content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk),
                            object_repr=EMAIL, action_flag=CHANGE, change_message="[]")

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})

    user = User.objects.get(pk=user.pk)
    profile = user.profile
    mentor = participant(mentor=True, competences=["haushalt"])
    ProposalFactory(run=MatchRunFactory(), mentee=profile, mentor=mentor.profile)
    tandem = TandemFactory(mentee=profile, mentor=mentor.profile)
    with django_capture_on_commit_callbacks(execute=True):
        matching_services.meeting_log(tandem=tandem, by=user, date=timezone.localdate(), duration_minutes=90,
                                      format="online", topics=[topic("haushalt")], note=MARKERS["meeting_note"])
        matching_services.problem_report(tandem=tandem, by=user, kind="problem", text=MARKERS["problem_report"])

    category = Category.objects.get(slug="fragen-antworten")
    forum_services.category_subscribe(category=category, user=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        thread = forum_services.thread_create(author=user, category=category, title=MARKERS["thread_title"],
                                              kind=Thread.Kind.QUESTION, topics=[], body=MARKERS["thread_body"])
    reply = forum_services.post_create(author=mentor, thread=thread, body="Eine Antwort der Mentorin.")
    forum_services.post_create(author=user, thread=thread, body=MARKERS["reply"])
    forum_services.helpful_toggle(post=reply, user=user)
    forum_services.report_create(post=reply, reporter=user, reason=MARKERS["forum_report"])
    forum_services.thread_mark_read(thread=thread, user=user)

    event_register(event=EventFactory(), user=user, note=MARKERS["event_note"])

    client.force_login(user)
    other_device = Client()
    other_device.force_login(user)
    client.post("/barrierefreiheit/", {"name": f"{FIRST} {LAST}", "email": EMAIL, "page": "/tandem/",
                                       "description": MARKERS["barrier"]})
    assert BarrierReport.objects.filter(user=user).exists()
    assert Consent.objects.filter(user=user).count() == 3
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() >= 5
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() >= 3
    return {"user": user, "staff": staff, "partner": mentor}


# The person's own forum posts stay, shown as "ehemalige*r Teilnehmer*in", so that others'
# answers stay readable (stated on /datenschutz/); their text is not searched for.
KEPT_ANONYMOUSLY = {"thread_title", "thread_body", "reply"}
NEEDLES = {"email": EMAIL, "full name": f"{FIRST} {LAST}", "last name": LAST, "phone": PHONE,
           **{f"marker {name}": marker for name, marker in MARKERS.items() if name not in KEPT_ANONYMOUSLY}}


@pytest.fixture
def erased(client, django_capture_on_commit_callbacks, mailoutbox):
    """The person deletes their own account on /profil/loeschen/; returns what the dump still finds."""
    person_with_data_everywhere(client, django_capture_on_commit_callbacks)
    before = leaks(NEEDLES)
    assert {"accounts_user", "accounts_profile", "mentoring_outboxmessage", "django_session",
            "django_admin_log", "mentoring_barrierreport"} <= set(before), "the dump finds the person before"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/profil/loeschen/", {"password": form_data()["password1"]})
    assert response.status_code == 302
    assert mailoutbox[-1].to == [EMAIL] and mailoutbox[-1].subject == "Ihr Konto ist gelöscht"
    return leaks(NEEDLES)


@pytest.mark.django_db(transaction=False)
def test_erasure_leaves_no_trace_in_accounts_mentoring_and_contrib_tables(erased):
    """Outbox, admin log, sessions, allauth, profile, registration, consents, barrier reports."""
    mine = {table: sorted(names) for table, names in erased.items() if owner(table) == "accounts/mentoring"}
    assert mine == {}, f"after erasure these tables still hold the person: {mine}"
    deletion_mail = OutboxMessage.objects.get(key__startswith="account-deleted:")
    assert deletion_mail.status == OutboxMessage.Status.SENT and deletion_mail.purged_at is not None
    assert deletion_mail.to == "" and deletion_mail.body_text == ""


@pytest.mark.django_db
@pytest.mark.parametrize("app", FEATURE_APPS)
def test_erasure_leaves_no_trace_in_feature_app_tables(erased, app):
    """Depends on each app's registered ``erase`` (matching, forum and events helpers)."""
    theirs = {table: sorted(names) for table, names in erased.items() if owner(table) == app}
    assert theirs == {}, f"{app}'s erase leaves the person in: {theirs}"


def rows_about(user: User) -> tuple[list[tuple[str, object]], set]:
    """(model label, row) for every row with a foreign key to the person or their one-to-one rows.

    The person is the user and every model that extends the user one-to-one (profile,
    registration, ...); the walk follows every concrete foreign key (incl. auto-created
    many-to-many tables) to any of them.
    """
    identity = {User: {user.pk}}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.one_to_one and field.related_model is User:
                identity[model] = set(model._default_manager.filter(**{field.name: user}).values_list("pk", flat=True))
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if (field.many_to_one or field.one_to_one) and field.related_model in identity:
                for row in model._default_manager.filter(**{f"{field.name}__in": identity[field.related_model]}):
                    found.append((model._meta.label, row))
    return found, set(identity)


def _row_values(row, person_models) -> list[str]:
    """What identifies a row in an export: its texts, dates, times and related names."""
    values = []
    for field in row._meta.concrete_fields:
        value = getattr(row, field.name, None)
        if field.is_relation:
            if value is not None and field.related_model not in person_models:
                values.append(str(value))
            continue
        if isinstance(value, datetime.datetime):
            values += [value.isoformat(), timezone.localtime(value).isoformat(), str(value)]
        elif isinstance(value, datetime.date):
            values.append(value.isoformat())
        elif isinstance(value, str) and len(value) >= 4 and not field.choices:
            values.append(value)
    return values


@pytest.fixture
def export_misses(client, django_capture_on_commit_callbacks) -> dict[str, list]:
    """model label → rows about the person that /profil/export/ does not show."""
    people = person_with_data_everywhere(client, django_capture_on_commit_callbacks)
    response = client.get("/profil/export/")
    export = json.dumps(json.loads(response.content), ensure_ascii=False)
    for marker in ("intro_note", "approve_note", "barrier"):
        assert MARKERS[marker] in export, marker
    missing = {}
    rows, person_models = rows_about(people["user"])
    assert len(rows) > 20, "the walk finds the person's rows"
    for label, row in rows:
        values = _row_values(row, person_models)
        if not any(v in export for v in values):
            missing.setdefault(label, []).append(values[:4])
    return missing


@pytest.mark.django_db
@pytest.mark.parametrize("app", ("accounts/mentoring", *FEATURE_APPS))
def test_export_holds_every_row_that_names_the_person(export_misses, app):
    """Every row referencing the person (model graph walk) appears in /profil/export/.

    The feature apps' parts depend on each app's registered ``export``.
    """
    missing = {label: rows for label, rows in export_misses.items() if owner(label.replace(".", "_")) == app}
    assert missing == {}, f"rows about the person missing from the export: {missing}"


@pytest.mark.django_db
def test_export_shows_intro_notes_status_history_addresses_and_mails(client, staff_user, unapproved_user):
    registration = unapproved_user.registration
    services.registration_transition(registration=registration, to_status=Registration.Status.INTRO_DONE,
                                     by=staff_user, note="Gespräch am Telefon, sehr motiviert.")
    services.registration_withdraw(user=unapproved_user, reason="Stelle gewechselt.")
    client.force_login(unapproved_user)
    data = json.loads(client.get("/profil/export/").content)
    assert data["anmeldung"]["kennenlerngespraech_notizen"] == "Gespräch am Telefon, sehr motiviert."
    history = [(t["nach"], t["durch"], t["notiz"]) for t in data["anmeldung"]["statuswechsel"]]
    staff_name = f"Koordination ({staff_user.get_full_name()})"
    assert history == [("Kennenlerngespräch geführt", staff_name, "Gespräch am Telefon, sehr motiviert."),
                       ("zurückgezogen", "Sie selbst", "Stelle gewechselt.")]
    assert data["email_adressen"] == [{"email": unapproved_user.email, "bestaetigt": True, "hauptadresse": True}]
    assert [m["betreff"] for m in data["emails_an_sie"]] == ["Ihre Anmeldung ist zurückgezogen"]


@pytest.mark.django_db
def test_staff_deleting_an_account_in_admin_erase_it_completely(client, staff_user, mentee,
                                                                django_capture_on_commit_callbacks):
    name, email = mentee.get_full_name(), mentee.email
    services.registration_transition(registration=mentee.registration, to_status=Registration.Status.WITHDRAWN,
                                     by=staff_user, note="Bitte löschen.")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/accounts/user/{mentee.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=mentee.pk).exists()
    left = leaks({"email": email, "name": name})
    assert not {table for table in left if owner(table) == "accounts/mentoring"}, left
    assert LogEntry.objects.filter(action_flag=3, object_repr="ehemalige*r Teilnehmer*in").count() == 1
