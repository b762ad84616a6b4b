"""URL map (German, stable: tests and bookmarks rely on it)."""
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from accounts import views as account_views

from .pages import views

urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", TemplateView.as_view(template_name="pages/impressum.html"), name="impressum"),
    path("datenschutz/", views.datenschutz, name="datenschutz"),
    path("barrierefreiheit/", views.barrierefreiheit, name="barrierefreiheit"),
    path("leichte-sprache/", TemplateView.as_view(template_name="pages/leichte_sprache.html"), name="leichte_sprache"),
    path("gebaerdensprache/", views.gebaerdensprache, name="gebaerdensprache"),
    path("gebaerdensprache/<int:pk>/<str:kind>/", views.sign_language_file, name="sign_language_file"),
    # Probes are configured either way; an APPEND_SLASH redirect or a 404 would read as "down".
    re_path(r"^healthz/?$", views.healthz, name="healthz"),
    # Django's set_language, which also stores a logged-in person's choice.
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("konto/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("tandem/", include("matching.urls")),
    path("forum/", include("forum.urls")),
    path("veranstaltungen/", include("events.urls")),
    path("rundschreiben/", include("mentoring.letters.urls")),
    path("admin/uebersicht/", include("mentoring.cockpit.urls")),
    path("admin/", admin.site.urls),
]
