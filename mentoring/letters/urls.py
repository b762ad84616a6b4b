"""Public pages of the letters (under /rundschreiben/)."""
from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
