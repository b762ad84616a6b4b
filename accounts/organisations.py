"""How organisation names are compared and duplicates joined; free of app models so migrations use it too."""
import re
import unicodedata

from django.db.models import Count

# Hyphens, dashes and slashes between words: "Marburg-Biedenkopf" is "Marburg Biedenkopf".
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―/_]+")


def display_name(name: str) -> str:
    """The name as the person wrote it, with runs of whitespace made one space."""
    return " ".join(name.split())


def normalise_organisation_name(name: str) -> str:
    """The key two spellings of one organisation share: case, spaces, dashes, ß/ss and Unicode forms ignored."""
    # NFKC folds full-width and compatibility letters; casefold() turns "ß" into "ss".
    text = unicodedata.normalize("NFKC", name).casefold()
    return _SEPARATORS.sub(" ", text).strip()


def reassign_references(organisation_model, *, keep, duplicate_pks: list[int]) -> dict[str, int]:
    """Point every row that refers to one of the duplicates at ``keep``; returns rows moved per model.

    Works on the live model and on a migration's historical model alike, because it walks
    ``_meta.related_objects``: a foreign key added later in any app is covered without a change here.
    """
    moved = {}
    for relation in organisation_model._meta.related_objects:
        if relation.many_to_many:
            raise ValueError(f"{relation.related_model._meta.label}: many-to-many links to organisations "
                             "need their own merge rule")
        field = relation.field
        count = relation.related_model._base_manager.filter(
            **{f"{field.name}__in": duplicate_pks}).update(**{field.name: keep.pk})
        moved[relation.related_model._meta.label] = count
    return moved


def reference_counts(organisation_model, pks) -> dict[int, dict[str, int]]:
    """How many rows of each kind refer to each of these organisations: {pk: {"Profile": 3, …}}.

    One query per kind of reference, found through ``_meta`` like ``reassign_references``, so
    staff see before a merge what will move.
    """
    counts = {pk: {} for pk in pks}
    for relation in organisation_model._meta.related_objects:
        field = relation.field
        label = str(relation.related_model._meta.verbose_name_plural)
        rows = (relation.related_model._base_manager.filter(**{f"{field.name}__in": pks})
                .values_list(field.attname).annotate(n=Count("pk")).order_by())
        for pk, n in rows:
            counts[pk][label] = n
    return counts


# Words that say what kind of place a name is, not which: "Universitätsstadt Gießen", "Stadt
# Gießen" and "Gießen" may well be one organisation entered three times.
_GENERIC_WORDS = frozenset({
    "stadt", "gemeinde", "landkreis", "kreis", "markt", "marktgemeinde", "hansestadt", "universitätsstadt",
    "unistadt", "wissenschaftsstadt", "kreisstadt", "grosse", "kreisfreie", "landeshauptstadt", "bundesstadt",
    "verbandsgemeinde", "samtgemeinde", "verwaltungsgemeinschaft", "amt", "stadtverwaltung", "gemeindeverwaltung",
    "kreisverwaltung", "landratsamt", "freie", "und", "der", "die", "das",
})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def similarity_key(name: str) -> str:
    """A looser key than the normalised name, for finding possible duplicates to show staff.

    Generic words, punctuation and the spelling of umlauts are ignored: "Universitätsstadt
    Gießen", "Stadt Giessen" and "Giessen" share a key. Only a hint; staff decide.
    """
    words = [word for word in normalise_organisation_name(name).split() if word not in _GENERIC_WORDS]
    text = unicodedata.normalize("NFKD", " ".join(words).translate(_UMLAUTS))
    text = "".join(char for char in text if char.isalnum() or char.isspace())
    return " ".join(text.split())
