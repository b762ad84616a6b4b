"""Reach: the year's Teilnehmer*innen by Bundesland, organisation type and funding line; events; the forum.

With a Bundesland or funding line chosen, events and forum count only people whose profile
says so; places and posts of erased accounts then no longer count, because nobody knows where
those people came from. Without a choice they count in full.
"""
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.choices import FundingLine
from accounts.models import FederalState, OrganisationType, reference_name
from events.models import Event, EventRegistration
from forum.access import not_hidden_q
from forum.models import Post, Report, Thread

from .. import facts
from ..tables import Chart, Row, Table
from .source import Source, month_label, waiting_work


def unknown_label() -> str:
    return _("ohne Angabe (Konto gelöscht oder ohne Profil)")


def _by(source: Source, dimension: str, choices: list[tuple[str, str]], *, slug: str, title: str,
        header: str) -> Table:
    counts = facts.by_dimension(source.facts, facts.Figure.PARTICIPANT, dimension)
    rows = [Row(label, [counts.get(value, 0)]) for value, label in choices]
    if counts.get(facts.UNKNOWN):
        rows.append(Row(unknown_label(), [counts[facts.UNKNOWN]]))
    return Table(slug=slug, title=title % {"year": source.scope.year}, header=header,
                 columns=[_("Teilnehmer*innen")], rows=rows, chart=Chart("hbar", [0]),
                 note=_("Teilnehmer*in eines Jahres ist, wer vor seinem Ende freigegeben war und nicht vor seinem "
                        "Beginn ausgeschieden ist; Gelöschte zählen anonym weiter."))


def participants_by_state(source: Source) -> Table:
    return _by(source, "state", list(FederalState.objects.order_by("name").values_list("code", "name")),
               slug="teilnehmende-bundesland", title=_("Teilnehmer*innen %(year)s nach Bundesland"),
               header=_("Bundesland"))


def participants_by_org_type(source: Source) -> Table:
    types = [(slug, reference_name(name))
             for slug, name in OrganisationType.objects.order_by("position", "pk").values_list("slug", "name")]
    return _by(source, "org_type", types,
               slug="teilnehmende-organisationstyp", title=_("Teilnehmer*innen %(year)s nach Organisationstyp"),
               header=_("Organisationstyp"))


def participants_by_funding_line(source: Source) -> Table:
    return _by(source, "funding_line", [(value, str(label)) for value, label in FundingLine.choices],
               slug="teilnehmende-foerderlinie", title=_("Teilnehmer*innen %(year)s nach Förderlinie"),
               header=_("Förderlinie"))


def events(source: Source, *, held_only: bool = False) -> Table:
    """Published events of the year with their places; the overview marks cancelled ones, the funder's
    report (``held_only``) counts only those that have taken place: not the cancelled ones, whose places
    were none, nor those still ahead, whose attendance nobody can have recorded yet."""
    scope = source.scope
    confirmed = (Q(registrations__status=EventRegistration.Status.CONFIRMED)
                 & scope.people("registrations__user__profile__"))
    shown = [Event.Status.DRAFT, Event.Status.CANCELLED] if held_only else [Event.Status.DRAFT]
    events = (Event.objects.exclude(status__in=shown)
              .filter(starts_at__gte=scope.start,
                      starts_at__lt=min(scope.end, timezone.now()) if held_only else scope.end)
              .annotate(registered=Count("registrations", filter=confirmed),
                        attended=Count("registrations", filter=confirmed & Q(registrations__attended=True)),
                        no_shows=Count("registrations", filter=confirmed & Q(registrations__attended=False)))
              .order_by("starts_at", "pk"))
    if not scope.filtered:
        events = events.annotate(registered_all=F("registered") + F("former_places"),
                                 attended_all=F("attended") + F("former_attended"),
                                 no_shows_all=F("no_shows") + F("former_no_shows"))
    rows = []
    for event in events:
        figures = ([event.registered_all, event.attended_all, event.no_shows_all] if not scope.filtered
                   else [event.registered, event.attended, event.no_shows])
        title = event.title + (_(" (abgesagt)") if event.is_cancelled else "")
        rows.append(Row(title, [date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT"), *figures],
                        url=reverse("admin:events_event_change", args=[event.pk])))
    return Table(slug="veranstaltungen", title=_("Veranstaltungen %(year)s") % {"year": scope.year},
                 header=_("Veranstaltung"),
                 columns=[_("Datum"), _("angemeldet"), _("teilgenommen"), _("nicht erschienen")], rows=rows,
                 chart=Chart("hbar", [1, 2, 3]), empty=_("In diesem Jahr gibt es keine Veranstaltungen."),
                 note=_("Angemeldet: bestätigte Plätze. Teilnahme und Nichterscheinen, soweit sie in der Verwaltung "
                        "erfasst sind."))


def forum_per_month(source: Source) -> Table:
    scope = source.scope
    people = scope.people("author__profile__")
    threads = dict(Thread.objects.filter(people, not_hidden_q(), created_at__gte=scope.start,
                                         created_at__lt=scope.end).order_by()
                   .annotate(month=TruncMonth("created_at")).values_list("month").annotate(n=Count("pk")))
    replies = dict(Post.objects.filter(people, not_hidden_q("thread__"), is_first=False,
                                       created_at__gte=scope.start, created_at__lt=scope.end).order_by()
                   .annotate(month=TruncMonth("created_at")).values_list("month").annotate(n=Count("pk")))
    threads = {facts.month_of(month): n for month, n in threads.items()}
    replies = {facts.month_of(month): n for month, n in replies.items()}
    return Table(slug="forum-je-monat", title=_("Forum: neue Themen und Antworten je Monat %(year)s")
                 % {"year": scope.year}, header=_("Monat"), columns=[_("neue Themen"), _("Antworten")],
                 rows=[Row(month_label(month), [threads.get(month, 0), replies.get(month, 0)], month=month)
                       for month in scope.months()],
                 chart=Chart("months", [0, 1]), note=_("Ohne ausgeblendete Beiträge und Themen."))


def forum_reports_open(source: Source) -> Table:
    """Reported posts nobody has handled yet, oldest first: the Moderation's list of work (whatever the
    year chosen: an open report is work now)."""
    reports = (Report.objects.filter(resolved_at__isnull=True).select_related("post__thread")
               .order_by("created_at", "pk"))
    return waiting_work(source, reports, label=lambda report: report.post.thread.title, began="created_at",
                        change="forum_report", slug="forum-meldungen",
                        title=_("Offene Meldungen im Forum, älteste zuerst"), header=_("Thema"),
                        columns=[_("gemeldet am"), _("Alter (Tage)")], empty=_("Keine offene Meldung."))
