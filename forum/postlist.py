"""The post list of a thread page: post bodies from the cache, each viewer's buttons around them.

What every reader of a page sees alike (author, date, stored HTML, attachments) is rendered once
per thread, page and state of the thread and kept in Django's cache (Redis in production). The key
names everything the rendering depends on: the thread, the page, its last post (``last_post_at``),
every other change of a post (``content_version``: edit, hide, restore, erasure, new HTML), the
accepted answer, the language and time zone, and whether the viewer sees hidden posts. The buttons
(hilfreich, Lösung, Zitieren, Bearbeiten, Melden, Moderation) depend on the viewer and are built
around the cached bodies for each request, from one lean query and URLs computed once.

A cache that fails (Redis down) only costs time: the page is rendered without it.
"""
import logging

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from . import access
from .models import Attachment, HelpfulMark, Post, Thread

logger = logging.getLogger(__name__)
CACHE_SECONDS = 15 * 60  # names and organisations of authors may change meanwhile: the bodies expire
CACHE_FORMAT = 1  # raise when _post_head.html changes in a way that old cached bodies must not be shown
_SENTINEL = 987654321


class CountedPaginator(Paginator):
    """A paginator told its count (a thread's ``post_count``, a lean count query) that asks the database only
    for the page."""

    def __init__(self, object_list, per_page, count: int | None):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count if self._known_count is not None else super().count


def _url_shape(name: str) -> tuple[str, str]:
    """A URL with a post's number in it as prefix and suffix, so that no post needs its own ``reverse``."""
    url = reverse(name, args=[_SENTINEL])
    prefix, _sentinel, suffix = url.partition(str(_SENTINEL))
    return prefix, suffix


def _url(shape: tuple[str, str], pk: int) -> str:
    return f"{shape[0]}{pk}{shape[1]}"


def post_page(*, thread: Thread, user, number, per_page: int) -> Page:
    """The page of posts the person sees, lean: what the buttons need, no author, text or files."""
    moderates = access.moderates(user)
    posts = (access.shown_in_thread(user, thread.posts.all())
             .only("pk", "thread_id", "author_id", "is_first", "is_hidden", "created_at", "helpful_count")
             .annotate(marked_helpful=Exists(HelpfulMark.objects.filter(post=OuterRef("pk"), user=user)))
             .order_by("created_at", "pk"))
    if moderates:
        posts = posts.annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
    # Everyone else sees the thread's visible posts, which it counts (post_count): no count query.
    return CountedPaginator(posts, per_page, None if moderates else thread.post_count).get_page(number)


def _cache_key(*, thread: Thread, page: Page, moderates: bool) -> str:
    return ":".join(str(part) for part in (
        "forum-posts", CACHE_FORMAT, thread.pk, page.number, page.paginator.per_page,
        thread.last_post_at.timestamp(), thread.content_version, thread.accepted_post_id or 0,
        translation.get_language(), timezone.get_current_timezone_name(), "mod" if moderates else "all"))


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # a cache that does not answer must not take the page down
        logger.warning("forum post cache unavailable (get)", exc_info=True)
        return None


def _cache_set(key: str, value) -> None:
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:
        logger.warning("forum post cache unavailable (set)", exc_info=True)


def _render_heads(*, thread: Thread, pks: list[int]) -> dict[int, str]:
    """The part of each post every reader sees alike, rendered from the full rows."""
    posts = (Post.objects.filter(pk__in=pks).select_related("author__profile__organisation")
             .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))))
    template = get_template("forum/_post_head.html")
    prefix, suffix = _url_shape("forum:post_link")
    return {post.pk: template.render({"post": post, "accepted_post_id": thread.accepted_post_id,
                                      "post_link_prefix": prefix, "post_link_suffix": suffix})
            for post in posts}


def post_heads(*, thread: Thread, page: Page, user) -> dict[int, str]:
    """Each post's shared part by key, from the cache when it has this state of the page."""
    pks = [post.pk for post in page.object_list]
    if not pks:
        return {}
    key = _cache_key(thread=thread, page=page, moderates=access.moderates(user))
    heads = _cache_get(key)
    if not isinstance(heads, dict) or any(pk not in heads for pk in pks):
        heads = _render_heads(thread=thread, pks=pks)
        _cache_set(key, heads)
    return heads


class _Controls:
    """The viewer's buttons under each post: texts and URL shapes prepared once per page."""

    def __init__(self, request, thread: Thread, *, can_reply: bool):
        self.user = request.user
        self.thread = thread
        self.can_reply = can_reply
        self.moderates = access.moderates(self.user)
        self.can_accept_thread = access.can_accept(self.user, thread)
        self.csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        self.helpful = _url_shape("forum:post_helpful")
        self.accept = _url_shape("forum:post_accept")
        self.edit = _url_shape("forum:post_edit")
        self.report = _url_shape("forum:post_report")
        self.moderate = _url_shape("forum:post_moderate")
        self.quote = escape(reverse("forum:thread_reply", args=[thread.pk])) + "?zitat="
        self.text = {name: escape(text) for name, text in (
            ("helpful", gettext("Hilfreich")), ("helpful_undo", gettext("✓ (zurücknehmen)")),
            ("unaccept", gettext("Nicht mehr als Lösung markieren")), ("accept", gettext("Als Lösung markieren")),
            ("quote", gettext("Zitieren")), ("edit", gettext("Bearbeiten")), ("report", gettext("Melden")),
            ("restore", gettext("Wieder einblenden")), ("hide", gettext("Ausblenden")))}

    def render(self, post: Post) -> str:
        text, pk, parts = self.text, post.pk, []
        if post.helpful_count:
            parts.append('<span class="small">{}</span>'.format(escape(
                ngettext("%(count)s× hilfreich", "%(count)s× hilfreich", post.helpful_count)
                % {"count": post.helpful_count})))
        if access.may_mark_helpful(self.user, post):
            marked = post.marked_helpful
            parts.append(
                f'<form method="post" action="{_url(self.helpful, pk)}">{self.csrf}'
                f'<button class="btn btn-sm {"btn-success" if marked else "btn-outline-success"}" type="submit" '
                f'aria-pressed="{"true" if marked else "false"}">'
                # A toggle: its name stays "Hilfreich" and aria-pressed says the state; the tick and the hint
                # are for the eye only (a screen reader read "Hilfreich Häkchen zurücknehmen, gedrückt").
                f'{text["helpful"]}{f""" <span aria-hidden="true">{text["helpful_undo"]}</span>""" if marked else ""}'
                f'</button></form>')
        if self.can_accept_thread and access.acceptable_answer(post):
            button = (f'<button class="btn btn-sm btn-outline-secondary" name="aktion" value="zuruecknehmen">'
                      f'{text["unaccept"]}</button>' if pk == self.thread.accepted_post_id else
                      f'<button class="btn btn-sm btn-outline-success">{text["accept"]}</button>')
            parts.append(f'<form method="post" action="{_url(self.accept, pk)}">{self.csrf}{button}</form>')
        if self.can_reply:
            parts.append(f'<a class="btn btn-sm btn-outline-secondary" href="{self.quote}{pk}">{text["quote"]}</a>')
        if access.can_edit(self.user, post):
            parts.append(f'<a class="btn btn-sm btn-outline-secondary" href="{_url(self.edit, pk)}">{text["edit"]}</a>')
        if access.may_report(self.user, post):
            parts.append(f'<a class="btn btn-sm btn-link" href="{_url(self.report, pk)}">{text["report"]}</a>')
        if self.moderates:
            reports = getattr(post, "open_reports", 0)
            if reports:
                parts.append('<span class="badge text-bg-warning">{}</span>'.format(escape(
                    ngettext("%(count)s offene Meldung", "%(count)s offene Meldungen", reports) % {"count": reports})))
            action, label = ("einblenden", text["restore"]) if post.is_hidden else ("ausblenden", text["hide"])
            parts.append(f'<form method="post" action="{_url(self.moderate, pk)}" class="ms-auto">{self.csrf}'
                         f'<button class="btn btn-sm btn-outline-danger" name="aktion" value="{action}">{label}'
                         f'</button></form>')
        return "\n      ".join(parts)


def post_list_html(request, *, thread: Thread, page: Page, can_reply: bool) -> SafeString:
    """The ``<li>`` of every post on the page: the cached shared part, then the viewer's buttons."""
    heads = post_heads(thread=thread, page=page, user=request.user)
    controls = _Controls(request, thread, can_reply=can_reply)
    out = []
    for post in page.object_list:
        post.thread = thread  # can_edit reads whether the thread is locked
        out.append(f'{heads[post.pk]}    <div class="card-footer d-flex flex-wrap gap-2 align-items-center">\n      '
                   f'{controls.render(post)}\n    </div>\n  </article>\n</li>\n')
    return mark_safe("".join(out))  # noqa: S308 - rendered by the template engine and format_html/escape above
