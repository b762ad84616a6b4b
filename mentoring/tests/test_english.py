"""In English the main pages show none of the catalogue's German source texts, for a guest and for a participant."""
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.views.i18n import JavaScriptCatalog

from accounts.tests.factories import participant, topic
from events.tests.factories import EventFactory
from forum.tests.factories import PostFactory, ThreadFactory
from matching import services as matching_services
from matching.tests.factories import TandemFactory

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
ATTRIBUTES = re.compile(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"')


def flat(text: str) -> str:
    return " ".join(html.unescape(strip_tags(text)).split())


def german_phrases() -> set[str]:
    """Every run of three or more words from a German msgid whose English differs, placeholders cut out."""
    with (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)._catalog
    phrases = set()
    for key, english in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or msgid == english:
            continue
        for part in PLACEHOLDER.split(msgid):
            part = flat(part).strip(" ,;:()–-")
            if len(part.split()) >= 3:
                phrases.add(part)
    return phrases


def german_on(client, path: str, phrases: set[str]) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    page = response.content.decode()
    assert '<html lang="en">' in page, path
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    readable = " ".join([flat(page), *(flat(a) for a in ATTRIBUTES.findall(page))])
    return sorted(p for p in phrases if p in readable)


def test_guest_pages_in_english_show_no_german_interface_text(client):
    phrases = german_phrases()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for path in ("/", "/anmeldung/", "/datenschutz/", "/barrierefreiheit/", "/impressum/", "/konto/login/"):
        assert german_on(client, path, phrases) == [], path


def test_participant_pages_in_english_show_no_german_interface_text(client):
    phrases = german_phrases()
    mentee = participant(needs=["haushalt"])
    mentor = participant(mentor=True, competences=["haushalt"])
    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile, days_ago=60)
    today = timezone.localdate()
    by_partner = matching_services.meeting_log(tandem=tandem, by=mentor, date=today, duration_minutes=60,
                                               format="online", topics=[topic("haushalt")])
    own = matching_services.meeting_log(tandem=tandem, by=mentee, date=today - timezone.timedelta(days=3),
                                        duration_minutes=30, format="phone")
    thread = ThreadFactory()
    PostFactory(thread=thread)
    event = EventFactory()
    client.force_login(mentee)
    # After login the person's stored language decides; the header switch stores it.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for path in ("/", "/datenschutz/", "/barrierefreiheit/", "/tandem/", f"/tandem/{tandem.pk}/",
                 f"/tandem/{tandem.pk}/treffen/{by_partner.pk}/", f"/tandem/{tandem.pk}/treffen/{own.pk}/",
                 "/forum/", f"/forum/thema/{thread.pk}/", "/forum/kategorie/fragen-antworten/", "/forum/einstellungen/",
                 "/profil/", "/profil/bearbeiten/", "/veranstaltungen/", f"/veranstaltungen/{event.pk}/",
                 "/konto/2fa/"):
        assert german_on(client, path, phrases) == [], path


def test_admin_script_text_comes_from_the_javascript_catalogue_in_english(rf):
    # static/js/admin-periodic-task.js asks window.gettext, which the admin's catalogue serves from djangojs.po.
    with translation.override("en"):
        response = JavaScriptCatalog.as_view(packages=["django.contrib.admin"])(rf.get("/admin/jsi18n/"))
    assert '"Bedeutung:": "Meaning:"' in response.content.decode()


def test_the_programme_s_topics_and_organisation_types_read_in_the_reader_s_language(client):
    """Topic and organisation type rows keep their German names; the names the programme ships with are
    in the catalogue, so the form, the profile and the forum show them in English; a name staff
    changed in admin has no translation and shows as written."""
    from accounts.models import Topic

    page = client.get("/anmeldung/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Hitzeaktionsplan" in page and "kreisfreie Stadt (Stadtkreis)" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/anmeldung/").content.decode()
    assert "Heat action plan" in page and "Hitzeaktionsplan" not in page
    assert "independent city (kreisfreie Stadt)" in page and "Sponge city" in page

    Topic.objects.filter(slug="schwammstadt").update(name="Schwammstadt und Regenwasser")
    page = client.get("/anmeldung/").content.decode()
    assert "Schwammstadt und Regenwasser" in page and "Sponge city" not in page

    mentee = participant(needs=["haushalt"], competences=["hitzeaktionsplan"])
    client.force_login(mentee)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/profil/").content.decode()
    assert "Municipal budgeting &amp; financing" in page and "Heat action plan" in page


def test_the_forum_s_own_categories_read_in_the_reader_s_language(client):
    """The categories the forum ships with are in the catalogue (name and description); one staff add in
    admin stays as written."""
    from forum.models import Category

    Category.objects.create(name="Landkreise unter sich", slug="landkreise", description="Nur für Kreise.",
                            position=9)
    client.force_login(participant())
    german = client.get("/forum/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Praxistipps" in german and "Fragen &amp; Antworten" in german
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/forum/").content.decode()
    assert "Practice tips" in english and "Questions &amp; answers" in english and "Praxistipps" not in english
    assert "What has worked in your municipality" in english and "Landkreise unter sich" in english
    assert "<h1>Practice tips</h1>" in client.get("/forum/kategorie/praxistipps/").content.decode()


@pytest.mark.django_db
def test_english_pages_and_mails_name_the_programme_in_english(client):
    """English page titles and account mails said "Climate Adaptation Mentoring Programme", the header and the
    programme's own mails "Mentoring-Programm Klimaanpassung"."""
    from mentoring.kernel.mail import mail_render
    from mentoring.tests.mail_samples import contexts

    sample = {name: value for name, value in next(iter(contexts())).items() if name != "PROGRAMME_NAME"}

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "Climate Adaptation Mentoring Programme" in page and "Mentoring-Programm Klimaanpassung" not in page
    _subject, _text, html = mail_render(template="events_confirmed", context=sample, language="en")
    assert "Climate Adaptation Mentoring Programme" in html and "Mentoring-Programm Klimaanpassung" not in html
    _subject, _text, german = mail_render(template="events_confirmed", context=sample, language="de")
    assert "Mentoring-Programm Klimaanpassung" in german


def test_an_english_page_marks_the_language_of_what_people_typed(client):
    """WCAG 3.1.2: a screen reader read a German event or post on an English page with an English voice. Staff texts
    (events, the Koordination's message) are German; a post or a thread title is in its author's language."""
    reader = participant(user__language="en")
    client.force_login(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    event = EventFactory(title="Online-Seminar: Fördermittel richtig abrufen", description="Wir zeigen, wie.")
    event.speakers.create(name="Kora Koordination", affiliation="Koordinationsstelle des Programms")
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<span lang="de">Koordinationsstelle des Programms</span>' in page
    assert '<html lang="en"' in page
    assert f'<h1 id="event-title" lang="de">{html.escape(event.title)}</h1>' in page
    assert '<div class="markdown" lang="de"><p>Wir zeigen, wie.</p>' in page
    german, english = participant(user__language="de"), participant(user__language="en")
    thread = ThreadFactory(author=german, title="Hitzeschutz im Sommer")
    from forum import services as forum_services

    forum_services.post_create(author=english, thread=thread, body="We did this in our town.", files=[])
    forum_services.post_create(author=german, thread=thread, body="Bei uns auch.", files=[])
    page = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert '<h1 lang="de">Hitzeschutz im Sommer</h1>' in page
    assert '<div class="markdown" lang="en"><p>We did this in our town.</p>' in page
    assert '<div class="markdown" lang="de"><p>Bei uns auch.</p>' in page
    listing = client.get(f"/forum/kategorie/{thread.category.slug}/").content.decode()
    assert 'lang="de">Hitzeschutz im Sommer</a>' in listing
    # The mark is the language it was written in: it followed the author's setting, and a German title flipped to
    # lang="en" everywhere once its author read the site in English.
    german.language = "en"
    german.save(update_fields=["language"])
    page = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert '<h1 lang="de">Hitzeschutz im Sommer</h1>' in page
    assert '<div class="markdown" lang="de"><p>Bei uns auch.</p>' in page
    reply = client.get(f"/forum/thema/{thread.pk}/antworten/").content.decode()
    assert '<span lang="de">Hitzeschutz im Sommer</span>' in reply


def test_an_english_page_marks_the_goals_of_a_vereinbarung_in_their_drafter_s_language(client):
    """The goals are typed by the partner who drafted the Vereinbarung: a German drafter's goals on the English
    reader's Tandem page, agreement history and closing review are marked ``lang="de"``."""
    from matching.models import ClosingReview
    from matching.tests.factories import agreed_tandem

    mentee = participant(user__language="de", needs=[("haushalt", 3), ("steuerungskreis", 2)])
    mentor = participant(mentor=True, user__language="en", competences=[("haushalt", 3)])
    tandem = agreed_tandem(mentee, mentor, goals={"haushalt": "Haushaltsmittel für Verschattung beantragen",
                                                  "steuerungskreis": "Steuerungskreis einrichten"},
                           planned_end=timezone.localdate() + timezone.timedelta(days=200))
    client.force_login(mentor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    marked = '<span lang="de">Haushaltsmittel für Verschattung beantragen</span>'
    assert marked in client.get(f"/tandem/{tandem.pk}/").content.decode()
    assert marked in client.get(f"/tandem/{tandem.pk}/vereinbarung/").content.decode()
    review = ClosingReview.objects.create(tandem=tandem, user=mentor, is_mentee=False)
    assert marked in client.get(f"/tandem/{tandem.pk}/rueckblick/{review.pk}/").content.decode()


def test_english_admin_tells_the_programme_s_topics_from_forum_topics():
    """Both were "Topic" ("Select Topic to view" for either list); German says "Thema" for both, rightly."""
    from accounts.models import Topic
    from forum.models import Thread

    with translation.override("en"):
        names = {str(model._meta.verbose_name_plural) for model in (Topic, Thread)}
    assert len(names) == 2, names


def test_an_english_date_is_read_day_before_month_as_the_pages_write_it():
    """„1/5/2024“ was stored as 5 January (Django's US reading), while the pages write 28 Nov 2026."""
    import datetime

    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("1/5/2024") == datetime.date(2024, 5, 1)
        assert field.clean("2024-05-01") == datetime.date(2024, 5, 1)
