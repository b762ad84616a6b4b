"""Request values parsed without trusting them: garbage gives None, never an exception or a query."""
import re

# ASCII only: str.isdigit() is also true for "²" and "٣", which int() then refuses or reads.
_ID = re.compile(r"[1-9][0-9]{0,18}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")
MAX_ID = 2**63 - 1  # the largest primary key a bigint holds (DEFAULT_AUTO_FIELD)


def parse_id(value) -> int | None:
    """A primary key from a GET/POST value, or None for anything else (NUL, "²", huge, negative)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str) or _ID.fullmatch(value) is None:
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def parse_slug(value) -> str | None:
    """A slug as the URLs use them, or None (a NUL byte would make PostgreSQL raise)."""
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else None
