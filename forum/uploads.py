"""Checks of uploaded attachments by their content (magic bytes), not by their name."""
import os
import re
import unicodedata

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentoring.kernel.files import upload_size_check

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_POST = 5

# What participants share: PDFs, office documents, images. Detected MIME type → extension on disk.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
ALLOWED_LABEL = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP"


# Letters and digits of any script, spaces and a few harmless marks; everything else in a
# name (quotes, ";", "/", "\\", "<", control and format characters) becomes "_".
_UNSAFE_IN_NAME = re.compile(r"[^\w ()+,.\-]")
STEM_MAX_LENGTH = 120


def clean_filename(name: str) -> str:
    """A display name without paths, control characters or overlong parts (for messages)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "anhang"
    stem, ext = os.path.splitext(name)
    return stem[: 200 - len(ext[:10])] + ext[:10]


def served_type_for_content(content_type: str) -> tuple[str, str]:
    """(MIME type, extension) a stored file is served with: only a checked type, else plain bytes."""
    if content_type in ALLOWED_TYPES:
        return content_type, ALLOWED_TYPES[content_type]
    return "application/octet-stream", "bin"


def download_name(name: str, content_type: str) -> str:
    """The uploader's name reduced to safe characters, with the extension of the checked type.

    "polyglot.html" holding a PNG downloads as "polyglot.png": the browser and the
    operating system then treat the file as what it was checked to be.
    """
    stem = os.path.splitext(clean_filename(name))[0]
    stem = " ".join(_UNSAFE_IN_NAME.sub("_", stem).split()).strip(" ._")[:STEM_MAX_LENGTH].strip(" ._")
    return f"{stem or 'anhang'}.{served_type_for_content(content_type)[1]}"


def detect_type(upload) -> tuple[str, str]:
    """(MIME type, extension) found in the file's first bytes; ValidationError if not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    # Office Open XML is a zip: filetype needs more of it to see the "word/" or "xl/" parts.
    if kind is not None and kind.mime == "application/zip":
        kind = filetype.guess(upload.read(262144)) or kind
        upload.seek(0)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("„%(name)s“ ist kein erlaubter Dateityp. Erlaubt sind: %(allowed)s."),
            params={"name": clean_filename(upload.name), "allowed": ALLOWED_LABEL}, code="file_type")
    return kind.mime, ALLOWED_TYPES[kind.mime]


def validate_upload(upload) -> tuple[str, str]:
    upload_size_check(upload, limit=MAX_ATTACHMENT_BYTES, name=clean_filename(upload.name))
    return detect_type(upload)
