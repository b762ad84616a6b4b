"""A person's data as a JSON download: their own (/profil/export/) and the Koordination's (admin) copy."""
import json

from django.http import HttpResponse

from . import services
from .models import User

# What only the person gets: their private meeting notes (nobody else reads them, staff included) and
# the key of their calendar feed (it opens the feed). The Koordination's copy says that they exist.
PERSONAL_ONLY = frozenset({"ihre_private_notiz", "schluessel"})
WITHHELD = "nur in der eigenen Auskunft der Person (Profil › Meine Daten herunterladen)"


def _withheld(value):
    if isinstance(value, dict):
        return {key: WITHHELD if key in PERSONAL_ONLY and item else _withheld(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_withheld(item) for item in value]
    return value


def export_download(user: User, *, filename: str, for_staff: bool = False) -> HttpResponse:
    data = services.user_export(user=user)
    if for_staff:
        data = _withheld(data)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
