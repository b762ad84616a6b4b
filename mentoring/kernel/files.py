"""Serving a stored file with byte ranges (RFC 9110 § 14), as browsers fetch video: seek, resume, replay.

Django's FileResponse always sends the whole file from its first byte; a browser then cannot
jump ahead in a video (Safari does not play it at all). One range per request is served with
206, a malformed or multi-range header is ignored (the whole file follows with 200, which
RFC 9110 allows), a range past the end answers 416.
"""
import hashlib
import re

from django.http import Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import parse_etags

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK_BYTES = 64 * 1024


def _chunks(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(CHUNK_BYTES, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def _requested_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a satisfiable single range; None to send everything; False if unsatisfiable."""
    match = _RANGE.fullmatch(header.strip())
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        suffix = int(last)
        return (max(size - suffix, 0), size - 1) if suffix and size else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # not a valid range: ignored
    return (start, end) if start < size else False


def ranged_file_response(request, field_file, *, content_type: str, cache_control: str,
                         filename: str = ""):
    """The stored ``field_file`` (a FieldFile) for GET or HEAD, honouring Range, If-Range and If-None-Match.

    Missing files answer 404. The response is never rendered by a browser as a page of this site
    (nosniff, a sandboxing Content-Security-Policy), even when someone opens its address directly.
    """
    storage, name = field_file.storage, field_file.name
    try:
        size = storage.size(name)
    except OSError:
        raise Http404 from None
    etag = '"{}"'.format(hashlib.sha256(f"{name}:{size}".encode()).hexdigest()[:32])
    headers = {"Accept-Ranges": "bytes", "ETag": etag, "Cache-Control": cache_control,
               "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
    if filename:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
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
        handle = storage.open(name, "rb")
        handle.seek(start)
        response = StreamingHttpResponse(_chunks(handle, length), status=status, content_type=content_type)
    for key, value in headers.items():
        response[key] = value
    response["Content-Length"] = str(length)
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
