"""Reasons are stored as data and read as sentences in the reader's language; old sentences still show."""
import importlib

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import FederalState
from accounts.tests.factories import StaffFactory
from matching import engine, selectors, services
from matching.models import MatchingSettings, Proposal
from matching.reasons import Labels, lazy_sentence, readable, stored

from .factories import ProposalFactory, TandemFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("matching.migrations.0005_reasons_as_data")


def test_a_run_stores_exactly_what_the_engine_explains(mentee, mentor):
    run = services.match_run_start(by=StaffFactory())
    proposal = run.proposals.get()
    pool = {p.pk: p for p in selectors.pool_profiles()}
    explained = engine.explain(services.person(pool[mentee.profile.pk]), services.person(pool[mentor.profile.pk]),
                               MatchingSettings.load().weights(), neighbours=services.neighbour_map())
    assert proposal.reasons == stored(explained)
    assert all(set(r) == {"criterion", "kind", "points", "params"} for r in proposal.reasons)
    assert {"topic_ids", "covered", "total"} <= set(proposal.reasons[0]["params"])


def test_the_same_stored_reason_reads_in_german_and_in_english():
    hessen, thueringen = FederalState.objects.get(code="06"), FederalState.objects.get(code="16")
    reasons = [{"criterion": "region", "kind": "neighbour", "points": 1.5,
                "params": {"state_id": hessen.pk, "other_state_id": thueringen.pk}},
               {"criterion": "meeting_format", "kind": "same", "points": 1.0, "params": {"format": "online"}},
               {"criterion": "language", "kind": "shared", "points": 1.0, "params": {"language_codes": ["de"]}}]
    german = [r["text"] for r in readable(reasons)]
    with translation.override("en"):
        english = [r["text"] for r in readable(reasons)]
    assert german == ["benachbarte Bundesländer: Hessen/Thüringen", "gleiches Format: online",
                      "gemeinsame Sprache: Deutsch"]
    assert english == ["neighbouring federal states: Hessen/Thüringen", "same format: online",
                       "common language: German"]


def test_confirmation_mail_and_tandem_page_render_reasons_in_the_language_they_are_read_in(client):
    tandem = TandemFactory()
    labels = Labels.load()
    context = {"person": {}, "partner": {}, "role": "mentee", "path": "/tandem/1/",
               "reasons": [lazy_sentence(r, labels) for r in tandem.reasons]}
    assert "deckt 1 von 1 Bedarfen ab: Haushaltsplanung" in render_to_string("email/matching_confirmed.txt", context)
    with translation.override("en"):
        assert "covers 1 of 1 needs: Budgeting" in render_to_string("email/matching_confirmed.txt", context)
    client.force_login(tandem.mentee.user)
    assert "deckt 1 von 1 Bedarfen ab: Haushaltsplanung" in client.get(f"/tandem/{tandem.pk}/").content.decode()


def test_migration_turns_old_sentences_into_data_and_keeps_the_rest_as_fallback():
    hessen = FederalState.objects.get(code="06")
    old = [{"criterion": "region", "points": 3.0, "text": "gleiches Bundesland: Hessen"},
           {"criterion": "size", "points": 2.0, "text": "gleiche Größenklasse"},
           {"criterion": "topics", "points": 4.0, "text": "deckt 1 von 2 Bedarfen ab: ein gelöschtes Thema"}]
    proposal, tandem = ProposalFactory(reasons=old), TandemFactory(reasons=old)
    migration.forward(apps, None)
    proposal.refresh_from_db()
    tandem.refresh_from_db()
    assert proposal.reasons == tandem.reasons
    assert proposal.reasons[0] == {"criterion": "region", "kind": "same", "points": 3.0,
                                   "params": {"state_id": hessen.pk, "other_state_id": hessen.pk}}
    assert proposal.reasons[1]["kind"] == "same"
    assert proposal.reasons[2]["fallback_text"] == "deckt 1 von 2 Bedarfen ab: ein gelöschtes Thema"
    with translation.override("en"):
        assert [r["text"] for r in readable(proposal.reasons)] == [
            "same federal state: Hessen", "same size category",
            "deckt 1 von 2 Bedarfen ab: ein gelöschtes Thema"]
    assert [r["text"] for r in readable(proposal.reasons)] == [r["text"] for r in old]
    migration.backward(apps, None)
    assert Proposal.objects.get(pk=proposal.pk).reasons == old


@pytest.mark.parametrize("language", ["de", "en"])
def test_page_figures_read_as_floatformat_does(language):
    from django.template.defaultfilters import floatformat

    from matching.reasons import Sentences

    with translation.override(language):
        sentences = Sentences(Labels(topics={}, states={}, org_types={}))
        for value in (0, 0.05, 0.15, 0.25, 1.25, 2.35, 7, 9.95, 12.65, 99.99, -0.04, 1 / 3):
            assert sentences.figure(value) == floatformat(value, 1), value
