"""Stored reasons become data: criterion, kind, points and the ids and codes of the sentence.

Reasons written before were German sentences. Each one that reads exactly like one of the
sentences below, and whose names still resolve to one topic, state, organisation type,
group, format or language, is turned into data; any other keeps its sentence in
``fallback_text``, which pages, mails and the export show as before.
"""
import re

from django.db import migrations

# Frozen copies, so that this migration keeps its meaning when the engine or the choices change.
TEXTS = {
    ("topics", "covered"): "deckt %(covered)d von %(total)d Bedarfen ab: %(topics)s",
    ("organisation", "same_type"): "beide: %(org_type)s",
    ("organisation", "same_group"): "gleiche Art von Organisation: %(group)s",
    ("size", "same"): "gleiche Größenklasse",
    ("size", "similar"): "ähnliche Größenklasse",
    ("region", "same"): "gleiches Bundesland: %(state)s",
    ("region", "neighbour"): "Nachbarland %(state)s/%(other_state)s",
    ("meeting_format", "same"): "gleiches Format: %(format)s",
    ("meeting_format", "compatible"): "Format vereinbar",
    ("language", "shared"): "gemeinsame Sprache: %(languages)s",
    ("funding", "a2_for_a1"): "A.2-Mentor*in für ein A.1-Erstvorhaben, das sein Konzept erst erstellt",
    ("funding", "concept"): "Mentor*in hat ein beschlossenes Konzept, das der Mentee noch fehlt",
    ("funding", "same_line"): "gleiche Förderlinie",
}
GROUPS = {"municipal": "Kommune", "social": "soziale Einrichtung / Träger", "other": "sonstige"}
FORMATS = {"online": "online", "onsite": "vor Ort", "both": "online und vor Ort"}
LANGUAGES = {"de": "Deutsch", "en": "Englisch", "fr": "Französisch", "pl": "Polnisch", "tr": "Türkisch",
             "ar": "Arabisch", "ru": "Russisch", "uk": "Ukrainisch", "es": "Spanisch", "it": "Italienisch",
             "dgs": "Deutsche Gebärdensprache"}
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _pattern(text: str) -> re.Pattern:
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[last:match.start()]))
        parts.append(rf"(?P<{match.group(1)}>\d+)" if match.group(2) == "d" else rf"(?P<{match.group(1)}>.+)")
        last = match.end()
    parts.append(re.escape(text[last:]))
    return re.compile("^" + "".join(parts) + "$")


PATTERNS = {key: _pattern(text) for key, text in TEXTS.items()}


class Unresolved(Exception):
    """A name in an old sentence that no longer names exactly one thing."""


def _one(mapping: dict, name: str):
    found = [key for key, value in mapping.items() if value == name]
    if len(found) != 1:
        raise Unresolved(name)
    return found[0]


def _params(found: dict, names: dict) -> dict:
    params = {}
    if "covered" in found:
        params["covered"], params["total"] = int(found["covered"]), int(found["total"])
        params["topic_ids"] = [_one(names["topics"], n) for n in found["topics"].split(", ")]
    if "org_type" in found:
        params["org_type_id"] = _one(names["org_types"], found["org_type"])
    if "group" in found:
        params["group"] = _one(GROUPS, found["group"])
    if "other_state" in found:
        params["state_id"] = _one(names["states"], found["state"])
        params["other_state_id"] = _one(names["states"], found["other_state"])
    elif "state" in found:
        params["state_id"] = params["other_state_id"] = _one(names["states"], found["state"])
    if "format" in found:
        params["format"] = _one(FORMATS, found["format"])
    if "languages" in found:
        params["language_codes"] = [_one(LANGUAGES, n) for n in found["languages"].split(", ")]
    return params


def _as_data(reason: dict, names: dict) -> dict:
    if "kind" in reason or "text" not in reason:
        return reason
    criterion, text = reason.get("criterion"), reason["text"]
    for (known, kind), pattern in PATTERNS.items():
        match = pattern.match(text) if known == criterion else None
        if match is None:
            continue
        try:
            params = _params(match.groupdict(), names)
        except Unresolved:
            break
        return {"criterion": criterion, "kind": kind, "points": reason.get("points"), "params": params}
    return {"criterion": criterion, "kind": None, "points": reason.get("points"), "params": {},
            "fallback_text": text}


def _as_text(reason: dict, names: dict) -> dict:
    if "text" in reason:
        return reason
    text = reason.get("fallback_text", "")
    if (reason.get("criterion"), reason.get("kind")) in TEXTS:
        params = dict(reason.get("params") or {})
        values = {
            "covered": params.get("covered"), "total": params.get("total"),
            "topics": ", ".join(names["topics"].get(t, "?") for t in params.get("topic_ids", ())),
            "org_type": names["org_types"].get(params.get("org_type_id"), "?"),
            "group": GROUPS.get(params.get("group"), "?"), "format": FORMATS.get(params.get("format"), "?"),
            "state": names["states"].get(params.get("state_id"), "?"),
            "other_state": names["states"].get(params.get("other_state_id"), "?"),
            "languages": ", ".join(LANGUAGES.get(c, c) for c in params.get("language_codes", ())),
        }
        text = TEXTS[reason["criterion"], reason["kind"]] % values
    return {"criterion": reason.get("criterion"), "points": reason.get("points"), "text": text}


def _convert(apps, convert):
    names = {
        "topics": dict(apps.get_model("accounts", "Topic").objects.values_list("pk", "short_name")),
        "states": dict(apps.get_model("accounts", "FederalState").objects.values_list("pk", "name")),
        "org_types": dict(apps.get_model("accounts", "OrganisationType").objects.values_list("pk", "name")),
    }
    for model in ("Proposal", "Tandem"):
        rows = apps.get_model("matching", model).objects.only("pk", "reasons")
        for row in rows.iterator(chunk_size=500):
            reasons = [convert(reason, names) for reason in row.reasons]
            if reasons != row.reasons:
                row.reasons = reasons
                row.save(update_fields=["reasons"])


def forward(apps, schema_editor):
    _convert(apps, _as_data)


def backward(apps, schema_editor):
    _convert(apps, _as_text)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("matching", "0004_meeting_note_moved_to_private_notes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
