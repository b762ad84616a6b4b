"""Rate limits count the client behind the proxy, and X-Forwarded-For cannot be forged past them."""
import itertools

import pytest

from accounts.tests.factories import UserFactory
from accounts.tests.test_registration import form_data
from mentoring.tests.production import production_settings

PROXY = "10.0.0.2"
ALICE, BOB = "198.51.100.7", "203.0.113.9"
forged = (f"192.0.2.{n}" for n in itertools.count(1))


@pytest.fixture
def behind_proxy(settings):
    """Production's client-address settings; requests arrive from the proxy's address."""
    names = ("ALLAUTH_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER")
    for name, value in production_settings(*names).items():
        if value is not None:
            setattr(settings, name, value)


def via_proxy(client_ip: str, sent_by_client: str = "") -> dict:
    """What the proxy passes on: it appends the address it saw to what the client sent."""
    chain = f"{sent_by_client}, {client_ip}" if sent_by_client else client_ip
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def registration(client, n, **meta):
    return client.post("/anmeldung/", form_data(email=f"person{n}@example.org"), **meta).status_code


def barrier_report(client, n, **meta):
    response = client.post("/barrierefreiheit/", {"email": f"person{n}@example.org", "description": "Kontrast"},
                           follow=True, **meta)
    return 429 if "Zu viele Meldungen" in response.content.decode() else response.status_code


def failed_login(client, n, **meta):
    response = client.post("/konto/login/", {"login": f"person{n}@example.org", "password": "geraten"}, **meta)
    return 429 if "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode() else response.status_code


# (form, how many tries the budget allows per client address)
LIMITED = [(registration, 10), (barrier_report, 5), (failed_login, 10)]


@pytest.mark.django_db
@pytest.mark.parametrize(("submit", "budget"), LIMITED, ids=[f.__name__ for f, _ in LIMITED])
def test_clients_behind_one_proxy_have_separate_budgets(client, behind_proxy, submit, budget):
    answers = [submit(client, n, **via_proxy(ALICE)) for n in range(budget)]
    assert 429 not in answers
    assert submit(client, budget, **via_proxy(ALICE)) == 429, "Alice used up her budget"
    assert submit(client, budget + 1, **via_proxy(BOB)) != 429, "Bob behind the same proxy still has his"


@pytest.mark.django_db
@pytest.mark.parametrize(("submit", "budget"), LIMITED, ids=[f.__name__ for f, _ in LIMITED])
def test_a_forged_forwarded_for_does_not_escape_the_budget(client, behind_proxy, submit, budget):
    for n in range(budget):
        submit(client, n, **via_proxy(ALICE, sent_by_client=next(forged)))
    assert submit(client, budget, **via_proxy(ALICE, sent_by_client=next(forged))) == 429


@pytest.mark.django_db
@pytest.mark.parametrize(("submit", "budget"), LIMITED, ids=[f.__name__ for f, _ in LIMITED])
def test_without_a_proxy_forwarded_for_is_ignored(client, settings, submit, budget):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(budget):
        submit(client, n, REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=next(forged))
    assert submit(client, budget, REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=next(forged)) == 429


def test_local_and_test_settings_trust_no_proxy(settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0 and settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None
    assert production_settings("ALLAUTH_TRUSTED_PROXY_COUNT")["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert production_settings("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 2}


@pytest.mark.django_db
def test_login_succeeds_for_a_client_whose_neighbour_is_locked_out(client, behind_proxy):
    user = UserFactory(email="bob@example.org")
    user.set_password("Richtiges-Passwort-1")
    user.save()
    for n in range(10):
        failed_login(client, n, **via_proxy(ALICE))
    response = client.post("/konto/login/", {"login": "bob@example.org", "password": "Richtiges-Passwort-1"},
                           **via_proxy(BOB))
    assert response.status_code == 302
