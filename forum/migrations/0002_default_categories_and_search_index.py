"""The forum's default categories (names and descriptions in the catalogue: ``Category.label``) and, on PostgreSQL, the GIN index of the German full-text search."""
from django.db import migrations
from django.utils.translation import gettext_noop

CATEGORIES = [
    ("praxistipps", gettext_noop("Praxistipps"),
     gettext_noop("Was in Ihrer Kommune funktioniert hat: Vorlagen, Vorgehen, Erfahrungen aus der Umsetzung."), False, False),
    ("fragen-antworten", gettext_noop("Fragen & Antworten"),
     gettext_noop("Fragen an die Runde – von Mittelabruf bis Ratsvorlage. Die beste Antwort wird als Lösung markiert."),
     False, False),
    ("methoden-hilfsmittel", gettext_noop("Methoden & Hilfsmittel"),
     gettext_noop("Schulungsmaterial der Koordination für Mentor*innen: Gesprächsleitfäden, Methoden, Checklisten."),
     True, True),
    ("veranstaltungen-austausch", gettext_noop("Veranstaltungen & Austausch"),
     gettext_noop("Hinweise auf Termine, Nachlese zu Veranstaltungen und Verabredungen zum Austausch."), False, False),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for position, (slug, name, description, mentors_only, staff_only_threads) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={
            "name": name, "description": description, "position": position, "mentors_only": mentors_only,
            "staff_only_threads": staff_only_threads})


def remove_categories(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    Category.objects.filter(slug__in=[c[0] for c in CATEGORIES], threads__isnull=True).delete()


def create_search_index(apps, schema_editor):
    # GIN on the stored tsvector; SQLite has neither, and searches with icontains instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS forum_thread_search_gin ON forum_thread USING gin (search_vector)")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS forum_thread_search_gin")


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = [
        migrations.RunPython(create_categories, remove_categories),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
