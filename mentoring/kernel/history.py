"""A person's history for staff ("Verlauf" in admin): each app declares the sections it knows.

Like its part of the personal data, an app declares its sections on its AppConfig
(``AppParts.history``, registered when the app is ready); accounts' admin shows them on one page,
so neither the kernel nor accounts imports a feature app. A section answers in a fixed number of
queries, however long the person's history is.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A cell that links to an admin page."""

    text: str
    url: str


@dataclass(frozen=True)
class Section:
    """One table of the history page: a caption, column headings, rows of cells (text or Link)."""

    title: str
    columns: Sequence[str]
    rows: list[Sequence] = field(default_factory=list)
    empty: str = ""


@dataclass(frozen=True)
class Source:
    label: str
    order: int
    sections: Callable[..., list[Section]]


_sources: dict[str, Source] = {}


def register(label: str, *, order: int, sections: Callable[..., list[Section]]) -> None:
    """``sections(user=...)`` returns the app's tables about ``user``; lower ``order`` comes first."""
    _sources[label] = Source(label=label, order=order, sections=sections)


def sections_for(user) -> list[Section]:
    """Every registered section about ``user``, in the registered order."""
    found = []
    for source in sorted(_sources.values(), key=lambda s: (s.order, s.label)):
        found += source.sections(user=user)
    return found
