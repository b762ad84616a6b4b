"""The staff groups exist after migrate with their permissions, the migrations keep what staff gave them,
who counts as Koordination, and the site's rules follow the groups' permissions."""
import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts import staff_groups
from accounts.staff_groups import KOORDINATION, MODERATION, VERANSTALTUNGEN

from .factories import StaffFactory, UserFactory, staff_member

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


def test_who_may_send_an_essential_letter():
    """The one right only Koordination has: its group, a superuser; never another group, an inactive
    account or a participant put in the group by mistake."""
    def staff(group=None, **kwargs):
        user = StaffFactory(is_superuser=False, **kwargs)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    def may(user):
        return staff_groups.staff_may(user, staff_groups.SEND_ESSENTIAL_LETTER)

    participant_in_group = UserFactory()
    participant_in_group.groups.add(Group.objects.get(name=KOORDINATION))
    assert may(staff(KOORDINATION))
    assert may(StaffFactory())  # a superuser may everything
    assert not may(staff(MODERATION)) and not may(staff(VERANSTALTUNGEN)) and not may(staff())
    assert not may(staff(KOORDINATION, is_active=False))
    assert not may(participant_in_group), "a group without staff status opens nothing"


@pytest.mark.parametrize("group, may, may_not", [
    (KOORDINATION, ["accounts.view_registration", "matching.view_tandem", "matching.view_meeting",
                    "matching.change_problemreport", staff_groups.SEND_ESSENTIAL_LETTER,
                    staff_groups.VIEW_PERSON_HISTORY, "mentoring.view_outboxmessage", "events.view_event"],
     [staff_groups.MODERATE_FORUM, "accounts.change_user", "events.change_event", "auth.change_group"]),
    (MODERATION, [staff_groups.MODERATE_FORUM, "forum.change_post", "forum.change_report", "forum.add_category"],
     ["accounts.view_registration", "accounts.view_profile", "matching.view_tandem", "matching.view_meeting",
      "matching.view_matchrun", "mentoring.view_barrierreport", staff_groups.VIEW_PERSON_HISTORY]),
    (VERANSTALTUNGEN, ["events.add_event", "events.change_eventregistration", "accounts.view_profile",
                       "letters.change_letter"],
     ["matching.view_tandem", "matching.view_meeting", "accounts.view_registration", "accounts.view_user",
      staff_groups.SEND_ESSENTIAL_LETTER, staff_groups.MODERATE_FORUM, staff_groups.VIEW_PERSON_HISTORY]),
])
def test_each_group_has_the_permissions_of_its_work(group, may, may_not):
    member = staff_member(group)
    assert all(staff_groups.staff_may(member, perm) for perm in may), group
    assert not any(staff_groups.staff_may(member, perm) for perm in may_not), group


def test_staff_may_needs_an_active_staff_account_and_agrees_with_its_filter():
    superuser = StaffFactory()
    moderator = staff_member(MODERATION)
    koordination = staff_member(KOORDINATION)
    inactive = staff_member(MODERATION, is_active=False)
    participant_in_group = UserFactory()
    participant_in_group.groups.add(Group.objects.get(name=MODERATION))
    own_right = staff_member(None)
    own_right.user_permissions.add(Permission.objects.get(codename="moderate_forum"))
    people = [superuser, moderator, koordination, inactive, participant_in_group, own_right, staff_member(None)]
    for perm in (staff_groups.MODERATE_FORUM, "matching.view_tandem"):
        by_predicate = {p.pk for p in people if staff_groups.staff_may(type(p).objects.get(pk=p.pk), perm)}
        by_filter = set(type(superuser).objects.filter(staff_groups.staff_may_q(perm)).values_list("pk", flat=True))
        assert by_predicate == by_filter, perm
    assert {superuser.pk, moderator.pk, own_right.pk} == {
        p.pk for p in people if staff_groups.staff_may(type(p).objects.get(pk=p.pk), staff_groups.MODERATE_FORUM)}
    assert not staff_groups.staff_may(None, staff_groups.MODERATE_FORUM)


def test_site_rules_follow_the_groups(mentee, mentor):
    from events.selectors import events_visible_to, sees_every_event
    from events.tests.factories import EventFactory
    from forum import access
    from matching.selectors import tandems_visible_to
    from matching.tests.factories import TandemFactory

    tandem = TandemFactory(mentee=mentee.profile, mentor=mentor.profile)
    draft = EventFactory(status="draft")
    expected = {KOORDINATION: (False, True, True), MODERATION: (True, False, False),
                VERANSTALTUNGEN: (False, True, False), None: (False, False, False)}
    for group, (moderates, every_event, every_tandem) in expected.items():
        member = staff_member(group, email=f"regel-{group}@example.org")
        assert access.moderates(member) is moderates, group
        assert sees_every_event(member) is every_event, group
        assert events_visible_to(user=member).filter(pk=draft.pk).exists() is every_event, group
        assert tandems_visible_to(user=member).filter(pk=tandem.pk).exists() is every_tandem, group
    superuser = StaffFactory()
    assert access.moderates(superuser) and sees_every_event(superuser)
    assert tandems_visible_to(user=superuser).filter(pk=tandem.pk).exists()
    assert not access.moderates(mentee) and not tandems_visible_to(user=mentor).exclude(pk=tandem.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", ["first", "after the first one's flush"])
def test_group_permissions_are_back_after_a_flush(run):
    """conftest's REFERENCE_DATA loads them again once a transactional test emptied every table."""
    for name, perms in staff_groups.PERMISSIONS.items():
        assert Group.objects.get(name=name).permissions.count() == len(set(perms)), (run, name)


def test_the_demo_staff_logins_have_only_their_groups_rights():
    from accounts import demo

    User = get_user_model()
    User.objects.create_user(email=demo.STAFF_EMAIL, is_staff=True, is_superuser=True)  # as older demo data made it
    koordination = demo.staff_user()
    assert demo.staff_user() == koordination  # running it again changes nothing
    koordination.refresh_from_db()
    def groups(user):
        return set(user.groups.values_list("name", flat=True))

    assert not koordination.is_superuser and groups(koordination) == {KOORDINATION}
    assert groups(User.objects.get(email="moderation@example.org")) == {MODERATION}
    assert groups(User.objects.get(email="veranstaltungen@example.org")) == {VERANSTALTUNGEN}
    assert User.objects.get(email=demo.ADMIN_EMAIL).is_superuser


def test_the_admin_speaks_german_and_offers_no_button_that_answers_403(client, mentee):
    """The two-box picker's Django 5.2 strings and the user page's password row are German, and
    Koordination (who reads accounts) is not offered "Passwort zurücksetzen", which is the superuser's."""
    from django.urls import reverse

    from accounts.tests.factories import staff_member

    coordinator = staff_member("Koordination", email="koordination@example.org")
    client.force_login(coordinator)
    catalog = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '"Choose all %s": "Alle %s ausw\\u00e4hlen"' in catalog
    page = client.get(reverse("admin:accounts_user_change", args=[mentee.pk])).content.decode()
    assert "Reset password" not in page and "Passwort zurücksetzen" not in page
    password_url = reverse("admin:auth_user_password_change", args=[mentee.pk])
    assert password_url not in page and client.get(password_url).status_code == 403
    superuser = StaffFactory(email="admin@example.org")
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_user_change", args=[mentee.pk])).content.decode()
    assert "Passwort zurücksetzen" in page and "Reset password" not in page
