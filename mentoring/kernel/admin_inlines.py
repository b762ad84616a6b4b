"""Admin building blocks every app's admin shares."""
from django.contrib import admin


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
