"""Dates and times follow the active language: "14:30 Uhr" in German, "14:30" in English, on every page."""
import datetime as dt

import pytest
from django.conf import settings
from django.template import engines
from django.utils import timezone, translation

from events.tests.factories import EventFactory
from mentoring.kernel.dates import named_format

MOMENT = dt.datetime(2026, 12, 2, 13, 30, tzinfo=dt.UTC)  # 14:30 in Berlin


def render(source: str, language: str) -> str:
    with translation.override(language):
        return engines["django"].from_string("{% load when %}" + source).render({"moment": MOMENT})


@pytest.mark.parametrize(("source", "german", "english"), [
    ('{{ moment|when:"WEEKDAY_DATETIME" }}', "Mittwoch, 2. Dezember 2026, 14:30 Uhr",
     "Wednesday, 2 December 2026, 14:30"),
    ('{{ moment|when:"DAY_TIME" }}', "2. Dezember, 14:30 Uhr", "2 December, 14:30"),
    ('{{ moment|when:"TIME" }}', "14:30 Uhr", "14:30"),
    ('{{ moment|date:"TIME_FORMAT" }}', "14:30 Uhr", "14:30"),
    ('{{ moment|date:"DATETIME_FORMAT" }}', "2. Dezember 2026, 14:30 Uhr", "2 December 2026, 14:30"),
    ('{{ moment|date:"SHORT_DATE_FORMAT" }}', "02.12.2026", "2 Dec 2026"),
    ('{{ moment|date:"SHORT_DATETIME_FORMAT" }}', "02.12.2026 14:30", "2 Dec 2026, 14:30"),
])
def test_named_formats_in_both_languages(source, german, english):
    assert render(source, "de") == german
    assert render(source, "en") == english


def test_an_unknown_format_name_is_an_error_not_a_literal():
    with translation.override("en"), pytest.raises(ValueError):
        named_format("WEEKDAY_DATETIMES")


@pytest.mark.django_db
def test_event_and_start_pages_show_uhr_only_in_german(client):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=5)
    event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    for language, has_uhr in (("de", True), ("en", False)):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in ("/", f"/veranstaltungen/{event.pk}/", "/veranstaltungen/"):
            page = client.get(path).content.decode()
            assert f'<html lang="{language}">' in page
            assert (" Uhr" in page) is has_uhr, (language, path)
