"""The URL map as the tests walk it: every pattern with its full route, includes unfolded."""
import re
from collections.abc import Iterator
from types import ModuleType

from django.urls import URLPattern, URLResolver


def walk(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for each URL pattern below ``patterns``, the routes of its includes joined."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def url_names(urlconf: ModuleType) -> set[str]:
    """The names of every URL an app's urls module declares, grouped ones included."""
    return {pattern.name for _route, pattern in walk(urlconf.urlpatterns)}


def forge(route: str) -> str:
    """The path of ``route`` with its converters filled with values that point at nothing."""
    route = re.sub(r"<int:\w+>", "987654", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<(?:str|slug|path):\w+>", "gibt-es-nicht", route)
    route = re.sub(r"<\w+>", "gibt-es-nicht", route)
    return "/" + route.lstrip("^").rstrip("$")
