"""The data migration that joins organisations written in different spellings, on today's data."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0004_organisation_name_normalised")]
AFTER = [("accounts", "0006_organisation_unique_normalised_name")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def _latest_schema_afterwards():
    """Later migrations (after AFTER) are applied again, so the next tests find today's schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_latest_schema_afterwards")
def test_migration_joins_spellings_and_keeps_every_profile():
    apps = migrate(BEFORE)
    try:
        Organisation = apps.get_model("accounts", "Organisation")
        FederalState = apps.get_model("accounts", "FederalState")
        OrganisationType = apps.get_model("accounts", "OrganisationType")
        User = apps.get_model("accounts", "User")
        Profile = apps.get_model("accounts", "Profile")
        hessen, bayern = FederalState.objects.get(code="06"), FederalState.objects.get(code="09")
        town, social = OrganisationType.objects.get(slug="kreisangehoerige-stadt"), OrganisationType.objects.get(
            slug="soziale-einrichtung")
        first = Organisation.objects.create(name="Universitätsstadt Gießen", org_type=town, federal_state=hessen,
                                            size_class="medium_town")
        shouting = Organisation.objects.create(name="universitätsstadt GIESSEN", org_type=social,
                                               federal_state=hessen, size_class="large_city")
        spaced = Organisation.objects.create(name="Universitätsstadt  Giessen ", org_type=social,
                                             federal_state=hessen, size_class="rural")
        elsewhere = Organisation.objects.create(name="Universitätsstadt Gießen", org_type=town,
                                                federal_state=bayern, size_class="medium_town")
        profiles = []
        for n, organisation in enumerate([first, shouting, spaced, elsewhere]):
            user = User.objects.create(email=f"p{n}@example.org", password="!")
            profiles.append(Profile.objects.create(
                user=user, role="mentee", organisation=organisation, position="Klimaanpassung",
                role_started_on=datetime.date(2026, 1, 1), funding_line="a1", concept_stage="in_progress",
                meeting_format="both"))
    finally:
        apps = migrate(AFTER)
    try:
        Organisation = apps.get_model("accounts", "Organisation")
        Profile = apps.get_model("accounts", "Profile")
        remaining = {o.pk: o for o in Organisation.objects.all()}
        assert set(remaining) == {first.pk, elsewhere.pk}
        kept = remaining[first.pk]
        assert (kept.name, kept.org_type_id, kept.size_class) == ("Universitätsstadt Gießen", town.pk, "medium_town")
        assert kept.name_normalised == "universitätsstadt giessen" == remaining[elsewhere.pk].name_normalised
        assert [Profile.objects.get(pk=p.pk).organisation_id for p in profiles] == [first.pk] * 3 + [elsewhere.pk]
    finally:
        # Later accounts migrations were unapplied on the way back: the tests after this one need them.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
