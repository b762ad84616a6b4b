"""Which letters a staff member may open is one rule in two forms (selectors.letters_for as the admin list's
filter, selectors.criteria_beyond as the refusal of preview, test mail and send): held equal here."""
import itertools

import pytest

from accounts.staff_groups import ALL
from mentoring.letters import selectors
from mentoring.letters.models import Letter

from .factories import LetterFactory, staff_in

pytestmark = pytest.mark.django_db

STATUSES = [["approved"], ["approved", "rejected"], ["submitted"], []]
A2 = [None, 2026]


def test_the_list_filter_and_the_refusal_agree_for_every_group_and_letter():
    for statuses, a2 in itertools.product(STATUSES, A2):
        LetterFactory(statuses=statuses, a2_behind_year=a2)
    letters = Letter.objects.all()
    for group in (*ALL, None):
        user = staff_in(group)
        listed = set(selectors.letters_for(user, letters))
        open_to_them = {letter for letter in letters if not selectors.criteria_beyond(letter, user)}
        assert listed == open_to_them, group
    assert 0 < len(set(selectors.letters_for(staff_in("Veranstaltungen"), letters))) < letters.count()
