"""The Tandem record: one entry per meeting, confirmed or corrected by the partner, private notes, counted once."""
import datetime
import io

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import topic
from matching import selectors, services
from matching.models import Meeting, MeetingNote, ProblemReport

from .factories import TandemFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def tandem(mentee, mentor):
    return TandemFactory(mentee=mentee.profile, mentor=mentor.profile, days_ago=60)


def url(name, tandem, meeting=None):
    return reverse(f"matching:{name}", args=[tandem.pk] + ([meeting.pk] if meeting else []))


def log(tandem, user, *, minutes=480, date=TODAY, note=""):
    return services.meeting_log(tandem=tandem, by=user, date=date, duration_minutes=minutes, format="onsite",
                                topics=[topic("haushalt")], note=note)


def minutes_of(tandem):
    return services.mentoring_time(profile=tandem.mentor, year=TODAY.year)["minutes"]


def test_the_partner_cannot_log_the_same_workshop_again(client, tandem, mentee, mentor):
    log(tandem, mentor)
    client.force_login(mentee)
    response = client.post(url("meeting_create", tandem), {
        "date": TODAY.isoformat(), "duration_minutes": "480", "format": "onsite"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Für diesen Tag ist schon ein Treffen eingetragen" in page
    assert 'id="error_1_id_date"' in page or "invalid-feedback" in page
    assert Meeting.objects.count() == 1


def test_only_confirmed_meetings_count_and_each_once(client, tandem, mentee, mentor):
    meeting = log(tandem, mentor)
    assert minutes_of(tandem) == 0
    client.force_login(mentee)
    page = client.get(url("tandem_detail", tandem)).content.decode()
    assert "offen" in page and url("meeting_confirm", tandem, meeting) in page
    assert client.post(url("meeting_confirm", tandem, meeting)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED and meeting.reviewed_by == mentee
    assert minutes_of(tandem) == 480
    client.force_login(mentor)
    page = client.get(url("tandem_detail", tandem)).content.decode()
    assert "1 bestätigtes Treffen, zusammen 480 Minuten" in page and "bestätigt" in page
    pdf = client.get(reverse("matching:statement_pdf", args=[TODAY.year])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "8,00 Stunden = 1,00 Tage" in text and text.count(TODAY.strftime("%d.%m.%Y")) == 2  # row + date created


def test_an_entry_counts_as_confirmed_after_the_period_without_objection(tandem, mentor, mentee):
    log(tandem, mentor, date=TODAY - datetime.timedelta(days=1))
    disputed = log(tandem, mentor, date=TODAY - datetime.timedelta(days=2), minutes=60)
    services.meeting_object(meeting=disputed, by=mentee)
    assert minutes_of(tandem) == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=settings.MEETING_CONFIRM_DAYS, hours=1)):
        assert minutes_of(tandem) == 480  # the disputed one never counts by itself


def test_the_partner_corrects_and_the_correction_counts(client, tandem, mentee, mentor):
    meeting = log(tandem, mentor, note="Notiz der Mentorin")
    client.force_login(mentee)
    page = client.get(url("meeting_detail", tandem, meeting)).content.decode()
    assert "Korrigiert bestätigen" in page and "Notiz der Mentorin" not in page
    response = client.post(url("meeting_change", tandem, meeting), {
        "date": TODAY.isoformat(), "duration_minutes": "240", "format": "online",
        "topics": [topic("steuerungskreis").pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.duration_minutes, meeting.format) == (Meeting.Status.CORRECTED, 240, "online")
    assert [t.slug for t in meeting.topics.all()] == ["steuerungskreis"]
    assert minutes_of(tandem) == 240
    assert "korrigiert" in client.get(url("tandem_detail", tandem)).content.decode()
    client.force_login(mentor)  # the author can no longer change what the partner corrected
    response = client.post(url("meeting_change", tandem, meeting), {
        "date": TODAY.isoformat(), "duration_minutes": "600", "format": "online"})
    assert response.status_code == 400 and "kann nicht mehr geändert werden" in response.content.decode()
    assert Meeting.objects.get().duration_minutes == 240


def test_correction_errors_are_german_next_to_the_field(client, tandem, mentee, mentor):
    meeting = log(tandem, mentor)
    client.force_login(mentee)
    response = client.post(url("meeting_change", tandem, meeting), {
        "date": "31.02.2026", "duration_minutes": "²", "format": "online"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "gültiges Datum" in page and "ganze Zahl" in page
    assert Meeting.objects.get().status == Meeting.Status.OPEN


def test_author_edits_within_the_window_and_not_after(client, tandem, mentor, mentee):
    meeting = log(tandem, mentor)
    client.force_login(mentor)
    page = client.get(url("meeting_detail", tandem, meeting)).content.decode()
    assert f"{settings.MEETING_EDIT_WINDOW_DAYS} Tage nach dem Eintragen" in page
    data = {"date": (TODAY - datetime.timedelta(days=1)).isoformat(), "duration_minutes": "420", "format": "onsite"}
    assert client.post(url("meeting_change", tandem, meeting), data).status_code == 302
    assert Meeting.objects.get().duration_minutes == 420
    later = timezone.now() + datetime.timedelta(days=settings.MEETING_EDIT_WINDOW_DAYS, hours=1)
    with time_machine.travel(later):
        client.force_login(mentor)
        response = client.post(url("meeting_change", tandem, meeting), {**data, "duration_minutes": "600"})
        assert response.status_code == 400 and "Frist für Änderungen" in response.content.decode()
        assert client.post(url("meeting_delete", tandem, meeting)).status_code == 302
    assert Meeting.objects.get().duration_minutes == 420


def test_author_deletes_within_the_window_partner_cannot(client, tandem, mentor, mentee):
    meeting = log(tandem, mentor, note="privat")
    client.force_login(mentee)
    client.post(url("meeting_delete", tandem, meeting))
    assert Meeting.objects.exists()
    client.force_login(mentor)
    client.post(url("meeting_confirm", tandem, meeting))  # nobody confirms their own entry
    assert Meeting.objects.get().status == Meeting.Status.OPEN
    # One click deleted the entry and the private note on it: the first asks, the confirmation deletes.
    page = client.post(url("meeting_delete", tandem, meeting))
    assert page.status_code == 200 and Meeting.objects.exists()
    text = " ".join(page.content.decode().split())
    assert "Eintrag löschen?" in text and "Ihre private Notiz zu diesem Treffen wird mit gelöscht." in text
    assert 'name="confirmed" value="yes"' in text
    assert client.post(url("meeting_delete", tandem, meeting), {"confirmed": "yes"}).status_code == 302
    assert not Meeting.objects.exists() and not MeetingNote.objects.exists()


def test_once_the_tandem_ended_its_entries_are_final(client, tandem, mentor, mentee):
    """Nothing new is logged after the end, and nothing logged is changed either: an open entry can no longer be
    edited, corrected to a later day or deleted, through the pages or the services. The partner may still confirm
    it as it stands, or object to it (test below)."""
    from accounts.tests.factories import StaffFactory

    meeting = log(tandem, mentor, minutes=60)
    services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    data = {"date": TODAY.isoformat(), "duration_minutes": "600", "format": "onsite"}
    client.force_login(mentor)
    page = client.get(url("meeting_detail", tandem, meeting)).content.decode()
    assert "Das Tandem ist beendet" in page and url("meeting_change", tandem, meeting) not in page
    assert client.post(url("meeting_change", tandem, meeting), data).status_code == 400
    client.post(url("meeting_delete", tandem, meeting))
    client.force_login(mentee)
    page = client.get(url("meeting_detail", tandem, meeting)).content.decode()
    assert url("meeting_change", tandem, meeting) not in page and url("meeting_object", tandem, meeting) in page
    assert client.post(url("meeting_change", tandem, meeting), data).status_code == 400
    for call in (lambda: services.meeting_correct(meeting=meeting, by=mentee, date=TODAY, duration_minutes=600,
                                                  format="onsite", topics=[]),
                 lambda: services.meeting_delete(meeting=meeting, by=mentor),
                 lambda: services.meeting_edit(meeting=meeting, by=mentor, date=TODAY, duration_minutes=600,
                                               format="onsite", topics=[])):
        with pytest.raises(services.MatchingError):
            call()
    stored = Meeting.objects.get()
    assert (stored.status, stored.duration_minutes) == (Meeting.Status.OPEN, 60)
    assert url("meeting_confirm", tandem, meeting) in page
    assert client.post(url("meeting_confirm", tandem, meeting)).status_code == 302
    assert Meeting.objects.get().status == Meeting.Status.CONFIRMED
    # The private note stays the member's own to keep.
    assert client.post(url("meeting_note", tandem, meeting), {"text": "Nachlese"}).status_code == 302


def test_after_the_end_the_partner_still_objects_to_an_open_entry_which_then_never_counts(tandem, mentor, mentee):
    """An open entry counts after MEETING_CONFIRM_DAYS without an answer; after the end the partner could only
    confirm, so a 10-hour entry logged just before it counted whatever they thought of it."""
    from accounts.tests.factories import StaffFactory

    meeting = log(tandem, mentor, minutes=600)
    services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    services.meeting_object(meeting=meeting, by=mentee)
    later = timezone.now() + datetime.timedelta(days=settings.MEETING_CONFIRM_DAYS + 1)
    with time_machine.travel(later):
        assert not Meeting.objects.filter(selectors.counted(), pk=meeting.pk).exists()
        with pytest.raises(services.MatchingError):  # nor is it changed by its author any more
            services.meeting_edit(meeting=meeting, by=mentor, date=TODAY, duration_minutes=60, format="online")
    # ... and the author's mail says so, rather than asking them to change or delete it.
    from mentoring.kernel.models import OutboxMessage

    [mail] = OutboxMessage.objects.filter(to=mentor.email, subject__contains="widersprochen")
    text = " ".join(mail.body_text.split())
    assert "Das Tandem ist beendet, der Eintrag bleibt so und zählt nicht" in text
    assert "ändern oder löschen" not in text


def test_after_an_objection_the_author_fixes_the_entry(tandem, mentor, mentee):
    meeting = log(tandem, mentor)
    services.meeting_object(meeting=meeting, by=mentee)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=settings.MEETING_EDIT_WINDOW_DAYS + 1)):
        services.meeting_edit(meeting=meeting, by=mentor, date=TODAY, duration_minutes=120, format="online")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN and meeting.duration_minutes == 120


def test_after_objecting_the_partner_reads_that_the_entry_does_not_count_not_the_day_it_would(
        client, tandem, mentor, mentee):
    meeting = log(tandem, mentor)
    client.force_login(mentee)
    assert "Ohne Widerspruch zählt es ab dem" in client.get(url("meeting_detail", tandem, meeting)).content.decode()
    services.meeting_object(meeting=meeting, by=mentee)
    page = " ".join(client.get(url("meeting_detail", tandem, meeting)).content.decode().split())
    assert "Ohne Widerspruch" not in page
    assert "Sie haben diesem Eintrag widersprochen; er zählt nicht" in page
    assert selectors.with_state(Meeting.objects.filter(pk=meeting.pk)).get().state == Meeting.Status.DISPUTED


def test_the_partner_hears_of_each_new_or_changed_entry_with_the_day_it_counts_without_an_answer(
        tandem, mentor, mentee):
    """Silence counts as confirmation after MEETING_CONFIRM_DAYS, yet the partner was never told of an entry."""
    from mentoring.kernel.models import OutboxMessage

    meeting = log(tandem, mentor, minutes=600)
    [mail] = OutboxMessage.objects.filter(key__startswith=f"meeting-logged:{meeting.pk}:")
    assert mail.to == mentee.email and mail.subject == "Ihr Tandem: Ein Treffen wurde eingetragen"
    counts_from = services.meeting_counts_from(meeting).astimezone(timezone.get_current_timezone())
    text = " ".join(mail.body_text.split())
    assert "(600 Minuten)" in text and f"ab dem {counts_from:%d.%m.%Y}" in text
    assert not OutboxMessage.objects.filter(to=mentor.email, key__startswith="meeting-logged:").exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        services.meeting_edit(meeting=meeting, by=mentor, date=TODAY, duration_minutes=90, format="online")
    assert OutboxMessage.objects.filter(to=mentee.email,
                                        subject="Ihr Tandem: Ein eingetragenes Treffen wurde geändert").count() == 1


def test_the_author_hears_of_a_correction_which_counts_as_the_partner_wrote_it(tandem, mentor, mentee):
    """A correction changes day and duration and counts at once: the author was never told."""
    from mentoring.kernel.models import OutboxMessage

    meeting = log(tandem, mentor, minutes=600)
    yesterday = TODAY - datetime.timedelta(days=1)
    services.meeting_correct(meeting=meeting, by=mentee, date=yesterday, duration_minutes=90, format="online")
    [mail] = OutboxMessage.objects.filter(to=mentor.email)
    assert mail.subject == "Ihr Tandem: Ein eingetragenes Treffen wurde korrigiert"
    text = " ".join(mail.body_text.split())
    assert f"jetzt am {yesterday:%d.%m.%Y}, 90 Minuten" in text and "So zählt er" in text
    assert reverse("matching:meeting_detail", args=[tandem.pk, meeting.pk]) in mail.body_text


def test_the_author_hears_of_each_objection_in_their_language(tandem, mentor, mentee):
    """An objection waited, uncounted, until the author happened to open the entry: nobody told them."""
    from mentoring.kernel.models import OutboxMessage

    mentor.language = "en"
    mentor.save(update_fields=["language"])
    meeting = log(tandem, mentor, minutes=90)
    services.meeting_object(meeting=meeting, by=mentee)
    [mail] = OutboxMessage.objects.filter(key__startswith=f"meeting-disputed:{meeting.pk}:")
    assert mail.to == mentor.email
    assert "90 minutes" in mail.body_text and "does not count" in mail.body_text
    assert reverse("matching:meeting_detail", args=[tandem.pk, meeting.pk]) in mail.body_text
    assert not OutboxMessage.objects.filter(to=mentee.email, key__startswith="meeting-disputed:").exists()
    # Changed and objected to again: a second mail, not swallowed by the first one's key.
    services.meeting_edit(meeting=meeting, by=mentor, date=TODAY, duration_minutes=60, format="online")
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        services.meeting_object(meeting=meeting, by=mentee)
    assert OutboxMessage.objects.filter(key__startswith=f"meeting-disputed:{meeting.pk}:").count() == 2


def test_each_side_keeps_a_private_note_the_other_never_sees(client, tandem, mentee, mentor):
    meeting = log(tandem, mentor, note="Notiz der Mentorin")
    client.force_login(mentee)
    assert client.post(url("meeting_note", tandem, meeting), {"text": "Notiz des Mentees"}).status_code == 302
    for user, own, other in ((mentee, "Notiz des Mentees", "Notiz der Mentorin"),
                             (mentor, "Notiz der Mentorin", "Notiz des Mentees")):
        client.force_login(user)
        for page in (client.get(url("tandem_detail", tandem)), client.get(url("meeting_detail", tandem, meeting))):
            assert own in page.content.decode() and other not in page.content.decode()
    client.force_login(mentee)
    client.post(url("meeting_note", tandem, meeting), {"text": " "})
    assert list(MeetingNote.objects.values_list("text", flat=True)) == ["Notiz der Mentorin"]


def test_tandem_page_query_count_is_flat_with_states_and_notes(client, tandem, mentee, mentor):
    client.force_login(mentee)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("tandem_detail", tandem)).status_code == 200
        return len(ctx.captured_queries)

    days = iter(range(60))

    def entries():
        for author, reviewer in ((mentor, mentee), (mentee, mentor)):
            meeting = log(tandem, author, date=TODAY - datetime.timedelta(days=next(days)), note="n")
            services.meeting_note_set(meeting=meeting, by=reviewer, text="m")
            services.meeting_confirm(meeting=meeting, by=reviewer)

    entries()
    count()
    few = count()
    for _ in range(5):
        entries()
    assert count() == few


@pytest.mark.django_db(transaction=True)
def test_data_migration_merges_double_entries_and_keeps_notes_private():
    from django.db.migrations.executor import MigrationExecutor

    from accounts.tests.factories import participant

    # The people first, with today's models: going back also takes back later migrations of other apps.
    mentee, mentor = participant(needs=["haushalt"]), participant(mentor=True)
    executor = MigrationExecutor(connection)
    executor.migrate([("matching", "0002_meeting_confirmation_notes_tandem_survives_erasure")])
    try:
        old = executor.loader.project_state(
            [("matching", "0002_meeting_confirmation_notes_tandem_survives_erasure")]).apps
        Tandem, Meeting_, MatchRun = (old.get_model("matching", n) for n in ("Tandem", "Meeting", "MatchRun"))
        Topic = old.get_model("accounts", "Topic")
        tandem = Tandem.objects.create(mentee_id=mentee.profile.pk, mentor_id=mentor.profile.pk)
        day = datetime.date(2026, 3, 4)
        first = Meeting_.objects.create(tandem=tandem, logged_by_id=mentor.pk, date=day, duration_minutes=480,
                                        format="onsite", note="Sicht der Mentorin")
        first.topics.add(Topic.objects.get(slug="haushalt"))
        second = Meeting_.objects.create(tandem=tandem, logged_by_id=mentee.pk, date=day, duration_minutes=420,
                                         format="online", note="Sicht des Mentees")
        second.topics.add(Topic.objects.get(slug="steuerungskreis"))
        alone = Meeting_.objects.create(tandem=tandem, logged_by_id=mentor.pk, date=datetime.date(2026, 3, 10),
                                        duration_minutes=60, format="online", note="")
        MatchRun.objects.create(summary={"unmatched": [{"mentee": mentee.profile.pk, "name": "Erika Muster",
                                                        "reason": "x"}]})
    finally:  # whatever happened, the tests after this one find today's schema
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    from matching.models import MatchRun as CurrentRun

    merged = Meeting.objects.get(date=day)
    assert Meeting.objects.count() == 2 and merged.pk == first.pk
    assert (merged.duration_minutes, merged.format, merged.status) == (480, "onsite", Meeting.Status.CONFIRMED)
    assert merged.reviewed_by_id == mentee.pk
    assert {t.slug for t in merged.topics.all()} == {"haushalt", "steuerungskreis"}
    assert dict(merged.notes.values_list("author_id", "text")) == {mentor.pk: "Sicht der Mentorin",
                                                                   mentee.pk: "Sicht des Mentees"}
    assert Meeting.objects.get(pk=alone.pk).status == Meeting.Status.OPEN
    assert "Erika Muster" not in str(CurrentRun.objects.get().summary)


@pytest.mark.parametrize(("name", "data", "field", "message"), [
    ("meeting_create", {"date": "", "duration_minutes": "700", "format": "online"}, "duration_minutes",
     "Ein Treffen dauert höchstens 10 Stunden (600 Minuten)."),
    ("meeting_create", {"duration_minutes": "60", "format": "online"}, "date",
     "Bitte geben Sie an, wann Sie sich getroffen haben."),
    ("report_create", {"kind": "", "text": ""}, "text", "Bitte beschreiben Sie Ihr Anliegen in ein paar Sätzen."),
    # A choice of radio buttons: the link leads to its first option.
    ("report_create", {"kind": "", "text": "Wir finden keinen Termin."}, "kind", "Bitte wählen Sie, worum es geht."),
])
def test_a_form_with_errors_says_at_the_top_which_fields_and_nothing_is_saved(client, tandem, mentee, name, data,
                                                                              field, message):
    """The Tandem page is long: the summary at its top (focused by site.js) names each wrong field and
    links to it, so nobody takes the page that comes back for a saved entry."""
    import re

    client.force_login(mentee)
    response = client.post(url(name, tandem), data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger" role="alert" tabindex="-1" id="fehlerliste">(.*?)</div>',
                        page, re.S)
    assert summary, "no error summary"
    link = re.search(rf'<a href="#(id_[\w-]*{field}(?:_0)?)">', summary.group(1))
    assert link and f'id="{link.group(1)}"' in page, "the summary links to the field"
    assert message in summary.group(1) and page.index('id="fehlerliste"') < page.index('id="treffen"')
    assert not Meeting.objects.exists() and not ProblemReport.objects.exists()



@pytest.mark.parametrize("minutes, wrong", [("30", {"date"}), ("601", {"date", "duration_minutes"})])
def test_a_meeting_before_the_tandem_began_is_refused_next_to_the_date(client, tandem, mentee, minutes, wrong):
    """It would count as time in this Tandem on the Zeitnachweis and the certificate. With a wrong duration too,
    both mistakes show in one round: the form asks the Tandem's start as the service does."""
    started = timezone.localdate(tandem.started_at)
    client.force_login(mentee)
    response = client.post(reverse("matching:meeting_create", args=[tandem.pk]),
                           {"date": (started - datetime.timedelta(days=1)).isoformat(), "duration_minutes": minutes,
                            "format": "online"})
    errors = response.context["meeting_form"].errors
    assert response.status_code == 400 and set(errors) == wrong
    assert "Das Tandem besteht seit dem" in errors["date"][0]
    assert not tandem.meetings.exists()


def test_a_second_entry_on_one_day_and_too_long_a_meeting_show_together(client, tandem, mentee):
    services.meeting_log(tandem=tandem, by=mentee, date=timezone.localdate(), duration_minutes=60, format="online")
    client.force_login(mentee)
    response = client.post(reverse("matching:meeting_create", args=[tandem.pk]),
                           {"date": timezone.localdate().isoformat(), "duration_minutes": "601", "format": "online"})
    errors = response.context["meeting_form"].errors
    assert response.status_code == 400 and set(errors) == {"date", "duration_minutes"}
    assert "Für diesen Tag ist schon ein Treffen eingetragen." in errors["date"][0]
    assert tandem.meetings.count() == 1


def test_the_service_refuses_every_wrong_value_at_once(tandem, mentee):
    started = timezone.localdate(tandem.started_at)
    with pytest.raises(services.MatchingError) as refused:
        services.meeting_log(tandem=tandem, by=mentee, date=started - datetime.timedelta(days=1),
                             duration_minutes=601, format="online")
    assert set(refused.value.errors) == {"date", "duration_minutes"}


def test_the_pages_count_of_meetings_is_the_statements_rule(tandem, mentee):
    """``selectors.COUNTED_STATES`` on the annotated state and ``selectors.counted()`` pick the same meetings."""
    for days, status, age in ((2, "open", 1), (3, "open", 30), (4, "confirmed", 1), (5, "corrected", 1),
                              (6, "disputed", 30)):
        meeting = log(tandem, mentee, minutes=60, date=TODAY - datetime.timedelta(days=days))
        Meeting.objects.filter(pk=meeting.pk).update(status=status,
                                                     submitted_at=timezone.now() - datetime.timedelta(days=age))
    meetings = Meeting.objects.filter(tandem=tandem)
    by_state = set(selectors.with_state(meetings).filter(state__in=selectors.COUNTED_STATES))
    assert by_state == set(meetings.filter(selectors.counted())) and len(by_state) == 3


def test_a_private_note_too_long_says_by_how_much_in_the_programmes_words(client, tandem, mentee):
    client.force_login(mentee)
    response = client.post(reverse("matching:meeting_create", args=[tandem.pk]), {
        "date": timezone.localdate().isoformat(), "duration_minutes": "60", "format": "online", "note": "x" * 1001})
    assert response.context["meeting_form"].errors["note"] == [
        "Bitte kürzen Sie den Text auf höchstens 1000 Zeichen (jetzt sind es 1001)."]


def test_hours_and_days_are_rounded_alike_on_the_page_the_statement_and_the_certificate(client, tandem, mentor,
                                                                                        mentee):
    """555 minutes read "9,2 Stunden" (hours to one place, printed with two, beside days from the exact minutes);
    Django's number_format cut 9,25 on the certificate instead of rounding."""
    from accounts.tests.factories import StaffFactory

    services.meeting_confirm(meeting=log(tandem, mentor, minutes=555), by=mentee)
    client.force_login(mentor)
    assert "9,25 Stunden = 1,16 Tage" in client.get(reverse("matching:tandem_list")).content.decode()
    pdf = client.get(reverse("matching:statement_pdf", args=[TODAY.year])).content
    assert "9,25 Stunden = 1,16 Tage" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    pdf = client.get(reverse("matching:certificate", args=[tandem.pk])).content
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "9,25 Stunden = 1,16 Mentoring-Tage" in text


def test_a_refused_change_names_its_real_reason(tandem, mentor, mentee):
    """One sentence ("confirmed, or the time for changes is over") answered four different refusals."""
    from accounts.tests.factories import StaffFactory

    meeting = log(tandem, mentor)
    with pytest.raises(services.MatchingError, match="Nur wer den Eintrag geschrieben hat"):
        services.meeting_delete(meeting=meeting, by=mentee)
    with pytest.raises(services.MatchingError, match="Auf Ihren eigenen Eintrag antwortet"):
        services.meeting_confirm(meeting=meeting, by=mentor)
    services.tandem_end(tandem=tandem, by=StaffFactory(), reason="Stellenwechsel")
    with pytest.raises(services.MatchingError, match="Das Tandem ist beendet"):
        services.meeting_edit(meeting=meeting, by=mentor, date=TODAY, duration_minutes=60, format="online")


def test_the_partner_hears_when_an_entry_goes_and_that_their_note_went_with_it(tandem, mentor, mentee):
    """The entry vanished with the partner's own private note, unsaid; their mail's link then answered 404."""
    from mentoring.kernel.models import OutboxMessage

    meeting = log(tandem, mentor)
    services.meeting_note_set(meeting=meeting, by=mentee, text="Meine Notiz")
    services.meeting_delete(meeting=meeting, by=mentor)
    [mail] = OutboxMessage.objects.filter(to=mentee.email,
                                          subject="Ihr Tandem: Ein eingetragenes Treffen wurde gelöscht")
    text = " ".join(mail.body_text.split())
    assert "(480 Minuten) gelöscht" in text and "Ihre private Notiz zu diesem Treffen ist mit gelöscht." in text
    assert reverse("matching:tandem_detail", args=[tandem.pk]) in text and "/treffen/" not in text
    assert "Meine Notiz" not in text
    # Without a note of theirs, nothing is said about one.
    services.meeting_delete(meeting=log(tandem, mentor), by=mentor)
    assert OutboxMessage.objects.filter(to=mentee.email, subject__contains="gelöscht").count() == 2
    assert all("Notiz" not in m.body_text for m in OutboxMessage.objects.filter(
        to=mentee.email, subject__contains="gelöscht").exclude(pk=mail.pk))
