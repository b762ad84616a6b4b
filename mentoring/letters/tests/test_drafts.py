"""Saving a draft (services.letter_draft_save): who wrote it, and the group of staff who see no registrations."""
import pytest

from accounts.staff_groups import VERANSTALTUNGEN
from mentoring.letters import services
from mentoring.letters.models import Letter

from .factories import koordination, staff_in

pytestmark = pytest.mark.django_db


def test_a_new_draft_records_its_author_and_keeps_the_chosen_statuses():
    author = koordination()
    letter = services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text", statuses=["submitted"]),
                                        by=author)
    letter.refresh_from_db()
    assert (letter.created_by, letter.statuses, letter.is_draft) == (author, ["submitted"], True)


def test_staff_who_see_no_registrations_write_to_approved_participants_only():
    letter = services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text", statuses=[]),
                                        by=staff_in(VERANSTALTUNGEN))
    letter.refresh_from_db()
    assert letter.statuses == ["approved"]


def test_changing_a_draft_keeps_who_wrote_it():
    author = koordination()
    letter = services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text"), by=author)
    letter.subject_de = "Hallo zusammen"
    services.letter_draft_save(letter=letter, by=koordination())
    letter.refresh_from_db()
    assert (letter.subject_de, letter.created_by) == ("Hallo zusammen", author)
