"""The compiled catalogues are the ones the site reads (nobody runs compilemessages on install): each .mo says
what its .po says, and the English one spells a word one way."""
import ast
import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(path for folder in ("locale", "locale_overrides")
                    for path in (Path(settings.BASE_DIR) / folder).glob("*/LC_MESSAGES/*.po"))


def test_the_catalogues_are_found():
    names = {str(path.relative_to(settings.BASE_DIR)) for path in CATALOGUES}
    assert {"locale/en/LC_MESSAGES/django.po", "locale_overrides/de/LC_MESSAGES/django.po",
            "locale_overrides/en/LC_MESSAGES/django.po"} <= names


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_each_compiled_catalogue_says_what_its_source_says(po_path):
    source = polib.pofile(str(po_path))
    expected = {}
    for entry in source.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(key, int(index))] = text
        else:
            expected[key] = entry.msgstr
    with po_path.with_suffix(".mo").open("rb") as f:
        compiled = {key: text for key, text in gettext.GNUTranslations(f)._catalog.items() if key != ""}
    assert compiled == expected, "run: make messages"


def test_english_writes_email_not_e_mail():
    source = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    texts = [text for entry in source for text in [entry.msgstr, *entry.msgstr_plural.values()]]
    assert [text for text in texts if re.search(r"\b[Ee]-mail", text)] == []


def test_english_writes_tandem_in_lower_case_inside_a_sentence():
    source = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    texts = [text for entry in source for text in [entry.msgstr, *entry.msgstr_plural.values()]]
    assert [text for text in texts if re.search(r"(?<=[a-z,;:] )Tandems?\b", text)] == []


def test_german_never_puts_the_programme_name_in_the_genitive():
    """The name is set per deployment in the nominative ("Mentoring-Programm Klimaanpassung"): "des %(name)s" read
    "des Mentoring-Programm Klimaanpassung". A sentence names it where no ending changes (für das, im, am)."""
    source = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    german = [text for entry in source for text in (entry.msgid, entry.msgid_plural) if text]
    assert [text for text in german if re.search(r"\b(des|eines)\s+%\((PROGRAMME_NAME|programme\w*)\)s", text)] == []


# The names xgettext finds (makemessages passes --keyword for Django's own); a call under any other name is never
# extracted, so it stays German in every language.
EXTRACTED_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
                   "pgettext_lazy", "npgettext", "npgettext_lazy"}


def test_every_translation_call_goes_by_a_name_makemessages_extracts():
    renamed = []
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        relative = path.relative_to(settings.BASE_DIR)
        if relative.parts[0] in {".venv", "var", "node_modules"}:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [f"{relative}: {name.name} as {name.asname}" for name in node.names
                            if name.name in EXTRACTED_NAMES and (name.asname or name.name) not in EXTRACTED_NAMES]
    assert renamed == []
