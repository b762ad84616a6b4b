"""The data migrations that turn problem and barrier reports into cases, on data as it was before."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# accounts stays at its newest state before these (the historical User needs its language field).
BEFORE = [("accounts", "0008_staff_groups"), ("matching", "0005_reasons_as_data"),
          ("mentoring", "0008_sign_language_video")]
AFTER = [("matching", "0006_problem_report_cases"), ("mentoring", "0009_barrier_report_cases")]
HANDLED_AT = datetime.datetime(2026, 10, 1, 12, 0, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_done_reports_become_erledigt_open_ones_neu_and_the_staff_note_the_first_note():
    try:
        apps = migrate(BEFORE)
        User = apps.get_model("accounts", "User")
        Tandem = apps.get_model("matching", "Tandem")
        ProblemReport = apps.get_model("matching", "ProblemReport")
        BarrierReport = apps.get_model("mentoring", "BarrierReport")
        staff = User.objects.create(email="alt@example.org", password="!", is_staff=True)
        tandem = Tandem.objects.create(reasons=[])
        done = ProblemReport.objects.create(tandem=tandem, kind="problem", text="erledigt",
                                            resolved_at=HANDLED_AT, resolved_by=staff)
        still_open = ProblemReport.objects.create(tandem=tandem, kind="end", text="offen")
        handled = BarrierReport.objects.create(email="a@example.org", description="Kontrast", status="handled",
                                               handled_at=HANDLED_AT, handled_by=staff, staff_note="Behoben.")
        waiting = BarrierReport.objects.create(email="b@example.org", description="Fokus", status="open")
        apps = migrate(AFTER)
        ProblemReport = apps.get_model("matching", "ProblemReport")
        BarrierReport = apps.get_model("mentoring", "BarrierReport")
        BarrierReportNote = apps.get_model("mentoring", "BarrierReportNote")
        assert ProblemReport.objects.get(pk=done.pk).status == "done"
        assert ProblemReport.objects.get(pk=still_open.pk).status == "new"
        migrated = BarrierReport.objects.get(pk=handled.pk)
        assert (migrated.status, migrated.handled_at, migrated.handled_by_id) == ("done", HANDLED_AT, staff.pk)
        assert BarrierReport.objects.get(pk=waiting.pk).status == "new"
        [note] = BarrierReportNote.objects.all()
        assert (note.report_id, note.text, note.author_id, note.created_at) == (handled.pk, "Behoben.", staff.pk,
                                                                                HANDLED_AT)
    finally:
        migrate(latest())


@pytest.mark.django_db
def test_languages_typed_as_json_keep_their_known_codes():
    """accounts 0018: what admin's JSON box let through is cleaned; every language the form offers survives."""
    from importlib import import_module

    from django.apps import apps as django_apps

    from accounts.choices import LANGUAGES
    from accounts.models import Profile
    from accounts.tests.factories import participant

    migration = import_module("accounts.migrations.0018_profile_languages_cleaned")
    assert {code for code, _label in LANGUAGES} == migration.KNOWN
    stored = {"kept": ["de", "dgs"], "mixed": ["klingonisch", "en", 5], "number": 5, "nothing": ["x"]}
    people = {name: participant().profile for name in stored}
    for name, value in stored.items():
        Profile.objects.filter(pk=people[name].pk).update(languages=value)
    migration.keep_known_codes(django_apps, None)
    cleaned = {name: Profile.objects.get(pk=profile.pk).languages for name, profile in people.items()}
    assert cleaned == {"kept": ["de", "dgs"], "mixed": ["en"], "number": ["de"], "nothing": ["de"]}


@pytest.mark.django_db
def test_programme_consents_of_the_future_month_label_take_the_day_of_their_wording():
    from importlib import import_module

    from django.apps import apps as django_apps

    from accounts.consents import CONSENT_TEXTS
    from accounts.models import Consent
    from accounts.tests.factories import participant

    migration = import_module("accounts.migrations.0019_programme_consent_version_label")
    assert CONSENT_TEXTS[Consent.Purpose.PROGRAMME].version == migration.NEW
    person = participant()
    Consent.objects.filter(user=person).update(version=migration.OLD)
    migration.relabel(django_apps, None)
    versions = dict(Consent.objects.filter(user=person).values_list("purpose", "version"))
    # Only the programme consent's label changes; another purpose never carried that label's wording.
    assert versions == {"programme": migration.NEW, "partner_sharing": migration.OLD}
