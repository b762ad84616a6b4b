"""axe-core on every admin page staff use, at 1280 px: the index, each app, every registered model's list,
add and change form, the project's own admin views and the intermediate pages of the actions that ask
something. A page fails with its path, the axe rule and the element (WCAG 2.0/2.1 A and AA)."""
import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone

from accounts.models import Organisation, Profile, Registration
from accounts.services import registration_transition
from accounts.tests.factories import PASSWORD, OrganisationFactory, StaffFactory, participant, topic
from mentoring.kernel.mail import mail_queue_rendered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORT_WIDTH = 1280
# The admin's own URLs that are not pages: the speaker picker answers select2's JSON; the letter's test
# mail is a POST from its preview (a GET goes back to the preview).
NOT_PAGES = {"events_event_speaker_search", "letters_letter_test_mail",
             "matching_tandem_certificate",  # a PDF download
             "accounts_user_daten"}  # a JSON download (a person's data)
STANDARD_SUFFIXES = ("_changelist", "_add", "_change", "_delete", "_history")


def programme(staff):
    """At least one row of every model admin lists, from the apps' factories, and what the custom views show."""
    from allauth.mfa.models import Authenticator
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, SolarSchedule

    from accounts.models import ProgrammeYear
    from events.tests.factories import EventFactory, EventRegistrationFactory, EventSpeakerFactory
    from forum.models import Attachment, Report
    from forum.tests.factories import PostFactory
    from matching.models import Agreement, CheckIn, ClosingReview, MatchingSettings, Meeting, PairRule, ProblemReport
    from matching.tests.factories import ProposalFactory, TandemFactory
    from mentoring.letters.services import letter_send
    from mentoring.letters.tests.factories import LetterFactory, news_consent
    from mentoring.models import BarrierReport, SignLanguageVideo

    world = {}
    Group.objects.get_or_create(name="Koordination")
    Site.objects.get_or_create(pk=1, defaults={"domain": "example.org", "name": "Mentoring"})
    Authenticator.objects.create(user=staff, type=Authenticator.Type.RECOVERY_CODES,
                                 data={"seed": "0" * 40, "used_mask": 0})
    ClockedSchedule.objects.create(clocked_time=timezone.now() + datetime.timedelta(days=1))
    SolarSchedule.objects.create(event="sunrise", latitude="50.58", longitude="8.67")
    IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    mail_queue_rendered(key="a11y-test", to="person@example.org", subject="Ihre Anmeldung",
                        body_text="Guten Tag")
    BarrierReport.objects.create(page="/anmeldung/", description="Der Kalender ist mit der Tastatur nicht bedienbar.",
                                 email="melderin@example.org")
    video = SignLanguageVideo(title="Das Programm in Gebärdensprache", transcript="**Hallo.**", published=True)
    video.video.save("dgs.mp4", ContentFile(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), save=False)
    video.save()

    # People: an expert, a newcomer waiting for the Kennenlerngespräch, and look-alike organisations.
    giessen = OrganisationFactory(name="Universitätsstadt Gießen")
    OrganisationFactory(name="Stadt Giessen")
    world["expert"] = participant(mentor=True, organisation=giessen,
                                  competences=[("starkregen", 3), ("hitzeaktionsplan", 2)])
    world["newcomer"] = participant(status=Registration.Status.SUBMITTED, needs=[("starkregen", 3)],
                                    competences=["beteiligung"])
    planned = participant(status=Registration.Status.SUBMITTED, needs=["einstieg"])
    world["intro"] = registration_transition(
        registration=planned.registration, to_status=Registration.Status.INTRO_SCHEDULED, by=staff,
        intro_call_at=timezone.now() + datetime.timedelta(days=3), intro_host=staff,
        intro_video_url="https://konferenz.example.org/kennenlernen")

    # Letters: one sent to the expert (who agreed to news), one draft.
    news_consent(world["expert"])
    letter_send(letter=LetterFactory(), by=staff)
    world["letter"] = LetterFactory(subject_de="Einladung zum Vernetzungstreffen", english=True)

    MatchingSettings.load()
    proposal = ProposalFactory()
    world["run"], world["mentee"] = proposal.run, proposal.mentee
    tandem = TandemFactory(mentee=proposal.mentee, mentor=proposal.mentor)
    world["tandem"] = tandem
    Meeting.objects.create(tandem=tandem, logged_by=tandem.mentor.user, date=timezone.localdate(),
                           duration_minutes=60, format=Meeting.Format.ONLINE)
    ProblemReport.objects.create(tandem=tandem, reported_by=tandem.mentee.user, kind="problem",
                                 text="Wir finden keinen Termin.")
    # A Jahrgang, and the Tandem's Vereinbarung, a Kurzbefragung and a closing review (its inlines).
    ProgrammeYear.objects.create(label="2026/27", opens_on=datetime.date(2026, 1, 1), is_open=True)
    Agreement.objects.create(tandem=tandem, version=1, goals=[{"topic": topic("haushalt").pk, "text": "Haushalt"}],
                             frequency="monthly", meeting_form="online", planned_end=timezone.localdate(),
                             confidential=True)
    CheckIn.objects.create(tandem=tandem, user=tandem.mentee.user, number=1, due_on=timezone.localdate(),
                           answered_at=timezone.now(), rating=4, met=True,
                           progress={str(topic("haushalt").pk): "underway"}, comment="Läuft gut.")
    ClosingReview.objects.create(tandem=tandem, user=tandem.mentor.user, is_mentee=False, nps=9)
    PairRule.objects.create(mentee=world["newcomer"].profile, mentor=world["expert"].profile, kind="exclude",
                            note="gleicher Landkreis", created_by=staff)

    post = PostFactory()
    Report.objects.create(post=post, reporter=world["expert"], reason="Werbung")
    attachment = Attachment(post=post, original_name="plan.pdf", extension="pdf", content_type="application/pdf",
                            size=9)
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()

    event = EventFactory(title="Starkregen in der Praxis", topics=[topic("starkregen")])
    EventSpeakerFactory(event=event, name="Referentin", participant=world["expert"])
    EventRegistrationFactory(event=event)
    world["event"] = event
    return world


def log_in(page, email):
    page.goto("/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/profil/")


def model_pages(staff) -> list[str]:
    """Index, each app's index, and list, add form and change form of every model registered in admin."""
    request = RequestFactory().get("/admin/")
    request.user = staff
    paths = [reverse("admin:index")]
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        paths.append(reverse("admin:app_list", kwargs={"app_label": app_label}))
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"{opts.label}: programme() has no row, so its change form goes unchecked"
        paths.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            paths.append(reverse(f"{name}_add"))
        paths.append(reverse(f"{name}_change", args=[obj.pk]))
    paths.append(reverse("admin:auth_user_password_change", args=[staff.pk]))
    paths.append(reverse("admin:password_change"))
    return paths


def custom_pages(world) -> list[str]:
    """The project's own admin views; a new one without an entry here fails, so it gets checked too."""
    arguments = {
        "matching_matchrun_start": [],
        "matching_matchrun_proposals": [world["run"].pk],
        "matching_matchrun_options": [world["run"].pk, world["mentee"].pk],
        "matching_tandem_end": [world["tandem"].pk],
        "accounts_profile_experts": [],
        "accounts_organisation_duplicates": [],
        "accounts_user_verlauf": [world["expert"].pk],
        "accounts_registration_intro_move": [world["intro"].pk],
        "accounts_registration_intro_cancel": [world["intro"].pk],
        "letters_letter_preview": [world["letter"].pk],
        "letters_letter_preview_frame": [world["letter"].pk, "de"],
        "letters_letter_send": [world["letter"].pk],
    }
    queries = {"accounts_profile_experts": "?q=Starkregen&min_level=2"}
    paths, unknown = [], []
    for model_admin in admin.site._registry.values():
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if not isinstance(pattern, URLPattern) or not name or name.endswith(STANDARD_SUFFIXES):
                continue
            if name in NOT_PAGES:
                continue
            if name not in arguments:
                unknown.append(name)
                continue
            paths.append(reverse(f"admin:{name}", args=arguments[name]) + queries.get(name, ""))
    assert not unknown, f"admin views without an axe check; add them to custom_pages(): {unknown}"
    return paths


# The page's title and subtitle whose words lie under the object tools' buttons (the text's own box,
# not the heading's block, which spans the width of the page).
COVERED_HEADINGS = """() => {
  const tools = document.querySelector('#content .object-tools');
  if (!tools) return [];
  const buttons = [...tools.querySelectorAll('a')].map(a => a.getBoundingClientRect());
  return [...document.querySelectorAll('#content > h1, #content > h2')].filter(h => {
    const range = document.createRange(); range.selectNodeContents(h);
    return [...range.getClientRects()].some(t => buttons.some(b =>
      t.right > b.left && t.left < b.right && t.bottom > b.top && t.top < b.bottom));
  }).map(h => h.textContent.trim());
}"""


def check(page, axe, problems: list[str], label: str) -> None:
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            problems.append(f"{label}: {violation['id']} at {' '.join(map(str, node['target']))}")
    for heading in page.evaluate(COVERED_HEADINGS):
        problems.append(f"{label}: the object tools cover the heading „{heading}“")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > VIEWPORT_WIDTH:
        problems.append(f"{label}: the page is {overflow} px wide at {VIEWPORT_WIDTH} px")


def visit(page, axe, problems, path):
    response = page.goto(path)
    assert response.status < 400, f"{path}: {response.status}"
    page.wait_for_load_state("load")
    check(page, axe, problems, path)


def action_page(page, axe, problems, changelist: str, action: str, rows: int = 1) -> None:
    """Selects rows and runs an action that first asks something; checks the page that asks."""
    page.goto(changelist)
    for index in range(rows):
        page.locator("input.action-select").nth(index).check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").first.click()
    page.wait_for_load_state("load")
    assert page.locator("input[name=apply]").count() == 1, f"{changelist} {action}: no intermediate page"
    check(page, axe, problems, f"{changelist} → {action}")


def test_admin_pages_have_no_wcag_violation(browser_page, settings, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    settings.MEDIA_ROOT = tmp_path / "media"
    staff = StaffFactory(email="koordination@example.org", first_name="Kora", last_name="Koordination")
    world = programme(staff)
    page, axe, problems = browser_page, Axe(), []
    assert page.viewport_size["width"] == VIEWPORT_WIDTH
    log_in(page, staff.email)

    pages = model_pages(staff) + custom_pages(world)
    for path in pages:
        visit(page, axe, problems, path)

    # The intermediate pages staff fill in: the Kennenlerngespräch (date and notes), a rejection, a merge,
    # a cancellation, and Django's delete confirmation.
    registrations = reverse("admin:accounts_registration_changelist")
    for action in ("schedule_intro", "record_intro", "reject", "mark_withdrawn"):
        action_page(page, axe, problems, registrations, action)
    action_page(page, axe, problems, reverse("admin:accounts_organisation_changelist"), "merge_organisations", 2)
    action_page(page, axe, problems, reverse("admin:events_event_changelist"), "cancel_events")
    page.goto(reverse("admin:django_celery_beat_clockedschedule_changelist"))
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option("delete_selected")
    page.locator("button[name=index]").first.click()
    page.wait_for_load_state("load")
    check(page, axe, problems, "delete_selected")
    visit(page, axe, problems, reverse("admin:accounts_organisation_delete", args=[Organisation.objects.first().pk]))
    # A new speaker row: its participant picker is set up by the admin's scripts after the page loaded.
    page.goto(reverse("admin:events_event_change", args=[world["event"].pk]))
    page.locator("#speakers-group .add-row a").click()
    page.locator("#speakers-1 .select2-selection").wait_for()
    check(page, axe, problems, "event with a new speaker row")

    assert problems == [], "\n".join(problems)
    assert len(pages) > 3 * len(admin.site._registry)
    print(f"{len(pages) + 9} admin pages checked")


def test_the_fixes_keep_names_people_hear(browser_page):
    """What the fixes give a screen reader: labelled date and time inputs, a named picker, list structure."""
    staff = StaffFactory(email="koordination@example.org")
    person = participant(status=Registration.Status.SUBMITTED, needs=[("starkregen", 3), ("haushalt", 2)])
    page = browser_page
    log_in(page, staff.email)

    # Django's split date/time widget: each input has its own label (an event's start).
    page.goto(reverse("admin:events_event_add"))
    starts = page.locator(".field-starts_at")
    assert starts.get_by_label("Datum:").count() == 1 and starts.get_by_label("Zeit:").count() == 1
    # The Kennenlerngespräch's date and time are set on "Termin verschieben" (read only on the change page),
    # each input named with the field it belongs to.
    planned = participant(status=Registration.Status.SUBMITTED, needs=["einstieg"])
    registration_transition(registration=planned.registration, to_status=Registration.Status.INTRO_SCHEDULED,
                            by=staff, intro_call_at=timezone.now() + datetime.timedelta(days=3), intro_host=staff,
                            intro_video_url="https://konferenz.example.org/kennenlernen")
    page.goto(reverse("admin:accounts_registration_intro_move", args=[planned.registration.pk]))
    assert page.get_by_label("Kennenlerngespräch am – Datum (TT.MM.JJJJ)", exact=True).count() == 1
    assert page.get_by_label("Kennenlerngespräch am – Uhrzeit (HH:MM)", exact=True).count() == 1

    page.goto(reverse("admin:accounts_registration_change", args=[person.registration.pk]))
    needs = page.locator(".field-needs_list ul > li")
    assert needs.count() == 2 and re.search("Starkregen", needs.first.inner_text())

    page.goto(reverse("admin:accounts_topic_changelist"))
    assert page.get_by_label(f"Position: {topic('starkregen').name}").count() == 1
    page.goto(reverse("admin:accounts_profile_change", args=[Profile.objects.get(user=person).pk]))
    picker = page.get_by_role("combobox", name=re.compile("^Organisation"))
    assert picker.count() == 1
    assert page.get_by_label(re.compile(r"^Thema \(")).count() >= 1  # each row's topic, with the row named
    assert Organisation.objects.exists()
