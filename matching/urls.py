"""URLs of the matching app."""
from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.tandem_list, name="tandem_list"),
]
