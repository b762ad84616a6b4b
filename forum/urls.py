"""URLs of the forum (German, stable: e-mails and bookmarks rely on them)."""
from django.urls import include, path

from . import views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("suche/", views.search, name="search"),
    path("gelesen/", views.mark_all_read, name="mark_all_read"),
    path("einstellungen/", views.notification_settings, name="settings"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("kategorie/<slug:slug>/", include([
        path("", views.category_detail, name="category"),
        path("neu/", views.start_thread, name="thread_create"),
        path("folgen/", views.follow_category, name="category_subscribe"),
    ])),
    path("thema/<int:pk>/", include([
        path("", views.thread_detail, name="thread"),
        path("antworten/", views.thread_reply, name="thread_reply"),
        path("folgen/", views.follow_thread, name="thread_subscribe"),
        path("moderation/", views.thread_moderate, name="thread_moderate"),
    ])),
    path("beitrag/<int:pk>/", include([
        path("", views.post_link, name="post_link"),
        path("bearbeiten/", views.edit_post, name="post_edit"),
        path("hilfreich/", views.post_helpful, name="post_helpful"),
        path("loesung/", views.post_accept, name="post_accept"),
        path("melden/", views.post_report, name="post_report"),
        path("moderation/", views.post_moderate, name="post_moderate"),
    ])),
    path("anhang/<int:pk>/<str:filename>", views.attachment_download, name="attachment"),
]
