"""The footer's "Gebärdensprache" link comes from the cache (every page asks); a change of a video shows at once."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import SignLanguageVideo

from .test_sign_language import media_root, stored_video  # noqa: F401 - the fixture keeps uploads in tmp

pytestmark = pytest.mark.django_db
LINK = 'href="/gebaerdensprache/"'


def _footer_links(client) -> bool:
    return LINK in client.get("/impressum/").content.decode()


def test_footer_link_follows_publish_unpublish_and_delete_with_a_warm_cache(client):
    assert not _footer_links(client)  # "none published" is cached now
    item = stored_video(published=False)
    assert not _footer_links(client)
    item.published = True
    item.save()
    assert _footer_links(client), "publishing must not wait for the cached answer to expire"
    item.published = False
    item.save()
    assert not _footer_links(client)
    item.published = True
    item.save()
    assert _footer_links(client)
    SignLanguageVideo.objects.filter(pk=item.pk).delete()  # the admin's bulk delete sends post_delete too
    assert not _footer_links(client)


def test_footer_asks_the_database_once_then_the_cache(client):
    stored_video()
    client.get("/impressum/")
    with CaptureQueriesContext(connection) as queries:
        assert _footer_links(client)
    assert not any("signlanguagevideo" in q["sql"].lower() for q in queries.captured_queries)


def test_footer_works_when_the_cache_does_not_answer(client, settings):
    stored_video()
    settings.CACHES = {"default": {"BACKEND": "forum.tests.test_speed.BrokenCache"}}
    assert _footer_links(client)
