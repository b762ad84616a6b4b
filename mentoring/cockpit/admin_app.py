"""Django's admin app with the project's site (``mentoring.cockpit.site.AdminSite``) as ``admin.site``.

Its own module: ``mentoring.cockpit.apps`` already names the cockpit's ``AppConfig``, and Django takes a
module's one ``AppConfig`` as the app's.
"""
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "mentoring.cockpit.site.AdminSite"
