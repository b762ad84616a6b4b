"""Staff: who counts as a staff member and what a permission opens to them, as a predicate and as a filter.

``accounts.staff_groups`` names the programme's groups and their permissions and hands these on; the
kernel's cases ask them directly.
"""
from django.db.models import Exists, OuterRef, Q


def is_staff_member(user) -> bool:
    """An active account that may log into admin (a staff person), whatever their group."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def staff_may(user, perm: str) -> bool:
    """An active staff member whose groups (or own rights) give ``perm``; superusers may everything.

    A permission without staff status opens nothing: a participant put in a group by mistake
    sees no more than before.
    """
    return is_staff_member(user) and user.has_perm(perm)


def staff_may_q(perm: str, prefix: str = "") -> Q:
    """``staff_may`` as a filter on users (``prefix``: the path to the user, e.g. ``"user__"``)."""
    from django.contrib.auth.models import Permission

    app_label, codename = perm.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    via_group = Exists(permission.filter(group__user=OuterRef(f"{prefix}pk")))
    own = Exists(permission.filter(user=OuterRef(f"{prefix}pk")))
    return Q(**{f"{prefix}is_active": True, f"{prefix}is_staff": True}) & (
        Q(**{f"{prefix}is_superuser": True}) | via_group | own)
