"""The evaluation of the Kurzbefragungen and closing reviews: every figure an aggregate.

A group (a row: a month, a topic, a reason, a side) with fewer answers than ``disclosure.SMALLEST_GROUP``
shows "zu wenige Antworten" in every cell, so that no person can be recognised from it. Where
the shown groups would let a hidden one be worked out (all minus Mentor*innen gives Mentees),
the group beside it is hidden too. A filtered table (Bundesland, funding line, Jahrgang) hides a group whose
answers differ from the same group with one filter fewer by one to four: the difference is the small group
outside the filter (September minus A.2: three answers, their ratings and how many met). Every early-end reason
is listed, so that a hidden one does not tell that someone gave it. Free text is read on the page by staff only,
never written into a table or a download, and only when at least five people answered in the chosen scope.
"""
import dataclasses
import datetime
import functools
from collections import Counter, defaultdict

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.models import topic_names
from matching.models import CheckIn, ClosingReview, Tandem

from ..disclosure import enough
from ..scope import Scope, local_day
from ..tables import Chart, Row, Table
from .source import Source, month_label

TOO_FEW = gettext_lazy("zu wenige Antworten")
MENTEE = "mentee__"


def answers_heading() -> str:
    """The column heading counting answers (English "Responses", not the forum's "Replies")."""
    return pgettext("Anzahl Antworten in einer Befragung", "Antworten")


def guarded(count: int, values: list) -> list:
    """The row's values, or "zu wenige Antworten" in every cell when fewer than five answered."""
    return values if enough(count) else [str(TOO_FEW)] * len(values)


def _wider_scopes(scope: Scope) -> list[Scope]:
    """The scopes a reader can open beside ``scope`` with one of its filters fewer."""
    return [dataclasses.replace(scope, **{name: None}) for name in ("state", "funding_line", "cohort")
            if getattr(scope, name) is not None]


def beside_wider_scopes(count_column: int):
    """A table builder whose rows also stay hidden where a wider scope would give away the group a filter leaves
    out: the row's answers (``count_column``) and the same row's answers with one filter fewer, both shown,
    differ by one to four. From that column on the row reads "zu wenige Antworten"."""

    def wrap(builder):
        def guarded_build(source: Source, built: dict[Scope, Table]) -> Table:
            table = builder(source)
            for wider in _wider_scopes(source.scope):
                # What a reader sees there: the wider table is guarded the same way. Each scope is built once
                # per call (three filters open eight scopes, reached along several paths).
                if wider not in built:
                    built[wider] = guarded_build(Source(wider, limit=None), built)
                shown = {row.label: row.values[count_column] for row in built[wider].rows}
                for row in table.rows:
                    mine, theirs = row.values[count_column], shown.get(row.label)
                    outside = theirs - mine if isinstance(mine, int) and isinstance(theirs, int) else 0
                    if outside > 0 and not enough(outside):
                        row.values = row.values[:count_column] + [str(TOO_FEW)] * (len(row.values) - count_column)
            return table

        @functools.wraps(builder)
        def build(source: Source) -> Table:
            return guarded_build(source, {})

        return build

    return wrap


def tandems(scope: Scope) -> QuerySet[Tandem]:
    """The Tandems in the scope: the mentee's Bundesland and funding line, the Tandem's Jahrgang."""
    return Tandem.objects.filter(scope.people(MENTEE, cohort=False), scope.tandems())


def checkins(scope: Scope) -> QuerySet[CheckIn]:
    """Kurzbefragungen sent in the year to Tandems in the scope."""
    return CheckIn.objects.filter(tandem__in=tandems(scope), sent_at__gte=scope.start, sent_at__lt=scope.end)


def reviews(scope: Scope) -> QuerySet[ClosingReview]:
    """Closing reviews asked for in the year from Tandems in the scope."""
    return ClosingReview.objects.filter(tandem__in=tandems(scope), created_at__gte=scope.start,
                                        created_at__lt=scope.end)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@beside_wider_scopes(count_column=1)
def response_rates(source: Source) -> Table:
    scope = source.scope
    rows = []
    for label, queryset in ((_("Kurzbefragungen"), checkins(scope)), (_("Rückblicke"), reviews(scope))):
        sent = queryset.count()
        answered = queryset.filter(answered_at__isnull=False).count()
        rows.append(Row(label, [sent, *guarded(answered, [answered, percent(answered, sent)])]))
    return Table(slug="befragung-ruecklauf", title=_("Rücklauf der Befragungen %(year)s") % {"year": scope.year},
                 header=_("Befragung"), columns=[_("verschickt"), _("beantwortet"), _("Rücklauf (%)")], rows=rows,
                 chart=Chart("hbar", [2]), decimals=[0, 0, 1],
                 note=_("Eine Zeile mit weniger als fünf Antworten zeigt „zu wenige Antworten“."))


@beside_wider_scopes(count_column=0)
def satisfaction(source: Source) -> Table:
    scope = source.scope
    by_month: dict[datetime.date, list[CheckIn]] = defaultdict(list)
    answered = CheckIn.objects.filter(tandem__in=tandems(scope), answered_at__gte=scope.start,
                                      answered_at__lt=scope.end).only("answered_at", "rating", "met")
    for checkin in answered:
        by_month[local_day(checkin.answered_at).replace(day=1)].append(checkin)
    rows = []
    for month in scope.months():
        answers = by_month.get(month, [])
        n = len(answers)
        values = [n, round(sum(a.rating for a in answers) / n, 2) if n else None,
                  percent(sum(1 for a in answers if a.met), n)]
        rows.append(Row(month_label(month), guarded(n, values), month=month))
    return Table(slug="zufriedenheit-je-monat",
                 title=_("Zufriedenheit je Monat %(year)s (Kurzbefragungen)") % {"year": scope.year},
                 header=_("Monat"), columns=[answers_heading(), _("Ø Bewertung (1–5)"), _("getroffen (%)")], rows=rows,
                 chart=Chart("months", [1]), decimals=[0, 2, 1],
                 note=_("Bewertung: Wie gut funktioniert das Tandem? 1 = gar nicht gut, 5 = sehr gut. "
                        "Monate mit weniger als fünf Antworten zeigen „zu wenige Antworten“."))


@beside_wider_scopes(count_column=0)
def nps(source: Source) -> Table:
    scope = source.scope
    answered = reviews(scope).filter(answered_at__isnull=False, nps__isnull=False)
    groups = [(_("alle"), list(answered.values_list("nps", flat=True))),
              (_("Mentees"), list(answered.filter(is_mentee=True).values_list("nps", flat=True))),
              (_("Mentor*innen"), list(answered.filter(is_mentee=False).values_list("nps", flat=True)))]
    # One side hidden and "alle" shown: the hidden side is "alle" minus the other, so both sides go.
    sides_hidden = not all(enough(len(scores)) for _label, scores in groups[1:])
    rows = []
    for index, (label, scores) in enumerate(groups):
        n = len(scores)
        promoters, detractors = sum(1 for s in scores if s >= 9), sum(1 for s in scores if s <= 6)
        passives = n - promoters - detractors
        values = [n, percent(promoters, n), percent(passives, n), percent(detractors, n),
                  round(100 * (promoters - detractors) / n, 1) if n else None]
        rows.append(Row(label, guarded(0 if index and sides_hidden else n, values)))
    return Table(slug="weiterempfehlung", title=_("Weiterempfehlung (NPS) %(year)s") % {"year": scope.year},
                 header=_("Gruppe"), columns=[answers_heading(), _("empfehlen (9–10, %)"), _("neutral (7–8, %)"),
                                              _("kritisch (0–6, %)"), _("NPS")],
                 rows=rows, chart=Chart("hbar", [4]), decimals=[0, 1, 1, 1, 1],
                 note=_("NPS = Anteil 9–10 minus Anteil 0–6, von −100 bis +100. Aus den Rückblicken."))


@beside_wider_scopes(count_column=0)
def goals_by_topic(source: Source) -> Table:
    scope = source.scope
    total, reached = Counter(), Counter()
    for goals in reviews(scope).filter(answered_at__isnull=False).values_list("goals_reached", flat=True):
        for topic, done in goals.items():
            total[int(topic)] += 1
            reached[int(topic)] += bool(done)
    names = topic_names(total)
    rows = [Row(names.get(pk, "–"), guarded(total[pk], [total[pk], reached[pk], percent(reached[pk], total[pk])]))
            for pk in sorted(total, key=lambda pk: names.get(pk, ""))]
    return Table(slug="ziele-nach-thema", title=_("Erreichte Ziele nach Thema %(year)s") % {"year": scope.year},
                 header=_("Thema"), columns=[_("Ziele"), _("erreicht"), _("erreicht (%)")], rows=rows,
                 chart=Chart("hbar", [2]), decimals=[0, 0, 1], empty=_("Noch keine Rückblicke in diesem Jahr."),
                 note=_("Aus den Rückblicken beider Seiten; jedes Ziel zählt je Antwort."))


@beside_wider_scopes(count_column=0)
def competence_growth(source: Source) -> Table:
    scope = source.scope
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for competence in reviews(scope).filter(answered_at__isnull=False).values_list("competence", flat=True):
        for topic, (then, now) in competence.items():
            pairs[int(topic)].append((then, now))
    names = topic_names(pairs)
    rows = []
    for pk in sorted(pairs, key=lambda pk: names.get(pk, "")):
        values = pairs[pk]
        n = len(values)
        then, now = sum(v[0] for v in values) / n, sum(v[1] for v in values) / n
        rows.append(Row(names.get(pk, "–"), guarded(n, [n, round(then, 2), round(now, 2), round(now - then, 2)])))
    return Table(slug="kompetenzzuwachs", title=_("Kompetenz vorher und nachher %(year)s") % {"year": scope.year},
                 header=_("Thema"), columns=[answers_heading(), _("Ø vorher"), _("Ø nachher"), _("Ø Zuwachs")],
                 rows=rows, chart=Chart("hbar", [3]), decimals=[0, 2, 2, 2],
                 empty=_("Noch keine Rückblicke in diesem Jahr."),
                 note=_("Skala der Anmeldung: 0 keine Erfahrung, 1 Grundkenntnisse, 2 erfahren, 3 sehr erfahren."))


@beside_wider_scopes(count_column=0)
def early_end_reasons(source: Source) -> Table:
    scope = source.scope
    counts = Counter(reviews(scope).filter(answered_at__isnull=False, early=True).exclude(early_end_reason="")
                     .values_list("early_end_reason", flat=True))
    # Every reason, given or not: a hidden row must not tell that somebody gave that reason.
    rows = [Row(str(label), guarded(counts[value], [counts[value]])) for value, label in ClosingReview.EarlyEnd.choices]
    if not any(counts.values()):
        rows = []
    return Table(slug="gruende-fruehes-ende", title=_("Gründe für ein frühes Ende %(year)s") % {"year": scope.year},
                 header=_("Grund"), columns=[answers_heading()], rows=rows, chart=Chart("hbar", [0]),
                 empty=_("Kein Rückblick nennt in diesem Jahr ein frühes Ende."),
                 note=_("Aus den Rückblicken; ein Grund mit weniger als fünf Antworten, auch keiner, zeigt „zu wenige "
                        "Antworten“."))


def free_texts(scope: Scope) -> list[str]:
    """Comments for staff and what helped, without names or Tandem, newest first; never exported. None when
    fewer than five people answered in the scope: a filter down to one Tandem would name whose texts they are."""
    people = set(checkins(scope).filter(answered_at__isnull=False).values_list("user_id", flat=True))
    people |= set(reviews(scope).filter(answered_at__isnull=False).values_list("user_id", flat=True))
    if not enough(len(people)):
        return []
    texts = [(c.answered_at, c.comment) for c in checkins(scope).exclude(comment="").only("answered_at", "comment")]
    texts += [(r.answered_at, r.helped) for r in reviews(scope).exclude(helped="").only("answered_at", "helped")]
    return [text for _when, text in sorted(texts, key=lambda item: item[0], reverse=True)]
