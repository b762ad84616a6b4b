"""A coordinator's working day in a real browser, end to end, as a member of the Koordination group (no
superuser): signs in through the login page with the authenticator app's code, reads the overview for a year
and a Bundesland, writes a Rundschreiben to Hessian Mentor*innen (preview, test mail, send), answers a
mentee's problem report, which the mentee then reads on their Tandem page (their partner does not), and
merges two duplicate organisations. axe-core (WCAG 2.0/2.1 A and AA) runs on every admin page visited.

The expected figures and recipients are counted here straight from the rows, not with the site's queries.
"""
import datetime
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.models import Consent, FederalState, Organisation, Profile, Registration, User
from accounts.staff_groups import KOORDINATION
from accounts.tests.factories import PASSWORD, OrganisationFactory, StaffFactory, participant
from conftest import log_in
from matching.models import ProblemReport, ProblemReportReply
from matching.tests.factories import TandemFactory
from mentoring.kernel.models import OutboxMessage
from mentoring.letters.models import Letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "kora.koordination@example.org"
REPLY = "Wir rufen Sie beide am Montag an und suchen gemeinsam einen Termin."
SUBJECT = "Einladung: Austausch der Mentor*innen in Hessen"


@pytest.fixture
def _mfa_required(settings):
    settings.STAFF_REQUIRE_MFA = True  # as in production: staff reach the admin only with their second factor


def totp_code(secret: str) -> str:
    """The code the authenticator app shows now, with at least ten seconds left (allauth allows no tolerance,
    and a busy machine may take a few seconds from typing it to the server checking it)."""
    if time.time() % 30 > 20:
        time.sleep(30 - time.time() % 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def news_consent(user, *, withdrawn=False):
    Consent.objects.create(user=user, purpose=Consent.Purpose.NEWS, version="test", text="Testwortlaut",
                           withdrawn_at=timezone.now() if withdrawn else None)


def world() -> dict:
    """A small programme: Hessian and Bavarian participants in every role and state of consent, a Tandem
    with a problem report, and two organisations that are the same town spelt twice."""
    hessen, bayern = FederalState.objects.get(code="06"), FederalState.objects.get(code="09")
    kassel = OrganisationFactory(name="Stadt Kassel", federal_state=hessen)
    marburg = OrganisationFactory(name="Universitätsstadt Marburg", federal_state=hessen)
    giessen = OrganisationFactory(name="Universitätsstadt Gießen", federal_state=hessen)
    giessen_twice = OrganisationFactory(name="Stadt Giessen", federal_state=hessen)
    passau = OrganisationFactory(name="Stadt Passau", federal_state=bayern)

    def person(organisation, *, role=Role.MENTOR, news="active", status=Registration.Status.APPROVED, **kwargs):
        user = participant(mentor=role != Role.MENTEE, role=role, organisation=organisation, status=status,
                           needs=["haushalt"], competences=["haushalt"], **kwargs)
        if news != "never":
            news_consent(user, withdrawn=news == "withdrawn")
        return user

    people = {
        # The letter's group: Hessian Mentor*innen, freigegeben, with the news consent and a confirmed address.
        "reached_kassel": person(kassel),
        "reached_giessen": person(giessen),
        "reached_giessen_twice": person(giessen_twice),
        # Not in it, each for one reason.
        "no_consent": person(marburg, news="never"),
        "withdrawn": person(kassel, news="withdrawn"),
        "unconfirmed": person(marburg, user__verified_email=False),
        "account_closed": person(kassel, user__is_active=False),
        "mentee": person(kassel, role=Role.MENTEE),
        "both": person(giessen_twice, role=Role.BOTH),
        "bavarian": person(passau),
        "waiting": person(marburg, status=Registration.Status.SUBMITTED),
        "intro": person(giessen_twice, status=Registration.Status.INTRO_DONE),
    }
    # The Tandem whose mentee reports a problem; the mentor is their partner.
    mentee = person(giessen_twice, role=Role.MENTEE, news="never")
    tandem = TandemFactory(mentee=mentee.profile, mentor=people["reached_kassel"].profile)
    report = ProblemReport.objects.create(tandem=tandem, reported_by=mentee, kind=ProblemReport.Kind.PROBLEM,
                                          text="Wir finden seit Wochen keinen gemeinsamen Termin.")
    # Registrations of last year, so the overview offers that year and counts them in their months.
    last_year = timezone.localdate().year - 1
    for index, name in enumerate(["reached_kassel", "no_consent", "bavarian", "withdrawn"]):
        Registration.objects.filter(user=people[name]).update(
            submitted_at=timezone.make_aware(datetime.datetime(last_year, 3, 10 + index, 10)))
    Registration.objects.filter(user=people["mentee"]).update(
        submitted_at=timezone.make_aware(datetime.datetime(last_year, 4, 2, 10)))

    coordinator = StaffFactory(email=COORDINATOR, first_name="Kora", last_name="Koordination", is_superuser=False)
    coordinator.groups.add(Group.objects.get(name=KOORDINATION))
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    return {"people": people, "mentee": mentee, "tandem": tandem, "report": report, "coordinator": coordinator,
            "secret": secret, "giessen": giessen, "giessen_twice": giessen_twice, "hessen": hessen,
            "last_year": last_year}


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """conftest.axe_violations with axe's own speed-up: details only for violations (the overview has hundreds
    of table cells, whose passing checks axe would otherwise serialise one by one)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
            for v in result.response["violations"]]


class Admin:
    """The coordinator's page; every admin page it shows is checked with axe."""

    def __init__(self, page):
        self.page = page
        self.checked: list[str] = []
        self.problems: list[str] = []
        self.seconds: dict[str, float] = {}

    def follow(self, link, url) -> None:
        """Click ``link``, wait for the admin page at ``url`` (a glob or a pattern) and check it."""
        link.click()
        self.page.wait_for_url(url)
        self.check()

    def check(self, label: str = "") -> None:
        self.page.wait_for_load_state("load")
        where = label or self.page.url.removeprefix(self.base)
        self.checked.append(where)
        began = time.monotonic()
        self.problems += [f"{where}: {violation}" for violation in axe_violations(self.page)]
        self.seconds[where] = round(time.monotonic() - began, 1)

    @property
    def base(self) -> str:
        return re.match(r"https?://[^/]+", self.page.url).group(0)


def model_link(page, app: str, model: str):
    """A model's link in the admin's list of areas (on the overview, or in the side bar of the other admin
    pages), in its app's table."""
    return (page.get_by_role("table", name=app, exact=True).get_by_role("rowheader")
            .get_by_role("link", name=model, exact=True))


def expected_letter_recipients() -> set[str]:
    """Hessian Mentor*innen (role exactly Mentor*in), freigegeben, active, with an active news consent and a
    confirmed address: counted from the rows one by one."""
    from allauth.account.models import EmailAddress

    found = set()
    for user in User.objects.filter(is_staff=False):
        profile = Profile.objects.filter(user=user).select_related("organisation__federal_state").first()
        registration = Registration.objects.filter(user=user).first()
        consents = Consent.objects.filter(user=user, purpose=Consent.Purpose.NEWS)
        confirmed = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
        if (user.is_active and profile is not None and registration is not None
                and profile.role == Role.MENTOR and profile.organisation.federal_state.code == "06"
                and registration.status == Registration.Status.APPROVED
                and any(c.withdrawn_at is None for c in consents) and confirmed):
            found.add(user.email)
    return found


@pytest.mark.usefixtures("_mfa_required")
def test_a_coordinator_reads_writes_answers_and_merges(browser_page, live_server):
    started = time.monotonic()
    data = world()
    coordinator, people = data["coordinator"], data["people"]
    assert not coordinator.is_superuser and coordinator.groups.filter(name=KOORDINATION).exists()
    page = browser_page
    admin = Admin(page)

    # Sign in through the login page, then the second factor, and arrive at the overview.
    page.goto("/konto/login/?next=/admin/")
    page.get_by_label("E-Mail").fill(COORDINATOR)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/konto/2fa/authenticate/**")
    page.get_by_role("heading", name="Zweiter Faktor").wait_for()
    page.locator("main form input[name=code]").fill(totp_code(data["secret"]))
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.get_by_role("heading", name="Übersicht", level=1).wait_for()

    # The overview for last year and Hessen; a figure of each kind against the rows.
    last_year = data["last_year"]
    page.get_by_label("Jahr", exact=True).select_option(label=str(last_year))
    page.get_by_label("Bundesland", exact=True).select_option(label="Hessen")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url(re.compile(rf"jahr={last_year}.*land=06"))
    assert page.get_by_text("Gezeigt: ").first.inner_text().startswith(f"Gezeigt: {last_year}, Hessen")
    approved_in_hessen = Registration.objects.filter(
        status=Registration.Status.APPROVED, user__is_staff=False,
        user__profile__organisation__federal_state__code="06").count()
    status_table = page.get_by_role("table", name="Anmeldungen nach Status (heute)")
    assert status_table.get_by_role("row", name=re.compile("^freigegeben")).get_by_role("cell").inner_text() \
        == str(approved_in_hessen)
    march = date_format(datetime.date(last_year, 3, 1), "F Y")
    submitted_in_march = sum(
        1 for r in Registration.objects.select_related("user__profile__organisation__federal_state")
        if not r.user.is_staff and r.user.profile.organisation.federal_state.code == "06"
        and timezone.localtime(r.submitted_at).date().replace(day=1) == datetime.date(last_year, 3, 1))
    assert submitted_in_march == 3, "the Bavarian registration of March does not count for Hessen"
    months = page.get_by_role("table", name=f"Anmeldungen und Statuswechsel je Monat {last_year}")
    assert months.get_by_role("row", name=re.compile(f"^{march}")).get_by_role("cell").first.inner_text() \
        == str(submitted_in_march)
    admin.check("overview, last year and Hessen")  # the same page as /admin/ unfiltered, so checked once

    # A Rundschreiben to Hessian Mentor*innen: draft, preview, test mail to herself, send.
    admin.follow(model_link(page, "Rundschreiben", "Rundschreiben"), "**/admin/letters/letter/")
    admin.follow(page.get_by_role("link", name="Rundschreiben hinzufügen"), "**/admin/letters/letter/add/")
    page.get_by_label("Hessen", exact=True).check()
    page.get_by_label("Mentor*in (erfahren)", exact=True).check()
    assert page.get_by_label("freigegeben", exact=True).is_checked(), "approved people by default"
    page.get_by_label("Betreff (deutsch)").fill(SUBJECT)
    page.get_by_label("Text (deutsch)").fill("Am **12. Mai** treffen sich die Mentor*innen in Gießen.")
    page.get_by_role("button", name="Sichern und Vorschau ansehen").click()
    page.wait_for_url(re.compile(r"/vorschau/$"))
    letter = Letter.objects.get(subject_de=SUBJECT)
    want = expected_letter_recipients()
    assert want == {people[n].email for n in ("reached_kassel", "reached_giessen", "reached_giessen_twice")}
    assert re.search(rf"\b{len(want)} Personen erh", page.content())
    assert page.frame_locator("iframe.letter-preview-frame").locator("strong", has_text="12. Mai").count() == 1
    admin.check()

    mail.outbox.clear()
    page.get_by_role("button", name="Testmail an mich").click()  # back on the same address: wait for the message
    expect(page.get_by_text(f"Die Testmail ist an {COORDINATOR} unterwegs")).to_be_visible()
    assert [(m.to, m.subject) for m in mail.outbox] == [([COORDINATOR], f"[Test] {SUBJECT}")]
    assert OutboxMessage.objects.filter(key__startswith=f"letter-test:{letter.pk}:").get().to == COORDINATOR
    admin.check("letter preview after the test mail")

    admin.follow(page.get_by_role("link", name="Weiter zum Senden"), re.compile(r"/senden/$"))
    mail.outbox.clear()
    page.get_by_role("button", name="Jetzt an alle senden").click()
    page.wait_for_url(re.compile(r"/change/$"))
    expect(page.get_by_text(f"Das Rundschreiben geht an {len(want)} Personen")).to_be_visible()
    admin.check("sent letter")
    letter.refresh_from_db()
    assert (letter.status, letter.recipient_count, letter.sent_by) == (Letter.Status.SENT, len(want), coordinator)
    queued = set(OutboxMessage.objects.filter(key__startswith=f"letter:{letter.pk}:").values_list("to", flat=True))
    delivered = [address for message in mail.outbox if message.subject == SUBJECT for address in message.to]
    assert queued == want and sorted(delivered) == sorted(want), "exactly the group, each once"
    news_readers = set(Consent.objects.filter(purpose=Consent.Purpose.NEWS, withdrawn_at__isnull=True)
                       .values_list("user__email", flat=True))
    assert set(delivered) <= news_readers

    # The mentee's problem report: in Bearbeitung, assigned to herself, with a note and a reply.
    report = data["report"]
    # The list's link is in the admin's side bar.
    admin.follow(model_link(page, "Matching und Tandems", "Meldungen"), "**/admin/matching/problemreport/")
    admin.follow(page.get_by_role("row").filter(has_text=data["mentee"].get_full_name()).get_by_role("link").first,
                 re.compile(rf"/problemreport/{report.pk}/change/$"))
    page.get_by_label(re.compile(r"^Status:?$")).select_option(label="in Bearbeitung")
    page.get_by_label(re.compile(r"^zuständig:?$")).select_option(value=str(coordinator.pk))
    page.get_by_label("Neue interne Notiz").fill("Beide Kalender sind voll; Telefonat vereinbart.")
    page.get_by_label("Antwort an die meldende Person").fill(REPLY)
    mail.outbox.clear()
    page.get_by_role("button", name="Sichern", exact=True).click()
    page.wait_for_url("**/admin/matching/problemreport/")
    expect(page.get_by_text("Die meldende Person erhält eine E-Mail mit dem Stand und Ihrer Antwort.")).to_be_visible()
    admin.check("reports after the reply")
    report.refresh_from_db()
    assert (report.status, report.assignee) == (ProblemReport.Status.IN_PROGRESS, coordinator)
    assert [m.to for m in mail.outbox] == [[data["mentee"].email]] and REPLY in mail.outbox[0].body

    # The mentee reads the reply on her Tandem page; her partner sees neither the report nor the reply.
    browser = page.context.browser
    for reader in (data["mentee"], people["reached_kassel"]):
        context = browser.new_context(locale="de-DE", base_url=live_server.url,
                                      viewport={"width": 1280, "height": 900})
        other = context.new_page()
        other.set_default_timeout(15000)
        log_in(other, reader.email)
        other.goto("/tandem/")
        other.get_by_role("link", name=re.compile("Ihr\\*e Mentor\\*in|Ihr Mentee")).first.click()
        other.wait_for_url(re.compile(rf"/tandem/{data['tandem'].pk}/$"))
        detail = reverse("matching:report_detail", args=[data["tandem"].pk, report.pk])
        if reader == data["mentee"]:
            mine = other.get_by_role("region", name="Ihre Anliegen an die Koordination")
            assert "in Bearbeitung" in mine.inner_text() and "1 Antwort" in mine.inner_text()
            mine.get_by_role("link", name=re.compile("^Anliegen vom")).click()
            other.wait_for_url(f"**{detail}")
            replies = other.get_by_role("region", name="Antworten der Koordination")
            assert REPLY in replies.inner_text()
            assert "Telefonat vereinbart" not in other.content(), "the internal note stays internal"
            assert axe_violations(other) == [], detail
        else:
            assert other.get_by_role("region", name="Ihre Anliegen an die Koordination").count() == 0
            assert REPLY not in other.content() and "keinen gemeinsamen Termin" not in other.content()
            assert other.goto(detail).status == 404
            assert REPLY not in other.content()
        context.close()
    assert ProblemReportReply.objects.filter(report=report, text=REPLY, author=coordinator).count() == 1

    # Two spellings of Gießen become one organisation; its people move with it.
    keep, twice = data["giessen"], data["giessen_twice"]
    moving = set(Profile.objects.filter(organisation=twice).values_list("pk", flat=True))
    staying = set(Profile.objects.filter(organisation=keep).values_list("pk", flat=True))
    assert moving and staying
    admin.follow(model_link(page, "Teilnehmer*innen und Anmeldungen", "Organisationen"),
                 "**/admin/accounts/organisation/")
    admin.follow(page.get_by_role("link", name="Mögliche Dubletten"), "**/organisation/dubletten/")
    group = page.locator("form").filter(has=page.get_by_role("table", name=re.compile("Giessen|Gießen")))
    assert group.get_by_role("checkbox").count() == 2
    group.get_by_role("button", name="Ausgewählte zusammenführen …").click()
    page.get_by_role("heading", name="Organisationen zusammenführen").wait_for()
    admin.check("merge: which organisation stays")
    page.get_by_label(re.compile(r"Universitätsstadt Gießen \(")).check()
    page.get_by_role("button", name="Zusammenführen", exact=True).click()  # the list's address already: wait
    expect(page.get_by_text("1 Organisation mit „Universitätsstadt Gießen“ zusammengeführt.")).to_be_visible()
    admin.check("organisations after the merge")
    assert not Organisation.objects.filter(pk=twice.pk).exists()
    assert set(Profile.objects.filter(organisation=keep).values_list("pk", flat=True)) == moving | staying
    assert all(Profile.objects.get(pk=pk).organisation_id == keep.pk for pk in moving)

    assert admin.problems == [], "\n".join(admin.problems)
    assert len(admin.checked) >= 14, admin.checked
    print(f"{len(admin.checked)} admin pages checked with axe; journey {time.monotonic() - started:.1f} s, "
          f"of it axe {sum(admin.seconds.values()):.1f} s: {admin.seconds}")
