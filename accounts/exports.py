"""A person's data as a JSON download: their own (/profil/export/) and the Koordination's (admin) give the same file."""
import json

from django.http import HttpResponse

from . import services
from .models import User


def export_download(user: User, *, filename: str) -> HttpResponse:
    data = services.user_export(user=user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
