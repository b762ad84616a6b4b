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
