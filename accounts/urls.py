"""URLs of registration and profile."""
from django.urls import include, path

from . import views

app_name = "accounts"
urlpatterns = [
    path("anmeldung/", include([
        path("", views.registration, name="registration"),
        path("danke/", views.registration_done, name="registration_done"),
    ])),
    path("profil/", include([
        path("", views.profile, name="profile"),
        path("bearbeiten/", views.profile_edit, name="profile_edit"),
        path("einwilligungen/<str:purpose>/", views.consent_change, name="consent_change"),
        path("zurueckziehen/", views.withdraw_registration, name="registration_withdraw"),
        path("export/", views.data_export, name="data_export"),
        path("loeschen/", views.account_delete, name="account_delete"),
    ])),
]
