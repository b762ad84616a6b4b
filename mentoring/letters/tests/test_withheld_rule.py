"""Which letters a staff member may open is one rule (selectors.chooses_by, with chooses_by_q as its filter) used
in two places (selectors.letters_for, behind the admin list and access_letter; selectors.criteria_beyond, the send
service's refusal): held equal here."""
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


def test_chooses_by_and_its_filter_agree_for_every_criterion():
    for statuses, a2 in itertools.product([*STATUSES, ["rejected", "approved"]], A2):
        LetterFactory(statuses=statuses, a2_behind_year=a2)
    letters = Letter.objects.all()
    for criterion in selectors.CRITERION_RIGHTS:
        chosen = set(letters.filter(selectors.chooses_by_q(criterion)))
        assert chosen == {letter for letter in letters if selectors.chooses_by(letter, criterion)}, criterion
        assert 0 < len(chosen) < letters.count(), criterion
