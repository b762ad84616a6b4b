"""Every admin list with actions answers a hand-made selection with 400, never 500 (the project's lists and
Django's own), and a real selection still works."""
import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

pytestmark = pytest.mark.django_db


def lists_with_actions():
    """Every admin list and the first action it offers a superuser (a list that offers none has no selection)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    request.user.is_superuser, request.user.is_active, request.user.is_staff = True, True, True
    request.user.has_perm = lambda perm, obj=None: True
    found = []
    for model, model_admin in admin.site._registry.items():
        names = list(model_admin.get_actions(request))
        if names:
            found.append(pytest.param(model, names[0], id=f"{model._meta.app_label}.{model._meta.model_name}"))
    return found


@pytest.mark.parametrize("model, action", lists_with_actions())
@pytest.mark.parametrize("garbage", ["abc", "1abc", "²", "-1", ""])
def test_a_garbage_selection_is_a_bad_request(client, staff_user, model, action, garbage):
    client.force_login(staff_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [garbage], "index": "0"})
    assert response.status_code == 400, (model, action, garbage, response.status_code)


def test_the_walk_finds_the_lists():
    assert len(lists_with_actions()) >= 10


def test_a_real_selection_still_reaches_the_action(client, staff_user):
    from mentoring.kernel.mail import mail_queue_rendered
    from mentoring.models import OutboxMessage

    message = mail_queue_rendered(key="probe:selection", to="a@example.org", subject="Betreff", body_text="Text")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED)
    client.force_login(staff_user)
    response = client.post(reverse("admin:mentoring_outboxmessage_changelist"),
                           {"action": "send_again", ACTION_CHECKBOX_NAME: [str(message.pk)], "index": "0"}, follow=True)
    assert response.status_code == 200 and "1 E-Mail(s) versendet." in response.content.decode()


@pytest.mark.parametrize("query", [
    "created_at__year=0", "created_at__year=99999", "created_at__year__gt=99999", "created_at__iso_year=-1",
    "created_at__month=abc", "subject__regex=(a", "id__iregex=[", "id__range=1", "subject__search=x",
    "subject__unaccent=x", "subject__trigram_similar=x", "headers__has_key=x",
])
def test_a_filter_in_the_url_that_cannot_run_answers_400(admin_client, query):
    """Each answered 500 while the list was drawn (ValueError, OperationalError, IndexError)."""
    assert admin_client.get(f"/admin/mentoring/outboxmessage/?{query}").status_code == 400


def test_filters_that_can_run_still_filter(admin_client):
    for query in ("created_at__year=2026", "created_at__month=11", "id__in=1,5", "subject__icontains=a",
                  "created_at__year__gte=2020", "status__exact=sent"):
        assert admin_client.get(f"/admin/mentoring/outboxmessage/?{query}").status_code == 200, query


@pytest.mark.parametrize("url", ["/admin/matching/tandem/1/change/?_to_field=meetings",
                                 "/admin/forum/thread/?_to_field=posts",
                                 "/admin/events/event/add/?_to_field=registrations"])
def test_a_reverse_relation_as_to_field_answers_400(admin_client, url):
    """Django read ``primary_key`` of the reverse relation: a 500 before any permission check."""
    assert admin_client.get(url).status_code == 400
