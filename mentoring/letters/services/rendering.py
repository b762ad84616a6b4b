"""One letter as one recipient reads it: their language, the salutation, Markdown to HTML, the headers."""
from django.urls import reverse

from accounts.models import User
from mentoring.kernel.mail import one_click_unsubscribe_headers, recipient_language
from mentoring.kernel.markdown import markdown_text, render_markdown

from ..models import Letter
from .unsubscribe import news_unsubscribe_url

TEMPLATE = "letter"
PREVIEW_TOKEN = "vorschau"  # noqa: S105 - not a secret: a token that resolves to nobody


def letter_language(letter: Letter, user: User) -> str:
    """English for a person who reads English when the letter has an English version, else German."""
    wants = recipient_language(user).split("-")[0].lower()
    return "en" if wants == "en" and letter.has_english else "de"


def letter_mail(*, letter: Letter, person: User, language: str, test: bool = False, preview: bool = False) -> dict:
    """The arguments for ``mail_queue`` (without key and address) of this letter to ``person``.

    A preview shows the person's mail with an unsubscribe link that works for nobody, so that
    a page staff look at never carries a participant's working link.
    """
    english = language == "en" and letter.has_english
    subject, body = (letter.subject_en, letter.body_en) if english else (letter.subject_de, letter.body_de)
    context = {"subject": subject.strip(), "body_text": markdown_text(body), "body_html": render_markdown(body),
               "name": person.get_full_name() or person.email, "essential": letter.is_essential, "test": test,
               "unsubscribe_path": ""}
    headers = {"Auto-Submitted": "auto-generated"}
    if not letter.is_essential:
        context["unsubscribe_path"] = (reverse("letters:unsubscribe", args=[PREVIEW_TOKEN]) if preview
                                       else news_unsubscribe_url(user=person))
        headers.update(one_click_unsubscribe_headers(context["unsubscribe_path"]))
    return {"template": TEMPLATE, "context": context, "headers": headers, "language": "en" if english else "de"}
