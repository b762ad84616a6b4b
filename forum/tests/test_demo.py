"""The demo content loads, and loading it twice duplicates nothing and mails nobody."""
import io

import pytest

from accounts.tests.factories import StaffFactory, participant
from forum import demo
from forum.models import Post, Thread
from mentoring.kernel.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_silent():
    staff = StaffFactory()
    for i in range(3):
        participant(mentor=True, user__email=f"mentor{i}@example.org")
        participant(user__email=f"mentee{i}@example.org")
    out = io.StringIO()
    demo.seed(staff=staff, stdout=out)
    threads, posts = Thread.objects.count(), Post.objects.count()
    assert threads == len(demo.THREADS) and posts > threads
    assert Thread.objects.filter(is_featured=True).count() == 2
    assert Thread.objects.filter(kind="question", accepted_post__isnull=False).count() == 2
    demo.seed(staff=staff, stdout=out)
    assert (Thread.objects.count(), Post.objects.count()) == (threads, posts)
    assert not OutboxMessage.objects.filter(key__startswith="forum-").exists()
