"""The meeting log: enter, edit, delete, confirm, correct, object, private notes."""
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Topic, User
from mentoring.kernel.mail import mail_queue, recipient_language

from .. import selectors
from ..models import MEETING_MAX_MINUTES, MEETING_MIN_MINUTES, Meeting, MeetingNote, Tandem
from .errors import MatchingError
from .tandems import tandem_lock


def meeting_date_refusal(value: date, *, tandem: Tandem | None = None, meeting: Meeting | None = None) -> str | None:
    """Why no meeting can be on ``value``: a day still to come; of ``tandem``, a day before it began (it would
    count on the Zeitnachweis and the certificate as time in this Tandem) or a day that has an entry already
    (other than ``meeting``, the one being changed). The form says it next to the field with its other
    errors; the service asks again under the Tandem's lock."""
    if value > timezone.localdate():
        return _("Das Datum darf nicht in der Zukunft liegen.")
    if tandem is None:
        return None
    if value < (started := timezone.localdate(tandem.started_at)):
        return (_("Das Tandem besteht seit dem %(start)s; ein früheres Treffen gehört nicht dazu.")
                % {"start": date_format(started, "SHORT_DATE_FORMAT")})
    if tandem.meetings.filter(date=value).exclude(pk=meeting.pk if meeting else None).exists():
        return _("Für diesen Tag ist schon ein Treffen eingetragen. Mehrere Treffen an einem Tag gehören in diesen "
                 "einen Eintrag, mit der gesamten Dauer.")
    return None


def meeting_editable_until(meeting: Meeting):
    """Until when the author may edit or delete an open entry (``MEETING_EDIT_WINDOW_DAYS`` after entering it)."""
    return meeting.created_at + timedelta(days=settings.MEETING_EDIT_WINDOW_DAYS)


def meeting_counts_from(meeting: Meeting):
    """When an open entry counts as confirmed without an objection (``MEETING_CONFIRM_DAYS`` after it was
    submitted; ``selectors.confirm_cutoff`` asks the same of many)."""
    return meeting.submitted_at + timedelta(days=settings.MEETING_CONFIRM_DAYS)


def _check_values(*, tandem: Tandem, date: date, duration_minutes: int, meeting: Meeting | None = None) -> None:
    """Refuse with every value that cannot be, all at once."""
    errors = {}
    if refusal := meeting_date_refusal(date, tandem=tandem, meeting=meeting):
        errors["date"] = refusal
    if not MEETING_MIN_MINUTES <= duration_minutes <= MEETING_MAX_MINUTES:
        errors["duration_minutes"] = _("Die Dauer muss zwischen 5 Minuten und 10 Stunden liegen.")
    MatchingError.raise_any(errors)


def meeting_log(*, tandem: Tandem, by: User, date: date, duration_minutes: int, format: str,
                topics: Iterable[Topic] = (), note: str = "") -> Meeting:
    """Enter a meeting; the partner then confirms or corrects it. One entry per Tandem and day."""
    if not tandem.has_member(by):
        raise MatchingError(_("Nur die beiden Mitglieder des Tandems tragen Treffen ein."))
    with transaction.atomic():
        # The Tandem's row lock makes "one entry per day" hold when both partners save at once, and its status
        # read under it is the one an end at the same moment leaves.
        if tandem_lock(tandem.pk) != Tandem.Status.ACTIVE:
            raise MatchingError(_("In einem beendeten Tandem können keine Treffen mehr eingetragen werden."))
        _check_values(tandem=tandem, date=date, duration_minutes=duration_minutes)
        meeting = Meeting.objects.create(tandem=tandem, logged_by=by, date=date, duration_minutes=duration_minutes,
                                         format=format)
        meeting.topics.set(topics)
        if note.strip():
            MeetingNote.objects.create(meeting=meeting, author=by, text=note.strip())
        Tandem.objects.filter(pk=tandem.pk).update(last_activity_at=timezone.now())
        _tell(meeting, reader=_partner_user(meeting, by=by), news="logged", at=meeting.submitted_at)
    return meeting


def _tell(meeting: Meeting, *, reader: User | None, news: str, at, had_note: bool = False) -> None:
    """The other member of the Tandem hears by mail what became of an entry: the partner that it was ``logged``,
    ``edited`` or ``deleted`` (with their own note on it, ``had_note``), its author that the partner objected to
    it (``disputed``) or ``corrected`` it.

    An entry nobody answers counts after ``MEETING_CONFIRM_DAYS``, so the partner must know it is there (before,
    they learned of it only when they opened the Tandem's page); its author must know when it was objected to
    (it waited, uncounted, until they happened to open it) or corrected (it counts as the partner wrote it).
    """
    if reader is None or not reader.is_active:
        return
    path = (reverse("matching:tandem_detail", args=[meeting.tandem_id]) + "#treffen" if news == "deleted"
            else reverse("matching:meeting_detail", args=[meeting.tandem_id, meeting.pk]))
    mail_queue(key=f"meeting-{news}:{meeting.pk}:{at.timestamp():.0f}", to=reader.email,
               template="matching_meeting_entry",
               context={"name": reader.get_full_name(), "news": news, "date": meeting.date,
                        "duration_minutes": meeting.duration_minutes, "until": meeting_counts_from(meeting),
                        "ended": not meeting.tandem.is_active, "had_note": had_note, "path": path},
               language=recipient_language(reader))


def _partner_user(meeting: Meeting, *, by: User) -> User | None:
    own = meeting.tandem.profile_of(by)
    partner = meeting.tandem.partner_of(own) if own is not None else None
    return partner.user if partner is not None else None


def meeting_actions(*, meeting: Meeting, user: User, now=None) -> frozenset[str]:
    """What ``user`` (a member of the Tandem) may do with a meeting; ``meeting.state`` must be annotated.

    The author edits or deletes an open entry for ``MEETING_EDIT_WINDOW_DAYS`` after entering it,
    and an entry the partner objected to at any time. The partner confirms or corrects an open
    or objected entry and may object to an open one. Confirmed and corrected entries are final.
    Once the Tandem has ended nothing is changed any more (nothing new is logged either): the partner
    may only still confirm an entry, which makes it count as it stands (after an erased partner, the
    remaining side's evidence), or object to an open one, which then never counts: an entry that nobody
    confirms counts after ``MEETING_CONFIRM_DAYS``, so the partner keeps the say they had before the end.
    """
    actions = _member_actions(meeting=meeting, user=user, now=now)
    return actions if meeting.tandem.is_active else actions & {"confirm", "object"}


def _member_actions(*, meeting: Meeting, user: User, now=None) -> frozenset[str]:
    now = now or timezone.now()
    if meeting.logged_by_id == user.pk:
        window_open = now <= meeting_editable_until(meeting)
        if meeting.state == Meeting.Status.DISPUTED or (meeting.state == Meeting.Status.OPEN and window_open):
            return frozenset({"edit", "delete"})
        return frozenset()
    if meeting.state == Meeting.Status.OPEN:
        return frozenset({"confirm", "correct", "object"})
    if meeting.state == Meeting.Status.DISPUTED:
        return frozenset({"confirm", "correct"})
    return frozenset()


def _locked_meeting(*, meeting: Meeting, by: User, action: str) -> Meeting:
    """The meeting locked, with its state, if ``by`` may do ``action`` with it now. Its Tandem is locked first,
    as ``meeting_log`` does: a changed date and a new entry never land on one day together."""
    tandem_lock(meeting.tandem_id)
    locked = selectors.with_state(Meeting.objects.select_for_update(of=("self",)).select_related(
        "tandem__mentee", "tandem__mentor", "logged_by").filter(pk=meeting.pk)).first()
    if locked is None or not locked.tandem.has_member(by):
        raise MatchingError(_("Dieses Treffen gibt es nicht (mehr)."))
    if action not in meeting_actions(meeting=locked, user=by):
        raise MatchingError(_action_refusal(locked, by=by, action=action))
    return locked


def _action_refusal(meeting: Meeting, *, by: User, action: str) -> str:
    """Why ``by`` may not do ``action`` with the meeting now, the real reason of the four there are."""
    is_author = meeting.logged_by_id == by.pk
    if action in {"edit", "delete"} and not is_author:
        return _("Nur wer den Eintrag geschrieben hat, kann ihn ändern oder löschen.")
    if action in {"confirm", "correct", "object"} and is_author:
        return _("Auf Ihren eigenen Eintrag antwortet Ihr*e Tandempartner*in.")
    if not meeting.tandem.is_active:
        return _("Das Tandem ist beendet; Einträge lassen sich nicht mehr ändern.")
    return _("Dieser Eintrag kann nicht mehr geändert werden: Er ist bestätigt, oder die Frist für Änderungen ist "
             "abgelaufen.")


def _set_values(meeting: Meeting, *, date: date, duration_minutes: int, format: str, topics: Iterable[Topic]):
    _check_values(tandem=meeting.tandem, date=date, duration_minutes=duration_minutes, meeting=meeting)
    meeting.date, meeting.duration_minutes, meeting.format = date, duration_minutes, format
    meeting.topics.set(topics)


def meeting_edit(*, meeting: Meeting, by: User, date: date, duration_minutes: int, format: str,
                 topics: Iterable[Topic] = ()) -> Meeting:
    """The author changes their entry; the partner is asked again to confirm it."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting=meeting, by=by, action="edit")
        _set_values(meeting, date=date, duration_minutes=duration_minutes, format=format, topics=topics)
        meeting.status, meeting.submitted_at = Meeting.Status.OPEN, timezone.now()
        meeting.reviewed_by = meeting.reviewed_at = None
        meeting.save(update_fields=["date", "duration_minutes", "format", "status", "submitted_at", "reviewed_by",
                                    "reviewed_at"])
        _tell(meeting, reader=_partner_user(meeting, by=by), news="edited", at=meeting.submitted_at)
    return meeting


def meeting_delete(*, meeting: Meeting, by: User) -> None:
    """The author withdraws their entry with every private note on it; the partner hears of it (their link to
    the entry would answer 404), and that their own note went with it if they kept one."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting=meeting, by=by, action="delete")
        partner = _partner_user(meeting, by=by)
        had_note = partner is not None and meeting.notes.filter(author=partner).exists()
        _tell(meeting, reader=partner, news="deleted", at=timezone.now(), had_note=had_note)
        meeting.delete()


def _review(meeting: Meeting, *, by: User, status: str) -> Meeting:
    meeting.status, meeting.reviewed_by, meeting.reviewed_at = status, by, timezone.now()
    meeting.save(update_fields=["date", "duration_minutes", "format", "status", "reviewed_by", "reviewed_at"])
    return meeting


def meeting_confirm(*, meeting: Meeting, by: User) -> Meeting:
    """The partner confirms the entry as it stands; from now on it counts."""
    with transaction.atomic():
        return _review(_locked_meeting(meeting=meeting, by=by, action="confirm"), by=by,
                       status=Meeting.Status.CONFIRMED)


def meeting_correct(*, meeting: Meeting, by: User, date: date, duration_minutes: int, format: str,
                    topics: Iterable[Topic] = ()) -> Meeting:
    """The partner corrects date, duration, format or topics; the corrected entry counts, and its author hears it."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting=meeting, by=by, action="correct")
        _set_values(meeting, date=date, duration_minutes=duration_minutes, format=format, topics=topics)
        meeting = _review(meeting, by=by, status=Meeting.Status.CORRECTED)
        _tell(meeting, reader=meeting.logged_by, news="corrected", at=meeting.reviewed_at)
        return meeting


def meeting_object(*, meeting: Meeting, by: User) -> Meeting:
    """The partner says the meeting did not take place like this; it does not count until resolved. Its author
    hears it by mail (else the entry waited, uncounted, until they happened to open it)."""
    with transaction.atomic():
        meeting = _review(_locked_meeting(meeting=meeting, by=by, action="object"), by=by,
                          status=Meeting.Status.DISPUTED)
        _tell(meeting, reader=meeting.logged_by, news="disputed", at=meeting.reviewed_at)
        return meeting


def meeting_note_set(*, meeting: Meeting, by: User, text: str) -> MeetingNote | None:
    """Each member keeps one private note per meeting; an empty text removes it."""
    if not meeting.tandem.has_member(by):
        raise MatchingError(_("Dieses Treffen gibt es nicht (mehr)."))
    text = text.strip()
    with transaction.atomic():
        if not text:
            MeetingNote.objects.filter(meeting=meeting, author=by).delete()
            return None
        note, _created = MeetingNote.objects.update_or_create(meeting=meeting, author=by, defaults={"text": text})
    return note
