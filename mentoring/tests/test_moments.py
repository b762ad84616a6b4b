"""Every ``<time datetime>`` carries a value HTML accepts: seconds at most, with the time-zone offset."""
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import timezone

from forum.tests.factories import ThreadFactory
from mentoring.kernel.dates import iso_datetime

ROOT = Path(settings.BASE_DIR)
# What the HTML standard calls a valid global date and time string, as the site writes it, or a valid date.
VALID = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d|\d{4}-\d\d-\d\d")


def test_microseconds_are_dropped_and_the_offset_is_berlins():
    winter = dt.datetime(2026, 11, 25, 13, 3, 7, 123456, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 8, 0, 0, 999999, tzinfo=dt.UTC)
    assert iso_datetime(winter) == "2026-11-25T14:03:07+01:00"
    assert iso_datetime(summer) == "2026-07-01T10:00:00+02:00"


def test_a_date_a_naive_moment_and_nothing():
    assert iso_datetime(dt.date(2026, 3, 1)) == "2026-03-01"
    assert iso_datetime(dt.datetime(2026, 3, 1, 9, 30, 0, 5)) == "2026-03-01T09:30:00+01:00"
    assert iso_datetime(None) == "" and iso_datetime("") == ""


def test_the_filter_in_a_template():
    moment = dt.datetime(2026, 11, 25, 13, 3, 7, 123456, tzinfo=dt.UTC)
    html = engines["django"].from_string('{% load moments %}<time datetime="{{ m|iso_datetime }}">x</time>').render(
        {"m": moment})
    assert html == '<time datetime="2026-11-25T14:03:07+01:00">x</time>'


def time_elements() -> list[tuple[str, str]]:
    """(file, line) of every <time> in the templates and in Python that writes HTML."""
    found = []
    for path in sorted([*(ROOT / "templates").rglob("*.html"),
                        *(p for p in ROOT.glob("*/templatetags/*.py"))]):
        for line in path.read_text().splitlines():
            if "<time" in line:
                found.append((str(path.relative_to(ROOT)), line.strip()))
    return found


def test_every_time_element_takes_its_value_from_the_one_filter():
    elements = time_elements()
    assert len(elements) >= 6, "the forum, events and start pages show times"
    wrong = [(path, line) for path, line in elements if "iso_datetime" not in line]
    assert wrong == []
    writers = [str(p.relative_to(ROOT)) for p in ROOT.glob("templates/**/*.html")
               if re.search(r"""date:\s*['"]c['"]""", p.read_text())]
    assert writers == [], "|date:'c' writes microseconds"


@pytest.mark.django_db
def test_forum_pages_carry_valid_datetime_values(client, staff_user):
    thread = ThreadFactory(last_post_at=timezone.now().replace(microsecond=654321))
    client.force_login(staff_user)
    for path in ("/forum/", f"/forum/thema/{thread.pk}/", "/forum/kategorie/fragen-antworten/"):
        values = re.findall(r'<time datetime="([^"]*)"', client.get(path).content.decode())
        assert values, path
        assert [v for v in values if not VALID.fullmatch(v)] == [], path
