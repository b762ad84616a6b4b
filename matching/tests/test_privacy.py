"""Personal data in matching: erasure keeps the partner's record, contact data only while shared, full export."""
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Consent
from accounts.services import consent_withdraw, user_delete, user_export
from accounts.tests.factories import StaffFactory, participant
from matching import selectors, services
from matching.models import Meeting, MeetingNote, PairRule, ProblemReport, Proposal, Tandem
from matching.services.decisions import _mail_confirmed
from mentoring.kernel.models import OutboxMessage
from mentoring.kernel.privacy import FORMER_PARTICIPANT

from .factories import MatchRunFactory, ProposalFactory, TandemFactory, covers_haushalt

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
FORMER = str(FORMER_PARTICIPANT)


@pytest.fixture
def tandem(mentee, mentor):
    return TandemFactory(mentee=mentee.profile, mentor=mentor.profile, days_ago=400)


def confirmed(tandem, author, reviewer, day, minutes, note=""):
    meeting = services.meeting_log(tandem=tandem, by=author, date=datetime.date(YEAR, 1, day),
                                   duration_minutes=minutes, format="online", note=note)
    return services.meeting_confirm(meeting=meeting, by=reviewer)


def test_deleting_the_mentee_keeps_the_mentors_tandem_meetings_and_minutes(client, tandem, mentee, mentor):
    confirmed(tandem, mentor, mentee, 5, 480, note="Notiz der Mentorin")
    confirmed(tandem, mentee, mentor, 6, 30, note="Notiz des Mentees")
    services.problem_report(tandem=tandem, by=mentor, kind="problem", text="Bericht der Mentorin")
    services.problem_report(tandem=tandem, by=mentee, kind="problem", text="Bericht des Mentees")
    assert services.mentoring_time(profile=mentor.profile, year=YEAR)["minutes"] == 510
    email, name = mentee.email, mentee.get_full_name()
    _mail_confirmed(tandem=tandem)
    Tandem.objects.filter(pk=tandem.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=40))
    assert services.tandem_reminders()["quiet"] == 2
    assert OutboxMessage.objects.filter(body_text__contains="Bericht des Mentees").exists()

    user_delete(user=mentee)

    tandem.refresh_from_db()
    assert tandem.mentee is None and tandem.status == Tandem.Status.ENDED
    assert services.mentoring_time(profile=mentor.profile, year=YEAR)["minutes"] == 510
    assert Meeting.objects.filter(tandem=tandem).count() == 2
    assert list(MeetingNote.objects.values_list("text", flat=True)) == ["Notiz der Mentorin"]
    assert list(ProblemReport.objects.values_list("text", flat=True)) == ["Bericht der Mentorin"]
    for mail in OutboxMessage.objects.filter(key__startswith="tandem-"):
        assert email not in str(mail.__dict__) and name not in str(mail.__dict__), mail.key
        assert "Bericht des Mentees" not in mail.body_text
    assert OutboxMessage.objects.filter(key__startswith="tandem-ended:", to=mentor.email).exists()
    client.force_login(mentor)
    for url in (reverse("matching:tandem_list"), reverse("matching:tandem_detail", args=[tandem.pk])):
        page = client.get(url).content.decode()
        assert FORMER in page and name not in page and email not in page, url
    pdf = client.get(reverse("matching:statement_pdf", args=[YEAR])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert FORMER in text and "8,50 Stunden" in text and name not in text
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get(reverse("admin:matching_tandem_change", args=[tandem.pk])).content.decode()
    assert FORMER in page and name not in page
    assert client.get(reverse("admin:matching_tandem_changelist")).status_code == 200


def test_deleting_the_mentor_keeps_the_mentees_tandem_and_confirms_the_open_entries(client, tandem, mentee, mentor):
    meeting = services.meeting_log(tandem=tandem, by=mentor, date=datetime.date(YEAR, 1, 5), duration_minutes=60,
                                   format="online")
    user_delete(user=mentor)
    meeting.refresh_from_db()
    assert meeting.logged_by is None
    client.force_login(mentee)
    page = client.get(reverse("matching:tandem_detail", args=[tandem.pk])).content.decode()
    assert FORMER in page
    assert client.post(reverse("matching:meeting_confirm", args=[tandem.pk, meeting.pk])).status_code == 302
    assert Meeting.objects.get().status == Meeting.Status.CONFIRMED


def test_erasure_removes_proposals_pair_rules_and_run_summary_names(client, staff_user, mentee):
    other_mentee = participant(needs=["haushalt"])
    run = services.match_run_start(by=staff_user)  # nobody to match: both mentees stay unmatched
    assert mentee.get_full_name() not in json.dumps(run.summary)
    mentor = participant(mentor=True, competences=["haushalt"])
    ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory())
    PairRule.objects.create(mentee=mentee.profile, mentor=mentor.profile, kind="exclude", note="kennen sich")
    client.force_login(staff_user)
    proposals_url = reverse("admin:matching_matchrun_proposals", args=[run.pk])
    assert mentee.get_full_name() in client.get(proposals_url).content.decode()
    name = mentee.get_full_name()
    user_delete(user=mentee)
    assert not Proposal.objects.filter(mentor=mentor.profile).exists() and not PairRule.objects.exists()
    page = client.get(proposals_url).content.decode()
    assert name not in page and FORMER in page and other_mentee.get_full_name() in page


@pytest.mark.parametrize("withdrawn", ["mentee:programme", "mentee:partner_sharing", "mentor:programme",
                                       "mentor:partner_sharing", "ended", "mentor:deactivated"])
def test_contact_data_only_while_both_consents_hold_and_the_tandem_is_active(client, tandem, mentee, mentor,
                                                                             withdrawn):
    mentor.profile.phone = "0561 99"
    mentor.profile.save()
    client.force_login(mentee)
    detail = reverse("matching:tandem_detail", args=[tandem.pk])
    page = client.get(detail).content.decode()
    assert mentor.email in page and "0561 99" in page and mentor.profile.organisation.name in page
    assert "Bedarfen ab" in page
    assert selectors.contact_visible(tandem)
    if withdrawn == "ended":
        Tandem.objects.filter(pk=tandem.pk).update(status=Tandem.Status.ENDED, ended_at=timezone.now())
    elif withdrawn == "mentor:deactivated":  # accounts.rules.shares_contact: an inactive account shares nothing
        type(mentor).objects.filter(pk=mentor.pk).update(is_active=False)
    else:
        side, purpose = withdrawn.split(":")
        user = mentee if side == "mentee" else mentor
        Consent.objects.filter(user=user, purpose=purpose).update(withdrawn_at=timezone.now())
    for url in (detail, reverse("matching:tandem_list")):
        page = client.get(url).content.decode()
        assert mentor.email not in page and "0561 99" not in page, url
        assert mentor.profile.organisation.name not in page and "Bedarfen ab" not in page, url
    assert "werden nicht mehr geteilt" in client.get(detail).content.decode()
    tandem.refresh_from_db()
    assert not selectors.contact_visible(tandem)


def test_why_they_match_is_shared_like_the_contact_data_and_staff_read_it_always(client, tandem, mentee):
    from accounts.tests.factories import staff_member

    Tandem.objects.filter(pk=tandem.pk).update(reasons=covers_haushalt())
    detail = reverse("matching:tandem_detail", args=[tandem.pk])
    client.force_login(mentee)
    assert "Warum Sie zusammenpassen" in client.get(detail).content.decode()
    Tandem.objects.filter(pk=tandem.pk).update(status=Tandem.Status.ENDED, ended_at=timezone.now())
    assert "Warum Sie zusammenpassen" not in client.get(detail).content.decode()
    client.force_login(staff_member("Koordination", email="k@example.org"))
    assert "Warum Sie zusammenpassen" in client.get(detail).content.decode()


def test_reminders_go_out_only_while_contact_data_may_be_shared(tandem, mentee):
    Tandem.objects.filter(pk=tandem.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=40))
    Consent.objects.filter(user=mentee, purpose=Consent.Purpose.PROGRAMME).update(withdrawn_at=timezone.now())
    assert services.tandem_reminders() == {"quiet": 0, "funding": 0}
    Consent.objects.filter(user=mentee).update(withdrawn_at=None)
    assert services.tandem_reminders()["quiet"] == 2


def test_export_holds_every_matching_row_that_names_the_person(tandem, mentee, mentor, staff_user):
    Tandem.objects.filter(pk=tandem.pk).update(message="Willkommen im Tandem", end_reason="Ziel erreicht")
    confirmed(tandem, mentee, mentor, 5, 60, note="meine Notiz")
    meeting = confirmed(tandem, mentor, mentee, 6, 90, note="Notiz der Mentorin")
    services.meeting_note_set(meeting=meeting, by=mentee, text="meine zweite Notiz")
    services.problem_report(tandem=tandem, by=mentee, kind="problem", text="mein Bericht")
    services.problem_report(tandem=tandem, by=mentor, kind="problem", text="Bericht der Mentorin")
    ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory(), decision_note="passt")
    never_met = participant(mentor=True, user__first_name="Nie", user__last_name="Vermittelt")
    ProposalFactory(mentee=mentee.profile, mentor=never_met.profile, run=MatchRunFactory(), status="rejected")
    PairRule.objects.create(mentee=mentee.profile, mentor=never_met.profile, kind="exclude",
                            note="kennen sich privat")
    data = user_export(user=mentee)["matching"]
    text = json.dumps(data, ensure_ascii=False)
    for expected in ("Willkommen im Tandem", "Ziel erreicht", "meine Notiz", "meine zweite Notiz", "mein Bericht",
                     "kennen sich privat", "passt"):
        assert expected in text, expected
    assert "Notiz der Mentorin" not in text and "Bericht der Mentorin" not in text
    # Someone proposed or excluded but never the partner stays unnamed in the copy (Art. 15 (4) DSGVO).
    assert "Vermittelt" not in text and "eine andere Person des Programms" in text
    assert {v["partner_in"] for v in data["vorschlaege"]} == {str(mentor), "eine andere Person des Programms"}
    assert len(data["tandems"]) == Tandem.objects.filter(mentee=mentee.profile).count()
    assert len(data["tandems"][0]["treffen"]) == Meeting.objects.filter(tandem__mentee=mentee.profile).count()
    assert len(data["meldungen"]) == ProblemReport.objects.filter(reported_by=mentee).count()
    assert len(data["vorschlaege"]) == Proposal.objects.filter(mentee=mentee.profile).count()
    assert len(data["festlegungen_und_ausschluesse"]) == PairRule.objects.filter(mentee=mentee.profile).count()


def test_export_gives_why_the_pair_matched_only_while_the_partners_data_may_be_shared(tandem, mentee, mentor):
    """The reasons name the partner's competences, Bundesland and organisation: once the partner withdraws the
    consent to share them, the copy leaves them out, as the Tandem page does."""
    Tandem.objects.filter(pk=tandem.pk).update(reasons=covers_haushalt())
    ProposalFactory(mentee=mentee.profile, mentor=mentor.profile, run=MatchRunFactory(), reasons=covers_haushalt())
    before = user_export(user=mentee)["matching"]
    assert before["tandems"][0]["gruende"] and before["vorschlaege"][0]["gruende"]
    consent_withdraw(user=mentor, purpose=Consent.Purpose.PARTNER_SHARING)
    after = user_export(user=mentee)["matching"]
    assert after["tandems"][0]["gruende"] == [] and after["vorschlaege"][0]["gruende"] == []


def test_an_english_export_writes_its_values_in_english(tandem, mentee, mentor):
    """Topics, sides and who entered what follow the export's language, as the Tandem page does."""
    from django.utils import translation

    from accounts.tests.factories import topic

    meeting = confirmed(tandem, mentee, mentor, 5, 60)
    meeting.topics.set([topic("foerdermittel")])
    never_met = participant(mentor=True)
    ProposalFactory(mentee=mentee.profile, mentor=never_met.profile, run=MatchRunFactory(), status="rejected")
    with translation.override("en"):
        data = user_export(user=mentee)["matching"]
        label = topic("foerdermittel").label
    [row] = data["tandems"][0]["treffen"]
    assert row["themen"] == [label] and label != topic("foerdermittel").name
    assert row["eingetragen_von"] == "You" and data["tandems"][0]["rolle"] == "Mentee"
    assert {v["partner_in"] for v in data["vorschlaege"]} == {"another person in the programme"}


def test_export_names_the_certificate_of_an_ended_tandem_with_its_issue(tandem, mentee, mentor):
    assert user_export(user=mentee)["matching"]["tandems"][0]["teilnahmebescheinigung"] is None
    services.tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.PLANNED_END, notify=False)
    tandem.refresh_from_db()
    services.certificate_reissue(tandem=tandem, by=StaffFactory())
    tandem.refresh_from_db()
    [row] = user_export(user=mentee)["matching"]["tandems"]
    assert row["teilnahmebescheinigung"] == {
        "fassung": 2, "ausgestellt_am": timezone.localtime(tandem.certificate_issued_at).isoformat()}
