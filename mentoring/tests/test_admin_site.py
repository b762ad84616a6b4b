"""The admin site gives its rules to every admin registered on it, without changing Django's own classes."""
from django.contrib import admin

from accounts.models import Need, Profile
from mentoring.kernel.admin_input import CheckedInlineInput, CheckedInput, UniqueRowsFormSet
from mentoring.kernel.admin_refusals import RefusalsEndTheSave
from mentoring.kernel.admin_site import RuledAdminSite


def test_every_registered_admin_follows_the_site_rules():
    """The project's admins and the libraries' (allauth, django-celery-beat, Django's groups) alike."""
    assert isinstance(admin.site, RuledAdminSite)
    labels = set()
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, (RefusalsEndTheSave, CheckedInput)), model
        assert isinstance(model_admin, RefusalsEndTheSave) and isinstance(model_admin, CheckedInput), model
        labels.add(model._meta.app_label)
    assert {"auth", "account", "django_celery_beat", "accounts", "matching", "forum", "events"} <= labels


def test_django_classes_stay_as_django_wrote_them():
    """No rule is patched into Django's ``ModelAdmin``: another site in the same process is Django's own."""
    for name in ("changeform_view", "changelist_view", "get_form", "lookup_allowed", "formfield_for_dbfield"):
        assert getattr(admin.ModelAdmin, name).__module__.startswith("django."), name
    assert admin.options.InlineModelAdmin.formset is not UniqueRowsFormSet


def test_an_admin_registered_later_and_its_inlines_get_the_rules(rf, staff_user):
    class NeedRows(admin.TabularInline):
        model = Need

    site = RuledAdminSite(name="probe")
    site.register(Profile)
    model_admin = site._registry[Profile]
    assert isinstance(model_admin, RefusalsEndTheSave) and isinstance(model_admin, CheckedInput)
    model_admin.inlines = [NeedRows]
    request = rf.get("/")
    request.user = staff_user
    (inline,) = model_admin.get_inlines(request, None)
    assert issubclass(inline, CheckedInlineInput) and issubclass(inline, NeedRows)
    assert inline.formset is UniqueRowsFormSet
    assert model_admin.get_inlines(request, None) == [inline]  # one class, made once
