"""Fixed choice lists of the programme (see shared/domain.md)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MENTEE = "mentee", _("Mentee (neu in der Rolle)")
    MENTOR = "mentor", _("Mentor*in (erfahren)")
    BOTH = "both", _("beides")


# Which roles take a mentee or a mentor*in; "beides" is both.
MENTEE_ROLES = (Role.MENTEE, Role.BOTH)
MENTOR_ROLES = (Role.MENTOR, Role.BOTH)


class FundingLine(models.TextChoices):
    A1 = "a1", _("A.1 Erstvorhaben (Klimaanpassungskonzept)")
    A2 = "a2", _("A.2 Umsetzungs- / Anschlussvorhaben")
    A3 = "a3", _("A.3 ausgewählte investive Maßnahme")
    ANPASO = "anpaso", _("AnPaSo (Anpassung sozialer Einrichtungen)")
    STATE = "state", _("Landesprogramm")
    NONE = "none", _("keine Förderung")


class ConceptStage(models.TextChoices):
    NONE = "none", _("noch kein Konzept")
    IN_PROGRESS = "in_progress", _("Konzept in Arbeit")
    ADOPTED = "adopted", _("Konzept beschlossen")


class MeetingFormat(models.TextChoices):
    ONLINE = "online", _("online")
    ONSITE = "onsite", _("vor Ort")
    BOTH = "both", _("online und vor Ort")


class SizeClass(models.TextChoices):
    # Ordered from largest to smallest; the order is used for "similar size".
    LARGE_CITY = "large_city", _("große Großstadt (ab 500 000 Einw.)")
    CITY = "city", _("kleinere Großstadt (100 000–500 000 Einw.)")
    LARGE_MEDIUM_TOWN = "large_medium_town", _("größere Mittelstadt (50 000–100 000 Einw.)")
    MEDIUM_TOWN = "medium_town", _("kleinere Mittelstadt (20 000–50 000 Einw.)")
    LARGE_SMALL_TOWN = "large_small_town", _("größere Kleinstadt (10 000–20 000 Einw.)")
    SMALL_TOWN = "small_town", _("kleine Kleinstadt (5 000–10 000 Einw.)")
    RURAL = "rural", _("Landgemeinde (unter 5 000 Einw.)")
    NOT_APPLICABLE = "n_a", _("nicht zutreffend (z. B. soziale Einrichtung)")


SIZE_ORDER = [c.value for c in SizeClass if c != SizeClass.NOT_APPLICABLE]


class Priority(models.IntegerChoices):
    LOW = 1, _("niedrig")
    MEDIUM = 2, _("mittel")
    HIGH = 3, _("hoch")


class Level(models.IntegerChoices):
    BASIC = 1, _("Grundkenntnisse")
    EXPERIENCED = 2, _("erfahren")
    EXPERT = 3, _("sehr erfahren")


LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("fr", _("Französisch")),
    ("pl", _("Polnisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
    ("ru", _("Russisch")),
    ("uk", _("Ukrainisch")),
    ("es", _("Spanisch")),
    ("it", _("Italienisch")),
    ("dgs", _("Deutsche Gebärdensprache")),
]
