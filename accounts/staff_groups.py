"""The staff groups of the programme, by name, and who may do what only Koordination may.

The groups are created by ``accounts/migrations/0008_staff_groups.py``; their permissions
are given elsewhere. Superusers count as every group.
"""
KOORDINATION = "Koordination"
MODERATION = "Moderation"
VERANSTALTUNGEN = "Veranstaltungen"
ALL = (KOORDINATION, MODERATION, VERANSTALTUNGEN)


def in_staff_group(user, name: str) -> bool:
    """An active staff member in the group ``name``; a superuser is in every group."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    return user.is_superuser or user.groups.filter(name=name).exists()


def is_koordination(user) -> bool:
    return in_staff_group(user, KOORDINATION)
