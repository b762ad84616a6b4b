"""A generated forum for benchmarks: many threads and posts, loaded in bulk in a few seconds.

``build_forum(n_threads, n_posts)`` is used by ``bench/forum.py`` (in-process timings) and can be used
by the web benchmark (gunicorn + wrk) to fill its database the same way. It writes rows with
``bulk_create`` (stored HTML and the search index included), mails nobody, and returns what a
benchmark needs: a reader, the busiest thread, a category and a word that the search finds.
"""
import dataclasses
import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from mentoring.kernel.bulk import keeping_dates
from mentoring.kernel.markdown import render_markdown_stored

from .models import Category, Post, Thread, ThreadRead, ThreadSubscription
from .services.search import VECTOR_SQL, thread_reindex

WORDS = (
    "Hitzeaktionsplan", "Starkregenvorsorge", "Klimaanpassungskonzept", "Förderantrag", "Mittelabruf", "Kämmerei",
    "Beteiligung", "Bürgersprechstunde", "Ratsvorlage", "Betroffenheitsanalyse", "Stadtgrün", "Fassadenbegrünung",
    "Trinkwasserbrunnen", "Hitzewarndienst", "Schwammstadt", "Versickerung", "Baumpatenschaft", "Klimadaten",
    "Pflegeheime", "Kitas", "Quartier", "Verwaltung", "Haushalt", "Zuwendungsbescheid", "Verstetigung",
    "Monitoring",
)
BODIES = (
    "Wir haben gute Erfahrungen mit **{a}** gemacht; wichtig war die frühe Abstimmung zur {b}.\n\n"
    "- erster Schritt: {a}\n- zweiter Schritt: {b}\n- dann [Leitfaden](https://example.org/leitfaden)",
    "Frage an alle: Wie geht ihr mit {a} um, wenn die {b} noch offen ist?\n\n> Zitat aus dem Rat: "
    "„Erst {b}, dann {a}.“",
    "| Maßnahme | Kosten |\n|---|---|\n| {a} | 12.000 € |\n| {b} | 3.500 € |\n\nSo sah unser Plan aus.",
    "Kurz: {a} hat bei uns ein halbes Jahr gedauert. Die Mentor*innen aus der {b} haben sehr geholfen.",
)


@dataclasses.dataclass
class BenchForum:
    reader: object  # an approved mentee who reads the forum
    thread: Thread  # the thread with the most posts
    category: Category
    search_word: str



def index_all() -> None:
    """Every thread's search entry as the site writes it (``services.search``), after posts were loaded in
    bulk: one statement on PostgreSQL, then ANALYZE of the whole database, so that the benchmark's
    planner knows the bulk-loaded tables as a running database would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE forum_thread SET search_vector = {VECTOR_SQL}")  # noqa: S608 - a constant
            cursor.execute("ANALYZE")
        return
    for thread in Thread.objects.only("pk").iterator():
        thread_reindex(thread=thread)


def build_forum(n_threads: int = 300, n_posts: int = 6000, *, big_thread_posts: int = 50, authors: int = 20,
                seed: int = 12) -> BenchForum:
    """Add ``n_threads`` threads with ``n_posts`` posts in all (one thread with ``big_thread_posts``)
    to the forum's categories, by ``authors`` generated participants; the reader has read a third."""
    from accounts.tests.factories import participant

    rng = random.Random(seed)
    people = [participant(mentor=i % 2 == 0) for i in range(authors)]
    reader = participant()
    categories = list(Category.objects.filter(mentors_only=False).order_by("position"))
    rendered = {}

    def body(i: int) -> tuple[str, str]:
        template = BODIES[i % len(BODIES)]
        text = template.format(a=rng.choice(WORDS), b=rng.choice(WORDS))
        if text not in rendered:
            rendered[text] = render_markdown_stored(text)
        return text, rendered[text]

    now = timezone.now()
    start = now - timedelta(days=400)
    with transaction.atomic(), keeping_dates(Thread, Post):
        threads = Thread.objects.bulk_create([
            Thread(category=categories[i % len(categories)], author=people[i % authors],
                   title=f"{rng.choice(WORDS)} und {rng.choice(WORDS)}: Erfahrungen Nr. {i}",
                   kind=rng.choice([Thread.Kind.DISCUSSION, Thread.Kind.QUESTION]),
                   created_at=start + timedelta(minutes=i * 60), last_post_at=start, post_count=0)
            for i in range(n_threads)])
        # The first thread gets big_thread_posts, the others share the rest (at least their first post).
        counts = [big_thread_posts] + [1] * (n_threads - 1)
        for _extra in range(max(0, n_posts - sum(counts))):
            counts[rng.randrange(1, n_threads) if n_threads > 1 else 0] += 1
        posts = []
        for thread, count in zip(threads, counts, strict=True):
            for j in range(count):
                text, html = body(len(posts))
                posts.append(Post(thread=thread, author=people[(thread.pk + j) % authors], body=text, body_html=html,
                                  is_first=j == 0, created_at=thread.created_at + timedelta(minutes=j * 7),
                                  notified_at=now))
            thread.post_count = count
            thread.last_post_at = thread.created_at + timedelta(minutes=(count - 1) * 7)
        Post.objects.bulk_create(posts, batch_size=2000)
        Thread.objects.bulk_update(threads, ["post_count", "last_post_at"], batch_size=2000)
        ThreadRead.objects.bulk_create([ThreadRead(thread=t, user=reader, read_at=now) for t in threads[::3]])
        ThreadSubscription.objects.bulk_create([ThreadSubscription(thread=threads[0], user=p) for p in people])
        index_all()
    return BenchForum(reader=reader, thread=threads[0], category=categories[0], search_word="Hitzeaktionsplan")
