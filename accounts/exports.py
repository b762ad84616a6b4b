"""A person's data as a JSON download: their own (/profil/export/) and the Koordination's (admin) copy."""
import json

from django.http import HttpResponse

from mentoring.kernel import privacy
from mentoring.kernel.files import download

from . import services
from .models import User


def export_download(user: User, *, filename: str, for_staff: bool = False) -> HttpResponse:
    data = services.user_export(user=user)
    if for_staff:
        data = privacy.staff_copy(data)
    return download(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                    content_type="application/json; charset=utf-8", filename=filename)
