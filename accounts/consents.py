"""The wording of each consent; a changed wording gets a new version."""
from .models import Consent

CONSENT_TEXTS = {
    Consent.Purpose.PROGRAMME: (
        "2026-11",
        "Ich willige ein, dass die Koordinationsstelle meine Angaben aus diesem Formular "
        "verarbeitet, um meine Teilnahme am Mentoring-Programm zu prüfen, das "
        "Kennenlerngespräch zu führen und mich im Programm zu betreuen. Ich kann diese "
        "Einwilligung jederzeit im Profil widerrufen; damit endet meine Teilnahme.",
    ),
    Consent.Purpose.PARTNER_SHARING: (
        "2026-11",
        "Ich willige ein, dass mein Name, meine Organisation, meine Kontaktdaten sowie meine "
        "Bedarfe und Kompetenzen an die Person weitergegeben werden, mit der ich ein Tandem "
        "bilde. Ohne diese Einwilligung kann ich nicht vermittelt werden.",
    ),
    Consent.Purpose.NEWS: (
        "2026-11",
        "Ich möchte per E-Mail über Veranstaltungen und Neuigkeiten des Programms informiert "
        "werden (freiwillig, jederzeit widerrufbar).",
    ),
}
