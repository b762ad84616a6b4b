"""Topic taxonomy, Bundesländer with neighbours and organisation types (shared/domain.md)."""
from django.db import migrations
from django.utils.translation import gettext_noop

# gettext_noop() marks the names for the catalogue (accounts.models.reference_name shows them translated); it
# returns them unchanged, so what this migration writes is the same as before.

TOPICS = [
    ("einstieg", gettext_noop("Einstieg & erste 100 Tage"), gettext_noop("Einstieg")),
    ("projektmanagement", gettext_noop("Projektmanagement & Förderabwicklung (Mittelabruf, Berichte)"), gettext_noop("Förderabwicklung")),
    ("verwaltung", gettext_noop("Arbeitsweise der Verwaltung"), gettext_noop("Verwaltung")),
    ("haushalt", gettext_noop("Kommunale Haushaltsplanung & Finanzierung"), gettext_noop("Haushaltsplanung")),
    ("foerdermittel", gettext_noop("Fördermittelakquise"), gettext_noop("Fördermittelakquise")),
    ("politik", gettext_noop("Politik & Gremien (Ratsvorlagen, Beschlüsse)"), gettext_noop("Politik & Gremien")),
    ("steuerungskreis", gettext_noop("Steuerungskreis / Arbeitsgruppe aufbauen und moderieren"), gettext_noop("Steuerungskreis")),
    ("konzept", gettext_noop("Klimaanpassungskonzept erstellen"), gettext_noop("Konzepterstellung")),
    ("klimadaten", gettext_noop("Klimadaten & Betroffenheits-/Risikoanalyse"), gettext_noop("Klimadaten & Risikoanalyse")),
    ("massnahmenplanung", gettext_noop("Maßnahmenplanung & Priorisierung"), gettext_noop("Maßnahmenplanung")),
    ("beteiligung", gettext_noop("Akteurs- und Bürgerbeteiligung"), gettext_noop("Beteiligung")),
    ("oeffentlichkeit", gettext_noop("Öffentlichkeits- und Kampagnenarbeit, Pressearbeit"), gettext_noop("Öffentlichkeitsarbeit")),
    ("vernetzung", gettext_noop("Vernetzung inner- und außerhalb der Kommune, interkommunale Kooperation"), gettext_noop("Vernetzung")),
    ("verstetigung", gettext_noop("Verstetigung & Mainstreaming"), gettext_noop("Verstetigung")),
    ("monitoring", gettext_noop("Monitoring & Evaluation"), gettext_noop("Monitoring")),
    ("umsetzung", gettext_noop("Umsetzung von Maßnahmen, naturbasierte Lösungen"), gettext_noop("Umsetzung")),
    ("hitzeaktionsplan", gettext_noop("Hitzeaktionsplan"), gettext_noop("Hitzeaktionsplan")),
    ("starkregen", gettext_noop("Starkregenrisikomanagement"), gettext_noop("Starkregen")),
    ("schwammstadt", gettext_noop("Schwammstadt"), gettext_noop("Schwammstadt")),
    ("stadtgruen", gettext_noop("Stadtgrün & Entsiegelung"), gettext_noop("Stadtgrün")),
    ("bauleitplanung", gettext_noop("Bauleitplanung"), gettext_noop("Bauleitplanung")),
    ("vulnerable-gruppen", gettext_noop("Vulnerable Gruppen & soziale Einrichtungen"), gettext_noop("Vulnerable Gruppen")),
    ("selbstorganisation", gettext_noop("Selbstorganisation in der neuen Rolle"), gettext_noop("Selbstorganisation")),
]

STATES = [
    ("01", "Schleswig-Holstein", "DE-SH", "HH NI MV"),
    ("02", "Hamburg", "DE-HH", "SH NI"),
    ("03", "Niedersachsen", "DE-NI", "SH HH HB MV BB ST TH HE NW"),
    ("04", "Bremen", "DE-HB", "NI"),
    ("05", "Nordrhein-Westfalen", "DE-NW", "NI HE RP"),
    ("06", "Hessen", "DE-HE", "NI TH BY BW RP NW"),
    ("07", "Rheinland-Pfalz", "DE-RP", "NW HE BW SL"),
    ("08", "Baden-Württemberg", "DE-BW", "RP HE BY"),
    ("09", "Bayern", "DE-BY", "BW HE TH SN"),
    ("10", "Saarland", "DE-SL", "RP"),
    ("11", "Berlin", "DE-BE", "BB"),
    ("12", "Brandenburg", "DE-BB", "MV NI ST SN BE"),
    ("13", "Mecklenburg-Vorpommern", "DE-MV", "SH NI BB"),
    ("14", "Sachsen", "DE-SN", "BY TH ST BB"),
    ("15", "Sachsen-Anhalt", "DE-ST", "NI BB SN TH"),
    ("16", "Thüringen", "DE-TH", "NI ST SN BY HE"),
]

ORG_TYPES = [
    ("landkreis", gettext_noop("Landkreis (Kreis)"), "municipal"),
    ("kreisfreie-stadt", gettext_noop("kreisfreie Stadt (Stadtkreis)"), "municipal"),
    ("kreisangehoerige-stadt", gettext_noop("kreisangehörige Stadt"), "municipal"),
    ("kreisangehoerige-gemeinde", gettext_noop("kreisangehörige Gemeinde"), "municipal"),
    ("gemeindeverband", gettext_noop("Gemeindeverband (Amt, Verbandsgemeinde, Samtgemeinde, Verwaltungsgemeinschaft)"),
     "municipal"),
    ("stadtstaat-bezirk", gettext_noop("Stadtstaat / Bezirk"), "municipal"),
    ("region", gettext_noop("Region / Kommunalverband"), "municipal"),
    ("interkommunal", gettext_noop("interkommunaler Zusammenschluss"), "municipal"),
    ("kommunales-unternehmen", gettext_noop("kommunales Unternehmen"), "other"),
    ("soziale-einrichtung", gettext_noop("soziale Einrichtung (Kita, Schule, Pflegeheim, Krankenhaus …)"), "social"),
    ("traeger", gettext_noop("Träger / Wohlfahrtsverband"), "social"),
    ("sonstige", gettext_noop("Sonstige"), "other"),
]


def load(apps, schema_editor):
    Topic = apps.get_model("accounts", "Topic")
    FederalState = apps.get_model("accounts", "FederalState")
    OrganisationType = apps.get_model("accounts", "OrganisationType")
    for position, (slug, name, short) in enumerate(TOPICS):
        Topic.objects.update_or_create(slug=slug, defaults={"name": name, "short_name": short, "position": position})
    by_iso = {}
    for code, name, iso, _ in STATES:
        by_iso[iso[3:]], _created = FederalState.objects.update_or_create(code=code, defaults={"name": name, "iso": iso})
    for code, name, iso, neighbours in STATES:
        by_iso[iso[3:]].neighbours.set([by_iso[n] for n in neighbours.split()])
    for position, (slug, name, group) in enumerate(ORG_TYPES):
        OrganisationType.objects.update_or_create(slug=slug, defaults={"name": name, "group": group,
                                                                      "position": position})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
