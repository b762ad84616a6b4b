"""URLs of registration and profile."""
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("anmeldung/", views.registration, name="registration"),
    path("anmeldung/danke/", views.registration_done, name="registration_done"),
    path("profil/", views.profile, name="profile"),
    path("profil/bearbeiten/", views.profile_edit, name="profile_edit"),
    path("profil/einwilligungen/<str:purpose>/", views.consent_change, name="consent_change"),
    path("profil/zurueckziehen/", views.registration_withdraw, name="registration_withdraw"),
    path("profil/export/", views.data_export, name="data_export"),
    path("profil/loeschen/", views.account_delete, name="account_delete"),
]
