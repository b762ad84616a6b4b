"""Demo content for the local run: one matching run, a few confirmed Tandems with meetings."""
from datetime import timedelta

from django.utils import timezone

from accounts.models import Topic

from . import services
from .models import MatchingSettings, MatchRun, Meeting, Tandem

DEMO_TANDEMS = 16
QUIET_TANDEM = 5  # no meeting for ten weeks: the overview lists it as quiet


def seed(*, staff, stdout) -> None:
    """Idempotent: once a run exists, nothing new is added."""
    MatchingSettings.load()
    if MatchRun.objects.exists():
        return
    run = services.match_run_execute(run=services.match_run_create(by=staff))
    topics = list(Topic.objects.all()[:6])
    today = timezone.localdate()
    for number, proposal in enumerate(run.proposals.select_related("mentee__user", "mentor__user")[:DEMO_TANDEMS]):
        try:
            tandem = services.proposal_confirm(
                proposal=proposal, by=staff,
                message="Sie beide arbeiten an ähnlichen Fragen – wir freuen uns auf Ihren Austausch!")
        except services.MatchingError:
            continue
        for week in range(number % 4):
            meeting = Meeting.objects.create(
                tandem=tandem, logged_by=tandem.mentor.user, date=today - timedelta(days=7 * (week + 1) + number),
                duration_minutes=60 + 30 * week, format=Meeting.Format.ONLINE if week % 2 else Meeting.Format.ONSITE,
                status=Meeting.Status.CONFIRMED, reviewed_by=tandem.mentee.user, reviewed_at=timezone.now())
            meeting.topics.set(topics[week:week + 2])
        if number == QUIET_TANDEM:
            Tandem.objects.filter(pk=tandem.pk).update(last_activity_at=timezone.now() - timedelta(days=70))
    stdout.write(f"Matching: Lauf {run.pk} mit {run.matched_count} Vorschlägen, "
                 f"{Tandem.objects.count()} Tandems bestätigt.")
