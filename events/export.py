"""The participant list of events as CSV for staff (Excel in German settings opens it directly)."""
import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.kernel.csv_export import SafeWriter

from .selectors import registrations_for_export


def participants_csv(events) -> str:
    """One row per place or waitlist entry of the given events (a queryset or list)."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow([_("Veranstaltung"), _("Beginn"), _("Status"), _("Wartelistenplatz"), _("Nachname"),
                     _("Vorname"), _("E-Mail"), _("Organisation"), _("Bundesland"), _("Hinweis"),
                     _("angemeldet am"), _("teilgenommen")])
    attended_labels = {True: _("ja"), False: _("nein"), None: ""}
    positions: dict[int, int] = {}
    for registration in registrations_for_export(events=events):
        event, user = registration.event, registration.user
        profile = getattr(user, "profile", None)
        waiting = registration.status == registration.Status.WAITLISTED
        if waiting:
            positions[event.pk] = positions.get(event.pk, 0) + 1
        writer.writerow((
            event.title, date_format(timezone.localtime(event.starts_at), "SHORT_DATETIME_FORMAT"),
            registration.get_status_display(), positions[event.pk] if waiting else "", user.last_name,
            user.first_name, user.email, profile.organisation.name if profile else "",
            profile.organisation.federal_state.name if profile else "", registration.note,
            date_format(timezone.localtime(registration.created_at), "SHORT_DATETIME_FORMAT"),
            attended_labels[registration.attended],
        ))
    return out.getvalue()
