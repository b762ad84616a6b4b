"""A Jahrgang opened and closed by staff: its dates say which registrations belong to it."""
import datetime

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import ProgrammeYear

pytestmark = pytest.mark.django_db


def test_a_jahrgang_opened_again_after_its_end_has_no_end_in_the_past():
    """It stayed open with an end in the past: today's registrations belonged to no year by date."""
    year = ProgrammeYear.objects.create(label="2031/32", opens_on=datetime.date(2020, 9, 1),
                                        closes_on=timezone.localdate() - datetime.timedelta(days=3))
    services.programme_year_open(year=year)
    year.refresh_from_db()
    assert year.is_open and year.closes_on is None
    # Closed by mistake and opened again the same day: no end either (from tomorrow it would lie in the past).
    services.programme_year_close(year=year)
    year.refresh_from_db()
    assert year.closes_on == timezone.localdate()
    services.programme_year_open(year=year)
    year.refresh_from_db()
    assert year.is_open and year.closes_on is None
