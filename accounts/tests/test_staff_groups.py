"""The staff groups exist after migrate, the migration keeps what staff gave them, and who counts as Koordination."""
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts import staff_groups
from accounts.staff_groups import KOORDINATION, MODERATION, VERANSTALTUNGEN

from .factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
create_groups = importlib.import_module("accounts.migrations.0008_staff_groups").create_groups


def test_the_groups_are_there_and_running_the_migration_again_changes_nothing():
    assert set(Group.objects.values_list("name", flat=True)) >= {KOORDINATION, MODERATION, VERANSTALTUNGEN}
    koordination = Group.objects.get(name=KOORDINATION)
    before = set(koordination.permissions.all())
    permission = Permission.objects.get(codename="view_group")  # given by hand, not in the table
    koordination.permissions.add(permission)
    create_groups(apps, None)
    staff_groups.grant_permissions(apps)
    assert Group.objects.filter(name__in=staff_groups.ALL).count() == 3
    assert set(Group.objects.get(name=KOORDINATION).permissions.all()) == before | {permission}


def test_who_counts_as_koordination():
    def staff(group=None, **kwargs):
        user = StaffFactory(is_superuser=False, **kwargs)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    participant_in_group = UserFactory()
    participant_in_group.groups.add(Group.objects.get(name=KOORDINATION))
    assert staff_groups.is_koordination(staff(KOORDINATION))
    assert staff_groups.is_koordination(StaffFactory())  # a superuser is in every group
    assert not staff_groups.is_koordination(staff(MODERATION))
    assert not staff_groups.is_koordination(staff())
    assert not staff_groups.is_koordination(staff(KOORDINATION, is_active=False))
    assert not staff_groups.is_koordination(participant_in_group), "a group without staff status opens nothing"
    assert staff_groups.in_staff_group(staff(VERANSTALTUNGEN), VERANSTALTUNGEN)
    assert not staff_groups.is_koordination(None)
