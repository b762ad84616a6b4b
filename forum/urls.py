"""URLs of the forum (German, stable: e-mails and bookmarks rely on them)."""
from django.urls import path

from . import views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("suche/", views.search, name="search"),
    path("gelesen/", views.mark_all_read, name="mark_all_read"),
    path("einstellungen/", views.notification_settings, name="settings"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("kategorie/<slug:slug>/", views.category_detail, name="category"),
    path("kategorie/<slug:slug>/neu/", views.thread_create, name="thread_create"),
    path("kategorie/<slug:slug>/folgen/", views.category_subscribe, name="category_subscribe"),
    path("thema/<int:pk>/", views.thread_detail, name="thread"),
    path("thema/<int:pk>/antworten/", views.thread_reply, name="thread_reply"),
    path("thema/<int:pk>/folgen/", views.thread_subscribe, name="thread_subscribe"),
    path("thema/<int:pk>/moderation/", views.thread_moderate, name="thread_moderate"),
    path("beitrag/<int:pk>/", views.post_link, name="post_link"),
    path("beitrag/<int:pk>/bearbeiten/", views.post_edit, name="post_edit"),
    path("beitrag/<int:pk>/hilfreich/", views.post_helpful, name="post_helpful"),
    path("beitrag/<int:pk>/loesung/", views.post_accept, name="post_accept"),
    path("beitrag/<int:pk>/melden/", views.post_report, name="post_report"),
    path("beitrag/<int:pk>/moderation/", views.post_moderate, name="post_moderate"),
    path("anhang/<int:pk>/<str:filename>", views.attachment_download, name="attachment"),
]
