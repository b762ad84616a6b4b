"""Request checks that apply to every view before any of them runs."""
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

NUL = "\x00"


def _carries_nul(request) -> bool:
    if NUL in request.path_info:
        return True
    fields = [request.GET, request.COOKIES]
    if request.method == "POST":
        fields += [request.POST, {file.name: "" for file in request.FILES.values()}]
    return any(NUL in key or NUL in value for data in fields for key, value in _pairs(data))


def _pairs(data):
    if hasattr(data, "lists"):
        return ((key, value) for key, values in data.lists() for value in values)
    return data.items()


class RejectNulBytesMiddleware:
    """Answer 400 when the path, a parameter, a form field or a cookie holds a NUL byte,
    or when a number is too large for the database.

    No person types one; PostgreSQL refuses it in text and the query would crash. Forms
    already reject it, but path arguments, GET parameters and cookies reach queries unchecked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            return bad_request(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # SQLite cannot bind an integer beyond 64 bits, and Django passes an out-of-range number
        # in a multiple choice (an `__in` lookup) on to the database: that is bad input, not a bug.
        if isinstance(exception, OverflowError):
            return bad_request(request)
        return None


# The site is pages and forms: nothing in it is written with PUT, PATCH or DELETE, and Django's form
# views would otherwise treat a PUT as a POST.
SITE_METHODS = ("GET", "HEAD", "POST")


class UploadSizeMiddleware:
    """A form with files larger than any form of the site accepts is refused before its body is read (413): the
    limits per file stood only after the whole upload was on disk, so 900 MB reached the server's /tmp.

    The participant pages take at most ``UPLOAD_MAX_BYTES`` (five forum attachments of 10 MB), admin
    ``ADMIN_UPLOAD_MAX_BYTES`` (a sign-language video). Before every middleware that reads the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.ADMIN_UPLOAD_MAX_BYTES if request.path.startswith("/admin/") else settings.UPLOAD_MAX_BYTES
            if length > limit:
                with translation.override(early_language(request)):
                    page = render_to_string("413.html", {"limit": filesizeformat(limit)})
                return HttpResponse(page, status=413)
        return self.get_response(request)


class PageMethodsMiddleware:
    """Answer 405 to every method but GET, HEAD and POST, for every URL, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SITE_METHODS:
            return HttpResponseNotAllowed(SITE_METHODS)
        return self.get_response(request)


def page_above(path: str) -> str:
    """The nearest page above ``path`` that the site has (``/veranstaltungen/5/`` above its ``anmelden/``), else
    the start page: where to go from an address that only takes a form."""
    parts = [part for part in path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{part}/" for part in parts)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"


class FormOnlyAddressMiddleware:
    """An address that only takes a form (``require_POST``), opened directly (a bookmark, an old link, the way back
    after logging in): a page in the reader's language that says so and leads to the page above, instead of an empty
    answer. Still 405 with its Allow header; methods the site never takes keep the bare answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD") or response.content:
            return response
        page = render(request, "405.html", {"back": page_above(request.path)}, status=405)
        page["Allow"] = response["Allow"]
        return page


# What a link that stands in for a login carries: a Kurzbefragung's ``?token=``, the unsubscribe and calendar
# feed tokens, allauth's confirmation and password reset keys.
SECRET_LINK_PARTS = frozenset({"token", "key", "uidb36"})


def _opened_by_secret_link(request) -> bool:
    """The address or a form sent from such a page (the Kurzbefragung sends its token in a hidden field, and the
    page that comes back carries it again) carries the secret."""
    match = getattr(request, "resolver_match", None)
    sent_in_form = request.method == "POST" and "token" in getattr(request, "_post", {})
    return "token" in request.GET or sent_in_form or bool(SECRET_LINK_PARTS & set(match.kwargs if match else ()))


class PrivatePagesMiddleware:
    """What a logged-in person is shown is theirs: no shared cache (a proxy, the office's gateway) keeps it,
    and a download (the data export, a PDF, a CSV) is not kept on disk by the browser either. A page opened by
    a link that stands in for a login (``SECRET_LINK_PARTS``) is treated the same, signed in or not. A view that
    sets its own ``Cache-Control`` keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or _opened_by_secret_link(request)) and not response.has_header("Cache-Control"):
            download = response.has_header("Content-Disposition") or not response.get(
                "Content-Type", "").startswith("text/html")
            patch_cache_control(response, private=True, no_cache=True, **({"no_store": True} if download else {}))
            patch_vary_headers(response, ["Cookie"])
        return response


def early_language(request) -> str:
    """The language of a page answered before LocaleMiddleware and the session (400, 413): the one the browser asks
    for or its language cookie names; a NUL byte in that cookie gives the site's first language, German."""
    if NUL in request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""):
        return settings.LANGUAGE_CODE
    return translation.get_language_from_request(request)


def bad_request(request):
    with translation.override(early_language(request)):
        return HttpResponseBadRequest(render_to_string("400.html"))
