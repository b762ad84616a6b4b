"""Services of the site pages."""
import uuid

from allauth.core import ratelimit
from django.conf import settings
from django.db import transaction

from .mail import mail_queue


def barrier_report_submit(*, request, name: str, email: str, page: str, description: str, **_ignored) -> bool:
    """Send a barrier report to staff and a receipt to the reporter; False when rate-limited."""
    if not ratelimit.consume(request, action="barrier_report"):
        return False
    report_id = uuid.uuid4().hex
    context = {"name": name, "email": email, "page": page, "description": description}
    with transaction.atomic():
        for staff_email in settings.STAFF_NOTIFICATION_EMAILS:
            mail_queue(key=f"barrier-report:{report_id}:{staff_email}", to=staff_email,
                       template="barrier_report_staff", context=context)
        mail_queue(key=f"barrier-report:{report_id}:receipt", to=email, template="barrier_report_receipt",
                   context=context)
    return True
