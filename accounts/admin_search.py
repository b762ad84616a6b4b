"""How staff find a person in any admin list: by first and last name together ("Julia Walter"), by e-mail or by
organisation ("Bocholt"). Django's admin search needs every word to match one of the fields, so a list that
searched the last name alone found nobody for a full name."""


def person_search_fields(user: str, organisation: str | None = None) -> list[str]:
    """The search fields for the person at ``user`` (a lookup path ending in ``__``, "" for the User itself)
    whose organisation is at ``organisation`` (default: through the person's profile)."""
    return [f"{user}first_name", f"{user}last_name", f"{user}email",
            organisation or f"{user}profile__organisation__name"]
