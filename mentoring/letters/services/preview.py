"""What staff see before sending: how many people, a sample of names, each version as rendered."""
from accounts.models import User
from mentoring.kernel.mail import mail_render

from .. import selectors
from ..models import Letter
from .rendering import letter_mail


def letter_preview(*, letter: Letter, viewer: User) -> dict:
    """The group as it is now (count and the first names) and each language version as the first
    person of the group receives it (as ``viewer`` receives it when the group is empty).

    Each version is ``{"language", "subject", "text", "html", "one_click"}``, rendered by the outbox's own
    renderer.
    """
    group = selectors.letter_group(letter)
    sample = selectors.group_sample(group)
    person = sample[0] if sample else viewer
    versions = []
    for language in (["de", "en"] if letter.has_english else ["de"]):
        arguments = letter_mail(letter=letter, person=person, language=language, preview=True)
        subject, text, html = mail_render(template=arguments["template"], context=arguments["context"],
                                          language=arguments["language"])
        versions.append({"language": language, "subject": subject, "text": text, "html": html,
                         "one_click": "List-Unsubscribe-Post" in arguments["headers"]})
    return {"count": group.count(), "sample": sample, "person": person, "versions": versions}


def letter_preview_html(*, letter: Letter, viewer: User, language: str) -> str | None:
    """The HTML part of one version, for the preview's frame; None if the letter has no such version."""
    for version in letter_preview(letter=letter, viewer=viewer)["versions"]:
        if version["language"] == language:
            return version["html"]
    return None
