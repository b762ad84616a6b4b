"""The cockpit's downloads under /admin/uebersicht/, behind admin's own staff check."""
from django.contrib import admin
from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from . import views

app_name = "cockpit"

urlpatterns = [
    # The overview itself is admin's start page; its address's own folder leads there.
    path("", RedirectView.as_view(url=reverse_lazy("admin:index")), name="overview"),
    path("tabelle/<slug:slug>.csv", admin.site.admin_view(views.table_download), {"extension": "csv"},
         name="table_csv"),
    path("tabelle/<slug:slug>.xlsx", admin.site.admin_view(views.table_download), {"extension": "xlsx"},
         name="table_xlsx"),
    path("bericht/", admin.site.admin_view(views.report_download), name="report"),
    path("auswertung/", admin.site.admin_view(views.evaluation), name="evaluation"),
]
