"""Views of the forum: thin, they check access, call a service and render."""
import contextlib

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import approved_participant_required
from mentoring.kernel.files import ranged_file_response
from mentoring.kernel.forms import add_service_error
from mentoring.kernel.limits import refused_too_often
from mentoring.kernel.params import parse_id, parse_slug
from mentoring.kernel.unsubscribe import unsubscribe_page

from . import access, postlist, selectors, services
from .forms import (
    MoveForm,
    NotificationSettingForm,
    PostEditForm,
    ReplyForm,
    ReportForm,
    SearchForm,
    ThreadForm,
)
from .uploads import served_type_for_content

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 20


def _blank_reply_form_html() -> SafeString:
    """The empty reply form under a thread, the same for everyone: rendered once per language and cached."""
    key = f"forum-reply-form:{translation.get_language()}"
    try:
        html = cache.get(key)
    except Exception:  # a cache that does not answer must not take the page down
        html = None
    if not isinstance(html, str):
        html = render_to_string("forum/_reply_form_fields.html", {"form": ReplyForm()})
        with contextlib.suppress(Exception):  # rendered again next time
            cache.set(key, html, 10 * 60)  # a new release's form shows within minutes
    return mark_safe(html)  # noqa: S308 - rendered by the template engine


def _query_without_page(request) -> str:
    """The current filters for the pagination links, which add their own page number."""
    params = request.GET.copy()
    params.pop("seite", None)
    return params.urlencode()


def _not_allowed(request, message: str, back_url: str):
    """Why this action is closed to the person, with the way back (403)."""
    return render(request, "forum/not_allowed.html", {"message": message, "back_url": back_url}, status=403)


def _switch(request, *, off_when: str, on, off, on_message: str, off_message: str, **arguments) -> None:
    """A button that switches something on, or off when it sends ``aktion=<off_when>``; says which it did."""
    if request.POST.get("aktion") == off_when:
        off(**arguments)
        messages.success(request, off_message)
    else:
        on(**arguments)
        messages.success(request, on_message)


def _text_page(request, form, write, *, done: str, template: str, context: dict, limit: str | None = None):
    """The page of a form that writes a text, with its preview button (a new thread, a reply, an edit).

    A POST with "Vorschau" shows the body above the form. Otherwise ``write(cleaned_data)`` saves
    and returns the redirect onwards, and the person reads ``done``; a form that does not validate,
    or the service's refusal (put on the form), shows the form again. A text that mails its readers counts
    against ``limit`` (``kernel.limits``).
    """
    preview = None
    if request.method == "POST" and form.is_valid():
        if "vorschau" in request.POST:
            preview = form.cleaned_data["body"]
        elif limit and (refusal := refused_too_often(request, limit)):
            form.add_error(None, refusal)
            return render(request, template, {**context, "form": form, "preview": None}, status=429)
        else:
            try:
                response = write(form.cleaned_data)
            except services.ForumActionError as error:
                add_service_error(form, error)
            else:
                messages.success(request, done)
                return response
    return render(request, template, {**context, "form": form, "preview": preview})


@approved_participant_required
def index(request):
    user = request.user
    featured, recent, for_needs = (list(selectors.featured_tips(user)), list(selectors.recent_threads(user)),
                                   list(selectors.threads_for_needs(user)))
    selectors.list_rows([*featured, *recent, *for_needs], user)  # one pass for all three lists
    return render(request, "forum/index.html", {
        "categories": selectors.categories_for_index(user),
        "featured": featured, "recent": recent, "for_needs": for_needs,
    })


@approved_participant_required
def search(request):
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid():
        page = selectors.search_page(user=request.user, text=form.cleaned_data["q"], kind=form.cleaned_data["art"],
                                     topic=form.cleaned_data["thema"], number=request.GET.get("seite") or 1)
    return render(request, "forum/search.html", {"form": form, "page": page, "query": _query_without_page(request)})


@approved_participant_required
def category_detail(request, slug):
    category = access.access_category(request.user, slug)
    filter_form = SearchForm(request.GET or None)
    kind, topic = "", None
    if filter_form.is_valid():
        kind, topic = filter_form.cleaned_data["art"], filter_form.cleaned_data["thema"]
    threads = selectors.threads_for_category(category=category, user=request.user, kind=kind, topic=topic)
    count = selectors.count_for_category(category=category, user=request.user, kind=kind, topic=topic)
    page = postlist.CountedPaginator(threads, THREADS_PER_PAGE, count).get_page(request.GET.get("seite"))
    page.object_list = selectors.list_rows(page.object_list, request.user)
    return render(request, "forum/category.html", {
        "category": category, "page": page, "filter_form": filter_form, "query": _query_without_page(request),
        "can_start": access.can_start_thread(request.user, category),
        "is_subscribed": selectors.follows_category(category=category, user=request.user),
    })


@approved_participant_required
@require_http_methods(["GET", "HEAD", "POST"])
def start_thread(request, slug):
    category = access.access_category(request.user, slug)
    if not access.can_start_thread(request.user, category):
        return _not_allowed(request, _("In dieser Kategorie eröffnet nur das Programmteam neue Themen. Sie können "
                                       "dort aber antworten."), reverse("forum:category", args=[category.slug]))

    def write(data):
        thread = services.thread_create(
            author=request.user, category=category, title=data["title"], kind=data["kind"],
            topics=data["topics"], body=data["body"], files=data["attachments"])
        return redirect("forum:thread", pk=thread.pk)

    form = ThreadForm(request.POST, request.FILES) if request.method == "POST" else ThreadForm()
    return _text_page(request, form, write, done=_("Ihr Thema ist veröffentlicht."),
                      template="forum/thread_form.html", context={"category": category}, limit="forum_post")


@approved_participant_required
@require_POST
def follow_category(request, slug):
    category = access.access_category(request.user, slug)
    _switch(request, off_when="abbestellen", on=services.category_subscribe, off=services.category_unsubscribe,
            category=category, user=request.user,
            on_message=_("Sie erhalten jetzt eine Nachricht bei neuen Beiträgen in „%(name)s“.")
            % {"name": category.label},
            off_message=_("Sie folgen der Kategorie „%(name)s“ nicht mehr.") % {"name": category.label})
    return redirect("forum:category", slug=category.slug)


@approved_participant_required
@require_POST
def mark_all_read(request):
    category = None
    if request.POST.get("kategorie"):
        slug = parse_slug(request.POST["kategorie"])
        if slug is None:
            raise Http404
        category = access.access_category(request.user, slug)
    services.threads_mark_all_read(user=request.user, category=category)
    messages.success(request, _("Alle Themen sind als gelesen markiert."))
    return redirect("forum:category", slug=category.slug) if category else redirect("forum:index")


@approved_participant_required
def thread_detail(request, pk):
    user = request.user
    thread = access.access_thread(user, pk, selectors.threads_for_page(user))
    page = postlist.post_page(thread=thread, user=user, number=request.GET.get("seite"), per_page=POSTS_PER_PAGE)
    if thread.read_at is None or thread.read_at < thread.last_post_at:
        services.thread_mark_read(thread=thread, user=user)
    can_reply = access.can_reply(user, thread)
    return render(request, "forum/thread.html", {
        "thread": thread, "category": thread.category, "page": page, "reply_form_html": _blank_reply_form_html(),
        "can_reply": can_reply,
        "post_list": postlist.post_list_html(request, thread=thread, page=page, can_reply=can_reply),
        "move_form": MoveForm(initial={"category": thread.category_id}) if access.moderates(user) else None,
    })


@approved_participant_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_reply(request, pk):
    thread = access.access_thread(request.user, pk)
    if not access.can_reply(request.user, thread):
        return _not_allowed(request, _("Dieses Thema ist gesperrt; Antworten sind nicht mehr möglich."),
                            reverse("forum:thread", args=[thread.pk]))

    def write(data):
        post = services.post_create(author=request.user, thread=thread, body=data["body"], files=data["attachments"])
        return redirect("forum:post_link", pk=post.pk)

    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
    else:
        initial = {}
        quoted = parse_id(request.GET.get("zitat"))
        if quoted is not None:
            post = selectors.posts_for_thread(thread=thread, user=request.user).filter(pk=quoted).first()
            if post is not None:
                initial["body"] = services.quote_text(post)
        form = ReplyForm(initial=initial)
    return _text_page(request, form, write, done=_("Ihre Antwort ist veröffentlicht."),
                      template="forum/reply_form.html", context={"thread": thread, "category": thread.category},
                      limit="forum_post")


@approved_participant_required
def post_link(request, pk):
    """The page of a thread that shows a given post, with the post as anchor."""
    post = access.access_post(request.user, pk)
    page_number = selectors.posts_before(post=post, user=request.user) // POSTS_PER_PAGE + 1
    url = reverse("forum:thread", args=[post.thread_id])
    return redirect(f"{url}?seite={page_number}#beitrag-{post.pk}" if page_number > 1 else f"{url}#beitrag-{post.pk}")


@approved_participant_required
@require_POST
def follow_thread(request, pk):
    thread = access.access_thread(request.user, pk)
    _switch(request, off_when="abbestellen", on=services.thread_subscribe, off=services.thread_unsubscribe,
            thread=thread, user=request.user,
            on_message=_("Sie folgen diesem Thema und erhalten Nachrichten zu neuen Antworten."),
            off_message=_("Sie folgen diesem Thema nicht mehr."))
    return redirect("forum:thread", pk=thread.pk)


@approved_participant_required
@require_POST
def thread_moderate(request, pk):
    if not access.moderates(request.user):
        raise Http404
    thread = access.access_thread(request.user, pk)
    action = request.POST.get("aktion", "")
    flags = {"sperren": {"is_locked": True}, "entsperren": {"is_locked": False},
             "anheften": {"is_pinned": True}, "loesen": {"is_pinned": False},
             "hervorheben": {"is_featured": True}, "nicht-hervorheben": {"is_featured": False}}
    try:
        if action in flags:
            services.thread_set_flags(thread=thread, by=request.user, **flags[action])
            messages.success(request, _("Das Thema ist geändert."))
        elif action == "verschieben":
            form = MoveForm(request.POST)
            if not form.is_valid():
                for error in form.errors.get("category", []):
                    messages.error(request, error)
                return redirect("forum:thread", pk=thread.pk)
            services.thread_move(thread=thread, category=form.cleaned_data["category"], by=request.user)
            messages.success(request, _("Das Thema ist jetzt in „%(name)s“.") % {"name": thread.category.label})
        else:
            messages.error(request, _("Diese Aktion gibt es nicht."))
    except services.ForumActionError as error:
        messages.error(request, str(error))
    return redirect("forum:thread", pk=thread.pk)


@approved_participant_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_post(request, pk):
    post = access.access_post(request.user, pk)
    if not access.can_edit(request.user, post):
        return _not_allowed(request, _("Beiträge können nur von der verfassenden Person und nur in den ersten "
                                       "%(hours)d Stunden bearbeitet werden.") % {"hours": access.EDIT_WINDOW_HOURS},
                            reverse("forum:post_link", args=[post.pk]))

    def write(data):
        services.post_edit(post=post, editor=request.user, body=data["body"])
        return redirect("forum:post_link", pk=post.pk)

    form = PostEditForm(request.POST) if request.method == "POST" else PostEditForm(initial={"body": post.body})
    return _text_page(request, form, write, done=_("Ihr Beitrag ist geändert."),
                      template="forum/post_edit.html", context={"post": post, "thread": post.thread})


@approved_participant_required
@require_POST
def post_helpful(request, pk):
    post = access.access_post(request.user, pk)
    try:
        marked = services.helpful_toggle(post=post, user=request.user)
    except services.ForumActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Als hilfreich markiert.") if marked else _("Markierung „hilfreich“ entfernt."))
    return redirect("forum:post_link", pk=post.pk)


@approved_participant_required
@require_POST
def post_accept(request, pk):
    post = access.access_post(request.user, pk)
    thread = post.thread
    take_back = request.POST.get("aktion") == "zuruecknehmen"
    try:
        services.thread_accept_answer(thread=thread, post=None if take_back else post, by=request.user)
    except services.ForumActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Markierung als Lösung entfernt.") if take_back
                         else _("Die Antwort ist als Lösung markiert."))
    return redirect("forum:post_link", pk=post.pk)


@approved_participant_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_report(request, pk):
    post = access.access_post(request.user, pk)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid() and (refusal := refused_too_often(request, "forum_report")):
            form.add_error(None, refusal)
            return render(request, "forum/post_report.html", {"post": post, "thread": post.thread, "form": form},
                          status=429)
        if form.is_valid():
            try:
                services.report_create(post=post, reporter=request.user, reason=form.cleaned_data["reason"])
            except services.ForumActionError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Danke! Die Moderation sieht sich den Beitrag an."))
                return redirect("forum:post_link", pk=post.pk)
    else:
        form = ReportForm()
    return render(request, "forum/post_report.html", {"post": post, "thread": post.thread, "form": form})


@approved_participant_required
@require_POST
def post_moderate(request, pk):
    if not access.moderates(request.user):
        raise Http404
    post = access.access_post(request.user, pk)
    _switch(request, off_when="einblenden", on=services.post_hide, off=services.post_restore, post=post,
            by=request.user, on_message=_("Der Beitrag ist ausgeblendet; er bleibt für die Moderation gespeichert."),
            off_message=_("Der Beitrag ist wieder sichtbar."))
    return redirect("forum:post_link", pk=post.pk)


@approved_participant_required
@require_safe
def attachment_download(request, pk, filename=""):
    attachment = access.access_attachment(request.user, pk)
    # Only the type checked on upload, under a name whose extension matches it, never inline. The site
    # streams it from whichever storage holds it (local disk or object storage), never by redirect.
    content_type, _extension = served_type_for_content(attachment.content_type)
    return ranged_file_response(request, attachment.file, content_type=content_type,
                                cache_control="private, no-store", filename=attachment.download_name,
                                as_attachment=True)


@approved_participant_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request):
    if request.method == "POST":
        form = NotificationSettingForm(request.POST)
        if form.is_valid():
            services.notification_mode_set(user=request.user, mode=form.cleaned_data["mode"])
            messages.success(request, _("Ihre Einstellung ist gespeichert."))
            return redirect("forum:settings")
    else:
        form = NotificationSettingForm(initial={"mode": services.notification_mode(request.user)})
    thread_subscriptions, category_subscriptions = selectors.subscriptions_of(request.user)
    return render(request, "forum/settings.html", {
        "form": form, "thread_subscriptions": thread_subscriptions, "category_subscriptions": category_subscriptions,
    })


@csrf_exempt  # the signed token is the authority; mail clients post here for one-click unsubscribe
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Unsubscribe from a link in an e-mail, from a thread, a category or all forum mail."""
    return unsubscribe_page(request, token, template="forum/unsubscribe.html", resolve=services.unsubscribe_resolve,
                            unsubscribe=services.unsubscribe_by_token, context=_unsubscribe_names)


def _unsubscribe_names(resolved) -> dict:
    """The page names the thread or category only while the person may still read it."""
    person, scope, target = resolved
    if scope == "thread" and target is not None and not access.visible_threads(person).filter(pk=target.pk).exists():
        scope = "hidden"
    if scope == "category" and target is not None and not access.visible_categories(person).filter(
            pk=target.pk).exists():
        scope = "hidden"
    return {"scope": scope, "target": target}
