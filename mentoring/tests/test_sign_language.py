"""Deutsche Gebärdensprache: staff upload the video in admin, the site serves it itself (with byte
ranges) under a transcript, and the footer links it once a video is published."""
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from mentoring.models import SignLanguageVideo

pytestmark = pytest.mark.django_db

ADD = "/admin/mentoring/signlanguagevideo/add/"
# The smallest thing that is an MP4 by its content: an ISO-BMFF "ftyp" box naming the isom brand.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + bytes(range(256)) * 8
WEBM = (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
        b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + bytes(512))
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nWillkommen beim Mentoring-Programm.\n"
TRANSCRIPT = "## Willkommen\n\nDas Programm bringt **erfahrene** und neue Klimaanpassungsmanager*innen zusammen."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_video(*, published=True, video=("dgs.mp4", MP4), captions=None, poster=None, **fields):
    item = SignLanguageVideo(title=fields.pop("title", "Die Website in Gebärdensprache"),
                             transcript=fields.pop("transcript", TRANSCRIPT), published=published, **fields)
    item.video.save(video[0], ContentFile(video[1]), save=False)
    if captions:
        item.captions.save("untertitel.vtt", ContentFile(captions), save=False)
    if poster:
        item.poster.save("bild.png", ContentFile(poster), save=False)
    item.save()
    return item


def upload(client, *, video=("dgs.mp4", MP4, "video/mp4"), **extra):
    data = {"title": "Die Website in Gebärdensprache", "transcript": TRANSCRIPT, "position": "0",
            "video": SimpleUploadedFile(*video)}
    data.update(extra)
    return client.post(ADD, data)


def field_errors(html: str, field: str) -> str:
    """The error list Django admin shows inside the row of ``field``."""
    row = re.search(rf'<div class="form-row[^"]*field-{field}\b.*?(?=<div class="form-row|</fieldset>)', html,
                    re.DOTALL)
    assert row, f"no row for {field}"
    errors = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', row.group(0), re.DOTALL)
    return re.sub(r"<[^>]+>", " ", errors.group(1)) if errors else ""


# Upload in admin ------------------------------------------------------------------------------


def test_staff_upload_a_valid_video_with_captions_and_poster(client, staff_user, media_root):
    client.force_login(staff_user)
    form = client.get(ADD).content.decode()
    assert "Video in Gebärdensprache" in form and "MP4 (H.264) oder WebM" in form and "Höchstens 50" in form
    response = upload(client, published="on",
                      captions=SimpleUploadedFile("untertitel.vtt", VTT, "text/vtt"),
                      poster=SimpleUploadedFile("bild.png", PNG, "image/png"))
    assert response.status_code == 302, response.content.decode()[:3000]
    item = SignLanguageVideo.objects.get()
    assert item.published and item.video_type == "video/mp4"
    assert re.fullmatch(r"gebaerdensprache/[0-9a-f]{32}\.mp4", item.video.name)
    assert (media_root / item.video.name).read_bytes() == MP4
    assert item.captions.name.endswith(".vtt") and item.poster.name.endswith(".png")
    change = client.get(f"/admin/mentoring/signlanguagevideo/{item.pk}/change/").content.decode()
    assert f'src="/gebaerdensprache/{item.pk}/video/"' in change  # the preview plays the stored file


def test_staff_upload_webm(client, staff_user):
    client.force_login(staff_user)
    assert upload(client, video=("dgs.webm", WEBM, "video/webm")).status_code == 302
    assert SignLanguageVideo.objects.get().video_type == "video/webm"


@pytest.mark.parametrize(("field", "upload_file", "message"), [
    ("video", ("anleitung.pdf", b"%PDF-1.7\n" + bytes(100), "application/pdf"),
     "„anleitung.pdf“ ist kein erlaubter Dateityp. Bitte laden Sie ein Video im Format MP4 oder WebM hoch"),
    ("video", ("film.avi", b"RIFF\x00\x00\x00\x00AVI LIST" + bytes(100), "video/x-msvideo"),
     "„film.avi“ ist kein erlaubter Dateityp."),
    ("video", ("getarnt.mp4", b"<html><script>alert(1)</script></html>", "video/mp4"),
     "„getarnt.mp4“ ist dem Inhalt nach kein MP4-Video."),
    ("video", ("vertauscht.webm", MP4, "video/webm"), "„vertauscht.webm“ ist dem Inhalt nach kein WEBM-Video."),
    ("captions", ("untertitel.srt", b"1\n00:00:00,000 --> 00:00:02,000\nHallo\n", "text/plain"),
     "Untertitel bitte als WebVTT-Datei (Endung .vtt) hochladen."),
    ("captions", ("untertitel.vtt", b"1\n00:00:00,000 --> 00:00:02,000\nHallo\n", "text/vtt"),
     "Die erste Zeile muss „WEBVTT“ lauten."),
    ("captions", ("untertitel.vtt", b"WEBVTT\n\n\xff\xfe kaputt", "text/vtt"), "nicht in UTF-8 gespeichert"),
    ("poster", ("bild.gif", b"GIF89a" + bytes(50), "image/gif"), "Erlaubt sind Bilder im Format JPEG, PNG oder WebP."),
    ("poster", ("bild.png", b"kein Bild", "image/png"), "ist dem Inhalt nach kein Bild"),
])
def test_wrong_file_is_refused_with_a_german_message_next_to_the_field(client, staff_user, media_root, field,
                                                                       upload_file, message):
    client.force_login(staff_user)
    extra = {} if field == "video" else {field: SimpleUploadedFile(*upload_file)}
    response = upload(client, **({"video": upload_file} if field == "video" else {}), **extra)
    assert response.status_code == 200
    assert message in field_errors(response.content.decode(), field)
    assert not SignLanguageVideo.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_too_large_video_is_refused(client, staff_user, settings):
    settings.SIGN_LANGUAGE_VIDEO_MAX_MB = 1
    client.force_login(staff_user)
    big = MP4 + bytes(1024 * 1024)
    response = upload(client, video=("lang.mp4", big, "video/mp4"))
    assert "erlaubt sind höchstens 1,0\xa0MB" in field_errors(response.content.decode(), "video")
    assert not SignLanguageVideo.objects.exists()


def test_transcript_is_required(client, staff_user):
    client.force_login(staff_user)
    response = upload(client, transcript="")
    assert "Dieses Feld ist zwingend erforderlich." in field_errors(response.content.decode(), "transcript")


def test_participants_cannot_reach_the_upload(client, mentee):
    client.force_login(mentee)
    response = client.get(ADD)
    assert response.status_code == 302 and "/admin/login/" in response.url


# The page ----------------------------------------------------------------------------------------


def test_no_page_and_no_footer_link_before_a_video_is_published(client):
    assert client.get("/gebaerdensprache/").status_code == 404
    stored_video(published=False)
    assert client.get("/gebaerdensprache/").status_code == 404
    for path in ("/", "/impressum/", "/leichte-sprache/"):
        html = client.get(path).content.decode()
        assert 'href="/gebaerdensprache/"' not in html, path


def test_published_video_is_on_the_page_with_its_transcript_and_in_every_footer(client):
    item = stored_video(captions=VTT, poster=PNG)
    response = client.get("/gebaerdensprache/")
    assert response.status_code == 200
    html = response.content.decode()
    video = re.search(r"<video\b[^>]*>", html).group(0)
    assert " controls" in video and f'poster="/gebaerdensprache/{item.pk}/vorschaubild/"' in video
    assert f'<source src="/gebaerdensprache/{item.pk}/video/" type="video/mp4">' in html
    assert (f'<track kind="captions" srclang="de" label="Deutsch" src="/gebaerdensprache/{item.pk}/untertitel/">'
            in html)
    assert "<h2>Willkommen</h2>" in html and "<strong>erfahrene</strong>" in html  # Markdown rendered
    assert "Die Website in Gebärdensprache" in html
    external = re.findall(r'(?:src|href|poster)="((?:https?:)?//[^"]+)"', html)
    assert external == [], "the site serves the video itself, no third-party player"
    for path in ("/", "/impressum/", "/anmeldung/", "/leichte-sprache/"):
        assert 'href="/gebaerdensprache/"' in client.get(path).content.decode(), path


def test_unpublished_videos_stay_off_the_page(client):
    stored_video(title="Erste Fassung", published=False)
    stored_video(title="Freigegeben")
    html = client.get("/gebaerdensprache/").content.decode()
    assert "Freigegeben" in html and "Erste Fassung" not in html


def test_transcript_markdown_is_sanitised(client):
    stored_video(transcript="<script>alert(1)</script>\n\n[Link](javascript:alert(1)) ![Bild](https://evil.example/x.png)")
    html = client.get("/gebaerdensprache/").content.decode()
    assert "&lt;script&gt;alert(1)" in html and 'href="javascript:' not in html
    assert re.findall(r"<script\b[^>]*>", html) == [f'<script src="/static/{name}"></script>'.replace("</script>", "")
                                                    for name in ("bootstrap/js/bootstrap.bundle.min.js", "js/site.js")]
    assert 'src="https://evil.example' not in html  # a foreign image becomes a plain link


def test_footer_costs_one_query(client, django_assert_max_num_queries):
    stored_video()
    with django_assert_max_num_queries(1):
        assert client.get("/leichte-sprache/").status_code == 200


# Serving the files --------------------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_video_is_served_whole_with_its_type(client):
    item = stored_video()
    response = client.get(f"/gebaerdensprache/{item.pk}/video/")
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes" and response["Content-Length"] == str(len(MP4))
    assert response["X-Content-Type-Options"] == "nosniff" and "public" in response["Cache-Control"]
    assert body(response) == MP4


@pytest.mark.parametrize(("header", "status", "content_range", "part"), [
    ("bytes=0-9", 206, f"bytes 0-9/{len(MP4)}", MP4[:10]),
    ("bytes=100-", 206, f"bytes 100-{len(MP4) - 1}/{len(MP4)}", MP4[100:]),
    ("bytes=-16", 206, f"bytes {len(MP4) - 16}-{len(MP4) - 1}/{len(MP4)}", MP4[-16:]),
    (f"bytes=10-{len(MP4) + 500}", 206, f"bytes 10-{len(MP4) - 1}/{len(MP4)}", MP4[10:]),
    ("bytes=0-1,5-6", 200, None, MP4),  # several ranges: the whole file (RFC 9110 allows it)
    ("bytes=9-3", 200, None, MP4),  # invalid: ignored
    ("pages=1-2", 200, None, MP4),
    # Numbers longer than int() takes (4,300 digits): an end or a suffix beyond the file means all of it.
    ("bytes=0-" + "9" * 4400, 206, f"bytes 0-{len(MP4) - 1}/{len(MP4)}", MP4),
    ("bytes=-" + "9" * 4400, 206, f"bytes 0-{len(MP4) - 1}/{len(MP4)}", MP4),
    ("bytes=" + "0" * 30 + "10-" + "0" * 30 + "19", 206, f"bytes 10-19/{len(MP4)}", MP4[10:20]),
])
def test_video_honours_byte_ranges(client, header, status, content_range, part):
    item = stored_video()
    response = client.get(f"/gebaerdensprache/{item.pk}/video/", HTTP_RANGE=header)
    assert response.status_code == status
    assert response.get("Content-Range") == content_range
    assert response["Content-Length"] == str(len(part)) and body(response) == part


def test_unsatisfiable_range_and_conditional_requests(client):
    item = stored_video()
    url = f"/gebaerdensprache/{item.pk}/video/"
    for start in (str(len(MP4)), "9" * 4400):
        response = client.get(url, HTTP_RANGE=f"bytes={start}-")
        assert response.status_code == 416 and response["Content-Range"] == f"bytes */{len(MP4)}"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag).status_code == 206
    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"veraltet"')
    assert stale.status_code == 200 and body(stale) == MP4
    head = client.head(url, HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10" and head.content == b""
    assert client.post(url).status_code == 405


def test_captions_and_poster_are_served_with_their_types(client):
    item = stored_video(captions=VTT, poster=PNG)
    captions = client.get(f"/gebaerdensprache/{item.pk}/untertitel/")
    assert captions["Content-Type"] == "text/vtt; charset=utf-8" and body(captions) == VTT
    poster = client.get(f"/gebaerdensprache/{item.pk}/vorschaubild/")
    assert poster["Content-Type"] == "image/png" and body(poster) == PNG


def test_missing_and_unpublished_files_answer_404_except_to_staff(client, staff_user, mentee):
    draft = stored_video(published=False)
    published = stored_video()
    for path in (f"/gebaerdensprache/{draft.pk}/video/", f"/gebaerdensprache/{published.pk}/untertitel/",
                 f"/gebaerdensprache/{published.pk}/unsinn/", "/gebaerdensprache/987654/video/"):
        assert client.get(path).status_code == 404, path
    client.force_login(mentee)
    assert client.get(f"/gebaerdensprache/{draft.pk}/video/").status_code == 404
    client.force_login(staff_user)
    preview = client.get(f"/gebaerdensprache/{draft.pk}/video/")
    assert preview.status_code == 200 and preview["Cache-Control"] == "private, no-store"


def test_lost_file_is_a_404_not_a_500(client, media_root):
    item = stored_video()
    (media_root / item.video.name).unlink()
    assert client.get(f"/gebaerdensprache/{item.pk}/video/").status_code == 404
    assert client.get("/gebaerdensprache/").status_code == 200


def test_replaced_cleared_and_deleted_files_leave_storage(client, staff_user, media_root,
                                                          django_capture_on_commit_callbacks):
    item = stored_video(captions=VTT)
    old_video, old_captions = media_root / item.video.name, media_root / item.captions.name
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/mentoring/signlanguagevideo/{item.pk}/change/", {
            "title": item.title, "transcript": item.transcript, "position": "0", "published": "on",
            "video": SimpleUploadedFile("neu.webm", WEBM, "video/webm"), "captions-clear": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not old_video.exists() and not old_captions.exists() and not item.captions
    new_video = media_root / item.video.name
    assert new_video.read_bytes() == WEBM
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert not new_video.exists()
