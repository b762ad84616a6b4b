"""Every e-mail template renders in German and in English, and every message it uses has English.

The templates are found on disk: a new mail without its subject, text or HTML part fails, and so
does a message in it that the English catalogue lacks, leaves empty or marks fuzzy.
"""
import ast
import functools
import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation.template import templatize

from .mail_samples import contexts

TEMPLATES = Path(settings.BASE_DIR) / "templates"
MAIL_DIR = TEMPLATES / "email"
ALLAUTH_DIR = TEMPLATES / "account" / "email"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Pieces that other mails include or extend; every other file belongs to a mail of three parts.
PARTIALS = {"base.html", "allauth_message.html", "events_details.html", "events_details.txt", "meeting_entry_news.txt"}
PARTS = (".subject.txt", ".txt", ".html")
# Words and letters no English mail contains; the sample context itself is English.
GERMAN = re.compile(r"\b(?:und|Ihre?|Sie|bitte|Bitte|Uhr|Guten|Grüße|der|die|das|für|mit|nicht|wir|zum|am)\b"
                    r"|[äöüßÄÖÜ„]")


def german_words(text: str) -> list[str]:
    return [match.group(0) for match in GERMAN.finditer(text)]


def mail_names() -> list[str]:
    names = set()
    for path in MAIL_DIR.iterdir():
        if path.name in PARTIALS:
            continue
        for part in PARTS:
            if path.name.endswith(part):
                names.add(path.name[: -len(part)])
                break
        else:
            pytest.fail(f"templates/email/{path.name} is neither a mail part nor a known partial")
    return sorted(names)


@functools.cache
def strict_engine() -> Engine:
    """The project's template setup, but a variable the context does not fill shows up in the output."""
    return Engine(dirs=[str(d) for d in settings.TEMPLATES[0]["DIRS"]], app_dirs=True,
                  libraries=get_installed_libraries(), string_if_invalid="«MISSING %s»")


MAILS = mail_names()
ALLAUTH_MAILS = sorted(p.name for p in ALLAUTH_DIR.iterdir())


def test_the_mails_are_found():
    assert len(MAILS) >= 24 and "events_reminder" in MAILS and "forum_post" in MAILS
    assert ALLAUTH_MAILS


@pytest.mark.parametrize("name", MAILS)
def test_each_mail_has_subject_text_and_html(name):
    missing = [name + part for part in PARTS if not (MAIL_DIR / (name + part)).exists()]
    assert not missing, f"missing: {missing}"


def test_each_partial_is_used():
    sources = "".join(p.read_text() for p in MAIL_DIR.iterdir() if p.name not in PARTIALS)
    sources += (ALLAUTH_DIR.parent.parent / ".." / "accounts" / "adapter.py").resolve().read_text()
    for partial in PARTIALS - {"base.html"}:
        assert f"email/{partial}" in sources, partial


def render(template_name: str, language: str, context: dict) -> str:
    with translation.override(language):
        return strict_engine().get_template(template_name).render(Context(context))


def readable(text: str) -> str:
    text = re.sub(r'href="[^"]*"', "", text)
    text = re.sub(r"https?://\S+", "", text)
    return html.unescape(strip_tags(text))


@pytest.mark.parametrize("name", MAILS)
def test_each_mail_renders_in_german_and_in_english_without_german_words(name):
    for context in contexts():
        for part in PARTS:
            german = render(f"email/{name}{part}", "de", context)
            english = render(f"email/{name}{part}", "en", context)
            for text in (german, english):
                assert "«MISSING" not in text, (name + part, re.findall(r"«MISSING [^»]*»", text))
            assert german.strip() and english.strip()
            assert german != english, f"{name}{part} reads the same in both languages"
            leftovers = german_words(readable(english))
            assert not leftovers, (name + part, leftovers, english)


@pytest.mark.parametrize("name", ALLAUTH_MAILS)
def test_the_copied_allauth_mails_render_in_both_languages_and_have_their_other_part(name):
    prefix = name.rsplit("_", 1)[0]
    other = f"{prefix}_subject.txt" if name.endswith("_message.txt") else f"{prefix}_message.txt"
    get_template(f"account/email/{other}")  # allauth's own when the project copies only one part
    context = next(iter(contexts()))
    german = render(f"account/email/{name}", "de", context)
    english = render(f"account/email/{name}", "en", context)
    assert german.strip() and english.strip() and german != english
    assert not german_words(readable(english)), english


def template_messages(path: Path) -> set[tuple[str | None, str, str | None]]:
    """(context, msgid, plural) of every translate/blocktranslate in a template, as makemessages reads them."""
    found = set()
    source = templatize(path.read_text(), origin=str(path))
    call = re.compile(r"\b(n?p?gettext)\(")
    literal = re.compile(r"\s*(u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\")\s*,?")
    for match in call.finditer(source):
        strings, position = [], match.end()
        while (string := literal.match(source, position)) is not None:
            strings.append(ast.literal_eval(string.group(1)))
            position = string.end()
        kind = match.group(1)
        context = strings.pop(0) if "p" in kind[:2] else None
        plural = strings[1] if kind.startswith("n") else None
        found.add((context, strings[0], plural))
    return found


def test_every_message_in_the_mail_templates_has_english():
    catalogue = polib.pofile(str(CATALOGUE))
    entries = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete}
    paths = [*MAIL_DIR.iterdir(), *ALLAUTH_DIR.iterdir()]
    problems, seen = [], 0
    for path in paths:
        for context, msgid, _plural in template_messages(path):
            seen += 1
            entry = entries.get((context, msgid))
            if entry is None:
                problems.append(f"{path.name}: not in the catalogue: {msgid!r}")
            elif "fuzzy" in entry.flags:
                problems.append(f"{path.name}: fuzzy: {msgid!r}")
            elif not (entry.msgstr or all(entry.msgstr_plural.values()) and entry.msgstr_plural):
                problems.append(f"{path.name}: no English: {msgid!r}")
    assert seen > 150
    assert not problems, "\n".join(problems)


def test_the_check_finds_messages_and_notices_a_missing_one(tmp_path):
    sample = tmp_path / "sample.txt"
    sample.write_text('{% load i18n %}{% translate "Viele Grüße" %} {% blocktranslate trimmed with n=x.y %}'
                      "Guten Tag {{ n }},{% endblocktranslate %} {% translate \"Gibt es nicht\" context \"Mail\" %}")
    assert template_messages(sample) == {(None, "Viele Grüße", None), (None, "Guten Tag %(n)s,", None),
                                         ("Mail", "Gibt es nicht", None)}


def site_paths(source: str) -> list[str]:
    """The site's own paths a mail template writes out after ``{{ site_url }}``; a variable in it stands for 1."""
    paths = []
    for match in re.finditer(r"\{\{ site_url \}\}(/(?:[^\"\s<){]|\{\{[^}]*\}\})*)", source):
        path = re.sub(r"\{\{[^}]*\}\}", "1", match.group(1)).split("?")[0].split("#")[0]
        paths.append(path)
    return paths


def test_every_site_path_a_mail_writes_out_exists():
    """A link typed into a mail template (``{{ site_url }}/profil/``) still leads somewhere when a URL is
    renamed: the check fails instead of a participant's click."""
    from django.urls import Resolver404, resolve

    found, broken = 0, []
    for path in sorted([*MAIL_DIR.iterdir(), *ALLAUTH_DIR.iterdir()]):
        for site_path in site_paths(path.read_text()):
            found += 1
            try:
                resolve(site_path)
            except Resolver404:
                broken.append((path.name, site_path))
    assert found > 20, "the check finds the links"
    assert broken == []


def test_the_path_check_notices_a_renamed_page():
    assert site_paths('<a href="{{ site_url }}/profil/">') == ["/profil/"]
    assert site_paths("{{ site_url }}/admin/accounts/registration/{{ registration.pk }}/change/") == [
        "/admin/accounts/registration/1/change/"]
    from django.urls import Resolver404, resolve
    with pytest.raises(Resolver404):
        resolve(site_paths("{{ site_url }}/profiel/")[0])


def test_a_whole_sentence_after_a_colon_in_a_german_subject_starts_with_a_capital():
    """„Ihr Tandem: die Mentoring-Vereinbarung wartet …“ beside „Ihr Tandem: Ein Treffen wurde eingetragen“."""
    import re
    from pathlib import Path

    from django.conf import settings

    sentence = re.compile(r": (der|die|das|ein|eine|ihr|ihre) [^\"{]*\b(wartet|entfällt|ist|wurde|wird|hat|sind)\b")
    found = [(path.name, match.group(0)) for path in Path(settings.BASE_DIR, "templates", "email").glob("*.subject.txt")
             for match in sentence.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
