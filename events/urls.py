"""URLs of the events app (German, stable)."""
from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("archiv/", views.event_archive, name="archive"),
    path("meine/", views.my_events, name="mine"),
    path("kalender/neu/", views.feed_renew, name="feed_renew"),
    # Tokens are URL-safe base64 (secrets.token_urlsafe): anything else, a NUL byte included, is not found.
    path("kalender/<slug:token>.ics", views.feed, name="feed"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/anmelden/", views.event_register, name="register"),
    path("<int:pk>/abmelden/", views.event_cancel_registration, name="cancel"),
    path("<int:pk>/kalender.ics", views.event_ics, name="ics"),
]
