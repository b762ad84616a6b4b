"""Writes that matter for events, one module per capability; callers use ``services.<name>`` from here."""
from .changes import draft_refused, event_cancel, event_save, past_move_refused
from .errors import EventRegistrationError
from .feeds import calendar_feed_for, calendar_feed_renew
from .privacy import personal_data, personal_data_erase, registration_notes_expire
from .registration import (
    event_attendance_mark,
    event_register,
    event_registration_cancel,
    registrations_cancel_for_withdrawn,
)
from .reminders import event_reminder_send, event_reminders_send
