"""Two app servers are one site: one PostgreSQL, one Redis and one S3-compatible object storage.

Two gunicorn processes with production's settings (mentoring/tests/two_servers_settings.py: plain
HTTP on this machine) share the test database, Redis (REDIS_URL) and a local S3 server (moto). A
person logs in through A and is logged in on B; a forum attachment uploaded through A is streamed
by B, byte for byte, to those who may read it (404 to others, never a redirect to the storage
host); a thread page cached by B is served by A; failed logins counted in the cache by A lock
the account on B too.
"""
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from accounts.tests.factories import PASSWORD, StaffFactory, participant
from conftest import missing
from mentoring.tests.production import production_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

FORWARDED = {"X-Forwarded-For": "203.0.113.7"}  # as production's reverse proxy sends it
# A PDF by its first bytes, large enough to be streamed in several chunks and asked for in ranges.
PDF = b"%PDF-1.4\n" + secrets.token_bytes(300_000) + b"\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading the site
            pass
        time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"{url} did not answer:\n{log.read()[-3000:]}")


@pytest.fixture
def object_storage():
    """A local S3-compatible server (moto) with an empty bucket: (endpoint URL, bucket name)."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError:
        missing("moto[server] and boto3 are not installed (requirements-dev.txt)")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint, bucket = f"http://127.0.0.1:{port}", "mentoring-uploads"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-central-1", aws_access_key_id="test",
                      aws_secret_access_key="test")  # noqa: S106 - moto's
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    yield endpoint, bucket, s3
    server.stop()


@pytest.fixture
def shared_services(transactional_db) -> str:
    """The Redis URL, once PostgreSQL and Redis are known to be there (skips or, in CI, fails)."""
    if connection.vendor != "postgresql":
        missing("this test needs PostgreSQL (set DATABASE_URL)")
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        missing("this test needs Redis (set REDIS_URL)")
    return redis_url


@pytest.fixture
def two_servers(shared_services, object_storage, tmp_path):
    """Base URLs of app servers A and B, started as production starts them (gunicorn)."""
    import redis

    redis_url = shared_services

    broker = redis.Redis.from_url(redis_url)
    queued_before = broker.exists("celery")
    db = connection.settings_dict
    database_url = "postgres://{}:{}@{}:{}/{}".format(
        quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe=""), db["HOST"] or "127.0.0.1",
        db["PORT"] or 5432, db["NAME"])
    endpoint, bucket, _s3 = object_storage
    env = production_env(
        DJANGO_SETTINGS_MODULE="mentoring.tests.two_servers_settings", DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url, REDIS_URL=redis_url, EMAIL_URL="consolemail://", CONN_MAX_AGE="0",
        AWS_STORAGE_BUCKET_NAME=bucket, AWS_S3_ENDPOINT_URL=endpoint, AWS_S3_REGION_NAME="eu-central-1",
        AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", MEDIA_ROOT=str(tmp_path / "not-used"))
    processes, urls = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = open(tmp_path / f"{name}.log", "w+")  # noqa: SIM115 - closed below
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "mentoring.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--threads", "4", "--timeout", "60", "--graceful-timeout", "2"],
                cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            processes.append((process, log))
            urls.append(f"http://127.0.0.1:{port}")
        for url, (process, log) in zip(urls, processes, strict=True):
            wait_until_up(f"{url}/healthz/", process, log)
        yield urls
    finally:
        for process, log in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        if not queued_before:
            broker.delete("celery")  # mails the servers queued for a worker that never ran


def new_browser():
    import requests

    browser = requests.Session()
    browser.headers.update(FORWARDED)
    return browser


def logged_in(base_url: str, email: str):
    browser = new_browser()
    response = log_in(browser, base_url, email, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/profil/"), response.text[-2000:]
    return browser


def log_in(browser, base_url: str, email: str, password: str):
    page = browser.get(f"{base_url}/konto/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(f"{base_url}/konto/login/", data={"login": email, "password": password,
                                                          "csrfmiddlewaretoken": token}, allow_redirects=False)


def production_password(*users) -> None:
    """The factories' password under a hasher production knows (the tests' MD5 is not among them)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    for user in users:
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8), iterations=1000)
        user.save(update_fields=["password"])


def test_a_session_an_upload_and_the_cache_made_through_one_server_serve_the_other(two_servers, object_storage):
    from forum.models import Attachment, Category, Thread
    from forum.services import thread_create

    a, b = two_servers
    endpoint, bucket, s3 = object_storage
    mentor = participant(mentor=True)
    mentee = participant()
    production_password(mentor, mentee)
    thread = thread_create(author=StaffFactory(), category=Category.objects.get(slug="methoden-hilfsmittel"),
                           title="Gesprächsleitfaden", kind=Thread.Kind.TIP, topics=[], body="Für Mentor*innen",
                           notify=False)

    # A session made by A is a login on B.
    browser = logged_in(a, mentor.email)
    profile = browser.get(f"{b}/profil/", allow_redirects=False)
    assert profile.status_code == 200 and mentor.email in profile.text

    # An attachment uploaded through A goes to the object storage ...
    reply_url = f"{a}/forum/thema/{thread.pk}/antworten/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(reply_url).text).group(1)
    posted = browser.post(reply_url, data={"body": "Der Leitfaden als PDF.", "csrfmiddlewaretoken": token},
                          files={"attachments": ("Leitfaden Erstgespräch.pdf", PDF, "application/pdf")},
                          allow_redirects=False)
    assert posted.status_code == 302, posted.text[-2000:]
    attachment = Attachment.objects.get(post__thread=thread)
    stored = s3.get_object(Bucket=bucket, Key=attachment.file.name)["Body"].read()
    assert stored == PDF

    # ... and B streams it itself: the page links the site, never the storage host.
    page = browser.get(f"{b}/forum/thema/{thread.pk}/").text
    link = re.search(rf'href="(/forum/anhang/{attachment.pk}/[^"]+)"', page).group(1)
    assert endpoint not in page and bucket not in page
    download = browser.get(f"{b}{link}", allow_redirects=False)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Disposition"] == "attachment; filename*=utf-8''Leitfaden%20Erstgespr%C3%A4ch.pdf"
    part = browser.get(f"{b}{link}", headers={"Range": "bytes=1000-1999"}, allow_redirects=False)
    assert part.status_code == 206 and part.content == PDF[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(PDF)}"

    # Someone who may not read the mentors' category gets a 404 from either server.
    other = logged_in(b, mentee.email)
    for server in (a, b):
        assert other.get(f"{server}{link}", allow_redirects=False).status_code == 404

    # The cache is shared: the thread's post list B rendered above is what A serves, even after the
    # stored HTML changed behind the cache's back (no edit through the site, so no new version).
    from forum.models import Post

    Post.objects.filter(thread=thread).update(body_html="<p>nur in der Datenbank</p>")
    cached = browser.get(f"{a}/forum/thema/{thread.pk}/").text
    assert "Der Leitfaden als PDF." in cached and "nur in der Datenbank" not in cached

    # Failed logins counted through A lock the account on B as well.
    guesser = new_browser()
    for _attempt in range(5):
        assert log_in(guesser, a, mentee.email, "falsch-geraten-123").status_code == 200
    locked = log_in(new_browser(), b, mentee.email, PASSWORD)
    assert locked.status_code == 200 and "Zu viele fehlgeschlagene Anmeldeversuche" in locked.text
