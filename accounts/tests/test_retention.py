"""Closed registrations and never-confirmed accounts are deleted after the stated period, announced before."""
import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Registration, User
from accounts.retention import check_periods
from accounts.tests.factories import StaffFactory, UserFactory, participant, retention_run_at
from mentoring.kernel.models import OutboxMessage

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def notices_to(email):
    return OutboxMessage.objects.filter(to=email, key__startswith="retention-notice:")


def test_notice_period_is_shorter_than_every_automatic_deletion_period(settings):
    assert check_periods() == [], "the proposed defaults hold"
    settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS = 14
    assert [e.id for e in check_periods()] == ["accounts.E001"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Registration.Status.REJECTED, Registration.Status.WITHDRAWN])
def test_closed_registration_gets_one_notice_then_is_deleted(status, mailoutbox):
    with time_machine.travel(START, tick=False):
        person = participant(status=status)
    email, pk = person.email, person.pk
    period, notice = django_settings.CLOSED_REGISTRATION_RETENTION_DAYS, django_settings.RETENTION_NOTICE_DAYS
    retention_run_at(START + (period - notice - 1) * DAY)
    assert not notices_to(email).exists(), "no notice earlier than two weeks before"
    retention_run_at(START + (period - notice) * DAY)
    retention_run_at(START + (period - notice + 1) * DAY)
    assert notices_to(email).count() == 1, "one notice, however often beat runs"
    sent = mailoutbox[-1]
    with translation.override("de"):
        delete_on = date_format(timezone.localtime(START + period * DAY), "j. F Y")
    assert sent.to == [email] and sent.subject == f"Ihr Konto wird am {delete_on} gelöscht"
    assert "/profil/export/" in sent.body and "Notizen zum Kennenlerngespräch" in sent.body
    retention_run_at(START + (period - 1) * DAY)
    assert User.objects.filter(pk=pk).exists()
    retention_run_at(START + period * DAY + datetime.timedelta(hours=1))
    assert not User.objects.filter(pk=pk).exists()
    assert not OutboxMessage.objects.filter(to=email).exists(), "erased through user_delete, outbox included"


@pytest.mark.django_db
def test_late_notice_moves_the_deletion_two_weeks_after_it():
    with time_machine.travel(START, tick=False):
        person = participant(status=Registration.Status.WITHDRAWN)
    period = django_settings.CLOSED_REGISTRATION_RETENTION_DAYS
    late = START + (period + 30) * DAY
    retention_run_at(late)
    assert User.objects.filter(pk=person.pk).exists() and notices_to(person.email).count() == 1
    retention_run_at(late + (django_settings.RETENTION_NOTICE_DAYS - 1) * DAY)
    assert User.objects.filter(pk=person.pk).exists()
    retention_run_at(late + django_settings.RETENTION_NOTICE_DAYS * DAY)
    assert not User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_unconfirmed_account_is_noticed_and_deleted_unless_confirmed_in_time(mailoutbox):
    with time_machine.travel(START, tick=False):
        unconfirmed = participant(status=Registration.Status.SUBMITTED, user__verified_email=False)
        confirms_later = participant(status=Registration.Status.SUBMITTED, user__verified_email=False)
        in_review = participant(status=Registration.Status.INTRO_SCHEDULED, user__verified_email=False)
        confirmed = participant(status=Registration.Status.SUBMITTED)
        staff = StaffFactory(verified_email=False)
    period, notice = django_settings.UNCONFIRMED_ACCOUNT_RETENTION_DAYS, django_settings.RETENTION_NOTICE_DAYS
    retention_run_at(START + (period - notice) * DAY)
    noticed = set(OutboxMessage.objects.filter(key__startswith="retention-notice:").values_list("to", flat=True))
    assert noticed == {unconfirmed.email, confirms_later.email}
    sent = next(m for m in mailoutbox if m.to == [unconfirmed.email])
    assert "/konto/login/" in sent.body and "Bestätigungslink" in sent.body
    confirms_later.emailaddress_set.update(verified=True)
    retention_run_at(START + period * DAY + datetime.timedelta(hours=1))
    remaining = set(User.objects.values_list("pk", flat=True))
    assert unconfirmed.pk not in remaining
    assert {confirms_later.pk, in_review.pk, confirmed.pk, staff.pk} <= remaining


@pytest.mark.django_db
def test_staff_are_never_deleted_automatically():
    with time_machine.travel(START, tick=False):
        staff = participant(status=Registration.Status.REJECTED, user__is_staff=True, user__verified_email=False)
        superuser = UserFactory(is_superuser=True, verified_email=False)
    for days in (0, 200, 400):
        retention_run_at(START + days * DAY)
    assert User.objects.filter(pk__in=[staff.pk, superuser.pk]).count() == 2
    assert not OutboxMessage.objects.filter(key__startswith="retention-notice:").exists()


@pytest.mark.django_db
def test_a_rejected_never_confirmed_account_gets_one_notice_under_the_sooner_rule():
    with time_machine.travel(START, tick=False):
        person = participant(status=Registration.Status.REJECTED, user__verified_email=False)
    for days in range(0, django_settings.CLOSED_REGISTRATION_RETENTION_DAYS, 7):
        retention_run_at(START + days * DAY)
    assert not User.objects.filter(pk=person.pk).exists()
    assert list(OutboxMessage.objects.filter(key__startswith="retention-notice:").values_list("key", flat=True)) == [
        f"retention-notice:unconfirmed:{person.pk}"]
