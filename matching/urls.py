"""URLs of the matching app (mounted at /tandem/)."""
from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.tandem_list, name="tandem_list"),
    path("<int:pk>/", views.tandem_detail, name="tandem_detail"),
    path("<int:pk>/treffen/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/treffen/<int:meeting_pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/treffen/<int:meeting_pk>/aendern/", views.meeting_change, name="meeting_change"),
    path("<int:pk>/treffen/<int:meeting_pk>/bestaetigen/", views.meeting_confirm, name="meeting_confirm"),
    path("<int:pk>/treffen/<int:meeting_pk>/widersprechen/", views.meeting_object, name="meeting_object"),
    path("<int:pk>/treffen/<int:meeting_pk>/loeschen/", views.meeting_delete, name="meeting_delete"),
    path("<int:pk>/treffen/<int:meeting_pk>/notiz/", views.meeting_note, name="meeting_note"),
    path("<int:pk>/anliegen/", views.report_create, name="report_create"),
    path("<int:pk>/anliegen/<int:report_pk>/", views.report_detail, name="report_detail"),
    path("zeitnachweis/<int:year>.pdf", views.statement_pdf, name="statement_pdf"),
]
