"""Kurzbefragungen: sent by the daily task at day 30 and every 60 days, once each; the mail's link
works once without login, never after expiry or for another person or Kurzbefragung; the partner
never sees the answers; answers put a Tandem on the at-risk list."""
import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from accounts.services import user_delete
from accounts.tests.factories import participant, topic
from matching import services
from matching.models import CheckIn
from matching.tests.factories import START, agreed_tandem, at
from mentoring.kernel.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def tandem():
    with time_machine.travel(START, tick=False):
        mentee = participant(needs=["haushalt", "hitzeaktionsplan"])
        return agreed_tandem(mentee, goals={"haushalt": "Haushalt", "hitzeaktionsplan": "Hitzeplan"},
                             planned_end=datetime.date(2026, 12, 1))


def link(checkin: CheckIn) -> str:
    mail = OutboxMessage.objects.get(key=f"tandem-survey:{checkin.pk}:{checkin.user_id}")
    return re.search(r"https?://[^/\s]+(/tandem/\S+?token=\S+)", mail.body_text).group(1)


def answers(tandem, **extra):
    data = {"rating": "4", "met": "yes", "comment": ""}
    for slug in ("haushalt", "hitzeaktionsplan"):
        data[f"goal_{topic(slug).pk}"] = "underway"
    return {**data, **extra}


def test_sent_at_day_30_then_every_60_days_each_at_most_once(tandem):
    with at(29):
        assert services.tandem_purpose_daily()["checkins"] == 0
    with at(30):
        assert services.tandem_purpose_daily()["checkins"] == 2
        assert services.tandem_purpose_daily()["checkins"] == 0
    with at(89):
        assert services.checkins_send() == 0
    with at(90):
        assert services.checkins_send() == 2
    assert sorted(CheckIn.objects.values_list("number", flat=True)) == [1, 1, 2, 2]
    assert OutboxMessage.objects.filter(key__startswith="tandem-survey:").count() == 4


def test_the_first_survey_mail_asks_about_meetings_since_the_start_as_its_form_does(tandem):
    """The first mail asked "seit der letzten Befragung", while its form asks "seit dem Beginn Ihres Tandems"."""
    with at(30):
        services.checkins_send()
    with at(90):
        services.checkins_send()
    for checkin in CheckIn.objects.all():
        mail = OutboxMessage.objects.get(key=f"tandem-survey:{checkin.pk}:{checkin.user_id}")
        body = " ".join(mail.body_text.split())
        assert ("seit seinem Beginn getroffen" in body) is (checkin.number == 1), checkin.number
        assert ("seit der letzten Befragung getroffen" in body) is (checkin.number > 1), checkin.number


def test_the_link_works_once_without_login_and_the_answers_are_stored(client, tandem):
    with at(30):
        services.checkins_send()
    mine = CheckIn.objects.get(user=tandem.mentee.user)
    url = link(mine)
    with at(31):
        page = client.get(url)
        assert page.status_code == 200 and "Wie gut funktioniert Ihr Tandem?" in page.content.decode()
        # The first one has no earlier Kurzbefragung to count from.
        assert "seit dem Beginn Ihres Tandems getroffen?" in page.content.decode()
        done = client.post(url, answers(tandem, comment="Läuft gut"))
        assert done.status_code == 200 and "Vielen Dank" in done.content.decode()
        mine.refresh_from_db()
        assert (mine.rating, mine.met, mine.comment) == (4, True, "Läuft gut") and mine.token_used_at
        assert set(mine.progress.values()) == {"underway"}
        # The used link says the Kurzbefragung is answered (it said "log in") and takes no second answer.
        again = client.post(url, answers(tandem, rating="1"))
        assert "Diese Kurzbefragung ist beantwortet. Vielen Dank!" in again.content.decode()
        assert "Bitte melden Sie sich an" not in client.get(url).content.decode()
    mine.refresh_from_db()
    assert mine.rating == 4, "a used link changes nothing"


def test_a_kurzbefragung_closes_when_the_tandem_ends(client, tandem):
    """It asks how the Tandem is going: once it has ended, neither the link nor the page take an answer, the
    Tandem page no longer offers it, and nothing counts in the satisfaction figures."""
    from accounts.tests.factories import StaffFactory

    with at(30):
        services.checkins_send()
    mine = CheckIn.objects.get(user=tandem.mentee.user)
    url = link(mine)
    with at(40):
        services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
        tandem.refresh_from_db()
        assert services.checkin_open(tandem=tandem, user=tandem.mentee.user) is None
        for who in (None, tandem.mentee.user):
            if who:
                client.force_login(who)
            page = client.post(url, answers(tandem, rating="1"))
            assert page.status_code == 200 and "diese Kurzbefragung ist geschlossen" in page.content.decode()
        assert "Kurzbefragung öffnen" not in client.get(reverse("matching:tandem_detail", args=[tandem.pk])
                                                        ).content.decode()
        with pytest.raises(services.MatchingError):
            services.checkin_answer(checkin=mine, user=tandem.mentee.user, rating=1, met=False,
                                    progress={topic(s).pk: "underway" for s in ("haushalt", "hitzeaktionsplan")})
    mine.refresh_from_db()
    assert mine.answered_at is None and mine.rating is None

def test_the_link_does_not_work_after_expiry(client, tandem):
    with at(30):
        services.checkins_send()
    url = link(CheckIn.objects.get(user=tandem.mentee.user))
    with at(30 + services.TOKEN_DAYS + 1):
        assert client.get(url).status_code == 403
        assert client.post(url, answers(tandem)).status_code == 403
    assert not CheckIn.objects.filter(answered_at__isnull=False).exists()


def test_a_token_opens_neither_another_persons_nor_another_kurzbefragung(client, tandem):
    with at(30):
        services.checkins_send()
    mine = CheckIn.objects.get(user=tandem.mentee.user)
    partners = CheckIn.objects.get(user=tandem.mentor.user)
    token = link(mine).split("token=")[1]
    with at(31):
        other_person = reverse("matching:checkin", args=[tandem.pk, partners.pk]) + f"?token={token}"
        assert client.get(other_person).status_code == 403
        assert client.post(other_person, answers(tandem)).status_code == 403
    with at(90):
        services.checkins_send()
    later = CheckIn.objects.get(user=tandem.mentee.user, number=2)
    with at(91):
        assert client.get(reverse("matching:checkin", args=[tandem.pk, later.pk]) + f"?token={token}"
                          ).status_code == 403
        forged = reverse("matching:checkin", args=[tandem.pk, mine.pk]) + "?token=" + token[:-2] + "xx"
        assert client.get(forged).status_code == 403
    assert not CheckIn.objects.filter(answered_at__isnull=False).exists()


def test_a_link_tells_nobody_which_kurzbefragungen_exist(client, tandem):
    with at(30):
        services.checkins_send()
    existing = CheckIn.objects.get(user=tandem.mentee.user)
    with at(31):
        answers_for = [client.get(reverse("matching:checkin", args=[pk, checkin_pk]) + "?token=abc")
                       for pk, checkin_pk in ((tandem.pk, existing.pk), (tandem.pk, existing.pk + 999),
                                              (tandem.pk + 999, existing.pk))]
    assert {response.status_code for response in answers_for} == {403}
    assert all("Dieser Link gilt nicht mehr" in response.content.decode() for response in answers_for)


def test_after_login_the_form_opens_for_its_person_and_the_partner_gets_404(client, tandem):
    with at(30):
        services.checkins_send()
    mine = CheckIn.objects.get(user=tandem.mentee.user)
    url = reverse("matching:checkin", args=[tandem.pk, mine.pk])
    with at(31):
        assert client.get(url).status_code == 302, "anonymous without token: to the login"
        client.force_login(tandem.mentor.user)
        assert client.get(url).status_code == 404
        client.force_login(tandem.mentee.user)
        assert "Kurzbefragung öffnen" in client.get(reverse("matching:tandem_detail", args=[tandem.pk])
                                                    ).content.decode()
        assert client.post(url, {"rating": "9"}).status_code == 400
        assert client.post(url, answers(tandem)).status_code == 302
        assert "beantwortet" in client.get(url).content.decode()
        client.force_login(tandem.mentor.user)
        detail = client.get(reverse("matching:tandem_detail", args=[tandem.pk])).content.decode()
        assert "Läuft" not in detail


def answer(checkin, *, rating=4, met=True, state="underway"):
    progress = {goal["topic"]: state for goal in services.checkin_goals(checkin)}
    services.checkin_answer(checkin=checkin, user=checkin.user, rating=rating, met=met, progress=progress)


def reasons(tandem):
    return dict(services.tandems_at_risk_page()[0]).get(tandem, [])


def test_low_rating_puts_the_tandem_at_risk(tandem):
    with at(30):
        services.checkins_send()
        answer(CheckIn.objects.get(user=tandem.mentee.user), rating=2)
        assert any("niedrige Bewertung" in r for r in reasons(tandem))


def test_two_kurzbefragungen_without_meeting_put_it_at_risk(tandem):
    with at(30):
        services.checkins_send()
        answer(CheckIn.objects.get(user=tandem.mentor.user), met=False)
        assert not any("ohne Treffen" in r for r in reasons(tandem))
    with at(90):
        services.checkins_send()
        answer(CheckIn.objects.get(user=tandem.mentor.user, number=2), met=False)
        assert any("ohne Treffen" in r for r in reasons(tandem))


def test_no_goal_moving_for_90_days_puts_it_at_risk(tandem):
    with at(30):
        services.checkins_send()
        answer(CheckIn.objects.get(user=tandem.mentee.user), state="underway")
    with at(90):
        services.checkins_send()
        answer(CheckIn.objects.get(user=tandem.mentee.user, number=2), state="underway")
    with at(110):
        assert not any("kein Ziel" in r for r in reasons(tandem)), "moved at day 30, 80 days ago"
    with at(125):
        assert any("kein Ziel" in r for r in reasons(tandem))


def test_answers_are_in_the_export_and_go_with_the_account(tandem):
    with at(30):
        services.checkins_send()
        answer(CheckIn.objects.get(user=tandem.mentee.user), rating=5)
    data = services.personal_data(user=tandem.mentee.user)
    assert data["kurzbefragungen"][0]["wie_gut_1_bis_5"] == 5
    assert "kurzbefragungen" not in services.personal_data(user=tandem.mentor.user) or all(
        row["wie_gut_1_bis_5"] is None for row in services.personal_data(user=tandem.mentor.user)["kurzbefragungen"])
    mentee_pk = tandem.mentee.user.pk
    user_delete(user=tandem.mentee.user)
    assert not CheckIn.objects.filter(user_id=mentee_pk).exists() and CheckIn.objects.count() == 1
    assert list(OutboxMessage.objects.filter(key__startswith="tandem-survey:").values_list("to", flat=True)) == [
        tandem.mentor.user.email], "the erased person's mail with its link is gone, the partner's stays"


def test_the_mailed_link_is_sealed_in_the_outbox(client, tandem):
    """The link answers the Kurzbefragung as the person without a login: staff reading the outbox see that it was
    sent, not the link (as with the keys to an account)."""
    from accounts.tests.factories import staff_member

    with at(30):
        services.checkins_send()
    mail = OutboxMessage.objects.get(key__startswith="tandem-survey:", to=tandem.mentee.user.email)
    assert mail.purge_after_send
    client.force_login(staff_member("Koordination", email="k@example.org"))
    page = client.get(reverse("admin:mentoring_outboxmessage_change", args=[mail.pk])).content.decode()
    assert "token=" not in page and "Zugangs-Link" in page
