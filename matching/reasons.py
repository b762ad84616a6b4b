"""Reasons for a pair: stored as data (criterion, kind, points, ids, codes), shown in the reader's language."""
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext

from accounts.choices import LANGUAGES, MeetingFormat
from accounts.models import FederalState, OrganisationType, Topic

from . import engine


@dataclass
class Labels:
    """The names of the ids a reason stores; loaded once per page, run or mail."""

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
    template = engine.REASON_TEXTS.get((reason.get("criterion"), reason.get("kind")))
    if template is None:
        return reason.get("fallback_text", "")
    params = dict(reason.get("params") or {})
    if "topic_ids" in params:
        params["topics"] = ", ".join(labels.topics.get(t, "?") for t in params.pop("topic_ids"))
    if "org_type_id" in params:
        params["org_type"] = labels.org_types.get(params.pop("org_type_id"), "?")
    if "group" in params:
        params["group"] = str(dict(OrganisationType.Group.choices).get(params["group"], params["group"]))
    if "state_id" in params:
        params["state"] = labels.states.get(params.pop("state_id"), "?")
        params["other_state"] = labels.states.get(params.pop("other_state_id"), "?")
    if "format" in params:
        params["format"] = str(dict(MeetingFormat.choices).get(params["format"], params["format"]))
    if "language_codes" in params:
        languages = dict(LANGUAGES)
        params["languages"] = ", ".join(str(languages.get(c, c)) for c in params.pop("language_codes"))
    return gettext(template) % params


def readable(reasons: Iterable[dict], labels: Labels | None = None) -> list[dict]:
    """Stored reasons with their sentence (``text``) and points, for pages and the export."""
    reasons = list(reasons)
    if labels is None and reasons:
        labels = Labels.load()
    return [{"criterion": r.get("criterion"), "points": r.get("points"), "text": sentence(r, labels)}
            for r in reasons]


# A sentence rendered when the template shows it, in the language the mail or page is rendered in.
lazy_sentence = lazy(sentence, str)


def rule_texts(rules: Iterable[str]) -> list[str]:
    """The hard rules a pair breaks, as sentences in the active language."""
    return [gettext(engine.RULE_TEXTS[rule]) for rule in rules]
