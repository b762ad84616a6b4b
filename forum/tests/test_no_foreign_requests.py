"""Text in the forum (and everything else rendered as Markdown) never makes a browser contact another host."""
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from forum import services
from forum.models import Category, Thread
from mentoring.kernel.markdown import is_site_image_url, render_markdown

from .conftest import PNG, upload

pytestmark = pytest.mark.django_db

FOREIGN_IMAGES = [
    "![Logo](https://tracker.example/pixel.png)",
    "![Logo](http://tracker.example/pixel.png \"Titel\")",
    "![Logo](//tracker.example/pixel.png)",
    "![Logo](<  //tracker.example/pixel.png>)",
    "![Logo](/\\tracker.example/pixel.png)",
    "![Logo](HTTPS://TRACKER.EXAMPLE/pixel.png)",
    "![Logo](data:image/png;base64,iVBORw0KGgo=)",
    "![Logo][ref]\n\n[ref]: https://tracker.example/pixel.png",
    "[![Logo](https://tracker.example/pixel.png)](https://tracker.example/)",
    '<img src="https://tracker.example/pixel.png">',
    '<img srcset="https://tracker.example/pixel.png 2x">',
    '<p style="background:url(https://tracker.example/pixel.png)">x</p>',
    '<link rel="stylesheet" href="https://tracker.example/a.css">',
    '<video poster="https://tracker.example/p.png"></video>',
]

# Attributes by which an element makes the browser fetch something on its own.
FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "style", "formaction"}


class _FetchFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fetches = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in FETCHING_ATTRIBUTES and value is not None:
                self.fetches.append((tag, name, value))
            if tag == "link" and name == "href":
                self.fetches.append((tag, name, value))


def foreign_fetches(html: str) -> list[tuple[str, str, str]]:
    """Every address the page would load by itself that is not a path on this site."""
    finder = _FetchFinder()
    finder.feed(html)
    return [fetch for fetch in finder.fetches if fetch[1] == "style" or not is_site_image_url(fetch[2])]


@pytest.mark.parametrize("payload", FOREIGN_IMAGES)
def test_foreign_image_in_post_preview_and_report_page_loads_nothing(client, mentor, mentee, payload):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"),
                                    title="Ein Bild im Text", kind=Thread.Kind.TIP, topics=[], body=payload)
    post = thread.posts.get()
    client.force_login(mentee)
    pages = {
        "thread": client.get(reverse("forum:thread", args=[thread.pk])),
        "report": client.get(reverse("forum:post_report", args=[post.pk])),
        "preview": client.post(reverse("forum:thread_reply", args=[thread.pk]), {"body": payload, "vorschau": "1"}),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert foreign_fetches(response.content.decode()) == [], name


def test_foreign_image_becomes_a_link_the_reader_can_follow():
    html = render_markdown("![Karte der Hitzeinseln](https://geo.example/karte.png)")
    assert "<img" not in html
    assert '<a href="https://geo.example/karte.png" rel="nofollow noopener">Karte der Hitzeinseln</a>' in html


def test_own_attachment_image_is_shown(client, mentor):
    thread = services.thread_create(author=mentor, category=Category.objects.get(slug="praxistipps"),
                                    title="Bild aus dem Anhang", kind=Thread.Kind.TIP, topics=[], body="Siehe Bild",
                                    files=[upload("karte.png", PNG)])
    attachment = thread.posts.get().attachments.get()
    url = reverse("forum:attachment", args=[attachment.pk, "karte.png"])
    services.post_create(author=mentor, thread=thread, body=f"![Karte]({url})")
    client.force_login(mentor)
    html = client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    assert f'<img src="{url}" alt="Karte">' in html
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("url", "allowed"), [
    ("/forum/anhang/1/karte.png", True),
    ("/static/bild.png", True),
    ("https://example.org/a.png", False),
    ("//example.org/a.png", False),
    ("/\\example.org/a.png", False),
    ("/\t/example.org/a.png", False),
    (" //example.org/a.png", False),
    ("\x01//example.org/a.png", False),
    ("data:image/png;base64,AAAA", False),
    ("javascript:alert(1)", False),
    ("bild.png", False),
    ("", False),
])
def test_site_image_rule(url, allowed):
    assert is_site_image_url(url) is allowed


def test_event_descriptions_use_the_same_rule(client, mentor):
    from events.tests.factories import EventFactory

    event = EventFactory(description="![Plakat](https://tracker.example/plakat.png)")
    client.force_login(mentor)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert foreign_fetches(response.content.decode()) == []
