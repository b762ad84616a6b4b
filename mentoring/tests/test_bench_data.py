"""The benchmark's programme generator (bench/data.py) keeps up with the models, at a small size."""
import pytest

from accounts.models import User
from bench import data
from events.models import Event
from forum.models import Post, Thread
from matching.models import MatchRun, Meeting, Tandem


@pytest.mark.django_db
def test_bench_data_builds_a_programme_in_bulk():
    ids = data.build(participants=120, threads=12, posts=150, long_thread=50, events=6, tandems=20, meetings=40,
                     log=lambda text: None)
    assert User.objects.filter(is_staff=False).count() == 120
    assert Thread.objects.count() == 12 and Post.objects.count() == 150
    assert Thread.objects.get(pk=ids["thread"]).posts.count() == 50
    # Posts as the site stores them: the pages print the stored HTML, so an empty one would time empty posts.
    assert not Post.objects.filter(body_html="").exists() and not Post.objects.filter(notified_at=None).exists()
    assert Event.objects.count() == 6 and Tandem.objects.count() == 20 and Meeting.objects.count() == 40
    run = MatchRun.objects.get(pk=ids["run"])
    assert run.status == MatchRun.Status.DONE and run.proposals.count() == ids["proposals"] > 0
    assert Tandem.objects.filter(mentor__user_id=ids["participant"]).count() == 2
    assert User.objects.get(pk=ids["coordinator"]).is_staff


def test_post_counts_are_exact():
    import random

    counts = data.post_counts(random.Random(1), 2000, 50000, 50)
    assert sum(counts) == 50000 and counts[0] == 50 and min(counts) >= 1 and max(counts[1:]) < 50
