"""Double clicks and two staff at once on PostgreSQL: one consent, one account, one open Jahrgang."""
import datetime

import pytest
from django.test import Client

from accounts import services
from accounts.models import Consent, ProgrammeYear, Registration, User

from .factories import participant
from .test_registration import URL, form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_giving_a_consent_twice_at_once_stores_one_and_answers_both(at_once):
    """Nothing was locked: the second insert broke the one-active-consent constraint, and the page answered 500."""
    person = participant()
    results = at_once([lambda: services.consent_give(user=person, purpose=Consent.Purpose.NEWS) for _ in range(4)])
    assert all(isinstance(result, Consent) for result in results), results
    assert person.consents.active().filter(purpose=Consent.Purpose.NEWS).count() == 1


def test_the_anmeldung_sent_twice_at_once_makes_one_account_and_answers_both(at_once):
    """Both requests found no account and created one: the second failed on the unique address with a 500."""
    responses = at_once([lambda: Client().post(URL, form_data()) for _ in range(3)])
    assert [getattr(response, "status_code", response) for response in responses] == [302] * 3
    assert User.objects.filter(email="anna.becker@kassel.de").count() == 1
    assert Registration.objects.filter(user__email="anna.becker@kassel.de").count() == 1


@pytest.mark.parametrize("attempt", range(8))  # the race is met in about half the tries
def test_two_staff_opening_two_jahrgaenge_at_once_leave_one_open(at_once, attempt):
    ProgrammeYear.objects.update(is_open=False)
    years = [ProgrammeYear.objects.create(label=f"20{40 + attempt * 3 + n}", opens_on=datetime.date(2040 + n, 9, 1))
             for n in range(3)]
    ProgrammeYear.objects.filter(pk=years[0].pk).update(is_open=True)
    results = at_once([lambda year=year: services.programme_year_open(year=year) for year in years[1:]])
    assert all(isinstance(result, ProgrammeYear) for result in results), results  # no deadlock, no error
    assert ProgrammeYear.objects.filter(is_open=True).count() == 1

