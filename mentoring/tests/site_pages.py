"""Every page a participant or a coordinator can reach, built from data: the URL resolver and
the admin registry give the pages, objects made with the apps' factories and services fill
their arguments. A new URL or a new admin model without a way to fill it fails the tests
that use this module, so nobody forgets to check a page.

The objects carry the longest text the site must lay out: German compounds, double names,
long e-mail addresses, a forum post with a wide table, code and a long link."""
import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

LONG_WORD = "Starkregenrisikomanagementkonzeptfortschreibung"
LONG_EMAIL = "klimaanpassungsmanagerin.starkregenvorsorge@landkreis-vorpommern-greifswald.example.org"
LONG_ORGANISATION = "Klimaanpassungsmanagementkoordinierungsstelle des Landkreises Vorpommern-Greifswald"
LONG_POST = f"""Unsere Erfahrungen mit der {LONG_WORD} und den Hitzeaktionsplänen:

| Maßnahme | Zuständigkeit | Hitzeschutzmaßnahmenkatalog | Kosten | Zeitraum | Ansprechpartner*in |
|---|---|---|---|---|---|
| Trinkwasserbrunnen | Grünflächenamt | Bürgersprechstundenprotokoll | 12.000 € | 2026–2027 | {LONG_EMAIL} |

```
https://www.umweltbundesamt.example.org/themen/klima-energie/klimafolgen-anpassung/anpassung-an-den-klimawandel/starkregenvorsorge
```

Mehr unter https://www.bundesministerium-fuer-umwelt.example.org/themen/klimaanpassung/foerderprogramme/massnahmen-zur-anpassung
oder bei `Klimaanpassungsmanagementkoordinierungsstellenleitung` und {LONG_EMAIL}.
"""
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

# URL names that answer with something other than a page to look at: a file, a redirect
# elsewhere, or a form post without a page of its own. Each with the reason.
NOT_PAGES = {
    "healthz": "JSON for the load balancer and monitoring",
    "set_language": "the language switch posts here and is sent back",
    "accounts:data_export": "a JSON download",
    "matching:statement_pdf": "a PDF download",
    "matching:certificate": "the certificate of participation, a PDF download",
    "forum:attachment": "a file download",
    "events:ics": "an iCalendar download",
    "events:feed": "an iCalendar feed",
    "mfa_download_recovery_codes": "a text download",
    "sign_language_file": "the sign language video, its captions or poster: a file download",
    "cockpit:table_csv": "a CSV download of an overview table",
    "cockpit:table_xlsx": "an Excel download of an overview table",
    "cockpit:report": "the funder report, an Excel or PDF download",
    "admin:jsi18n": "JavaScript",
    "admin:autocomplete": "JSON for the admin's select boxes",
    "admin:view_on_site": "a redirect to the object's page on the site (checked there)",
    "admin:logout": "POST only: the admin's logout button",
    "admin:login": "a logged-in coordinator is sent on to the admin index",
    "admin:events_event_speaker_search": "JSON for the speaker picker",
    "admin:matching_tandem_certificate": "a PDF download: a certificate of participation",
    "admin:accounts_user_daten": "a JSON download: a person's data for their request (DSGVO Art. 15)",
    "admin:letters_letter_preview_frame": "the letter as mailed, shown in the preview page's frame",
    "admin:letters_letter_test_mail": "POST only: the preview's test mail button (GET goes back to the preview)",
}


@dataclass
class Site:
    """The people and objects the pages are checked with."""

    staff: object
    waiting: object
    mentee: object
    mentor: object
    tandem: object
    meeting: object
    thread: object
    post: object
    reply: object
    event: object
    run: object
    problem: object
    letter: object
    intro: object
    password: str
    ended_tandem: object = None  # the mentee's earlier Tandem, ended: its closing review waits
    admin_objects: dict = field(default_factory=dict)  # model → the object whose change form is checked
    unsubscribe_token: str = ""
    reset_key: tuple[str, str] = ("", "")
    email_key: str = ""
    letter_unsubscribe_token: str = ""


def build_site() -> Site:
    """People in every role and one of each object, with the site's longest texts."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from allauth.mfa.models import Authenticator
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, SolarSchedule

    from accounts.models import Consent, ProgrammeYear, Registration, Topic
    from accounts.services import registration_transition
    from accounts.tests.factories import PASSWORD, StaffFactory, participant
    from events.models import EventRegistration
    from events.services import event_register
    from events.tests.factories import EventFactory, EventSpeakerFactory
    from forum.models import Category, Report
    from forum.services import posting, subscriptions
    from forum.services.moderation import report_create
    from matching.models import CheckIn, MatchingSettings, PairRule
    from matching.services.agreements import agreement_confirm, agreement_draft
    from matching.services.meetings import meeting_log, meeting_note_set
    from matching.services.reviews import reviews_open
    from matching.services.tandems import problem_report
    from matching.tests.factories import MatchRunFactory, ProposalFactory, TandemFactory
    from mentoring.kernel.models import OutboxMessage
    from mentoring.letters.services import letter_send
    from mentoring.letters.tests.factories import LetterFactory
    from mentoring.models import SignLanguageVideo
    from mentoring.pages.models import BarrierReport

    staff = StaffFactory(email="koordination.klimaanpassung@bundesministerium-umwelt.example.org",
                         first_name="Anna-Katharina", last_name="Leutheusser-Schnarrenberger")
    mentor = participant(mentor=True, competences=[("haushalt", 3), ("hitzeaktionsplan", 3), ("beteiligung", 2)],
                         user__email=LONG_EMAIL, user__first_name="Maximiliane",
                         user__last_name="Müller-Lüdenscheidt-Wachtendonk",
                         organisation__name=LONG_ORGANISATION,
                         position="Klimaanpassungsmanagerin und Hitzeschutzkoordinatorin",
                         phone="+49 3834 8760 12345")
    mentee = participant(needs=[("haushalt", 3), ("hitzeaktionsplan", 2)], competences=["beteiligung"],
                         user__email="jan-hendrik.oberschulte-beckmann@gemeinde-hohenfelde-bei-rostock.example.org",
                         user__first_name="Jan-Hendrik", user__last_name="Oberschulte-Beckmann",
                         organisation__name="Diakonisches Werk Mecklenburgische Seenplatte – Senior*innenzentrum",
                         position="Klimaanpassungsmanager für Gemeinschaftseinrichtungen")
    Consent.objects.create(user=mentee, purpose=Consent.Purpose.NEWS, version="test", text="Testwortlaut")
    waiting = participant(status=Registration.Status.SUBMITTED, needs=["einstieg"],
                          user__first_name="Wiebke", user__last_name="Schmidt-Hohenstein")
    second_staff = StaffFactory(email="vertretung.koordination@example.org")
    Authenticator.objects.create(user=second_staff, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"})

    cohort = ProgrammeYear.objects.create(label="Jahrgang 2026/27 Pilotphase Hitzeschutz",
                                          opens_on=datetime.date(2026, 1, 1), is_open=True)
    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile, days_ago=60, programme_year=cohort,
                           message=f"Sie arbeiten beide an der {LONG_WORD}; viel Erfolg!")
    today = timezone.localdate()
    agreement = agreement_draft(
        tandem=tandem, by=mentee, goals=[(need.topic_id, f"Eine {LONG_WORD} für den Landkreis entwerfen")
                                         for need in mentee.profile.needs.all()[:2]],
        frequency="monthly", meeting_form="mixed", planned_end=today + datetime.timedelta(days=300),
        confidential=True)
    agreement_confirm(agreement=agreement, by=mentor)
    CheckIn.objects.create(tandem=tandem, user=mentee, number=1, due_on=today)
    # An earlier Tandem of the mentee, ended: its closing review and certificate wait.
    ended_tandem = TandemFactory(mentee=mentee.profile, programme_year=cohort, status="ended",
                                 ended_at=timezone.now(), end_reason=f"Die {LONG_WORD} ist fertig")
    reviews_open(tandem=ended_tandem)
    meeting = meeting_log(tandem=tandem, by=mentee, date=today - datetime.timedelta(days=3), duration_minutes=90,
                          format="online", topics=Topic.objects.filter(slug__in=["haushalt", "hitzeaktionsplan"]),
                          note=f"Nächstes Mal: {LONG_WORD}.")
    meeting_log(tandem=tandem, by=mentor, date=today - datetime.timedelta(days=1), duration_minutes=45,
                format="onsite")
    meeting_note_set(meeting=meeting, by=mentor, text=f"Unterlagen zur {LONG_WORD} schicken.")
    problem = problem_report(tandem=tandem, by=mentee, kind="other", text=f"Wir brauchen Hilfe bei der {LONG_WORD}.")
    run = MatchRunFactory(created_by=staff, mentee_count=1, mentor_count=1, matched_count=1)
    ProposalFactory(run=run, mentee=waiting.profile, mentor=mentor.profile)
    PairRule.objects.create(mentee=waiting.profile, mentor=mentor.profile, kind=PairRule.Kind.EXCLUDE,
                            note=f"Gleiche {LONG_ORGANISATION}", created_by=staff)
    MatchingSettings.load()

    category = Category.objects.get(slug="fragen-antworten")
    thread = posting.thread_create(author=mentor, category=category, kind="question",
                                   title=f"Wie schreiben Sie die {LONG_WORD} fort?",
                                   topics=Topic.objects.filter(slug="hitzeaktionsplan"), body=LONG_POST,
                                   files=[SimpleUploadedFile(f"{LONG_WORD}-Leitfaden-Bürgerbeteiligung.pdf", PDF,
                                                             "application/pdf")])
    post = thread.posts.get(is_first=True)
    reply = posting.post_create(author=mentee, thread=thread, body=f"Danke! Wir nutzen die {LONG_WORD} auch.")
    report_create(post=reply, reporter=mentor, reason=f"Bitte prüfen: {LONG_WORD}")
    posting.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"), kind="tip",
                          title="Hitzeschutz in Kitas", topics=[], body="Drei Schritte.")

    event = EventFactory(title=f"Online-Seminar: {LONG_WORD} in Kommunen und sozialen Einrichtungen",
                         organiser=LONG_ORGANISATION, description=LONG_POST,
                         online_url="https://konferenz.example.org/raum/klimaanpassungsmanagement-2026-geheim",
                         topics=list(Topic.objects.filter(slug="hitzeaktionsplan")))
    EventSpeakerFactory(event=event, name="Prof. Dr. Cornelia Hagemeister-Wolkenstein", affiliation=LONG_ORGANISATION)
    EventFactory(title="Vernetzungstreffen Nord", onsite=True, members=True,
                 venue="Rathaus Neubrandenburg, Friedrich-Engels-Ring 53, 17033 Neubrandenburg")
    EventFactory(title="Rückblick: Hitzeschutz", past=True)
    event_register(event=event, user=mentee, note=f"Ich bringe Fragen zur {LONG_WORD} mit.")
    event_register(event=event, user=mentor)

    Group.objects.create(name="Koordination Klimaanpassungsmanagement")
    ClockedSchedule.objects.create(clocked_time=timezone.now() + datetime.timedelta(days=30))
    SolarSchedule.objects.create(event="sunrise", latitude="53.55", longitude="13.26")
    IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    BarrierReport.objects.create(page="/veranstaltungen/", email=LONG_EMAIL, name="Maximiliane Müller",
                                 description=f"Die {LONG_WORD} lässt sich auf dem Handy nicht lesen.")

    video = SignLanguageVideo(title=f"Die {LONG_WORD} in Deutscher Gebärdensprache", transcript=LONG_POST,
                              published=True)
    video.video.save("dgs.mp4", ContentFile(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), save=False)
    video.save()

    # A Kennenlerngespräch planned, so that it can be moved or cancelled.
    planned = participant(status=Registration.Status.SUBMITTED, needs=["einstieg"],
                          user__first_name="Hans-Christian", user__last_name="Großkopf-Rosenbaum")
    intro = registration_transition(
        registration=planned.registration, to_status=Registration.Status.INTRO_SCHEDULED, by=staff,
        intro_call_at=timezone.now() + datetime.timedelta(days=5), intro_host=staff,
        intro_video_url="https://konferenz.example.org/raum/kennenlerngespraech-klimaanpassungsmanagement")

    # A news letter that went out (the mentee agreed to news) and a draft with long texts.
    sent = letter_send(letter=LetterFactory(subject_de=f"Neues zur {LONG_WORD}", body_de=LONG_POST), by=staff)
    letter = LetterFactory(subject_de=f"Einladung: {LONG_WORD} im Landkreis", body_de=LONG_POST)
    news_mail = OutboxMessage.objects.get(key=f"letter:{sent.pk}:{mentee.pk}")
    letter_unsubscribe = resolve(urlsplit(news_mail.headers["List-Unsubscribe"][1:-1]).path)
    assert letter_unsubscribe.view_name == "letters:unsubscribe", letter_unsubscribe

    site = Site(staff=staff, waiting=waiting, mentee=mentee, mentor=mentor, tandem=tandem, meeting=meeting,
                thread=thread, post=post, reply=reply, event=event, run=run, problem=problem, letter=letter,
                intro=intro, password=PASSWORD, ended_tandem=ended_tandem,
                letter_unsubscribe_token=letter_unsubscribe.kwargs["token"])
    # The change form of each admin model is checked on the object with the longest texts.
    preferred = [staff, mentor, mentor.profile, mentor.profile.organisation, mentor.registration, tandem, thread,
                 post, event, EventRegistration.objects.get(event=event, user=mentor),
                 Report.objects.get(post=reply), EmailAddress.objects.get(user=mentor), letter, video]
    site.admin_objects = {type(obj): obj for obj in preferred}
    site.unsubscribe_token = subscriptions.unsubscribe_token(user=mentee, scope="thread", object_id=thread.pk)
    site.reset_key = (user_pk_to_url_str(mentee), default_token_generator.make_token(mentee))
    site.email_key = EmailConfirmationHMAC(EmailAddress.objects.get(user=waiting)).key
    return site


def walk(patterns, prefix: str = "", namespace: str = ""):
    """(route, full URL name) of every pattern under ``patterns``."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


def site_url_names() -> list[str]:
    """Every named URL outside the admin, in the order the URL map lists them."""
    return [name for route, name in walk(get_resolver().url_patterns) if not name.startswith("admin:")]


def participant_page_args(site: Site) -> dict:
    """URL name → the arguments of the page(s) to check; one entry per page."""
    tandem, meeting = site.tandem, site.meeting
    meeting_pages = {"pk": tandem.pk, "meeting_pk": meeting.pk}
    return {
        "accounts:consent_change": [{"purpose": "news"}],
        "matching:tandem_detail": [{"pk": tandem.pk}],
        "matching:meeting_create": [{"pk": tandem.pk}],
        "matching:meeting_detail": [meeting_pages],
        "matching:meeting_change": [meeting_pages],
        "matching:meeting_confirm": [meeting_pages],
        "matching:meeting_object": [meeting_pages],
        "matching:meeting_delete": [meeting_pages],
        "matching:meeting_note": [meeting_pages],
        "matching:report_create": [{"pk": tandem.pk}],
        "matching:agreement": [{"pk": tandem.pk}],
        "matching:checkin": [{"pk": tandem.pk, "checkin_pk": tandem.checkins.first().pk}],
        "matching:review": [{"pk": site.ended_tandem.pk, "review_pk": site.ended_tandem.reviews.get(
            user=site.mentee).pk}],
        "matching:agreement_confirm": [{"pk": tandem.pk, "agreement_pk": tandem.agreements.first().pk}],
        "matching:report_detail": [{"pk": tandem.pk, "report_pk": site.problem.pk}],
        "forum:unsubscribe": [{"token": site.unsubscribe_token}],
        "letters:unsubscribe": [{"token": site.letter_unsubscribe_token}],
        "forum:category": [{"slug": site.thread.category.slug}, {"slug": "methoden-hilfsmittel"}],
        "forum:thread_create": [{"slug": site.thread.category.slug}],
        "forum:category_subscribe": [{"slug": site.thread.category.slug}],
        "forum:thread": [{"pk": site.thread.pk}],
        "forum:thread_reply": [{"pk": site.thread.pk}],
        "forum:thread_subscribe": [{"pk": site.thread.pk}],
        "forum:thread_moderate": [{"pk": site.thread.pk}],
        **{f"forum:{name}": [{"pk": site.post.pk}, {"pk": site.reply.pk}]
           for name in ("post_link", "post_edit", "post_helpful", "post_accept", "post_report", "post_moderate")},
        "events:detail": [{"pk": site.event.pk}],
        "events:register": [{"pk": site.event.pk}],
        "events:cancel": [{"pk": site.event.pk}],
        "account_confirm_email": [{"key": site.email_key}],
        "account_reset_password_from_key": [{"uidb36": site.reset_key[0], "key": site.reset_key[1]}],
    }


def participant_paths(site: Site) -> list[str]:
    """Every page outside the admin, each filled with the site's objects; fails on a URL with
    arguments that nobody said how to fill."""
    args, paths, unknown = participant_page_args(site), [], []
    for name in site_url_names():
        if name in NOT_PAGES:
            continue
        if name in args:
            paths += [reverse(name, kwargs=kwargs) for kwargs in args[name]]
            continue
        try:
            paths.append(reverse(name))
        except Exception:  # noqa: BLE001 - a pattern with arguments: say which one is missing
            unknown.append(name)
    assert not unknown, f"no arguments for these URLs (add them to participant_page_args or NOT_PAGES): {unknown}"
    # A password reset link logs out whoever is logged in: it comes last.
    uidb36, key = site.reset_key
    last = [reverse("account_reset_password_from_key", kwargs={"uidb36": uidb36, "key": key})]
    return [path for path in dict.fromkeys(paths) if path not in last] + last


STANDARD_ADMIN_VIEWS = ("changelist", "add", "history", "delete", "change")


def admin_paths(site: Site) -> tuple[list[str], list[tuple[str, str, int]]]:
    """Every admin page a coordinator can open: the index, each app's index, and for every
    registered model its changelist, add form, change form, history, delete confirmation and
    custom views, as far as the coordinator may; plus (changelist, action, pk) for every
    action, whose intermediate pages are checked after the pages (actions change data)."""
    request = RequestFactory().get("/admin/")
    request.user = site.staff
    paths = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:password_change_done")]
    custom_args = {
        "matching_matchrun_proposals": {"pk": site.run.pk},
        "matching_matchrun_options": {"pk": site.run.pk, "profile_pk": site.run.proposals.first().mentee_id},
        "matching_tandem_end": {"pk": site.tandem.pk},
        "matching_matchrun_start": {},
        "auth_user_password_change": {"id": site.mentor.pk},
        "accounts_user_verlauf": {"pk": site.mentor.pk},
        "accounts_organisation_duplicates": {},
        "accounts_profile_experts": {},
        "accounts_registration_intro_move": {"pk": site.intro.pk},
        "accounts_registration_intro_cancel": {"pk": site.intro.pk},
        "letters_letter_preview": {"pk": site.letter.pk},
        "letters_letter_send": {"pk": site.letter.pk},
    }
    actions, missing, model_views = [], [], set()
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        paths.append(reverse("admin:app_list", kwargs={"app_label": app_label}))
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        obj = site.admin_objects.get(model) or model._default_manager.order_by("pk").last()
        if obj is None:
            missing.append(model._meta.label)
            continue
        if model_admin.has_view_or_change_permission(request):
            paths.append(reverse(f"admin:{info}_changelist"))
        if model_admin.has_add_permission(request):
            paths.append(reverse(f"admin:{info}_add"))
        if model_admin.has_view_or_change_permission(request, obj):
            paths += [reverse(f"admin:{info}_change", args=[obj.pk]), reverse(f"admin:{info}_history", args=[obj.pk])]
        if model_admin.has_delete_permission(request, obj):
            paths.append(reverse(f"admin:{info}_delete", args=[obj.pk]))
        for route, name in walk(model_admin.urls):
            model_views.add(name)
            if name in {f"{info}_{view}" for view in STANDARD_ADMIN_VIEWS} or f"admin:{name}" in NOT_PAGES:
                continue
            if name not in custom_args:
                missing.append(f"admin:{name} ({route})")
                continue
            paths.append(reverse(f"admin:{name}", kwargs=custom_args[name]))
        changelist = reverse(f"admin:{info}_changelist")
        for action in model_admin.get_actions(request):
            actions.append((changelist, action, obj.pk))
    site_views = {name for route, name in walk(admin.site.get_urls())} - model_views
    missing += [name for name in site_views - {"index", "password_change", "password_change_done", "app_list"}
                if f"admin:{name}" not in NOT_PAGES]
    assert not missing, f"admin pages nobody can fill (add an object to build_site or arguments): {missing}"
    return list(dict.fromkeys(paths)), actions
