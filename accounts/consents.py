"""The wording of each consent, in every language of the site; a changed wording gets a new version.

The German and the English text of one version say the same thing; the record of a consent
keeps the version, the language and the exact text the person agreed to.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy

from .models import Consent


@dataclass(frozen=True)
class ConsentWording:
    version: str
    texts: dict[str, str]

    def text(self, language: str | None = None) -> tuple[str, str]:
        """(language, text) in ``language``, by default the active one: what the person reads."""
        language = consent_language(language)
        return language, self.texts[language]


def consent_language(language: str | None = None) -> str:
    """The language a wording is shown and recorded in: the given or active one, if the site has it."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


CONSENT_TEXTS = {
    # 2026-11-26: the evaluation of the programme (Kurzbefragungen, Rückblick, reports without names) is named.
    Consent.Purpose.PROGRAMME: ConsentWording("2026-11-26", {
        "de": "Ich willige ein, dass die Koordinationsstelle meine Angaben aus diesem Formular "
              "verarbeitet, um meine Teilnahme am Mentoring-Programm zu prüfen, das "
              "Kennenlerngespräch zu führen und mich im Programm zu betreuen. Dazu gehören die "
              "Mentoring-Vereinbarung meines Tandems und meine freiwilligen Antworten in den "
              "Kurzbefragungen und im Rückblick; das Programm wertet sie nur zusammengefasst und "
              "ohne Namen aus, auch für den Bericht an den Fördermittelgeber. Ich kann diese "
              "Einwilligung jederzeit im Profil widerrufen; damit endet meine Teilnahme.",
        "en": "I consent to the coordination office processing the information I give in this form "
              "in order to review my participation in the mentoring programme, to hold the introductory "
              "call and to support me in the programme. This includes my tandem's mentoring agreement and "
              "my voluntary answers to the short surveys and the closing review; the programme evaluates "
              "them only in aggregate and without names, also for the report to the funding body. I can "
              "withdraw this consent at any time in my profile; my participation then ends.",
    }),
    Consent.Purpose.PARTNER_SHARING: ConsentWording("2026-11", {
        "de": "Ich willige ein, dass mein Name, meine Organisation, meine Kontaktdaten sowie meine "
              "Bedarfe und Kompetenzen an die Person weitergegeben werden, mit der ich ein Tandem "
              "bilde. Ohne diese Einwilligung kann ich nicht vermittelt werden.",
        "en": "I consent to my name, my organisation, my contact details and my needs and competences "
              "being passed on to the person with whom I form a tandem. Without this consent I cannot "
              "be matched.",
    }),
    Consent.Purpose.NEWS: ConsentWording("2026-11", {
        "de": "Ich möchte per E-Mail über Veranstaltungen und Neuigkeiten des Programms informiert "
              "werden (freiwillig, jederzeit widerrufbar).",
        "en": "I would like to be informed by e-mail about events and news of the programme "
              "(voluntary, can be withdrawn at any time).",
    }),
}


def _consent_text(purpose: str) -> str:
    return CONSENT_TEXTS[purpose].text()[1]


# A form label built at import: the text is looked up in the reader's language when shown.
consent_text_lazy = lazy(_consent_text, str)
