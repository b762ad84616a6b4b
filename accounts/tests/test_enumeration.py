"""Nobody learns whether an address has an account: known and new cost the same work and answer alike."""
import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import override_settings

from accounts.models import User
from accounts.tests.factories import PASSWORD
from accounts.tests.test_registration import URL as REGISTRATION_URL
from accounts.tests.test_registration import form_data
from mentoring.kernel.models import OutboxMessage


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is hashed (the expensive step with PBKDF2)."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def work_of(post):
    """Hasher calls, outbox rows and templates rendered for one request."""
    CountingHasher.calls = 0
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    response = post()
    new_rows = OutboxMessage.objects.exclude(pk__in=before)
    return response, CountingHasher.calls, sorted(row.to for row in new_rows)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["accounts.tests.test_enumeration.CountingHasher"])
@pytest.mark.parametrize("verified", [True, False])
def test_known_and_new_address_do_the_same_work(client, verified):
    known = User.objects.create(email="bekannt@kassel.de", password="!")
    known.emailaddress_set.create(email=known.email, primary=True, verified=verified)
    new_response, new_hashes, new_mails = work_of(lambda: client.post(REGISTRATION_URL, form_data()))
    known_response, known_hashes, known_mails = work_of(
        lambda: client.post(REGISTRATION_URL, form_data(email="Bekannt@Kassel.de")))
    assert new_hashes == known_hashes == 1
    assert new_mails == ["anna.becker@kassel.de", "koordination@example.org"]
    assert known_mails == ["bekannt@kassel.de", "koordination@example.org"]
    assert (new_response.status_code, new_response.url) == (known_response.status_code, known_response.url)
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_unconfirmed_known_address_gets_a_fresh_link(client, django_capture_on_commit_callbacks, mailoutbox):
    known = User.objects.create(email="bekannt@kassel.de", password="!")
    known.emailaddress_set.create(email=known.email, primary=True, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTRATION_URL, form_data(email=known.email))
    to_person = next(m for m in mailoutbox if m.to == [known.email])
    assert "bereits ein Konto" in to_person.body and "/konto/confirm-email/" in to_person.body
    to_staff = next(m for m in mailoutbox if m.to == ["koordination@example.org"])
    assert to_staff.subject.endswith("Anmeldeformular mit bereits registrierter Adresse")


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["accounts.tests.test_enumeration.CountingHasher"])
def test_login_hashes_once_per_backend_for_unknown_and_known_address(client, mentee):
    # allauth's backend and Django's ModelBackend each hash a dummy password for an unknown address.
    mentee.set_password(PASSWORD)
    mentee.save()
    CountingHasher.calls = 0
    unknown = client.post("/konto/login/", {"login": "niemand@example.org", "password": "falsch-falsch-1"})
    unknown_hashes, CountingHasher.calls = CountingHasher.calls, 0
    wrong = client.post("/konto/login/", {"login": mentee.email, "password": "falsch-falsch-1"})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown_hashes == CountingHasher.calls == 2


@pytest.mark.django_db
def test_password_reset_answers_and_mails_alike(client, mentee):
    # ACCOUNT_PREVENT_ENUMERATION: an unknown address gets a mail too, and the page is the same.
    unknown, _hashes, unknown_mails = work_of(
        lambda: client.post("/konto/password/reset/", {"email": "niemand@example.org"}))
    known, _hashes, known_mails = work_of(lambda: client.post("/konto/password/reset/", {"email": mentee.email}))
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert unknown_mails == ["niemand@example.org"] and known_mails == [mentee.email]


@pytest.mark.django_db
def test_an_address_another_account_only_claimed_does_not_block_its_owner_s_registration(client, mentee):
    """A participant added a colleague's address on /konto/email/ and never confirmed it: the colleague's
    registration created nothing and their mail offered a link confirming the address for that participant's
    account. Now the colleague registers as anyone new, and the unconfirmed claim is gone."""
    mentee.emailaddress_set.create(email="kollegin@kassel.de", primary=False, verified=False)
    response = client.post(REGISTRATION_URL, form_data(email="kollegin@kassel.de"))
    assert response.status_code == 302
    owner = User.objects.get(email="kollegin@kassel.de")
    assert owner != mentee and not mentee.emailaddress_set.filter(email="kollegin@kassel.de").exists()
    mail = OutboxMessage.objects.get(to="kollegin@kassel.de")
    assert not mail.key.startswith("registration-exists") and "bereits ein Konto" not in mail.body_text
