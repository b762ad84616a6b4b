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


@pytest.mark.django_db
def test_seed_demo_shows_the_tandems_purpose():
    """An open Jahrgang, agreed and pending Vereinbarungen, answered Kurzbefragungen, ended Tandems with reviews."""
    from accounts.models import ProgrammeYear
    from matching.models import Agreement, CheckIn, ClosingReview, Tandem
    from matching.services.risk import tandems_at_risk_page
    from mentoring.cockpit.disclosure import SMALLEST_GROUP

    call_command("seed_demo", stdout=io.StringIO())
    year = ProgrammeYear.current()
    assert year is not None and ProgrammeYear.objects.count() == 2
    assert Registration.objects.filter(programme_year__isnull=True).count() == 0
    assert Tandem.objects.filter(programme_year__isnull=True).count() == 0
    assert Agreement.objects.filter(confirmed_at__isnull=False).count() >= 10
    assert Agreement.objects.filter(confirmed_at__isnull=True).count() >= 1
    answered = CheckIn.objects.filter(answered_at__isnull=False)
    assert answered.count() >= 30 and CheckIn.objects.filter(answered_at__isnull=True).exists()
    assert answered.filter(rating__lte=2).exists()
    assert any("Bewertung" in " ".join(why) for _tandem, why in tandems_at_risk_page()[0])
    assert Tandem.objects.filter(status=Tandem.Status.ENDED).count() >= 5
    reviews = ClosingReview.objects.filter(answered_at__isnull=False)
    assert reviews.filter(is_mentee=True).count() >= SMALLEST_GROUP
    assert reviews.filter(is_mentee=False).count() >= SMALLEST_GROUP
    assert ClosingReview.objects.filter(answered_at__isnull=True).exists()
    counts = [model.objects.count() for model in (ProgrammeYear, Agreement, CheckIn, ClosingReview)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [model.objects.count() for model in (ProgrammeYear, Agreement, CheckIn, ClosingReview)] == counts


@pytest.mark.django_db(transaction=True)
def test_demo_meetings_lie_within_their_tandems():
    """The certificate and the Zeitnachweis count a Tandem's meetings: none of the demo's lies outside its Tandem."""
    from django.db.models import F

    from matching.models import Meeting

    call_command("seed_demo", stdout=io.StringIO())
    assert Meeting.objects.exists()
    assert not Meeting.objects.filter(tandem__ended_at__isnull=False, date__gt=F("tandem__ended_at__date")).exists()
    assert not Meeting.objects.filter(date__lt=F("tandem__started_at__date")).exists()
