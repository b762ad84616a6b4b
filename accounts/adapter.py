"""allauth hooks: sign-up only through the Anmeldeformular; allauth's mails go through the outbox."""
import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.kernel.mail import mail_queue_rendered, on_site
from mentoring.kernel.programme import programme_name
from mentoring.kernel.validators import single_line

from .mfa import staff_needs_enrolment
from .models import User


def _language_of_recipient(email: str, context: dict) -> str:
    """The language of the person the mail goes to; for an address without an account, the page's."""
    user = context.get("user")
    if not isinstance(user, User) or user.pk is None:
        user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address else None
    return user.language if user else translation.get_language() or settings.LANGUAGE_CODE


EMAIL_MAX_LENGTH = 254  # what an address may have (RFC 5321), and what the address columns hold


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # A stranger who knows the address can cause this (allauth counts failures per address): the person reads
        # the way out that always works, since a new password lifts the lock at once (allauth clears it on reset).
        "too_many_login_attempts": gettext_lazy(
            "Zu viele fehlgeschlagene Anmeldeversuche mit dieser Adresse. Bitte versuchen Sie es in einigen Minuten "
            "erneut oder setzen Sie Ihr Passwort über „Passwort vergessen?“ neu: Danach können Sie sich sofort "
            "anmelden."),
    }

    def clean_email(self, email: str) -> str:
        """Every address allauth's forms take (add an address, reset the password) as the Anmeldeformular takes
        it: one line without controls of writing direction, at most 254 characters. Such an address could
        not be mailed (its confirmation stuck in the outbox) nor stored in the address columns."""
        email = super().clean_email(email)
        single_line(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(_("Eine E-Mail-Adresse hat höchstens %(max)d Zeichen.") % {"max": EMAIL_MAX_LENGTH})
        return email

    def is_open_for_signup(self, request) -> bool:
        # People join with the Anmeldeformular (/anmeldung/), which asks what the programme needs.
        return False

    def get_login_redirect_url(self, request) -> str:
        # Staff set up their authenticator app right after their first login.
        if staff_needs_enrolment(request.user):
            return reverse("mfa_activate_totp")
        return super().get_login_redirect_url(request)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="",
                    message=None):
        # "Sie sind jetzt als … angemeldet" is written while the login request still speaks the browser's
        # language; the page it is shown on speaks the person's own (accounts.middleware.UserLanguageMiddleware).
        user = getattr(request, "user", None)
        language = user.language if user is not None and user.is_authenticated else None
        with translation.override(language or translation.get_language()):
            return super().add_message(request, level, message_template, message_context, extra_tags, message)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        if "signup_url" in ctx:
            # allauth's sign-up page is closed; its mails send people to the Anmeldeformular.
            ctx["signup_url"] = reverse("accounts:registration")
        # Every link on the site's address, as in the programme's own mails (allauth takes the request's host).
        ctx.update({key: on_site(value) for key, value in ctx.items()
                    if key.endswith("_url") and isinstance(value, str) and value.startswith(("/", "http://", "https://"))})
        # Rendered in the recipient's language, whichever page (or none) caused the mail.
        with translation.override(_language_of_recipient(email, ctx)):
            message = self.render_mail(template_prefix, email, ctx)
            html = next((content for content, mimetype in getattr(message, "alternatives", [])
                         if mimetype == "text/html"), "")
            if not html:
                # allauth ships plain-text mails; give every one the site's HTML frame as well.
                html = render_to_string("email/allauth_message.html", {
                    "body": message.body, "PROGRAMME_NAME": programme_name(),
                    "PROGRAMME_OPERATOR": settings.PROGRAMME_OPERATOR, "site_url": settings.SITE_URL})
        # allauth's mails carry the keys to an account (reset links, confirmation links, codes): nobody reads
        # them in the outbox, and once delivered their content is gone (purge_after_send).
        mail_queue_rendered(key=f"allauth:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}", to=email,
                            subject=message.subject, body_text=message.body, body_html=html, purge_after_send=True)
