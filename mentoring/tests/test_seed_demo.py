"""`make run` loads demo data; running it twice duplicates nothing."""
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Registration, User


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()
              if m._meta.app_label in {"accounts", "matching", "forum", "events"}}
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    again = {label: apps.get_model(label).objects.count() for label in counts}
    assert again == counts
    assert "0 new participants" in out.getvalue()
    assert User.objects.filter(is_staff=False).count() == 60
    assert Registration.objects.filter(status=Registration.Status.APPROVED).count() >= 45
    assert User.objects.get(email="koordination@example.org").check_password("Klima-Koordination-2026")
