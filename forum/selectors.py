"""Reads the forum pages share, each a fixed number of queries however much there is."""
import dataclasses

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL

from accounts.models import Need, Topic

from . import access, fulltext
from .models import (
    Attachment,
    Category,
    CategoryRead,
    CategorySubscription,
    HelpfulMark,
    Post,
    Thread,
    ThreadRead,
    ThreadSubscription,
)

AUTHOR_FIELDS = ("author__profile__organisation",)
# What a row of a thread list reads (forum/_thread_row.html, ``forum.rows``, ``author_label``): the
# thread's own columns but its search vector (every word of the thread, which would cost more than the
# rest), and of its author only the name and the organisation's name (a profile holds much more, an account its
# e-mail address, that lists never show).
ROW_FIELDS = ("category_id", "title", "language", "kind", "author_id", "created_at", "last_post_at", "post_count",
              "is_locked", "is_pinned", "is_featured", "is_hidden", "content_version", "accepted_post_id",
              "category__slug", "category__name",
              "author__first_name", "author__last_name", "author__is_staff",
              "author__profile__user_id", "author__profile__organisation_id", "author__profile__organisation__name")


def _with_read_state(threads: QuerySet[Thread], user) -> QuerySet[Thread]:
    """``is_unread``: the last post is newer than what the person has read of the thread (``ThreadRead``)
    and newer than their watermark for its category (``CategoryRead``, "alle als gelesen markieren").
    Both come in by a LEFT JOIN on the person's own row, never a subquery per thread."""
    return (
        threads.annotate(own_read=FilteredRelation("reads", condition=Q(reads__user=user)),
                         category_read=FilteredRelation("category__reads", condition=Q(category__reads__user=user)))
        .annotate(is_unread=ExpressionWrapper(UNREAD, output_field=BooleanField()))
    )


UNREAD = ((Q(own_read__read_at__isnull=True) | Q(own_read__read_at__lt=F("last_post_at")))
          & (Q(category_read__read_at__isnull=True) | Q(category_read__read_at__lt=F("last_post_at"))))


def threads_with_read_state(user) -> QuerySet[Thread]:
    """The visible threads with ``is_unread`` joined in (``_with_read_state``): what /forum/ counts per
    category. The list rows read the same state by ``mark_unread``; a test holds the two equal."""
    return _with_read_state(access.visible_threads(user), user)


def threads_for_rows(user) -> QuerySet[Thread]:
    """Visible threads with what a list row shows of them and their author, without read state and
    topics: the pages fill those for the rows they show (``list_rows``), by two small queries instead of
    joins for PostgreSQL to plan and Django to build."""
    return access.visible_threads(user).select_related("category", *AUTHOR_FIELDS).only(*ROW_FIELDS)


def mark_unread(threads, user) -> list[Thread]:
    """Set ``is_unread`` on the shown threads as ``_with_read_state`` computes it, by two small queries
    (the person's read markers of these threads, their watermarks per category) instead of joins."""
    threads = list(threads)
    if not threads:
        return threads
    read = dict(ThreadRead.objects.filter(user=user, thread_id__in={t.pk for t in threads})
                .values_list("thread_id", "read_at"))
    watermarks = dict(CategoryRead.objects.filter(user=user).values_list("category_id", "read_at"))
    for thread in threads:
        own, category = read.get(thread.pk), watermarks.get(thread.category_id)
        thread.is_unread = ((own is None or own < thread.last_post_at)
                            and (category is None or category < thread.last_post_at))
    return threads


def attach_topics(threads) -> list[Thread]:
    """Set ``row_topics`` on each thread: its topics in their order, all by one query.

    A ``prefetch_related`` would build a related manager and a filtered queryset for every thread, which
    cost more than the rest of a list's rows."""
    threads = list(threads)
    by_thread: dict[int, list[Topic]] = {thread.pk: [] for thread in threads}
    if threads:
        for topic in (Topic.objects.filter(forum_threads__in=list(by_thread))
                      .annotate(row_thread=F("forum_threads")).order_by("position", "pk")):
            by_thread[topic.row_thread].append(topic)
    for thread in threads:
        thread.row_topics = by_thread[thread.pk]
    return threads


def list_rows(threads, user) -> list[Thread]:
    """The threads a list shows, ready for their rows (``forum.rows``): read state and topics."""
    return attach_topics(mark_unread(threads, user))


def _of_kind_and_topic(threads: QuerySet[Thread], *, kind: str, topic: Topic | None) -> QuerySet[Thread]:
    """The filters of the category page and the search: a kind of thread, a topic, or neither."""
    if kind:
        threads = threads.filter(kind=kind)
    if topic is not None:
        threads = threads.filter(topics=topic)
    return threads


def threads_for_category(*, category: Category, user, kind: str = "", topic: Topic | None = None):
    """The category page's threads, pinned first; without read state (``mark_unread`` for the shown page)."""
    threads = threads_for_rows(user).filter(category=category).order_by("-is_pinned", "-last_post_at", "-pk")
    return _of_kind_and_topic(threads, kind=kind, topic=topic)


def count_for_category(*, category: Category, user, kind: str = "", topic: Topic | None = None) -> int:
    """How many threads ``threads_for_category`` lists, counted without its joins for the list rows."""
    threads = access.visible_threads(user).filter(category=category)
    return _of_kind_and_topic(threads, kind=kind, topic=topic).count()


def categories_for_index(user) -> list[Category]:
    """Categories with thread count, latest activity and how many threads are new for the person.

    One pass over the visible threads counts all three per category.
    """
    categories = list(access.visible_categories(user).order_by("position", "name"))
    figures = {
        row["category"]: row for row in
        threads_with_read_state(user).order_by().values("category")
        .annotate(thread_count=Count("pk"), last_activity=Max("last_post_at"),
                  unread_count=Count("pk", filter=UNREAD))
    }
    for category in categories:
        row = figures.get(category.pk, {})
        category.thread_count = row.get("thread_count", 0)
        category.last_activity = row.get("last_activity")
        category.unread_count = row.get("unread_count", 0)
    return categories


def featured_tips(user, limit: int = 3):
    """Without read state, like ``recent_threads`` and ``threads_for_needs``: see ``mark_unread``."""
    return threads_for_rows(user).filter(is_featured=True, kind=Thread.Kind.TIP).order_by("-last_post_at")[:limit]


def recent_threads(user, limit: int = 10):
    return threads_for_rows(user).order_by("-last_post_at", "-pk")[:limit]


def threads_for_needs(user, limit: int = 5):
    """Threads on the topics the person named as needs in their profile.

    The topics are read first (a small query); without any, there is nothing to look for, and with
    them the list query has a plain ``topic_id IN (...)`` instead of two more joins to plan."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return Thread.objects.none()
    topic_ids = list(Need.objects.filter(profile=profile).order_by().values_list("topic_id", flat=True))
    if not topic_ids:
        return Thread.objects.none()
    on_needs = Thread.topics.through.objects.filter(thread=OuterRef("pk"), topic_id__in=topic_ids)
    return threads_for_rows(user).filter(Exists(on_needs)).order_by("-last_post_at", "-pk")[:limit]


def posts_for_thread(*, thread: Thread, user) -> QuerySet[Post]:
    # Through the related manager each post knows its thread: can_edit reads post.thread without a query.
    posts = access.shown_in_thread(user, thread.posts.all())
    return (
        posts.select_related(*AUTHOR_FIELDS)
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .annotate(marked_helpful=Exists(HelpfulMark.objects.filter(post=OuterRef("pk"), user=user)),
                  open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .order_by("created_at", "pk")
    )


def threads_for_page(user) -> QuerySet[Thread]:
    """Threads with what a thread page shows; fetch one through ``access.access_thread``.

    ``read_at`` is until when the person has read the thread, so that a visit writes a read marker
    only when there is something new.
    """
    return (
        Thread.objects.select_related("category").defer("search_vector")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position")))
        .annotate(is_subscribed=Exists(ThreadSubscription.objects.filter(thread=OuterRef("pk"), user=user)),
                  read_at=Subquery(ThreadRead.objects.filter(thread=OuterRef("pk"), user=user).values("read_at")[:1]))
    )


def posts_before(*, post: Post, user) -> int:
    """How many posts of the thread this person sees above ``post``, to find its page."""
    earlier = Post.objects.filter(thread_id=post.thread_id, created_at__lt=post.created_at)
    return access.shown_in_thread(user, earlier).count()


def subscriptions_of(user) -> tuple[QuerySet[ThreadSubscription], QuerySet[CategorySubscription]]:
    """What the person follows and may still read (``access``): a thread hidden by the moderation or a
    category closed to them since is neither named on their settings page nor mailed about."""
    threads = (ThreadSubscription.objects.filter(user=user, thread__in=access.visible_threads(user))
               .select_related("thread").order_by("-thread__last_post_at"))
    categories = (CategorySubscription.objects.filter(user=user, category__in=access.visible_categories(user))
                  .select_related("category"))
    return threads, categories


def follows_category(*, category: Category, user) -> bool:
    return CategorySubscription.objects.filter(category=category, user=user).exists()


def search_terms(text: str) -> list[str]:
    """Words of a search: letters and digits only, so nothing reaches tsquery or FTS5 syntax unescaped."""
    return fulltext.words(text)[:10]


def _search(threads: QuerySet[Thread], *, text: str, kind: str, topic: Topic | None) -> QuerySet[Thread]:
    threads = _of_kind_and_topic(threads, kind=kind, topic=topic)
    terms = search_terms(text)
    if not terms:
        return threads.order_by("-last_post_at", "-pk") if (kind or topic) else threads.none()
    stems = fulltext.stem_groups(terms)
    if not stems:
        return threads.none()
    if connection.vendor == "postgresql":
        # ':*' makes each (stemmed) word a prefix: "Starkregen" finds "Starkregenvorsorge"; each word
        # in each of its spellings ("Foerderung" | "Förderung").
        query = SearchQuery(" & ".join("(" + " | ".join(f"{spelling}:*" for spelling in options) + ")"
                                       for options in fulltext.searched_words(terms)),
                            search_type="raw", config="german")
        return (threads.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", "-last_post_at", "-pk"))
    # Fixed SQL; the query, built of letters and digits only, goes in as a parameter.
    match = [fulltext.fts5_match(stems)]
    return (threads.filter(pk__in=RawSQL(fulltext.MATCHING_THREAD_IDS, match))  # noqa: S611
            .annotate(rank=RawSQL(fulltext.THREAD_RANK, match, output_field=FloatField()))  # noqa: S611
            .order_by("-rank", "-last_post_at", "-pk"))


@dataclasses.dataclass
class ResultPage:
    """One page of search results, found without counting every match: it only knows whether more follow."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return 0 if not self.object_list else (self.number - 1) * SEARCH_PER_PAGE + 1

    def end_index(self) -> int:
        return (self.number - 1) * SEARCH_PER_PAGE + len(self.object_list)


SEARCH_PER_PAGE = 25
SEARCH_MAX_PAGE = 400


def _ranked_pks(user, *, text: str, kind: str, topic: Topic | None, offset: int, limit: int) -> list[int]:
    """The keys of the matches from ``offset`` on, best first, in the order of ``_search``.

    PostgreSQL ranks in the query, which stops after ``limit`` rows. SQLite's FTS5 computes each
    match's bm25 once in one query over the index (a correlated rank would search the index again
    for every match); the visible matches are then ordered the same way (rank, last post, key).
    """
    visible = access.visible_threads(user)
    stems = fulltext.stem_groups(search_terms(text))
    if connection.vendor == "postgresql" or not stems:
        ranked = _search(visible, text=text, kind=kind, topic=topic)
        return list(ranked.values_list("pk", flat=True)[offset:offset + limit])
    match = [fulltext.fts5_match(stems)]
    with connection.cursor() as cursor:
        cursor.execute(fulltext.MATCHES_WITH_RANK, match)
        ranks = dict(cursor.fetchall())
    candidates = (_of_kind_and_topic(visible, kind=kind, topic=topic)
                  .filter(pk__in=RawSQL(fulltext.MATCHING_THREAD_IDS, match))  # noqa: S611
                  .order_by().values_list("pk", "last_post_at"))
    ordered = sorted(candidates, key=lambda row: (ranks[row[0]], row[1], row[0]), reverse=True)
    return [pk for pk, _last in ordered[offset:offset + limit]]


def search_page(*, user, text: str, kind: str = "", topic: Topic | None = None, number=1) -> ResultPage:
    """A page of the threads whose title or visible posts hold every word (German stems, word beginnings),
    best first; the same on both databases (PostgreSQL's German full-text search, or SQLite's FTS5 table
    fed with the same stems, ``forum.fulltext``). Stop words ("und", "die") are left out; a search of
    stop words only finds nothing. The matches are ranked in one lean query that stops after the page
    (LIMIT per page + 1: one more says whether a next page exists), then only the shown threads are
    read with what a row shows. No count of every match."""
    try:
        number = min(max(int(number), 1), SEARCH_MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * SEARCH_PER_PAGE
    pks = _ranked_pks(user, text=text, kind=kind, topic=topic, offset=offset, limit=SEARCH_PER_PAGE + 1)
    if not pks and number > 1:
        # A page past the end (an old link, a typed number) shows the first page, as Paginator.get_page shows
        # the last: it read "0 Treffer, nichts gefunden" for a search with hits.
        return search_page(user=user, text=text, kind=kind, topic=topic, number=1)
    shown = pks[:SEARCH_PER_PAGE]
    rows = {thread.pk: thread for thread in list_rows(threads_for_rows(user).filter(pk__in=shown), user)} \
        if shown else {}
    return ResultPage(object_list=[rows[pk] for pk in shown if pk in rows], number=number,
                      has_next=len(pks) > SEARCH_PER_PAGE)
