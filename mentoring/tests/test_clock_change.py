"""A time in the hour the clock skips in spring or repeats in autumn is refused with what to do, not with
Django's message naming the time in ISO form and the zone."""
import pytest
from django import forms
from django.utils import translation


class Planning(forms.Form):
    at = forms.SplitDateTimeField()


@pytest.mark.parametrize("day", ["2027-03-28", "2027-10-31"])
@pytest.mark.parametrize(("language", "words"), [("de", "wegen der Zeitumstellung"), ("en", "clock change")])
def test_a_time_in_the_clock_change_says_what_to_do(day, language, words):
    with translation.override(language):
        form = Planning({"at_0": day, "at_1": "02:30"})
        assert not form.is_valid()
        message = form.errors["at"][0]
    assert words in message and "2027-" not in message and "Europe/Berlin" not in message
