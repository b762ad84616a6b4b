"""Traces of a person outside their own rows (outbox, admin log, sessions), found and erased."""
import json
import re
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mentoring.kernel.privacy import FORMER_PARTICIPANT

from .models import Profile, Registration, User

# Shorter phone numbers would match unrelated digits in other people's mails.
MIN_PHONE_DIGITS = 6


def identifiers(user: User) -> list[str]:
    """What names the person in text: every address, the name both ways round, the phone number."""
    found = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last:
        found |= {f"{first} {last}", f"{last}, {first}"}
    phone = Profile.objects.filter(user=user).values_list("phone", flat=True).first() or ""
    if len(re.sub(r"\D", "", phone)) >= MIN_PHONE_DIGITS:
        found.add(phone.strip())
    return sorted(i for i in found if i)


def _mentions(text: str, needles: list[str]) -> bool:
    text = text.casefold()
    return any(needle in text for needle in needles)


def _scrub(value, needles: list[str]):
    """``value`` (parsed JSON) with every string that names the person replaced."""
    if isinstance(value, str):
        return str(FORMER_PARTICIPANT) if _mentions(value, needles) else value
    if isinstance(value, list):
        return [_scrub(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, needles) for key, item in value.items()}
    return value


def admin_log_anonymise(*, user: User, identifiers: list[str]) -> int:
    """Admin log entries about the person or naming them keep the action, not the person."""
    needles = [i.casefold() for i in identifiers]
    about_person = set()
    for model, pk in ((User, user.pk), (Profile, Profile.objects.filter(user=user).values_list("pk", flat=True)
                                        .first()), (Registration, Registration.objects.filter(user=user)
                                                    .values_list("pk", flat=True).first())):
        if pk is not None:
            content_type = ContentType.objects.get_for_model(model)
            about_person |= set(LogEntry.objects.filter(content_type=content_type, object_id=str(pk))
                                .values_list("pk", flat=True))
    changed = 0
    for entry in LogEntry.objects.iterator(chunk_size=500):
        try:
            message = json.loads(entry.change_message or "[]")
        except json.JSONDecodeError:
            message = entry.change_message
        names_person = _mentions(entry.object_repr, needles) or _mentions(
            json.dumps(message, ensure_ascii=False), needles)
        if entry.pk in about_person or names_person:
            scrubbed = _scrub(message, needles)
            entry.object_repr = str(FORMER_PARTICIPANT)
            entry.change_message = json.dumps(scrubbed) if not isinstance(scrubbed, str) else scrubbed
            entry.save(update_fields=["object_repr", "change_message"])
            changed += 1
    return changed


def sessions_end(*, user_pk: int, identifiers: list[str]) -> int:
    """Sessions of the person (any device) or holding their address end; expired ones go too."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    session_model = store.get_model_class()
    needles = [i.casefold() for i in identifiers]
    session_model.objects.filter(expire_date__lte=timezone.now()).delete()
    ended = []
    for session in session_model.objects.iterator(chunk_size=500):
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(user_pk) or _mentions(
                json.dumps(data, ensure_ascii=False, default=str), needles):
            ended.append(session.pk)
    session_model.objects.filter(pk__in=ended).delete()
    return len(ended)
