"""Saving a draft (services.letter_draft_save): who wrote it, and the group of staff who see no registrations."""
import pytest
from django.utils import timezone

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


def test_a_draft_sent_while_it_was_being_edited_stays_as_it_was_sent(client):
    author = koordination()
    letter = services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text"), by=author)
    # A colleague sends it between opening the change form and saving it.
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.SENT, sending_started_at=timezone.now())
    letter.subject_de, letter.body_de = "Anders", "Geänderter Text"
    with pytest.raises(services.LetterError, match="inzwischen versendet"):
        services.letter_draft_save(letter=letter, by=author)
    stored = Letter.objects.get(pk=letter.pk)
    assert (stored.subject_de, stored.body_de, stored.status) == ("Hallo", "Text", Letter.Status.SENT)


def test_in_admin_a_letter_sent_since_the_form_opened_is_a_message_not_403(client):
    """The real sequence: the form is open, a colleague sends the letter, the form is saved."""
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from .test_admin import form

    author = koordination()
    letter = services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text"), by=author)
    client.force_login(author)
    url = reverse("admin:letters_letter_change", args=[letter.pk])
    assert client.get(url).status_code == 200
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.SENT, sending_started_at=timezone.now())
    response = client.post(url, form(subject_de="Anders"))
    assert response.status_code == 302 and response["Location"] == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [str(services.SENT_MEANWHILE)]
    assert Letter.objects.get(pk=letter.pk).subject_de == "Hallo"


def test_in_admin_a_refusal_during_the_save_is_a_message_and_nothing_is_saved(client, monkeypatch):
    """A send landing between Django's permission check and the service's lock: the service refuses."""
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from .test_admin import form

    author = koordination()
    letter = services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text"), by=author)
    original = services.letter_draft_save

    def sent_meanwhile(*, letter, by):
        Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.SENT, sending_started_at=timezone.now())
        return original(letter=letter, by=by)

    monkeypatch.setattr(services, "letter_draft_save", sent_meanwhile)
    client.force_login(author)
    url = reverse("admin:letters_letter_change", args=[letter.pk])
    response = client.post(url, form(subject_de="Anders"))
    # The page again with what was typed and the reason (here the simulated send was rolled back with the save;
    # a real one stays, and the page then says so as a message: the test above).
    assert response.status_code == 200
    form_shown = response.context["adminform"].form
    assert any("inzwischen versendet" in message for message in form_shown.non_field_errors())
    assert form_shown["subject_de"].value() == "Anders"
    assert not list(get_messages(response.wsgi_request))
    # The transaction around the save rolled back (here with the simulated send, which ran inside it): the
    # edit is gone.
    assert Letter.objects.get(pk=letter.pk).subject_de == "Hallo"


def test_only_staff_who_may_send_it_write_or_change_a_wichtige_information():
    """The admin hid the page from them, but the service saved whatever it was handed: the Koordination would
    then send a text and group written by someone else to people who gave no consent to news."""
    from mentoring.letters.services.errors import LetterError

    events_staff = staff_in(VERANSTALTUNGEN)
    with pytest.raises(LetterError) as refused:
        services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text", kind=Letter.Kind.ESSENTIAL,
                                                 reason="Alle"), by=events_staff)
    assert refused.value.field == "kind"
    assert not Letter.objects.exists()
    essential = services.letter_draft_save(letter=Letter(subject_de="Hallo", body_de="Text", reason="Alle",
                                                         kind=Letter.Kind.ESSENTIAL), by=koordination())
    # Handed back as news by someone else: the stored kind decides, not the one typed.
    essential.kind, essential.subject_de = Letter.Kind.NEWS, "Anders"
    with pytest.raises(LetterError):
        services.letter_draft_save(letter=essential, by=events_staff)
    essential.refresh_from_db()
    assert (essential.kind, essential.subject_de) == (Letter.Kind.ESSENTIAL, "Hallo")
