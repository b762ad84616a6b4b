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


# Required columns an add form leaves out on purpose, each filled before the row is written.
FILLED_ON_SAVE = {
    "accounts.User": {"password"},  # UserAdmin's add form sets it from its two password fields
    "accounts.Organisation": {"name_normalised"},  # Organisation.save() derives it from the name
}


def test_no_admin_offers_to_add_a_row_its_form_cannot_complete(rf):
    """An add form that leaves a required column unset answers 500 when saved (a forum thread had no last post
    time, since a thread begins with its opening post): such a model is not offered for adding."""
    from accounts.models import User

    request = rf.get("/admin/")
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    incomplete = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        offered = set(model_admin.get_form(request, None).base_fields)
        unset = {field.name for field in model._meta.concrete_fields
                 if not (field.primary_key or field.null or field.has_default() or field.name in offered
                         or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                         or (field.blank and field.get_internal_type() in ("CharField", "TextField", "SlugField")))}
        if unset - FILLED_ON_SAVE.get(model._meta.label, set()):
            incomplete[model._meta.label] = sorted(unset)
    assert not incomplete
