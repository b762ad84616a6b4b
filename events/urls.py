"""URLs of the events app (German, stable)."""
from django.urls import include, path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("archiv/", views.event_archive, name="archive"),
    path("meine/", views.my_events, name="mine"),
    # The person's private calendar feed of the events they registered for.
    path("kalender/", include([
        path("neu/", views.feed_renew, name="feed_renew"),
        # Tokens are URL-safe base64 (secrets.token_urlsafe): anything else, a NUL byte included, is not found.
        path("<slug:token>.ics", views.feed, name="feed"),
    ])),
    path("<int:pk>/", include([
        path("", views.event_detail, name="detail"),
        path("anmelden/", views.register_for_event, name="register"),
        path("abmelden/", views.event_cancel_registration, name="cancel"),
        path("kalender.ics", views.event_calendar, name="ics"),
    ])),
]
