"""A service's refusal raised while admin saves a change form: a message on the page, and all of the save
rolled back, what ``save_model`` wrote before it included."""
import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.admin import ProfileAdmin
from accounts.models import Profile
from accounts.tests.factories import participant
from mentoring.kernel.errors import Refusal

from .admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def test_a_refusal_after_the_row_was_written_leaves_nothing_and_says_each_reason(admin_client, monkeypatch):
    profile = participant().profile
    url = reverse("admin:accounts_profile_change", args=[profile.pk])
    data = {**admin_form_data(admin_client, url), "department": "Neue Abteilung"}

    def refused(self, request, form, formsets, change):
        assert Profile.objects.get(pk=profile.pk).department == "Neue Abteilung"  # save_model has written
        raise Refusal("Erster Grund", errors={"department": "Erster Grund", None: "Zweiter Grund"})

    monkeypatch.setattr(ProfileAdmin, "save_related", refused)
    response = admin_client.post(url, data)
    # The page again, with what was typed and each reason where it belongs: nothing of the save stays.
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"department": ["Erster Grund"], "__all__": ["Zweiter Grund"]}
    assert form["department"].value() == "Neue Abteilung"
    assert 'value="Neue Abteilung"' in response.content.decode()
    assert not list(get_messages(response.wsgi_request))
    assert Profile.objects.get(pk=profile.pk).department == profile.department


def test_a_form_built_around_get_form_still_gets_its_reasons_as_messages(admin_client, monkeypatch):
    """An admin whose form never passes through ``get_form``: the reasons become messages, and the second try,
    which could not show them, is rolled back even when it would have saved."""
    profile = participant().profile
    url = reverse("admin:accounts_profile_change", args=[profile.pk])
    data = admin_form_data(admin_client, url)

    calls, real = [], ProfileAdmin.save_related

    def refused(self, request, form, formsets, change):
        calls.append(1)
        if len(calls) == 1:  # a race that has cleared by the second try: that try must not save either
            raise Refusal("Grund", errors={None: "Grund"})
        return real(self, request, form, formsets, change)

    monkeypatch.setattr(ProfileAdmin, "save_related", refused)
    data["department"] = "Anders"
    registered = type(admin.site._registry[Profile])  # ProfileAdmin with the site's rules in front
    # Django's own, which never sees a refusal
    monkeypatch.setattr(registered, "get_form", lambda self, *args, **kwargs: admin.ModelAdmin.get_form(
        self, *args, **kwargs))
    response = admin_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Grund"]
    assert Profile.objects.get(pk=profile.pk).department == profile.department


def test_a_get_is_not_caught(admin_client, monkeypatch):
    """Only a save is turned into a message: a page that cannot render is an error, never a redirect loop."""
    profile = participant().profile

    def broken(*args, **kwargs):
        raise Refusal("kaputt")

    monkeypatch.setattr(ProfileAdmin, "get_fieldsets", broken)
    with pytest.raises(Refusal):
        admin_client.get(reverse("admin:accounts_profile_change", args=[profile.pk]))


@pytest.mark.parametrize("field, value", [("args", '{"a": 1}'), ("args", "kaputt"), ("kwargs", "[1]"),
                                          ("headers", "[]"), ("headers", "kaputt")])
def test_a_schedule_with_json_beat_cannot_read_is_refused_next_to_its_field(field, value):
    """Beat dropped such a task from the schedule ("kaputt") or stopped altogether ("[]" as headers)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from mentoring.admin import LabelledPeriodicTaskForm

    crontab = CrontabSchedule.objects.create(minute="0", hour="3")
    data = {"name": "Probe", "regtask": "mentoring.tasks.clear_expired_sessions", "crontab": crontab.pk,
            "enabled": "on", "args": "[]", "kwargs": "{}", "headers": "{}", "priority": "", "queue": "",
            "exchange": "", "routing_key": "", "expire_seconds": "", "description": ""}
    data[field] = value
    form = LabelledPeriodicTaskForm(data)
    assert not form.is_valid() and field in form.errors and "JSON" in form.errors[field][0]
    good = LabelledPeriodicTaskForm({**data, field: {"args": "[]", "kwargs": "{}", "headers": "{}"}[field]})
    assert good.is_valid(), good.errors
    assert not PeriodicTask.objects.filter(name="Probe").exists()


def test_the_schedule_form_answers_in_german_and_never_500(admin_client):
    """A task name over 200 characters raised KeyError in the library's form, empty headers an IntegrityError on
    save, and a task without a schedule was refused in English."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab = CrontabSchedule.objects.create(minute="0", hour="3")
    data = {"name": "Probe", "regtask": "", "task": "x" * 201, "crontab": crontab.pk, "enabled": "on",
            "args": "[]", "kwargs": "{}", "headers": "", "priority": "", "queue": "", "exchange": "",
            "routing_key": "", "expire_seconds": "", "description": "", "_save": "Sichern"}
    url = reverse("admin:django_celery_beat_periodictask_add")
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "task" in response.context["adminform"].form.errors
    response = admin_client.post(url, {**data, "task": "mentoring.tasks.clear_expired_sessions", "crontab": ""})
    assert response.status_code == 200
    assert "Bitte wählen Sie einen Zeitplan" in response.content.decode()
    assert "One of clocked" not in response.content.decode()
    response = admin_client.post(url, {**data, "task": "mentoring.tasks.clear_expired_sessions"})
    assert response.status_code == 302
    assert PeriodicTask.objects.get(name="Probe").headers == "{}"


def test_a_programme_year_ending_before_it_begins_is_refused_next_to_its_end(admin_client):
    import datetime

    response = admin_client.post(reverse("admin:accounts_programmeyear_add"), {
        "label": "2030/31", "opens_on": "01.09.2030", "closes_on": "31.08.2030", "tandem_months": "12"})
    errors = response.context["adminform"].form.errors
    assert errors["closes_on"] == ["Ein Jahrgang endet frühestens an dem Tag, an dem er beginnt."]
    assert "__all__" not in errors
    from accounts.models import ProgrammeYear
    assert not ProgrammeYear.objects.filter(opens_on=datetime.date(2030, 9, 1)).exists()


def test_a_thread_title_too_short_in_admin_reads_as_on_the_site():
    from forum.models import TITLE_TOO_SHORT, Thread

    field = Thread._meta.get_field("title")
    with pytest.raises(Exception) as refused:
        field.run_validators("Ab")
    assert refused.value.messages == [TITLE_TOO_SHORT % {"limit_value": 5}]


def test_an_inline_on_a_parent_being_added_is_checked_without_a_query_on_it():
    """Filtering stored rows by an unsaved parent raised ValueError: every add view with such an inline was a 500."""
    from django.forms.models import inlineformset_factory

    from accounts.models import Need, Topic
    from mentoring.kernel.admin_input import UniqueRowsFormSet

    topic = Topic.objects.first()
    formset_class = inlineformset_factory(Profile, Need, formset=UniqueRowsFormSet, fields=["topic", "priority"],
                                          extra=2)
    data = {"needs-TOTAL_FORMS": "2", "needs-INITIAL_FORMS": "0", "needs-0-topic": topic.pk, "needs-0-priority": 1,
            "needs-1-topic": topic.pk, "needs-1-priority": 2}
    formset = formset_class(data, instance=Profile(), prefix="needs")
    assert not formset.is_valid()  # the same topic twice, said by Django's own check or this one
