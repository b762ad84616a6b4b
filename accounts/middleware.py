"""Every page a logged-in person sees is in their own language (``User.language``)."""
from allauth.account.models import get_emailconfirmation_model
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

    def process_view(self, request, view_func, view_args, view_kwargs):
        """The link that confirms an address speaks the language of the mail that carried it, wherever it is
        opened (another device, a browser set to German): the person it belongs to chose it at the Anmeldung."""
        match = request.resolver_match
        if request.user.is_authenticated or match is None or match.url_name != "account_confirm_email":
            return None
        confirmation = get_emailconfirmation_model().from_key(view_kwargs.get("key", ""))
        language = getattr(getattr(confirmation, "email_address", None), "user", None)
        language = getattr(language, "language", "")
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = request.address_language = language
        return None

    @staticmethod
    def _language(request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return getattr(request, "address_language", None)
        language = getattr(user, "language", "")
        return language if language in dict(settings.LANGUAGES) else None
