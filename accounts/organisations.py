"""How organisation names are compared and duplicates joined; free of app models so migrations use it too."""
import re
import unicodedata

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
