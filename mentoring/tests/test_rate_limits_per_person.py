"""What a participant sends mails others; one person cannot flood them (a member sent 12 messages to the
Koordination in a minute, each a mail). Over the rate, the form comes back with status 429, what was typed and
the reason; nothing is stored and nobody is mailed."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Post, Report, Thread
from forum.tests.factories import PostFactory, ThreadFactory
from matching.models import Meeting, ProblemReport, Tandem
from matching.tests.factories import TandemFactory
from mentoring.kernel.models import OutboxMessage

pytestmark = pytest.mark.django_db
TOO_OFTEN = "Sie haben in kurzer Zeit sehr viel gesendet"


def _tandem(mentee, mentor):
    return Tandem.objects.first() or TandemFactory.create(mentee=mentee.profile, mentor=mentor.profile, days_ago=60)


def _tandem_report(client, mentee, mentor, n):
    tandem = _tandem(mentee, mentor)
    text = f"Wir finden keinen Termin ({n})."
    return client.post(reverse("matching:report_create", args=[tandem.pk]), {"kind": "problem", "text": text}), text


def _meeting(client, mentee, mentor, n):
    tandem = _tandem(mentee, mentor)
    day = timezone.localdate() - datetime.timedelta(days=n + 1)
    return client.post(reverse("matching:meeting_create", args=[tandem.pk]),
                       {"date": day.isoformat(), "duration_minutes": "60", "format": "online"}), "60"


def _reply(client, mentee, mentor, n):
    thread = ThreadFactory.create() if n == 0 else Thread.objects.get()
    text = f"Bei uns hat der Hitzeaktionsplan geholfen ({n})."
    return client.post(reverse("forum:thread_reply", args=[thread.pk]), {"body": text}), text


def _post_report(client, mentee, mentor, n):
    post = PostFactory.create(author=mentor)
    text = f"Werbung ({n})"
    return client.post(reverse("forum:post_report", args=[post.pk]), {"reason": text}), text


@pytest.mark.parametrize(("send", "action", "stored"), [
    (_tandem_report, "tandem_report", lambda: ProblemReport.objects.count()),
    (_meeting, "tandem_meeting", lambda: Meeting.objects.count()),
    (_reply, "forum_post", lambda: Post.objects.filter(is_first=False).count()),
    (_post_report, "forum_report", lambda: Report.objects.count()),
], ids=["tandem-report", "meeting", "forum-reply", "forum-report"])
def test_over_the_rate_the_form_keeps_the_text_and_nothing_is_sent(client, settings, mentee, mentor, send, action,
                                                                   stored):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, action: "2/h/user"}
    client.force_login(mentee)
    for n in range(2):
        response, _text = send(client, mentee, mentor, n)
        assert response.status_code == 302, (n, response.content.decode()[:300])
    rows, mails = stored(), OutboxMessage.objects.count()
    response, text = send(client, mentee, mentor, 2)
    page = " ".join(response.content.decode().split())
    assert response.status_code == 429 and TOO_OFTEN in page and text in page
    assert (stored(), OutboxMessage.objects.count()) == (rows, mails)


def _entry(tandem, author, days_ago):
    return Meeting.objects.create(tandem=tandem, logged_by=author, duration_minutes=60, format="online",
                                  date=timezone.localdate() - datetime.timedelta(days=days_ago))


def _edit(client, tandem, meeting, n):
    return client.post(reverse("matching:meeting_change", args=[tandem.pk, meeting.pk]), {
        "date": meeting.date.isoformat(), "duration_minutes": str(61 + n), "format": "online"})


def test_editing_an_entry_again_and_again_is_held_at_the_rate_with_the_values_kept(client, settings, mentee, mentor):
    """Each edit of an open entry mails the partner anew: the author cannot flood them by saving it over and over."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "tandem_meeting": "2/h/user"}
    tandem = _tandem(mentee, mentor)
    meeting = _entry(tandem, mentee, 3)
    client.force_login(mentee)
    assert [_edit(client, tandem, meeting, n).status_code for n in range(2)] == [302, 302]
    mails = OutboxMessage.objects.count()
    response = _edit(client, tandem, meeting, 2)
    page = " ".join(response.content.decode().split())
    assert response.status_code == 429 and TOO_OFTEN in page and 'value="63"' in page
    meeting.refresh_from_db()
    assert (meeting.duration_minutes, OutboxMessage.objects.count()) == (62, mails)


def test_objecting_and_deleting_mail_the_other_member_and_count_against_the_rate(client, settings, mentee, mentor):
    """An objection mails the entry's author and a deletion the partner; over the rate the page says when to try
    again, the entry stays as it was and nobody is mailed."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "tandem_meeting": "2/h/user"}
    tandem = _tandem(mentee, mentor)
    objected = [_entry(tandem, mentor, days) for days in (3, 4, 5)]
    deleted = [_entry(tandem, mentee, days) for days in (6, 7, 8)]
    client.force_login(mentee)
    for meeting in objected[:2]:
        assert client.post(reverse("matching:meeting_object", args=[tandem.pk, meeting.pk])).status_code == 302
    mails = OutboxMessage.objects.count()
    assert mails == 2
    response = client.post(reverse("matching:meeting_object", args=[tandem.pk, objected[2].pk]))
    assert response.status_code == 429 and TOO_OFTEN in " ".join(response.content.decode().split())
    assert Meeting.objects.filter(status=Meeting.Status.DISPUTED).count() == 2
    response = client.post(reverse("matching:meeting_delete", args=[tandem.pk, deleted[0].pk]), {"confirmed": "yes"})
    assert response.status_code == 429 and Meeting.objects.filter(pk=deleted[0].pk).exists()
    assert OutboxMessage.objects.count() == mails
    # Confirming mails nobody and is never held.
    assert client.post(reverse("matching:meeting_confirm", args=[tandem.pk, objected[2].pk])).status_code == 302
