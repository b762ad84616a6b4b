"""Views of the events app: thin, they call selectors, access helpers and services."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts import rules
from accounts.access import approved_participant_required
from mentoring.kernel.files import download

from . import selectors, services
from .access import access_calendar_feed, access_event, access_event_page, sees_online_url
from .forms import EventFilterForm, EventRegistrationForm
from .ical import calendar_bytes, event_ics, event_ics_filename
from .models import Event, EventRegistration

PAGE_SIZE = 20


def _list_page(request, *, archive: bool):
    form = EventFilterForm(request.GET or None)
    events = selectors.events_for_list(user=request.user, archive=archive, **form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("seite"))
    for event in page:
        event.own_registration = selectors.own_registration(event)
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "events/event_list.html", {
        "form": form, "page": page, "archive": archive, "filter_query": query.urlencode(),
        "filtered": bool(form.filters()),
    })


@require_safe
def event_list(request):
    return _list_page(request, archive=False)


@require_safe
def event_archive(request):
    return _list_page(request, archive=True)


def _detail_context(request, event: Event, form=None) -> dict:
    registration = selectors.own_registration(event)
    confirmed = registration is not None and registration.status == EventRegistration.Status.CONFIRMED
    return {
        "event": event,
        "registration": registration,
        "waitlist_position": selectors.waitlist_position(registration) if registration else None,
        # Why the page offers no button: the model's sentences, the same the services refuse with.
        "cancel_refused": registration.cancel_refused_because() if registration else None,
        "registration_closed": event.registration_closed_because(),
        "can_register": rules.approved_participant(request.user),
        "show_online_url": bool(event.online_url) and sees_online_url(request.user, event, confirmed=confirmed),
        "form": form or EventRegistrationForm(),
    }


@require_safe
def event_detail(request, pk: int):
    event = access_event_page(request.user, pk)
    return render(request, "events/event_detail.html", _detail_context(request, event))


@require_POST
@approved_participant_required
def register_for_event(request, pk: int):
    event = access_event(request.user, pk)
    form = EventRegistrationForm(request.POST)
    if not form.is_valid():
        event = access_event_page(request.user, pk)
        return render(request, "events/event_detail.html", _detail_context(request, event, form=form))
    try:
        registration = services.event_register(event=event, user=request.user, note=form.cleaned_data["note"])
    except services.EventRegistrationError as error:
        messages.error(request, str(error))
    else:
        if registration.status == EventRegistration.Status.CONFIRMED:
            messages.success(request, _("Sie sind angemeldet. Die Bestätigung mit Kalendereintrag kommt per E-Mail."))
        else:
            messages.info(request, _("Die Veranstaltung ist ausgebucht. Sie stehen auf der Warteliste und bekommen "
                                     "eine E-Mail, sobald ein Platz für Sie frei wird."))
    return redirect(event)


@require_POST
@approved_participant_required
def event_cancel_registration(request, pk: int):
    event = access_event(request.user, pk)
    registration = selectors.current_registration(event=event, user=request.user)
    if registration is None:
        messages.info(request, _("Sie sind für diese Veranstaltung nicht angemeldet."))
        return redirect(event)
    was_waiting = registration.status == EventRegistration.Status.WAITLISTED
    try:
        services.event_registration_cancel(registration=registration, by=request.user)
    except services.EventRegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sie haben die Warteliste verlassen.") if was_waiting
                         else _("Sie sind abgemeldet. Ihr Platz ist wieder frei."))
    return redirect(event)


@require_safe
def event_calendar(request, pk: int):
    event = access_event(request.user, pk)
    confirmed = selectors.has_confirmed_place(event=event, user=request.user)
    content = event_ics(event, with_online_url=sees_online_url(request.user, event, confirmed=confirmed))
    return download(content, content_type="text/calendar; charset=utf-8", filename=event_ics_filename(event))


@require_safe
@approved_participant_required
def my_events(request):
    registrations = list(selectors.registrations_of(user=request.user))
    positions = selectors.waitlist_positions(registrations)
    for registration in registrations:
        registration.position = positions.get(registration.pk)
    feed = services.calendar_feed_for(user=request.user)
    feed_url = request.build_absolute_uri(reverse("events:feed", args=[feed.token]))
    return render(request, "events/my_events.html", {
        "registrations": registrations, "feed": feed, "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    })


@require_POST
@approved_participant_required
def feed_renew(request):
    services.calendar_feed_renew(user=request.user)
    messages.success(request, _("Die bisherige Kalender-Adresse ist gesperrt. Bitte abonnieren Sie die neue "
                                "Adresse in Ihrem Kalenderprogramm."))
    return redirect("events:mine")


@never_cache
@require_safe
def feed(request, token: str):
    feed = access_calendar_feed(token)
    events = list(selectors.events_for_feed(user=feed.user))
    content = calendar_bytes(events, name=_("Meine Veranstaltungen – Mentoring Klimaanpassung"),
                             online_url_for={event.pk for event in events
                                             if sees_online_url(feed.user, event, confirmed=True)}, feed=True)
    response = download(content, content_type="text/calendar; charset=utf-8", filename="veranstaltungen.ics",
                        inline=True)
    response["X-Robots-Tag"] = "noindex"
    return response
