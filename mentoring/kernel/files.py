"""Files: serving a stored file with byte ranges (RFC 9110 § 14), as browsers fetch video (seek, resume, replay),
and the size check of every upload.

Django's FileResponse always sends the whole file from its first byte; a browser then cannot
jump ahead in a video (Safari does not play it at all). One range per request is served with
206, a malformed or multi-range header is ignored (the whole file follows with 200, which
RFC 9110 allows), a range past the end answers 416.

Files come from any Django storage: the local disk, or S3-compatible object storage when several
app servers share their uploads (django-storages). The site always streams them itself; the browser
never learns the storage's address. From object storage only the requested bytes are fetched (a
ranged GET), so a jump into a long video does not download the whole file to the app server first.
"""
import hashlib
import re

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header, parse_etags
from django.utils.translation import gettext_lazy as _

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK_BYTES = 64 * 1024


class _Chunks:
    """``length`` bytes of ``handle`` in chunks; the response closes it when done or when the client left."""

    def __init__(self, handle, length: int):
        self.handle, self.length = handle, length

    def __iter__(self):
        length = self.length
        try:
            while length > 0:
                data = self.handle.read(min(CHUNK_BYTES, length))
                if not data:
                    break
                length -= len(data)
                yield data
        finally:
            self.close()

    def close(self):
        self.handle.close()


def _open(storage, name: str):
    """(open file, its size in bytes) of a stored file; FileNotFoundError (an OSError) if storage lost it."""
    handle = storage.open(name, "rb")
    try:
        stored_object = getattr(handle, "obj", None)  # django-storages' S3File: the object, already looked up
        return handle, (stored_object.content_length if stored_object is not None else storage.size(name))
    except BaseException:
        handle.close()
        raise


def _from(handle, start: int, length: int):
    """A readable file-like object giving the ``length`` bytes from ``start`` of an open stored file.

    Object storage is asked for just that range; reading its S3File instead would first copy the
    whole object to the app server. Any other storage's file is seeked (local disk, memory).
    """
    stored_object = getattr(handle, "obj", None)
    if stored_object is not None and length > 0:
        body = stored_object.get(Range=f"bytes={start}-{start + length - 1}")["Body"]
        handle.close()
        return body
    handle.seek(start)
    return handle


# No stored file comes near this size; a longer number in a Range header means "beyond the end" (and
# is never handed to int(), which refuses strings of more than 4,300 digits).
_BEYOND_ANY_FILE = 10**18


def _position(digits: str) -> int | None:
    if not digits:
        return None
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else _BEYOND_ANY_FILE


def _requested_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a satisfiable single range; None to send everything; False if unsatisfiable."""
    match = _RANGE.fullmatch(header.strip())
    if match is None or not any(match.groups()):
        return None
    first, last = (_position(group) for group in match.groups())
    if first is None:  # the last N bytes
        return (max(size - last, 0), size - 1) if last and size else False
    start = first
    end = min(last, size - 1) if last is not None else size - 1
    if last is not None and last < start:
        return None  # not a valid range: ignored
    return (start, end) if start < size else False


def download(content, *, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    """``content`` built by the site (a PDF, a CSV, a calendar, an export) as a file named ``filename``
    (RFC 6266: a name with umlauts survives). Browsers save it, or (``inline``) hand it to the program for its
    type, as calendar apps subscribe. ``SECURE_CONTENT_TYPE_NOSNIFF`` keeps every response from being sniffed.
    """
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def ranged_file_response(request, field_file, *, content_type: str, cache_control: str,
                         filename: str = "", as_attachment: bool = False):
    """The stored ``field_file`` (a FieldFile) for GET or HEAD, honouring Range, If-Range and If-None-Match.

    The caller has checked access. ``as_attachment`` makes browsers save the file under ``filename``
    instead of showing it. Missing files answer 404. The response is never rendered by a browser as a
    page of this site (nosniff, a sandboxing Content-Security-Policy), even when someone opens its
    address directly.
    """
    storage, name = field_file.storage, field_file.name
    try:
        handle, size = _open(storage, name)
    except OSError:
        raise Http404 from None
    try:
        response = _response(request, handle, name, size, content_type=content_type, cache_control=cache_control,
                             disposition=content_disposition_header(as_attachment, filename) if filename else None)
    except BaseException:
        handle.close()
        raise
    if not response.streaming:
        handle.close()
    return response


def _response(request, handle, name: str, size: int, *, content_type: str, cache_control: str,
              disposition: str | None):
    etag = '"{}"'.format(hashlib.sha256(f"{name}:{size}".encode()).hexdigest()[:32])
    headers = {"Accept-Ranges": "bytes", "ETag": etag, "Cache-Control": cache_control,
               "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
    if disposition:
        headers["Content-Disposition"] = disposition
    if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response = HttpResponseNotModified()
        for key, value in headers.items():
            response[key] = value
        return response

    start, end, status = 0, size - 1, 200
    if_range = request.META.get("HTTP_IF_RANGE")
    if request.META.get("HTTP_RANGE") and (if_range is None or if_range.strip() == etag):
        wanted = _requested_range(request.META["HTTP_RANGE"], size)
        if wanted is False:
            response = HttpResponse(status=416)
            for key, value in headers.items():
                response[key] = value
            response["Content-Range"] = f"bytes */{size}"
            return response
        if wanted is not None:
            (start, end), status = wanted, 206
    length = max(end - start + 1, 0)

    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    else:
        response = StreamingHttpResponse(_Chunks(_from(handle, start, length), length), status=status,
                                         content_type=content_type)
    for key, value in headers.items():
        response[key] = value
    response["Content-Length"] = str(length)
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def upload_size_check(upload, *, limit: int, name: str) -> None:
    """An uploaded file holds something and at most ``limit`` bytes (``name``: how the person sees it). The limit
    is said as it stands, never the file's size rounded to it ("10,0 MB groß; erlaubt sind höchstens 10,0 MB")."""
    if upload.size == 0:
        raise ValidationError(_("„%(name)s“ ist leer."), params={"name": name}, code="file_empty")
    if upload.size > limit:
        raise ValidationError(_("„%(name)s“ ist zu groß: erlaubt sind höchstens %(max)s."),
                              params={"name": name, "max": filesizeformat(limit)}, code="file_size")
