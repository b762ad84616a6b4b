"""A download is named and typed after what its content was checked to be, never after the uploader's name."""
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum import services
from forum.models import Attachment, Category, Thread
from forum.uploads import download_name, validate_upload

from .conftest import PDF, PNG, docx_bytes, upload

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
# A real PNG whose trailing bytes are an HTML page: the check finds a PNG, and a PNG it stays.
POLYGLOT = PNG + b"<html><script>alert(1)</script></html>"


def _attach(mentor, name, content):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"),
                                    title="Mit Anhang", kind=Thread.Kind.TIP, topics=[], body="Siehe Anhang",
                                    files=[upload(name, content)])
    return thread.posts.get().attachments.get()


def _disposition_filenames(header: str) -> list[str]:
    return [part.strip() for part in header.split(";") if part.strip().lower().startswith("filename")]


@pytest.mark.parametrize(("name", "content", "mime", "expected"), [
    ("polyglot.html", POLYGLOT, "image/png", "polyglot.png"),
    ("skript.js", PDF, "application/pdf", "skript.pdf"),
    ("bild.svg", PNG, "image/png", "bild.png"),
    ('x"; filename="evil.html', PDF, "application/pdf", "x__ filename__evil.pdf"),
    ("../../etc/passwd", PDF, "application/pdf", "passwd.pdf"),
    ("C:\\Users\\anna\\Bericht.exe", PDF, "application/pdf", "Bericht.pdf"),
    ("re\u202eFDP.exe", PDF, "application/pdf", "reFDP.pdf"),
    ("zeile\r\nX-Evil: 1.pdf", PDF, "application/pdf", "zeileX-Evil_ 1.pdf"),
    ("Übersicht Maßnahmen.docx", docx_bytes(),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Übersicht Maßnahmen.docx"),
    ("....", PDF, "application/pdf", "anhang.pdf"),
])
def test_download_name_type_and_headers_follow_the_checked_content(client, mentor, mentee, name, content, mime,
                                                                   expected):
    attachment = _attach(mentor, name, content)
    client.force_login(mentee)
    thread_html = client.get(reverse("forum:thread", args=[attachment.post.thread_id])).content.decode()
    assert f">{expected}</a>" in thread_html
    # The link names the file once encoded (no "%2520" for a space): what a person sees is what they save.
    link = reverse("forum:attachment", args=[attachment.pk, expected])
    assert f'href="{link}"' in thread_html and unquote(link).endswith(expected)
    assert client.get(link).status_code == 200
    response = client.get(reverse("forum:attachment", args=[attachment.pk, "egal.html"]))
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    filenames = _disposition_filenames(disposition)
    assert len(filenames) == 1
    value = filenames[0].split("=", 1)[1]
    if filenames[0].startswith("filename*="):
        assert unquote(value.removeprefix("utf-8''")) == expected
    else:
        assert value == f'"{expected}"'
    assert not any(ch in disposition for ch in "\r\n\\")
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(("name", "content"), [("bild.svg", SVG), ("seite.html", HTML), ("bild.png", SVG),
                                               ("skript.js", b"alert(1)")])
def test_svg_html_and_script_are_refused_whatever_they_are_called(name, content):
    with pytest.raises(ValidationError):
        validate_upload(upload(name, content, "image/svg+xml"))


def test_an_old_row_with_an_unchecked_type_downloads_as_plain_bytes(client, mentor):
    attachment = _attach(mentor, "bild.png", PNG)
    Attachment.objects.filter(pk=attachment.pk).update(content_type="image/svg+xml", original_name="bild.svg")
    client.force_login(mentor)
    response = client.get(reverse("forum:attachment", args=[attachment.pk, "bild.svg"]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="bild.bin"'


def test_download_name_is_short_and_keeps_the_checked_extension():
    name = download_name("a" * 400 + ".html", "application/pdf")
    assert name.endswith(".pdf") and len(name) <= 124
