"""Personal data across apps: each app declares how it exports and erases what it holds.

``accounts.services.user_export`` and ``user_delete`` walk this registry. A feature app
declares its part on its ``AppConfig`` (``personal_data``, see ``app_parts.AppParts``), which
registers it when the app is ready, so that neither the kernel nor accounts imports a feature app
and a reader finds every part on the apps' configs.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# How generated text (quote headers, run summaries, partner names) shows a person whose
# account was erased; the forum shows authors of kept posts the same way.
FORMER_PARTICIPANT = _("ehemalige*r Teilnehmer*in")


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


_contributors: dict[str, Contributor] = {}


def register(label: str, *, export: Callable[..., dict], erase: Callable[..., None] | None = None) -> None:
    """Called from an ``AppConfig.ready()``; registering the same label again replaces it."""
    _contributors[label] = Contributor(label=label, export=export, erase=erase)


def contributors() -> list[Contributor]:
    """Every registered part, in the order the apps were loaded."""
    return list(_contributors.values())
