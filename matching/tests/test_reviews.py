"""The closing review when a Tandem ends (planned end by the daily task, early end by staff) and the
certificate of participation, which prints Latin, Greek and Cyrillic names."""
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import StaffFactory, participant, topic
from matching import services
from matching.models import ClosingReview, Meeting, Tandem
from matching.tests.factories import START, TandemFactory, agreed_tandem, at
from mentoring.kernel.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def tandem():
    with time_machine.travel(START, tick=False):
        mentee = participant(needs=["haushalt", "hitzeaktionsplan"], competences=[("haushalt", 1)],
                             user__first_name="Αλέξανδρος", user__last_name="Παπαδόπουλος")
        mentor = participant(mentor=True, competences=["haushalt"], user__first_name="Анна",
                             user__last_name="Иванова")
        tandem = agreed_tandem(mentee, mentor, goals={"haushalt": "Haushaltsmittel sichern",
                                                      "hitzeaktionsplan": "Hitzeplan schreiben"},
                               planned_end=datetime.date(2026, 6, 30))
        Meeting.objects.create(tandem=tandem, logged_by=mentee, date=datetime.date(2026, 1, 5),
                               duration_minutes=240, format="online", status=Meeting.Status.CONFIRMED)
    return Tandem.objects.get(pk=tandem.pk)


def test_the_planned_end_ends_the_tandem_once_and_asks_both_for_the_review(tandem):
    with at(175):  # 2026-06-29
        assert services.tandem_purpose_daily()["ended_as_planned"] == 0
    with at(177):
        assert services.tandem_purpose_daily()["ended_as_planned"] == 1
        assert services.tandem_purpose_daily()["ended_as_planned"] == 0
    tandem.refresh_from_db()
    assert tandem.status == Tandem.Status.ENDED
    reviews = ClosingReview.objects.filter(tandem=tandem)
    assert reviews.count() == 2 and not any(r.early for r in reviews)
    # One mail per side, the end with the review it asks for (they came as two at the same moment).
    for side in (tandem.mentee, tandem.mentor):
        mails = OutboxMessage.objects.filter(to=side.user.email, key__regex=r"^tandem-(ended|review):")
        review = reviews.get(user=side.user)
        assert [m.key for m in mails] == [f"tandem-ended:{tandem.pk}:{side.pk}"]
        assert f"/tandem/{tandem.pk}/rueckblick/{review.pk}/" in mails[0].body_text
        assert mails[0].subject.endswith("Rückblick und Teilnahmebescheinigung")
    mentee_mail, mentor_mail = (OutboxMessage.objects.get(key=f"tandem-ended:{tandem.pk}:{side.pk}").body_text
                                for side in (tandem.mentee, tandem.mentor))
    assert "weiter Unterstützung suchen" in mentee_mail and "weitere Person begleiten" in mentor_mail


def test_an_early_end_by_staff_asks_for_the_reason_and_the_review_is_stored(client, tandem):
    with at(60):
        services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
        review = ClosingReview.objects.get(tandem=tandem, user=tandem.mentee.user)
        assert review.early
        client.force_login(tandem.mentee.user)
        url = reverse("matching:review", args=[tandem.pk, review.pk])
        page = client.get(url).content.decode()
        assert "Warum endet das Tandem früher" in page and "Haushaltsmittel sichern" in page
        haushalt, hitze = topic("haushalt").pk, topic("hitzeaktionsplan").pk
        data = {f"reached_{haushalt}": "yes", f"then_{haushalt}": "1", f"now_{haushalt}": "3",
                f"reached_{hitze}": "no", f"then_{hitze}": "0", f"now_{hitze}": "1", "helped": "Die Gespräche",
                "nps": "9"}
        assert client.post(url, data).status_code == 400, "an early end needs a reason"
        assert client.post(url, {**data, "early_end_reason": "job"}).status_code == 302
        review.refresh_from_db()
        assert review.nps == 9 and review.early_end_reason == "job"
        assert review.goals_reached == {str(haushalt): True, str(hitze): False}
        assert review.competence[str(haushalt)] == [1, 3]
        client.force_login(tandem.mentor.user)
        assert client.get(url).status_code == 404, "the partner never opens it"
    data = services.personal_data(user=tandem.mentee.user)
    assert data["rueckblicke"][0]["weiterempfehlung_0_bis_10"] == 9


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_both_download_the_certificate_with_their_names_in_their_script(client, tandem):
    with at(10):
        client.force_login(tandem.mentee.user)
        assert client.get(reverse("matching:certificate", args=[tandem.pk])).status_code == 404, "not yet"
    with at(60):
        services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    for user, own, other in ((tandem.mentee.user, "Αλέξανδρος Παπαδόπουλος", "Анна Иванова"),
                             (tandem.mentor.user, "Анна Иванова", "Αλέξανδρος Παπαδόπουλος")):
        client.force_login(user)
        response = client.get(reverse("matching:certificate", args=[tandem.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        content = pdf_text(response.content)
        assert own in content and other in content
        assert "Teilnahmebescheinigung" in content and "05.01.2026" in content and "06.03.2026" in content
        assert "Haushaltsmittel sichern" in content and "0,50 Mentoring-Tage" in content
        # Named by its day (a name in another script gives no letters for the file's name).
        assert 'filename="teilnahmebescheinigung-2026-03-06.pdf"' in response["Content-Disposition"]
        # The hours and the days to two places, as the time statement writes them, and who issued it.
        assert "4,00 Stunden = 0,50 Mentoring-Tage" in content
        assert "ausstellende Stelle:" in content
    client.force_login(participant())
    assert client.get(reverse("matching:certificate", args=[tandem.pk])).status_code == 404


def test_the_certificate_names_only_goals_both_confirmed(client):
    """A draft one side wrote and the other never confirmed is no fact for a certificate."""
    with time_machine.travel(START, tick=False):
        mentee = participant(needs=["haushalt", "hitzeaktionsplan"], user__first_name="Mia")
        mentor = participant(mentor=True, competences=["haushalt"])
        tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile)
        services.agreement_draft(tandem=tandem, by=mentor, goals=[(topic("haushalt").pk, "Nur ein Entwurf"),
                                                                  (topic("hitzeaktionsplan").pk, "Auch Entwurf")],
                                 frequency="monthly", meeting_form="online", planned_end=datetime.date(2026, 6, 30),
                                 confidential=True)
    with at(60):
        services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    client.force_login(mentee)
    content = pdf_text(client.get(reverse("matching:certificate", args=[tandem.pk])).content)
    assert "Teilnahmebescheinigung" in content and "Mia" in content
    assert "Nur ein Entwurf" not in content and "Ziele, an denen" not in content

def test_staff_issue_it_again(client, tandem):
    with at(60):
        services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    staff = StaffFactory()
    client.force_login(staff)
    changelist = reverse("admin:matching_tandem_changelist")
    client.post(changelist, {"action": "reissue_certificates", "_selected_action": [tandem.pk]})
    tandem.refresh_from_db()
    assert tandem.certificate_issue == 2
    response = client.get(reverse("admin:matching_tandem_certificate", args=[tandem.pk, "mentor"]))
    assert response.status_code == 200 and "Fassung 2" in pdf_text(response.content)
    # The issue and its date come from the action, not from inputs at the top of the change page.
    page = client.get(reverse("admin:matching_tandem_change", args=[tandem.pk])).content.decode()
    assert 'name="certificate_issue"' not in page and 'name="certificate_issued_at_0"' not in page


def test_a_running_tandem_has_no_certificate_and_staff_are_told_so(client, tandem):
    """The service's rule answers everywhere: the members' and staff's downloads are 404, and the action says
    which of the chosen Tandems still run instead of counting them silently."""
    client.force_login(tandem.mentee.user)
    assert client.get(reverse("matching:certificate", args=[tandem.pk])).status_code == 404
    client.force_login(StaffFactory())
    for side in ("mentee", "mentor"):
        assert client.get(reverse("admin:matching_tandem_certificate", args=[tandem.pk, side])).status_code == 404
    assert client.get(reverse("admin:matching_tandem_certificate", args=[tandem.pk, "other"])).status_code == 404
    assert client.get(reverse("admin:matching_tandem_certificate", args=[2**63, "mentor"])).status_code == 404
    response = client.post(reverse("admin:matching_tandem_changelist"),
                           {"action": "reissue_certificates", "_selected_action": [tandem.pk]}, follow=True)
    page = response.content.decode()
    assert "Neu ausgestellt" not in page and "1 Tandem läuft noch und hat keine Teilnahmebescheinigung." in page
    tandem.refresh_from_db()
    assert tandem.certificate_issue == 1


def test_erasing_one_side_asks_only_the_other_for_the_review(tandem):
    from accounts.services import user_delete
    mentee_email = tandem.mentee.user.email
    user_delete(user=tandem.mentee.user)
    assert list(ClosingReview.objects.values_list("user", flat=True)) == [tandem.mentor.user_id]
    assert not OutboxMessage.objects.filter(to=mentee_email, key__regex=r"^tandem-(ended|review):").exists()
    assert OutboxMessage.objects.filter(to=tandem.mentor.user.email, key__regex=r"^tandem-(ended|review):").count() == 1


def test_the_review_form_starts_today_where_it_starts_at_the_beginning():
    """An untouched 'heute' select shows the registered level, never 'keine Erfahrung' below 'sehr erfahren'."""
    from matching.forms import ReviewForm

    form = ReviewForm(goals=[{"topic": 7, "name": "Hitze", "text": "Plan", "level": 3}], early=False)
    assert form.fields["then_7"].initial == 3 and form.fields["now_7"].initial == 3


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "early"), [(100, True), (400, False)])
def test_without_a_vereinbarung_the_usual_duration_is_the_plan_an_end_is_measured_by(days, early):
    """Every Tandem without a confirmed Vereinbarung was asked why it ended "earlier than planned", even after a
    full year; the Jahrgang's usual duration (what a first draft proposes) is the plan then."""
    tandem = TandemFactory(days_ago=days)
    services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Beide haben es so gewünscht.")
    assert {review.early for review in ClosingReview.objects.filter(tandem=tandem)} == {early}


def test_the_kurzbefragung_and_the_review_say_what_is_missing_field_by_field():
    """Sent without a choice, every radio group read Django's "Dieses Feld ist zwingend erforderlich."."""
    from django.utils import translation

    from matching.forms import CheckInForm, ReviewForm

    goals = [{"topic": 1, "name": "Haushalt", "text": "Mittel sichern"}]
    with translation.override("de"):
        for form in (CheckInForm({}, goals=goals), ReviewForm({}, goals=goals, early=True)):
            assert not form.is_valid()
            messages = [message for errors in form.errors.values() for message in errors]
            assert len(messages) >= 3 and "Dieses Feld ist zwingend erforderlich." not in messages, messages
