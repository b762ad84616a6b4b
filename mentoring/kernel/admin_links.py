"""A read-only reference in admin links to the other record only for staff who may open it.

Django's admin shows a read-only foreign key (``Registration.user`` on an event, ``Post.author``)
as a link to the other record's change page without asking whether the person reading may
open it: Veranstaltungen met about 90 links that answered 403. The check needs the request,
which the read-only field never sees, so ``AdminRequestMiddleware`` keeps it in a context
variable while the response is made, and ``link_readonly_references_by_permission`` (called
once from ``MentoringConfig.ready``) makes the field ask the other record's ``ModelAdmin``.
Without a request (a template rendered outside a view) the reference is plain text.
"""
from contextvars import ContextVar

_current_request = ContextVar("admin_request", default=None)


class AdminRequestMiddleware:
    """Keep the request in reach of admin's read-only fields while the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def link_readonly_references_by_permission():
    from django.contrib.admin import helpers

    original = helpers.AdminReadonlyField.get_admin_url
    if getattr(original, "asks_permission", False):
        return

    def get_admin_url(self, remote_field, remote_obj):
        request = _current_request.get()
        target = self.model_admin.admin_site._registry.get(remote_field.model) if self.model_admin else None
        if request is None or target is None or not target.has_view_or_change_permission(request, remote_obj):
            return str(remote_obj)
        return original(self, remote_field, remote_obj)

    get_admin_url.asks_permission = True
    helpers.AdminReadonlyField.get_admin_url = get_admin_url
