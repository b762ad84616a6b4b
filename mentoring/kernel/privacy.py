"""Personal data across apps: each app declares how it exports and erases what it holds.

``accounts.services.user_export`` and ``user_delete`` walk this registry. A feature app
declares its part on its ``AppConfig`` (``personal_data``, see ``app_parts.AppParts``), which
registers it when the app is ready, so that neither the kernel nor accounts imports a feature app
and a reader finds every part on the apps' configs.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .dates import iso_datetime

# How generated text (quote headers, run summaries, partner names) shows a person whose
# account was erased; the forum shows authors of kept posts the same way.
FORMER_PARTICIPANT = _("ehemalige*r Teilnehmer*in")


def moment(value: datetime.date | None) -> str | None:
    """A time as every export writes it: ISO 8601 on the programme's clock (10:00 on the site is 10:00+01:00,
    not 09:00+00:00), as the page's ``<time datetime>`` writes it; a day as the day; nothing as ``None``."""
    return iso_datetime(value, timespec="auto") or None


@dataclass(frozen=True)
class Contributor:
    """One app's part: ``export(user=...) -> dict`` and ``erase(user=...) -> None``.

    ``erase`` runs inside the erasure's transaction, before the user row is deleted: it
    removes the person's own rows and free text, keeps other people's records (detached
    from the person) and replaces the person's name in generated text by
    ``FORMER_PARTICIPANT``.
    """

    label: str
    export: Callable[..., dict]
    erase: Callable[..., None] | None = None
    # Keys of the export that only the person's own copy holds (a private note, a feed's key).
    personal_only: frozenset[str] = frozenset()


_contributors: dict[str, Contributor] = {}

# What the Koordination's copy of an export shows instead of a value only the person may read.
WITHHELD = "nur in der eigenen Auskunft der Person (Profil › Meine Daten herunterladen)"


def register(label: str, *, export: Callable[..., dict], erase: Callable[..., None] | None = None,
             personal_only: tuple[str, ...] = ()) -> None:
    """Called from an ``AppConfig.ready()``; registering the same label again replaces it."""
    _contributors[label] = Contributor(label=label, export=export, erase=erase,
                                       personal_only=frozenset(personal_only))


def contributors() -> list[Contributor]:
    """Every registered part, in the order the apps were loaded."""
    return list(_contributors.values())


def staff_copy(data: dict) -> dict:
    """A person's export as the Koordination downloads it: each app's ``personal_only`` values, wherever they
    stand in that app's part, replaced by ``WITHHELD`` (an empty one stays empty), so the copy says they exist."""

    def withheld(value, keys):
        if isinstance(value, dict):
            return {key: WITHHELD if key in keys and item else withheld(item, keys) for key, item in value.items()}
        if isinstance(value, list):
            return [withheld(item, keys) for item in value]
        return value

    return {label: withheld(part, _contributors[label].personal_only) if label in _contributors else part
            for label, part in data.items()}
