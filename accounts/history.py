"""Accounts' part of a person's history in admin: the Kennenlerngespräch, status changes, mails sent."""
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.kernel.history import Link, Section
from mentoring.kernel.models import OutboxMessage

from .models import Registration, RegistrationTransition, User


def _when(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else "–"


def _staff(user: User | None) -> str:
    return str(user) if user is not None else "–"


def registration_sections(*, user: User) -> list[Section]:
    """The Kennenlerngespräch (time, host, video link, notes) and every step of the registration."""
    registration = Registration.objects.filter(user=user).select_related("intro_host").first()
    talk = Section(title=_("Kennenlerngespräch"),
                   columns=[_("Termin"), _("Gespräch führt"), _("Videolink"), _("Notizen zum Kennenlerngespräch")],
                   empty=_("Keine Anmeldung."))
    steps = Section(title=_("Statuswechsel der Anmeldung"),
                    columns=[_("Zeitpunkt"), _("Schritt"), _("durch"), _("Termin bisher → neu"), _("Notiz")],
                    empty=_("Keine Statuswechsel."))
    if registration is None:
        return [talk, steps]
    talk.rows.append([
        Link(_when(registration.intro_call_at), reverse("admin:accounts_registration_change", args=[registration.pk])),
        _staff(registration.intro_host), registration.intro_video_url or "–", registration.intro_call_notes or "–"])
    for step in RegistrationTransition.objects.filter(registration=registration).select_related("by"):
        times = "–" if not (step.intro_call_from or step.intro_call_to) else \
            f"{_when(step.intro_call_from)} → {_when(step.intro_call_to)}"
        steps.rows.append([_when(step.at), str(step.label), _staff(step.by), times, step.note or "–"])
    return [talk, steps]


def mail_sections(*, user: User) -> list[Section]:
    """Mails the outbox still holds for the person's addresses: subject, status, times; never a body."""
    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    section = Section(title=_("E-Mails an die Person"),
                      columns=[_("erstellt"), _("Betreff"), _("Status"), _("versendet am")],
                      empty=_("Keine E-Mails im Postausgang (ältere sind nach der Aufbewahrungsfrist geleert)."))
    messages = (OutboxMessage.objects.filter(to__in=addresses, purged_at__isnull=True)
                .only("pk", "subject", "status", "created_at", "sent_at").order_by("-created_at", "-pk"))
    for message in messages:
        section.rows.append([
            _when(message.created_at),
            Link(message.subject, reverse("admin:mentoring_outboxmessage_change", args=[message.pk])),
            message.get_status_display(), _when(message.sent_at)])
    return [section]
