"""Every page a logged-in person sees is in their own language (``User.language``)."""
from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """After ``AuthenticationMiddleware``: the stored language wins over cookie and browser.

    The language cookie follows the stored language (set on the response to the login, and
    whenever it differs), so that the site keeps speaking it after logging out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # The view may have logged the person in or changed their language.
        language = self._language(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response

    @staticmethod
    def _language(request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        language = getattr(user, "language", "")
        return language if language in dict(settings.LANGUAGES) else None
