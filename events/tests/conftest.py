"""Fixtures of the events tests: one event of each visibility, a client per kind of user."""
import pytest
from django.test import Client

from events.models import Event
from events.tests.factories import EventFactory

USER_KINDS = ["anonymous", "unapproved_user", "mentee", "mentor", "staff_user"]


@pytest.fixture
def events_by_visibility(db):
    return {
        "public": EventFactory(title="Öffentliches Seminar"),
        "members": EventFactory(title="Treffen für Teilnehmer*innen", members=True),
        "mentor_training": EventFactory(title="Schulung für Mentor*innen", mentor_training=True),
        "draft": EventFactory(title="Noch ein Entwurf", status=Event.Status.DRAFT),
    }


@pytest.fixture
def client_as(request, db):
    """``client_as("mentee")`` → a client logged in as that fixture's user (or anonymous)."""

    def make(kind: str) -> Client:
        client = Client()
        if kind != "anonymous":
            client.force_login(request.getfixturevalue(kind))
        return client

    return make
