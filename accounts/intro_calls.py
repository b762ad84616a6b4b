"""The Kennenlerngespräch as a calendar appointment: invite, move, cancel, reminder the day before.

The participant and the staff member who holds the talk get every change with an ``.ics``
(iTIP, RFC 5546): one UID per registration, a SEQUENCE one higher on each change,
METHOD:REQUEST for a planned or moved talk and METHOD:CANCEL for a cancelled one, so their
calendars update the one appointment instead of adding another. Moving and cancelling are
steps of the registration's transition log (who, when, old and new time, reason).
"""
import datetime

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.kernel import calendar as ical
from mentoring.kernel.dates import day_start
from mentoring.kernel.mail import mail_queue, mail_queue_bulk, outbox_withdraw, recipient_language
from mentoring.kernel.programme import programme_name

from .errors import TransitionError
from .models import Registration, RegistrationTransition, User, https_url
from .staff_groups import staff_may_q

Status = Registration.Status
REQUEST, CANCEL = "REQUEST", "CANCEL"
# The talk takes about 20 minutes; calendars block half an hour.
DURATION = datetime.timedelta(minutes=30)


# The invite ------------------------------------------------------------------------------


def intro_uid(registration: Registration) -> str:
    """The same for every version of the invite, so calendars replace the appointment."""
    return ical.uid("kennenlerngespraech", registration.pk)


def _organizer(host: User | None) -> tuple[str, str]:
    if host is None:
        return settings.PROGRAMME_CONTACT_EMAIL, settings.PROGRAMME_OPERATOR
    return host.email, host.get_full_name() or host.email


def intro_ics(registration: Registration, *, method: str, starts_at: datetime.datetime, host: User | None,
              for_host: bool, reason: str = "") -> bytes:
    """The invite (``REQUEST``) or cancellation (``CANCEL``) of the talk at ``starts_at``, for one reader.

    Times carry the site's TZID (Europe/Berlin) with its VTIMEZONE; DTSTAMP is UTC (``kernel.calendar``).
    ``for_host`` names the participant in the title instead of the programme.
    """
    participant = registration.user
    calendar = ical.calendar(product="Kennenlerngespraech", method=method, years=[starts_at.year])
    event = icalendar.Event()
    event.add("uid", intro_uid(registration))
    event.add("dtstamp", ical.stamp())
    event.add("sequence", registration.intro_sequence or 0)
    event.add("dtstart", ical.local(starts_at))
    event.add("dtend", ical.local(starts_at + DURATION))
    name = participant.get_full_name() or participant.email
    event.add("summary", _("Kennenlerngespräch mit %(name)s") % {"name": name} if for_host
              else _("Kennenlerngespräch – %(programme)s") % {"programme": programme_name()})
    address, common_name = _organizer(host)
    event.add("organizer", f"mailto:{address}", parameters={"CN": common_name})
    event.add("attendee", f"mailto:{participant.email}", parameters={
        "CN": name, "CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"})
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    lines = []
    if method == CANCEL:
        lines += [_("ABGESAGT"), reason, ""]
    lines.append(_("Kennenlerngespräch im %(programme)s (etwa 20 Minuten).") % {"programme": programme_name()})
    lines.append(_("Gespräch mit: %(name)s") % {"name": name if for_host else common_name})
    if registration.intro_video_url:
        lines.append(_("Videolink: %(url)s") % {"url": registration.intro_video_url})
        event.add("location", registration.intro_video_url)
        event.add("url", registration.intro_video_url)
    event.add("description", "\n".join(line for line in lines if line is not None).strip())
    calendar.add_component(event)
    return calendar.to_ical()


def intro_attachment(registration: Registration, *, method: str, starts_at, host: User | None, for_host: bool,
                     reason: str = "") -> dict:
    """The ``.ics`` as an outbox attachment whose MIME type carries the iTIP method."""
    return {"filename": "kennenlerngespraech.ics", "mimetype": f"text/calendar; method={method}",
            "content": intro_ics(registration, method=method, starts_at=starts_at, host=host, for_host=for_host,
                                 reason=reason)}


# Checks ----------------------------------------------------------------------------------


# A Kennenlerngespräch is planned for the coming weeks; a year ahead is far beyond any real date (and 9999 would
# leave no room for the calendar's time zone rules).
INTRO_LATEST_DAYS = 365


def intro_time_check(starts_at: datetime.datetime | None, *, now=None) -> None:
    """A talk is planned or moved to a time still to come, within a year."""
    now = now or timezone.now()
    if starts_at is None:
        raise TransitionError(_("Bitte geben Sie Datum und Uhrzeit des Kennenlerngesprächs an."),
                              field="intro_call_at")
    if starts_at <= now:
        raise TransitionError(_("Der Termin liegt in der Vergangenheit. Bitte wählen Sie einen Zeitpunkt in der "
                                "Zukunft."), field="intro_call_at")
    if starts_at > now + datetime.timedelta(days=INTRO_LATEST_DAYS):
        raise TransitionError(_("Bitte wählen Sie einen Termin innerhalb der nächsten zwölf Monate."),
                              field="intro_call_at")


def intro_hosts():
    """Who may hold a Kennenlerngespräch: active staff who may open and change the registration
    (the host's invite links to it in the admin); Moderation and Veranstaltungen may not."""
    return User.objects.filter(staff_may_q("accounts.change_registration")).order_by("last_name", "first_name",
                                                                                     "email")


def default_host(user: User | None) -> User | None:
    """Who holds the talk when nobody is chosen: the staff member planning it, if they may hold one."""
    return user if user is not None and intro_hosts().filter(pk=user.pk).exists() else None


def intro_host_check(host: User | None) -> None:
    if host is not None and not intro_hosts().filter(pk=host.pk).exists():
        raise TransitionError(_("Das Gespräch kann nur jemand aus der Koordination führen."), field="intro_host")


def intro_host_free_check(host: User | None, starts_at: datetime.datetime, *, registration: Registration) -> None:
    """Whoever holds the talk holds no other in its half hour (two were planned for one host at 10:00). Called in
    the transaction that sets the talk: the host's row is locked, so two plans at once wait for each other."""
    if host is None:
        return
    User.objects.select_for_update().filter(pk=host.pk).first()
    clash = (Registration.objects.filter(status=Status.INTRO_SCHEDULED, intro_host=host,
                                         intro_call_at__gt=starts_at - DURATION, intro_call_at__lt=starts_at + DURATION)
             .exclude(pk=registration.pk).select_related("user").order_by("intro_call_at").first())
    if clash is not None:
        raise TransitionError(
            _("%(host)s führt am %(time)s schon ein Kennenlerngespräch (mit %(name)s). Bitte wählen Sie eine andere "
              "Zeit oder eine andere Gesprächsführung.")
            % {"host": host.get_full_name() or host.email, "name": clash.user.get_full_name() or clash.user.email,
               "time": date_format(timezone.localtime(clash.intro_call_at), "SHORT_DATETIME_FORMAT")},
            field="intro_call_at")


def intro_video_url_check(url: str) -> None:
    if url:
        try:
            https_url(url)
        except ValidationError as error:
            raise TransitionError(error.messages[0], field="intro_video_url") from error


# Mails -----------------------------------------------------------------------------------


def _admin_url(registration: Registration) -> str:
    return f"{settings.SITE_URL}{reverse('admin:accounts_registration_change', args=[registration.pk])}"


def _context(registration: Registration, *, starts_at, host: User | None, reason: str = "", previous=None) -> dict:
    return {"user": registration.user, "registration": registration, "starts_at": starts_at, "previous": previous,
            "host_name": _organizer(host)[1], "video_url": registration.intro_video_url, "reason": reason,
            "participant_name": registration.user.get_full_name() or registration.user.email,
            "admin_url": _admin_url(registration)}


def _to_participant(registration: Registration, *, kind: str, template: str, method: str, starts_at, host,
                    reason: str = "", previous=None) -> None:
    user = registration.user
    language = recipient_language(user)
    with translation.override(language):
        attachment = intro_attachment(registration, method=method, starts_at=starts_at, host=host, for_host=False,
                                      reason=str(reason))
    mail_queue(key=f"intro-{kind}:{registration.pk}:{registration.intro_sequence}:participant", to=user.email,
               template=template, language=language, attachments=[attachment],
               context=_context(registration, starts_at=starts_at, host=host, reason=reason, previous=previous))


def _to_host(registration: Registration, *, kind: str, method: str, starts_at, host: User | None,
             reason: str = "", previous=None) -> None:
    if host is None or not host.is_active:
        return
    language = recipient_language(host)
    with translation.override(language):
        attachment = intro_attachment(registration, method=method, starts_at=starts_at, host=host, for_host=True,
                                      reason=str(reason))
    template = "registration_intro_host_cancelled" if method == CANCEL else "registration_intro_host"
    mail_queue(key=f"intro-{kind}:{registration.pk}:{registration.intro_sequence}:host:{host.pk}", to=host.email,
               template=template, language=language, attachments=[attachment],
               context={**_context(registration, starts_at=starts_at, host=host, reason=reason, previous=previous),
                        "kind": kind})


def _next_sequence(registration: Registration) -> None:
    registration.intro_sequence = 0 if registration.intro_sequence is None else registration.intro_sequence + 1


def _reminders_withdraw(registration: Registration, starts_at) -> None:
    """A reminder for the old time that has not gone out yet is not sent any more."""
    if starts_at is not None:
        outbox_withdraw(key_prefixes=[f"intro-reminder:{registration.pk}:{_stamp(starts_at)}:"])


# The workflow ----------------------------------------------------------------------------


def intro_plan(*, registration: Registration, starts_at, host: User | None, video_url: str) -> None:
    """Set the talk on a registration locked by ``registration_transition`` (status still the old one)."""
    intro_time_check(starts_at)
    intro_host_check(host)
    intro_video_url_check(video_url)
    intro_host_free_check(host, starts_at, registration=registration)
    registration.intro_call_at, registration.intro_host, registration.intro_video_url = starts_at, host, video_url
    _next_sequence(registration)


def intro_invite_send(*, registration: Registration) -> None:
    """The invite of a newly planned talk, to the participant and the staff member who holds it."""
    starts_at, host = registration.intro_call_at, registration.intro_host
    _to_participant(registration, kind="invite", template="registration_intro_scheduled", method=REQUEST,
                    starts_at=starts_at, host=host)
    _to_host(registration, kind="invite", method=REQUEST, starts_at=starts_at, host=host)


def intro_calendar_cancel(*, registration: Registration, starts_at, host: User | None, reason: str,
                          notify_host: bool = True) -> dict | None:
    """A planned date that will not take place (rejection, withdrawal, held early): the host's calendar
    loses it and its reminders are not sent.

    Returns the participant's cancellation ``.ics`` for the caller's status mail, or None if the
    talk lay in the past.
    """
    if starts_at is None or starts_at <= timezone.now():
        return None
    _next_sequence(registration)
    registration.save(update_fields=["intro_sequence"])
    _reminders_withdraw(registration, starts_at)
    if notify_host:
        _to_host(registration, kind="cancel", method=CANCEL, starts_at=starts_at, host=host, reason=reason)
    with translation.override(recipient_language(registration.user)):
        return intro_attachment(registration, method=CANCEL, starts_at=starts_at, host=host, for_host=False,
                                reason=str(reason))


def intro_held_early(*, registration: Registration, starts_at, host: User | None) -> None:
    """The talk was held before its planned time (recorded as held while the date still lies ahead): the
    planned date leaves both calendars as a cancelled one does, and the participant hears why."""
    reason = gettext_lazy("Das Gespräch hat bereits stattgefunden.")  # read in each recipient's language
    cancellation = intro_calendar_cancel(registration=registration, starts_at=starts_at, host=host, reason=reason)
    if cancellation is not None:
        user = registration.user
        mail_queue(key=f"intro-held:{registration.pk}:{registration.intro_sequence}:participant", to=user.email,
                   template="registration_intro_held", language=recipient_language(user), attachments=[cancellation],
                   context=_context(registration, starts_at=starts_at, host=host, reason=reason))


def intro_change_refused_because(registration: Registration, *, cancel: bool = False) -> str | None:
    """Why the talk cannot be moved (or, ``cancel``, called off): only a planned one can. A sentence for staff,
    or None; the admin's pages ask it before they offer the form, the services refuse with it."""
    if registration.status == Status.INTRO_SCHEDULED:
        return None
    return (_("Nur ein geplantes Kennenlerngespräch kann abgesagt werden.") if cancel
            else _("Nur ein geplantes Kennenlerngespräch kann verschoben werden."))


def _locked_scheduled(registration: Registration, *, cancel: bool = False) -> Registration:
    registration = (Registration.objects.select_for_update(of=("self",)).select_related("user", "intro_host")
                    .get(pk=registration.pk))
    if refused := intro_change_refused_because(registration, cancel=cancel):
        raise TransitionError(refused)
    return registration


def intro_move(*, registration: Registration, by: User | None, starts_at, host: User | None, video_url: str,
               reason: str = "") -> Registration:
    """Move the talk (or change who holds it, or its video link): an updated invite to everyone concerned.

    Recorded as a step from "geplant" to "geplant" with the old and new time. A staff member who
    no longer holds the talk gets a cancellation; a reminder for the old time that has not gone
    out yet is withdrawn, so the new time gets its own.
    """
    intro_time_check(starts_at)
    intro_host_check(host)
    intro_video_url_check(video_url)
    with transaction.atomic():
        registration = _locked_scheduled(registration)
        old_at, old_host = registration.intro_call_at, registration.intro_host
        if (old_at, old_host, registration.intro_video_url) == (starts_at, host, video_url):
            raise TransitionError(_("Termin, Gesprächsführung und Videolink sind unverändert."), field="intro_call_at")
        intro_host_free_check(host, starts_at, registration=registration)
        registration.intro_call_at, registration.intro_host, registration.intro_video_url = starts_at, host, video_url
        _next_sequence(registration)
        registration.save(update_fields=["intro_call_at", "intro_host", "intro_video_url", "intro_sequence"])
        RegistrationTransition.objects.create(
            registration=registration, from_status=Status.INTRO_SCHEDULED, to_status=Status.INTRO_SCHEDULED, by=by,
            note=reason.strip(), intro_call_from=old_at, intro_call_to=starts_at)
        if old_at != starts_at:
            _reminders_withdraw(registration, old_at)
        _to_participant(registration, kind="moved", template="registration_intro_moved", method=REQUEST,
                        starts_at=starts_at, host=host, reason=reason.strip(), previous=old_at)
        _to_host(registration, kind="moved", method=REQUEST, starts_at=starts_at, host=host, reason=reason.strip(),
                 previous=old_at)
        if old_host is not None and old_host != host:
            _to_host(registration, kind="cancel", method=CANCEL, starts_at=old_at, host=old_host,
                     # Lazy: the old host reads it in their own language (``_to_host`` renders it for them).
                     reason=gettext_lazy("Das Gespräch führt jetzt jemand anderes aus der Koordination."))
    return registration


def intro_cancel(*, registration: Registration, by: User | None, reason: str) -> Registration:
    """Cancel the talk: the registration is back to "eingegangen" until a new one is planned.

    Recorded with the old time and the reason; participant and host get the cancellation.
    """
    if not reason.strip():
        raise TransitionError(_("Bitte geben Sie einen Grund an; die Person erfährt ihn."), field="reason")
    with transaction.atomic():
        registration = _locked_scheduled(registration, cancel=True)
        old_at, host = registration.intro_call_at, registration.intro_host
        registration.status, registration.status_changed_at = Status.SUBMITTED, timezone.now()
        registration.intro_call_at = None
        _next_sequence(registration)
        registration.save(update_fields=["status", "status_changed_at", "intro_call_at", "intro_sequence"])
        RegistrationTransition.objects.create(
            registration=registration, from_status=Status.INTRO_SCHEDULED, to_status=Status.SUBMITTED, by=by,
            note=reason.strip(), intro_call_from=old_at)
        _reminders_withdraw(registration, old_at)
        if old_at is not None:
            _to_participant(registration, kind="cancel", template="registration_intro_cancelled", method=CANCEL,
                            starts_at=old_at, host=host, reason=reason.strip())
            _to_host(registration, kind="cancel", method=CANCEL, starts_at=old_at, host=host, reason=reason.strip())
    return registration


# Reminders -------------------------------------------------------------------------------


def _stamp(starts_at: datetime.datetime) -> str:
    return starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")


def intro_reminders_send(*, now=None) -> int:
    """Remind participant and host of every talk on the next calendar day (Celery beat, in the morning).

    Each reminder's outbox key names the registration and the talk's time: a second run sends
    nothing again, and a talk moved to another time gets a reminder of its own. Returns how
    many mails were queued.
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start, end = day_start(tomorrow), day_start(tomorrow + datetime.timedelta(days=1))
    due = list(Registration.objects.filter(status=Status.INTRO_SCHEDULED, intro_call_at__gte=start,
                                           intro_call_at__lt=end).select_related("user", "intro_host"))
    # One outbox lookup and one insert for the day's reminders: a key already queued is skipped.
    return len(mail_queue_bulk(_reminder(registration, role=role, key=key)
                               for registration in due for role, key in _reminder_keys(registration).items()))


def _reminder_keys(registration: Registration) -> dict[str, str]:
    prefix = f"intro-reminder:{registration.pk}:{_stamp(registration.intro_call_at)}:"
    keys = {"participant": f"{prefix}participant"}
    if registration.intro_host is not None and registration.intro_host.is_active:
        keys["host"] = f"{prefix}host:{registration.intro_host.pk}"
    return keys


def _reminder(registration: Registration, *, role: str, key: str) -> dict:
    """One reminder as ``mail_queue_bulk`` takes it: to the participant, or to the host."""
    host = registration.intro_host
    recipient = host if role == "host" else registration.user
    return {"key": key, "to": recipient.email, "language": recipient_language(recipient),
            "template": "registration_intro_reminder_host" if role == "host" else "registration_intro_reminder",
            "context": _context(registration, starts_at=registration.intro_call_at, host=host)}
