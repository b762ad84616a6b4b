"""Fixtures of the forum tests: uploads in a temporary folder, small files of real types."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

# The smallest valid files of each kind that matters: the checks look at these bytes, not the names.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def pdf_upload():
    return upload("Leitfaden Hitzeaktionsplan.pdf", PDF, "application/pdf")


@pytest.fixture
def png_upload():
    return upload("karte.png", PNG, "image/png")


@pytest.fixture(autouse=True)
def _notify_at_once(request, monkeypatch):
    """Followers are notified by a Celery task after commit, which a test's transaction never reaches.

    Here the task's work runs at once, so that a test sees the mails of a post right after writing it;
    tests marked ``notify_after_commit`` keep the real path (test_notification_fanout.py).
    """
    if request.node.get_closest_marker("notify_after_commit"):
        return
    from forum.services import notifications

    monkeypatch.setattr(notifications, "post_notify_after_commit",
                        lambda *, post: notifications.post_notify_by_pk(post_pk=post.pk))
