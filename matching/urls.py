"""URLs of the matching app (mounted at /tandem/)."""
from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.tandem_list, name="tandem_list"),
    path("<int:pk>/", views.tandem_detail, name="tandem_detail"),
    path("<int:pk>/treffen/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/anliegen/", views.report_create, name="report_create"),
    path("zeitnachweis/<int:year>.pdf", views.statement_pdf, name="statement_pdf"),
]
