"""Topic taxonomy, Bundesländer with neighbours and organisation types (shared/domain.md)."""
from django.db import migrations

TOPICS = [
    ("einstieg", "Einstieg & erste 100 Tage", "Einstieg"),
    ("projektmanagement", "Projektmanagement & Förderabwicklung (Mittelabruf, Berichte)", "Förderabwicklung"),
    ("verwaltung", "Arbeitsweise der Verwaltung", "Verwaltung"),
    ("haushalt", "Kommunale Haushaltsplanung & Finanzierung", "Haushaltsplanung"),
    ("foerdermittel", "Fördermittelakquise", "Fördermittelakquise"),
    ("politik", "Politik & Gremien (Ratsvorlagen, Beschlüsse)", "Politik & Gremien"),
    ("steuerungskreis", "Steuerungskreis / Arbeitsgruppe aufbauen und moderieren", "Steuerungskreis"),
    ("konzept", "Klimaanpassungskonzept erstellen", "Konzepterstellung"),
    ("klimadaten", "Klimadaten & Betroffenheits-/Risikoanalyse", "Klimadaten & Risikoanalyse"),
    ("massnahmenplanung", "Maßnahmenplanung & Priorisierung", "Maßnahmenplanung"),
    ("beteiligung", "Akteurs- und Bürgerbeteiligung", "Beteiligung"),
    ("oeffentlichkeit", "Öffentlichkeits- und Kampagnenarbeit, Pressearbeit", "Öffentlichkeitsarbeit"),
    ("vernetzung", "Vernetzung inner- und außerhalb der Kommune, interkommunale Kooperation", "Vernetzung"),
    ("verstetigung", "Verstetigung & Mainstreaming", "Verstetigung"),
    ("monitoring", "Monitoring & Evaluation", "Monitoring"),
    ("umsetzung", "Umsetzung von Maßnahmen, naturbasierte Lösungen", "Umsetzung"),
    ("hitzeaktionsplan", "Hitzeaktionsplan", "Hitzeaktionsplan"),
    ("starkregen", "Starkregenrisikomanagement", "Starkregen"),
    ("schwammstadt", "Schwammstadt", "Schwammstadt"),
    ("stadtgruen", "Stadtgrün & Entsiegelung", "Stadtgrün"),
    ("bauleitplanung", "Bauleitplanung", "Bauleitplanung"),
    ("vulnerable-gruppen", "Vulnerable Gruppen & soziale Einrichtungen", "Vulnerable Gruppen"),
    ("selbstorganisation", "Selbstorganisation in der neuen Rolle", "Selbstorganisation"),
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
    ("landkreis", "Landkreis (Kreis)", "municipal"),
    ("kreisfreie-stadt", "kreisfreie Stadt (Stadtkreis)", "municipal"),
    ("kreisangehoerige-stadt", "kreisangehörige Stadt", "municipal"),
    ("kreisangehoerige-gemeinde", "kreisangehörige Gemeinde", "municipal"),
    ("gemeindeverband", "Gemeindeverband (Amt, Verbandsgemeinde, Samtgemeinde, Verwaltungsgemeinschaft)",
     "municipal"),
    ("stadtstaat-bezirk", "Stadtstaat / Bezirk", "municipal"),
    ("region", "Region / Kommunalverband", "municipal"),
    ("interkommunal", "interkommunaler Zusammenschluss", "municipal"),
    ("kommunales-unternehmen", "kommunales Unternehmen", "other"),
    ("soziale-einrichtung", "soziale Einrichtung (Kita, Schule, Pflegeheim, Krankenhaus …)", "social"),
    ("traeger", "Träger / Wohlfahrtsverband", "social"),
    ("sonstige", "Sonstige", "other"),
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
