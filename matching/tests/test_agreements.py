"""The Mentoring-Vereinbarung: one partner drafts, the other confirms, amendments keep the history;
staff see Tandems without one after two weeks, and the partners hear once."""
import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.tests.factories import StaffFactory, participant, topic
from matching import services
from matching.models import Agreement, Tandem
from matching.tests.factories import TandemFactory
from mentoring.kernel.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def tandem():
    mentee = participant(needs=["haushalt", "hitzeaktionsplan", "starkregen"])
    return TandemFactory(mentee=mentee.profile)


def goals(*slugs):
    return [(topic(slug).pk, f"Ziel zu {slug}") for slug in slugs]


def draft(tandem, by, **kwargs):
    data = {"goals": goals("haushalt", "hitzeaktionsplan"), "frequency": "monthly", "meeting_form": "online",
            "planned_end": timezone.localdate() + datetime.timedelta(days=200), "confidential": True, **kwargs}
    return services.agreement_draft(tandem=tandem, by=by, **data)


def test_one_drafts_the_other_confirms_and_amendments_keep_the_history(tandem):
    mentee, mentor = tandem.mentee.user, tandem.mentor.user
    first = draft(tandem, mentee)
    assert services.agreement_current(tandem) is None and services.agreement_pending(tandem) == first
    assert OutboxMessage.objects.filter(key__startswith=f"tandem-agreement:{tandem.pk}:{tandem.mentor.pk}:",
                                        to=mentor.email).exists()
    with pytest.raises(services.MatchingError):
        services.agreement_confirm(agreement=first, by=mentee)  # not one's own draft
    services.agreement_confirm(agreement=first, by=mentor)
    assert services.agreement_current(tandem) == first
    second = draft(tandem, mentor, goals=goals("haushalt", "hitzeaktionsplan", "starkregen"))
    assert services.agreement_current(tandem) == first, "the amendment counts once it is confirmed"
    services.agreement_confirm(agreement=second, by=mentee)
    assert services.agreement_current(tandem) == second
    assert list(tandem.agreements.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_a_stale_page_never_reports_a_confirmation_that_changed_nothing(client, tandem):
    """After version 3 was confirmed, confirming version 1 said "bestätigt" and version 2 "es gibt einen neueren
    Entwurf", though nothing waited; both now name the version in force. A second click on it stays quiet."""
    mentee, mentor = tandem.mentee.user, tandem.mentor.user
    versions = []
    for author, confirmer in ((mentee, mentor), (mentor, mentee), (mentee, mentor)):
        versions.append(draft(tandem, author, frequency=["monthly", "weekly", "biweekly"][len(versions)]))
        if len(versions) != 2:
            services.agreement_confirm(agreement=versions[-1], by=confirmer)
    client.force_login(mentor)
    for stale in versions[:2]:
        response = client.post(reverse("matching:agreement_confirm", args=[tandem.pk, stale.pk]), follow=True)
        said = [str(message) for message in response.context["messages"]]
        assert said == ["Diese Fassung gilt nicht mehr; in Kraft ist die bestätigte Fassung 3."], said
    assert services.agreement_current(tandem) == versions[2]
    services.agreement_confirm(agreement=versions[2], by=mentor)  # the version in force, again: no refusal


def test_a_draft_sent_after_the_tandem_ended_is_said_to_be_lost(client, tandem):
    from django.contrib.messages import get_messages

    client.force_login(tandem.mentee.user)
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END)
    response = client.post(reverse("matching:agreement", args=[tandem.pk]), {"frequency": "monthly"})
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert response.status_code == 302 and "Ihr Entwurf ist nicht gespeichert" in said[0]
    assert not tandem.agreements.exists()


@pytest.mark.parametrize("change, field", [
    ({"goals": ("haushalt",)}, "goals"),
    ({"goals": ("haushalt", "hitzeaktionsplan", "starkregen", "haushalt")}, "goals"),
    ({"goals": ("haushalt", "schwammstadt")}, "goals"),  # not one of the mentee's needs
    ({"planned_end": datetime.date(2020, 1, 1)}, "planned_end"),
    ({"confidential": False}, "confidential"),
])
def test_a_draft_outside_the_rules_is_refused_by_field(tandem, change, field):
    if "goals" in change:
        change = {"goals": goals(*change["goals"])}
    with pytest.raises(services.MatchingError) as error:
        draft(tandem, tandem.mentee.user, **change)
    assert error.value.field == field and not Agreement.objects.exists()


def test_the_page_drafts_and_confirms_and_shows_errors_by_the_field(client, tandem):
    client.force_login(tandem.mentee.user)
    url = reverse("matching:agreement", args=[tandem.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Mentoring-Vereinbarung" in page.content.decode()
    haushalt, hitze = topic("haushalt").pk, topic("hitzeaktionsplan").pk
    bad = client.post(url, {f"goal_{haushalt}": "on", f"text_{haushalt}": "Haushalt", "frequency": "monthly",
                            "meeting_form": "online", "planned_end": "2099-01-01", "confidential": "on"})
    assert bad.status_code == 400 and "zwei bis vier Ziele" in bad.content.decode()
    good = client.post(url, {f"goal_{haushalt}": "on", f"text_{haushalt}": "Haushalt sichern", f"goal_{hitze}": "on",
                             f"text_{hitze}": "Hitzeplan", "frequency": "monthly", "meeting_form": "online",
                             "planned_end": (timezone.localdate() + datetime.timedelta(days=300)).isoformat(),
                             "confidential": "on"})
    assert good.status_code == 302
    pending = services.agreement_pending(tandem)
    client.force_login(tandem.mentor.user)
    detail = client.get(reverse("matching:tandem_detail", args=[tandem.pk])).content.decode()
    assert "Hitzeplan" in detail and "Entwurf bestätigen" in detail
    client.post(reverse("matching:agreement_confirm", args=[tandem.pk, pending.pk]))
    assert services.agreement_current(tandem) == pending


def test_a_stranger_gets_404(client, tandem):
    client.force_login(participant())
    assert client.get(reverse("matching:agreement", args=[tandem.pk])).status_code == 404


def test_without_agreement_after_two_weeks_staff_see_it_and_partners_hear_once(client, tandem):
    later = timezone.now() + datetime.timedelta(days=15)
    assert services.agreement_reminders() == 0, "not before two weeks"
    with time_machine.travel(later):
        assert list(services.tandems_without_agreement()) == [tandem]
        assert services.tandem_purpose_daily()["agreement_reminders"] == 2
        assert services.tandem_purpose_daily()["agreement_reminders"] == 0, "at most once"
        reasons = dict(services.tandems_at_risk_page()[0])
        assert "keine bestätigte Vereinbarung" in reasons[tandem][0]
        client.force_login(StaffFactory())
        listing = client.get(reverse("admin:matching_tandem_changelist"), {"vereinbarung": "fehlt"})
        assert escape(str(tandem)) in listing.content.decode()
        assert "keine bestätigte Vereinbarung" in client.get(reverse("admin:index")).content.decode()
    keys = OutboxMessage.objects.filter(key__startswith=f"tandem-agreement-reminder:{tandem.pk}:")
    assert keys.count() == 2


def test_the_overview_reads_only_the_at_risk_rows_it_shows_and_counts_them_all(tandem):
    """The overview shows the oldest at-risk Tandems up to its limit and says how many there are; its
    queries do not grow with the number of at-risk Tandems, and the rows carry the partners' names."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    more = [TandemFactory(mentee=participant().profile) for _ in range(4)]
    oldest_first = sorted([tandem, *more], key=lambda t: (t.started_at, t.pk))
    later = timezone.now() + datetime.timedelta(days=15)
    with time_machine.travel(later):
        with CaptureQueriesContext(connection) as five:
            shown, total = services.tandems_at_risk_page(limit=2)
            names = [str(row) for row, _why in shown]  # no query: the names came with the rows
        assert total == 5 and [row for row, _why in shown] == oldest_first[:2]
        assert names == [str(t) for t in oldest_first[:2]]
        assert {row for row, _why in services.tandems_at_risk_page()[0]} == set(oldest_first)
    for _ in range(10):
        TandemFactory(mentee=participant().profile)
    with time_machine.travel(later):
        with CaptureQueriesContext(connection) as fifteen:
            shown, total = services.tandems_at_risk_page(limit=2)
            [str(row) for row, _why in shown]
        assert total == 15 and len(fifteen) == len(five)


def test_the_reminder_is_in_the_persons_language(tandem, monkeypatch):
    tandem.mentor.user.language = "en"
    tandem.mentor.user.save()
    asked = {}
    real = services.agreements.mail_queue_once
    monkeypatch.setattr(services.agreements, "mail_queue_once",
                        lambda **kwargs: asked.setdefault(kwargs["to"], kwargs["language"]) and real(**kwargs))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        services.agreement_reminders()
    assert asked == {tandem.mentor.user.email: "en", tandem.mentee.user.email: tandem.mentee.user.language}


def test_the_export_holds_the_agreement(tandem):
    first = draft(tandem, tandem.mentee.user)
    services.agreement_confirm(agreement=first, by=tandem.mentor.user)
    data = services.personal_data(user=tandem.mentor.user)
    assert data["tandems"][0]["vereinbarung"][0]["entworfen_von"] == "Tandempartner*in"


def test_the_first_steps_give_way_once_the_agreement_is_confirmed(client, tandem):
    """A Tandem page with goals agreed no longer tells the partners to settle their goals."""
    client.force_login(tandem.mentee.user)
    url = reverse("matching:tandem_detail", args=[tandem.pk])
    assert "Die ersten Schritte" in client.get(url).content.decode()
    services.agreement_confirm(agreement=draft(tandem, tandem.mentor.user), by=tandem.mentee.user)
    assert "Die ersten Schritte" not in client.get(url).content.decode()


def test_the_pages_with_every_version_do_not_query_per_version(client, tandem):
    """The agreement page lists every version and the Tandem's admin page every version and check-in:
    more versions and answers, the same number of queries (their goals' topic names come in one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matching.models import CheckIn

    mentee, mentor = tandem.mentee.user, tandem.mentor.user
    staff = StaffFactory(email="koordination-zaehlt@example.org")

    def queries(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add_version_and_checkins(number):
        services.agreement_confirm(agreement=draft(tandem, mentee, planned_end=timezone.localdate()
                                                   + datetime.timedelta(days=200 + number)), by=mentor)
        for person in (mentee, mentor):
            CheckIn.objects.create(tandem=tandem, user=person, number=number, due_on=timezone.localdate(),
                                   progress={str(topic("haushalt").pk): "underway"})

    page, admin_page = reverse("matching:agreement", args=[tandem.pk]), f"/admin/matching/tandem/{tandem.pk}/change/"
    add_version_and_checkins(1)
    queries(staff, admin_page)  # warm: admin's content types are read once per process
    few = queries(mentee, page), queries(staff, admin_page)
    for number in (2, 3, 4):
        add_version_and_checkins(number)
    assert (queries(mentee, page), queries(staff, admin_page)) == few


def test_the_page_asks_for_a_first_vereinbarung_until_there_is_one(client, tandem):
    """Without any version the form drafts the Vereinbarung; once one is in force, a change of it."""
    client.force_login(tandem.mentee.user)
    url = reverse("matching:agreement", args=[tandem.pk])
    page = client.get(url).content.decode()
    assert "Vereinbarung entwerfen</h2>" in page and "Änderung entwerfen" not in page
    agreement = draft(tandem, tandem.mentee.user)
    # A first draft waiting: it is revised, not amended (nothing was agreed yet), and a second draft tells the
    # partner of the Vereinbarung, not of "an amendment".
    page = client.get(url).content.decode()
    assert "Entwurf überarbeiten</h2>" in page and "Änderung entwerfen" not in page
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):  # the next day's mail
        agreement = draft(tandem, tandem.mentee.user, frequency="weekly")
    mails = OutboxMessage.objects.filter(to=tandem.mentor.user.email, key__startswith="tandem-agreement:")
    assert mails.count() == 2 and not any("Änderung" in mail.subject for mail in mails)
    services.agreement_confirm(agreement=agreement, by=tandem.mentor.user)
    page = client.get(url).content.decode()
    assert "Änderung entwerfen</h2>" in page


def test_every_mistake_of_a_draft_shows_at_once_next_to_its_field(client, tandem):
    """One goal, an end in the past and no tick for confidentiality: all three in one round, each linked from
    the summary, nothing saved."""
    client.force_login(tandem.mentee.user)
    one = topic("haushalt").pk
    response = client.post(reverse("matching:agreement", args=[tandem.pk]), {
        f"goal_{one}": "on", f"text_{one}": "Haushaltsantrag stellen", "frequency": "monthly",
        "meeting_form": "online", "planned_end": "2020-01-01"})
    assert response.status_code == 400
    form = response.context["form"]
    first_tick = f"goal_{form.topics[0].pk}"
    assert form.errors[first_tick] == ["Bitte wählen Sie zwei bis vier Ziele."]
    assert form.errors["planned_end"] == ["Das geplante Ende muss in der Zukunft liegen."]
    assert form.errors["confidential"] == ["Bitte bestätigen Sie die Vertraulichkeit."]
    page = response.content.decode()
    assert f'href="#id_{first_tick}"' in page and 'href="#id_planned_end"' in page and 'href="#id_confidential"' in page
    assert not Agreement.objects.exists()


def test_a_services_refusal_on_the_goals_stands_at_the_first_tick():
    """What only the service sees (here: two goals on one topic, which the form cannot send) is placed where
    the form puts its own goals message."""
    from matching.forms import AgreementForm
    from mentoring.kernel.forms import add_service_error

    form = AgreementForm({}, topics=[topic("haushalt"), topic("starkregen")])
    form.is_valid()
    add_service_error(form, services.MatchingError("Bitte wählen Sie Ziele aus den Bedarfen des Mentees.",
                                                   field="goals"))
    assert "Bitte wählen Sie Ziele aus den Bedarfen des Mentees." in form.errors[f"goal_{topic('haushalt').pk}"]
    assert "Bitte wählen Sie Ziele" not in " ".join(form.non_field_errors())


def test_an_impossible_end_date_is_said_as_the_meeting_form_says_it(client, tandem):
    client.force_login(tandem.mentee.user)
    response = client.post(reverse("matching:agreement", args=[tandem.pk]), {"planned_end": "2027-02-31"})
    assert response.context["form"].errors["planned_end"] == ["Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ)."]


def test_saving_the_vereinbarung_unchanged_makes_no_new_version(client, tandem):
    """Saved as it stood, it became version 2, and the partner was asked to confirm what already applied."""
    mentee, mentor = tandem.mentee.user, tandem.mentor.user
    services.agreement_confirm(agreement=draft(tandem, mentee), by=mentor)
    client.force_login(mentee)
    url = reverse("matching:agreement", args=[tandem.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["planned_end"] = form.initial["planned_end"].isoformat()
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Die Vereinbarung gilt schon so; ändern Sie, was sich geändert hat, bevor Sie sie neu zur Bestätigung geben."]
    assert tandem.agreements.count() == 1
    with pytest.raises(services.MatchingError):
        draft(tandem, mentor)
    # A changed one is a new version as before; saved again unchanged, it is the draft that waits.
    waiting = draft(tandem, mentor, frequency="weekly")
    with pytest.raises(services.MatchingError, match="wartet schon"):
        draft(tandem, mentee, frequency="weekly")
    assert services.agreement_pending(tandem) == waiting


def test_a_goal_too_long_says_only_that(client, tandem):
    client.force_login(tandem.mentee.user)
    url = reverse("matching:agreement", args=[tandem.pk])
    pk = topic("haushalt").pk
    response = client.post(url, {f"goal_{pk}": "on", f"text_{pk}": "x" * 400, "frequency": "monthly",
                                 "meeting_form": "online", "confidential": "on",
                                 "planned_end": (timezone.localdate() + datetime.timedelta(days=200)).isoformat()})
    [message] = response.context["form"].errors[f"text_{pk}"]
    assert "300" in message and "400" in message


def test_a_draft_reworded_again_and_again_mails_the_partner_once_a_day(tandem):
    """Five small changes in an afternoon sent the partner five mails."""
    mentee = tandem.mentee.user
    for n in range(5):
        draft(tandem, mentee, goals=[(topic("haushalt").pk, f"Ziel A v{n}"), (topic("hitzeaktionsplan").pk, "B")])
    assert tandem.agreements.count() == 5
    assert OutboxMessage.objects.filter(key__startswith=f"tandem-agreement:{tandem.pk}:").count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        draft(tandem, mentee, goals=[(topic("haushalt").pk, "Ziel A neu"), (topic("hitzeaktionsplan").pk, "B")])
    assert OutboxMessage.objects.filter(key__startswith=f"tandem-agreement:{tandem.pk}:").count() == 2


def test_a_draft_after_the_partner_answered_is_news_the_same_day(tandem):
    """Confirmed, then amended; or answered by a counter-draft: each new draft is told, even on one day."""
    mentee, mentor = tandem.mentee.user, tandem.mentor.user

    def drafts_told(to):
        return OutboxMessage.objects.filter(to=to.email, subject__contains="Mentoring-Vereinbarung wartet").count()

    services.agreement_confirm(agreement=draft(tandem, mentee), by=mentor)
    draft(tandem, mentee, goals=goals("haushalt", "starkregen"))  # an amendment, after the confirmation
    assert drafts_told(mentor) == 2
    draft(tandem, mentor, goals=goals("starkregen", "hitzeaktionsplan"))  # the mentor answers with a draft of their own
    assert drafts_told(mentee) == 1
    draft(tandem, mentee, goals=goals("haushalt", "hitzeaktionsplan"))  # ... which the mentee answers
    assert drafts_told(mentor) == 3
    # Reworded before the mentor answered: no new mail.
    draft(tandem, mentee, goals=goals("hitzeaktionsplan", "starkregen"))
    assert drafts_told(mentor) == 3


def test_the_author_of_a_draft_hears_when_it_is_confirmed_in_their_language(tandem):
    """They learned it only when they opened the Tandem's page again."""
    mentee, mentor = tandem.mentee.user, tandem.mentor.user
    mentee.language = "en"
    mentee.save(update_fields=["language"])
    services.agreement_confirm(agreement=draft(tandem, mentee), by=mentor)
    [mail] = OutboxMessage.objects.filter(to=mentee.email, subject__icontains="confirmed")
    assert "Your tandem partner has confirmed the mentoring agreement you drafted" in " ".join(mail.body_text.split())
    assert f"/tandem/{tandem.pk}/#vereinbarung" in mail.body_text
    assert not OutboxMessage.objects.filter(to=mentor.email, subject__icontains="bestätigt").exists()
    # An amendment confirmed is said as such.
    services.agreement_confirm(agreement=draft(tandem, mentor, goals=goals("haushalt", "starkregen")), by=mentee)
    [mail] = OutboxMessage.objects.filter(to=mentor.email,
                                          subject="Ihr Tandem: Die Mentoring-Vereinbarung ist bestätigt")
    assert "die Änderung der Mentoring-Vereinbarung bestätigt" in " ".join(mail.body_text.split())


@pytest.mark.parametrize("text", ["Haushalt\u202esichern", "Haushalt\nsichern"])
def test_a_goal_is_one_line_read_as_it_was_typed(client, tandem, text):
    """A direction override made a goal read otherwise to the partner, in the mail and the PDF than it was typed."""
    client.force_login(tandem.mentee.user)
    haushalt, hitze = topic("haushalt").pk, topic("hitzeaktionsplan").pk
    response = client.post(reverse("matching:agreement", args=[tandem.pk]), {
        f"goal_{haushalt}": "on", f"text_{haushalt}": text, f"goal_{hitze}": "on", f"text_{hitze}": "Hitzeplan",
        "frequency": "monthly", "meeting_form": "online", "confidential": "on",
        "planned_end": (timezone.localdate() + datetime.timedelta(days=300)).isoformat()})
    assert response.status_code == 400 and "ohne Zeilenumbrüche" in response.content.decode()
    assert not Agreement.objects.exists()
