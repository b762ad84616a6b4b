"""Reasons for a pair: stored as data (criterion, kind, points, ids, codes), shown in the reader's language."""
import html
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from accounts.choices import LANGUAGES, MeetingFormat
from accounts.models import FederalState, OrganisationType, Topic, reference_name

from . import engine


@dataclass
class Labels:
    """The names of the ids a reason stores, as stored (German); loaded once per page, run or mail.

    They are put into the reader's language only when a sentence is written (``Sentences``): a mail
    built in the staff member's request and rendered later in the recipient's English read
    "Konzepterstellung" when the names were translated at loading.
    """

    topics: dict[int, str]
    states: dict[int, str]
    org_types: dict[int, str]

    @classmethod
    def load(cls) -> "Labels":
        return cls(topics=dict(Topic.objects.values_list("pk", "short_name")),
                   states=dict(FederalState.objects.values_list("pk", "name")),
                   org_types=dict(OrganisationType.objects.values_list("pk", "name")))


def stored(reasons: Iterable[engine.Reason]) -> list[dict]:
    """The engine's reasons as they are kept on a Proposal and its Tandem."""
    return [{"criterion": r.criterion, "kind": r.kind, "points": round(r.points, 2), "params": dict(r.params)}
            for r in reasons]


def sentence(reason: dict, labels: Labels) -> str:
    """One stored reason as a sentence in the active language.

    Reasons stored before they were data keep their German sentence as ``fallback_text``
    (see migration 0005); it is shown as it was written.
    """
    return Sentences(labels).sentence(reason)


def readable(reasons: Iterable[dict], labels: Labels | None = None) -> list[dict]:
    """Stored reasons with their sentence (``text``) and points, for pages and the export."""
    reasons = list(reasons)
    if not reasons:
        return []
    writer = Sentences(labels or Labels.load())
    return [{"criterion": r.get("criterion"), "points": r.get("points"), "text": writer.sentence(r)}
            for r in reasons]


class Sentences:
    """Turns the stored reasons of a whole page into sentences in the active language, in Python.

    The same as ``sentence`` for each reason, but it translates each template, choice label and
    points figure only once per page: a page of 200 proposals has over a thousand reasons with
    a few dozen distinct labels and figures.
    """

    def __init__(self, labels: Labels):
        self.labels = labels
        self.templates: dict[tuple[str, str], str] = {}
        self.groups = {value: str(label) for value, label in OrganisationType.Group.choices}
        self.formats = {value: str(label) for value, label in MeetingFormat.choices}
        self.languages = {code: str(name) for code, name in LANGUAGES}
        self.figures: dict[float, str] = {}
        self.decimal_separator = get_format("DECIMAL_SEPARATOR")
        self.names: dict[tuple[str, int], str] = {}

    def name(self, kind: str, pk: int) -> str:
        """A topic's or organisation type's name in the active language, translated once per page."""
        text = self.names.get((kind, pk))
        if text is None:
            stored_name = getattr(self.labels, kind).get(pk)
            text = self.names[(kind, pk)] = "?" if stored_name is None else reference_name(stored_name)
        return text

    def figure(self, value) -> str:
        """A number with one decimal, rounded half up, as ``floatformat:1`` shows it (``1,5`` in German)."""
        text = self.figures.get(value)
        if text is None:
            rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            text = self.figures[value] = f"{rounded if rounded else rounded.copy_abs():f}".replace(
                ".", self.decimal_separator)
        return text

    def sentence(self, reason: dict) -> str:
        key = (reason.get("criterion"), reason.get("kind"))
        template = self.templates.get(key)
        if template is None:
            source = engine.REASON_TEXTS.get(key)
            if source is None:
                return reason.get("fallback_text", "")
            template = self.templates[key] = gettext(source)
        params = dict(reason.get("params") or {})
        labels = self.labels
        if "topic_ids" in params:
            params["topics"] = ", ".join(self.name("topics", t) for t in params.pop("topic_ids"))
        if "org_type_id" in params:
            params["org_type"] = self.name("org_types", params.pop("org_type_id"))
        if "group" in params:
            params["group"] = self.groups.get(params["group"], params["group"])
        if "state_id" in params:
            params["state"] = labels.states.get(params.pop("state_id"), "?")
            params["other_state"] = labels.states.get(params.pop("other_state_id"), "?")
        if "format" in params:
            params["format"] = self.formats.get(params["format"], params["format"])
        if "language_codes" in params:
            params["languages"] = ", ".join(self.languages.get(c, c) for c in params.pop("language_codes"))
        return template % params

    def lines(self, reasons: Iterable[dict]) -> list[str]:
        """Each reason as ``sentence (+points)``, the way the run's page lists them."""
        return [f"{self.sentence(r)} (+{self.figure(r.get('points') or 0)})" for r in reasons]

    def items(self, reasons: Iterable[dict]) -> SafeString:
        """``lines`` as the escaped ``<li>`` items of a list (escaped as Django's ``escape`` does)."""
        return mark_safe("".join(f"<li>{html.escape(line)}</li>" for line in self.lines(reasons)))  # noqa: S308


# A sentence rendered when the template shows it, in the language the mail or page is rendered in.
lazy_sentence = lazy(sentence, str)


def rule_texts(rules: Iterable[str]) -> list[str]:
    """The hard rules a pair breaks, as sentences in the active language."""
    return [gettext(engine.RULE_TEXTS[rule]) for rule in rules]
