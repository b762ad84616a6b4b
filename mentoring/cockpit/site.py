"""The project's admin site: its titles, allauth's login in front of it, and the overview it opens on."""
from allauth.account.decorators import secure_admin_login
from django.utils.translation import gettext_lazy as _

from mentoring.kernel.admin_site import RuledAdminSite


class AdminSite(RuledAdminSite):
    site_header = _("Mentoring Klimaanpassung – Verwaltung")
    site_title = _("Mentoring Klimaanpassung")
    index_title = _("Verwaltung")

    def login(self, request, extra_context=None):
        """Admin login goes through allauth, so its rate limits protect it too."""
        return secure_admin_login(super().login)(request, extra_context)

    def index(self, request, extra_context=None):
        """/admin/ opens on the coordinators' overview; the list of every admin area follows below it."""
        from .views import overview

        return overview(request, extra_context)
