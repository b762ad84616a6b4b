"""Admin building blocks every app's admin shares."""
from django.contrib import admin
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from .cases import CaseForm, entries_html


class RecordInline(admin.TabularInline):
    """Rows that a service wrote (status changes, meetings, reports, places), shown read-only on their parent.

    Staff read them here; nobody adds, changes or deletes one in the admin. A subclass names its
    ``model`` and the ``fields`` to show.
    """

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class CaseAdmin(admin.ModelAdmin):
    """A case (a Tandem's problem report, a barrier report) in admin: status, assignee, notes, replies.

    The case model keeps its notes and replies under the related names ``notes`` and ``replies``;
    a subclass names the fields, fieldsets and actions of its kind.
    """

    form = CaseForm

    def get_object(self, request, object_id, from_field=None):
        # Notes and replies show on one case's page, not in the list.
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            prefetch_related_objects([case], *(
                Prefetch(name, queryset=self.model._meta.get_field(name).related_model.objects.select_related(
                    "author")) for name in ("notes", "replies")))
        return case

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("bisherige Notizen"))
    def notes_list(self, obj):
        return entries_html(obj.notes.all())

    @admin.display(description=_("bisherige Antworten"))
    def replies_list(self, obj):
        return entries_html(obj.replies.all())

