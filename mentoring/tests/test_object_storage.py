"""Uploads on the local disk or on S3-compatible object storage, always streamed by the site.

The choice of storage (settings), byte ranges served from storages other than the disk (memory,
and S3 through moto's in-process mock: only the requested bytes are fetched), forum attachments
from a non-disk storage, and admin's link to a stored file going through the site.
"""
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.http import Http404
from django.test import RequestFactory

from mentoring.kernel.files import ranged_file_response
from mentoring.settings.base import upload_storage
from mentoring.tests.production import production_settings

DATA = bytes(range(256)) * 40  # 10 240 bytes


class Stored:
    """What ranged_file_response reads of a FieldFile: its storage and name."""

    def __init__(self, storage, name):
        self.storage, self.name = storage, name


def serve(stored, method="get", **headers):
    request = getattr(RequestFactory(), method)("/datei/", **headers)
    return ranged_file_response(request, stored, content_type="application/pdf", cache_control="private, no-store",
                                filename="Leitfaden.pdf", as_attachment=True)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# Which storage ------------------------------------------------------------------------------------


def test_without_a_bucket_uploads_stay_on_the_local_disk():
    assert upload_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert upload_storage({"AWS_STORAGE_BUCKET_NAME": "  "})["BACKEND"].endswith("FileSystemStorage")


def test_a_bucket_sends_uploads_to_object_storage_without_keys_in_settings():
    storage = upload_storage({"AWS_STORAGE_BUCKET_NAME": "mentoring", "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
                              "AWS_S3_REGION_NAME": "eu-central-1", "AWS_LOCATION": "uploads",
                              "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret"})
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "mentoring" and options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "eu-central-1" and options["location"] == "uploads"
    assert options["file_overwrite"] is False and options["default_acl"] is None
    # boto3 reads the keys from the environment itself; settings (and error reports) never hold them.
    assert "key" not in repr(options) and "secret" not in repr(options)


def test_production_shares_sessions_cache_and_uploads_between_servers():
    on_disk = production_settings("STORAGES", "SESSION_ENGINE", "CACHES")
    assert on_disk["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert on_disk["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")
    # Sessions in the database and the cache in Redis: every app server sees the same.
    assert on_disk["SESSION_ENGINE"] in (None, "django.contrib.sessions.backends.db",
                                         "django.contrib.sessions.backends.cached_db")
    assert on_disk["CACHES"]["default"]["BACKEND"] == "mentoring.cache.FallbackRedisCache"
    shared = production_settings("STORAGES", AWS_STORAGE_BUCKET_NAME="mentoring",
                                 AWS_S3_ENDPOINT_URL="https://s3.example.org")
    assert shared["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert shared["STORAGES"]["default"]["OPTIONS"]["endpoint_url"] == "https://s3.example.org"


# Streaming from any storage -----------------------------------------------------------------------


@pytest.fixture
def in_memory():
    storage = InMemoryStorage()
    return Stored(storage, storage.save("forum/leitfaden.pdf", ContentFile(DATA)))


def test_memory_storage_serves_whole_file_and_ranges(in_memory):
    whole = serve(in_memory)
    assert whole.status_code == 200 and body(whole) == DATA and whole["Content-Length"] == str(len(DATA))
    assert whole["Content-Disposition"] == 'attachment; filename="Leitfaden.pdf"'
    part = serve(in_memory, HTTP_RANGE="bytes=5000-5099")
    assert part.status_code == 206 and body(part) == DATA[5000:5100]
    assert part["Content-Range"] == f"bytes 5000-5099/{len(DATA)}"
    assert body(serve(in_memory, HTTP_RANGE="bytes=-10")) == DATA[-10:]
    assert serve(in_memory, HTTP_RANGE=f"bytes={len(DATA)}-").status_code == 416
    head = serve(in_memory, method="head", HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10" and head.content == b""


def test_a_file_the_storage_lost_is_a_404(in_memory):
    with pytest.raises(Http404):
        serve(Stored(in_memory.storage, "forum/weg.pdf"))


@pytest.fixture
def s3_storage():
    pytest.importorskip("moto")
    from moto import mock_aws
    from storages.backends.s3 import S3Storage

    with mock_aws():
        storage = S3Storage(bucket_name="mentoring", region_name="eu-central-1", file_overwrite=False,
                            access_key="test", secret_key="test")
        storage.connection.meta.client.create_bucket(
            Bucket="mentoring", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        yield storage


def test_object_storage_is_asked_for_the_requested_bytes_only(s3_storage, monkeypatch):
    stored = Stored(s3_storage, s3_storage.save("forum/leitfaden.pdf", ContentFile(DATA)))
    opened = []
    original_open = s3_storage.open
    monkeypatch.setattr(s3_storage, "open", lambda name, mode="rb": opened.append(original_open(name, mode))
                        or opened[-1])
    part = serve(stored, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and body(part) == DATA[100:200]
    assert opened[-1]._file is None  # the S3File never copied the whole object to this server
    whole = serve(stored)
    assert whole.status_code == 200 and body(whole) == DATA
    with pytest.raises(Http404):
        serve(Stored(s3_storage, "forum/weg.pdf"))


# Forum attachments and admin ----------------------------------------------------------------------


@pytest.mark.django_db
def test_forum_attachment_streams_from_a_non_disk_storage(client, mentor, settings, tmp_path):
    from forum.models import Category, Thread
    from forum.services import thread_create
    from forum.tests.conftest import PDF, upload

    settings.MEDIA_ROOT = tmp_path / "media"  # empty: nothing may land on the disk
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    thread = thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"), title="Mit Anhang",
                           kind=Thread.Kind.TIP, topics=[], body="Siehe Anhang",
                           files=[upload("Plan.pdf", PDF, "application/pdf")], notify=False)
    attachment = thread.posts.get().attachments.get()
    assert not (settings.MEDIA_ROOT / "forum").exists()
    client.force_login(mentor)
    url = f"/forum/anhang/{attachment.pk}/Plan.pdf"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="Plan.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    part = client.get(url, HTTP_RANGE="bytes=0-7")
    assert part.status_code == 206 and b"".join(part.streaming_content) == PDF[:8]


@pytest.mark.django_db
def test_admin_links_the_current_sign_language_files_through_the_site(client, staff_user, settings, tmp_path):
    from mentoring.tests.test_sign_language import VTT, stored_video

    settings.MEDIA_ROOT = tmp_path / "media"
    item = stored_video(captions=VTT)
    client.force_login(staff_user)
    html = client.get(f"/admin/mentoring/signlanguagevideo/{item.pk}/change/").content.decode()
    assert f'href="/gebaerdensprache/{item.pk}/video/"' in html
    assert f'href="/gebaerdensprache/{item.pk}/untertitel/"' in html
    assert "/medien/" not in html
    assert client.get(f"/gebaerdensprache/{item.pk}/untertitel/").status_code == 200
