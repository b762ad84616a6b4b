"""Fixtures of the site-wide (mentoring) tests."""
import pytest


@pytest.fixture
def send_barrier_report(client):
    """Send the barrier form as a visitor does (Bea Bauer, about the events filter); keywords replace
    fields. Returns the page the visitor lands on."""

    def send(**overrides):
        data = {"name": "Bea Bauer", "email": "bea@example.org", "page": "/veranstaltungen/",
                "description": "Der Filter ist mit dem Screenreader nicht bedienbar."}
        return client.post("/barrierefreiheit/", {**data, **overrides}, follow=True)

    return send
