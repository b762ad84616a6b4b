"""Writes that matter for people: registration, its review workflow, profile, consents."""
import datetime
import uuid

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.kernel import privacy
from mentoring.kernel.errors import Refusal
from mentoring.kernel.mail import mail_queue, mail_staff, on_site, outbox_erase_person, recipient_language
from mentoring.kernel.models import OutboxMessage
from mentoring.kernel.updates import model_update

from . import intro_calls, rules
from . import privacy as person_privacy
from .choices import MENTEE_ROLES, MENTOR_ROLES
from .consents import CONSENT_TEXTS
from .errors import TransitionError
from .models import (
    Consent,
    Organisation,
    Profile,
    ProgrammeYear,
    Registration,
    RegistrationTransition,
    User,
)
from .organisations import display_name, normalise_organisation_name, reassign_references
from .signals import news_withdrawn, partner_sharing_withdrawn, registration_withdrawn
from .topic_matrix import COMPETENCES, NEEDS

Status = Registration.Status

# Which status may follow which through ``registration_transition``; staff can always reject or mark withdrawn
# before approval. One step back is not here because it is no plain step: a planned Kennenlerngespräch called
# off returns the registration to "eingegangen" only through ``intro_calls.intro_cancel``, which asks for a
# reason and takes the appointment out of both calendars.
ALLOWED_TRANSITIONS = {
    Status.SUBMITTED: {Status.INTRO_SCHEDULED, Status.INTRO_DONE, Status.REJECTED, Status.WITHDRAWN},
    Status.INTRO_SCHEDULED: {Status.INTRO_SCHEDULED, Status.INTRO_DONE, Status.REJECTED, Status.WITHDRAWN},
    Status.INTRO_DONE: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
    Status.APPROVED: {Status.WITHDRAWN},
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}


def programme_year_open(*, year: ProgrammeYear) -> ProgrammeYear:
    """Open a Jahrgang: new registrations and Tandems join it, and the year open before closes."""
    with transaction.atomic():
        # Every Jahrgang's row, in one order: two staff opening two years at once leave one open, not both.
        years = list(ProgrammeYear.objects.select_for_update().order_by("pk"))
        for other in years:
            if other.is_open and other.pk != year.pk:
                programme_year_close(year=other)
        year.is_open = True
        fields = ["is_open"]
        if year.closes_on is not None and year.closes_on <= timezone.localdate():
            # Reopened after it closed: an end in the past would file today's registrations under no year.
            year.closes_on = None
            fields.append("closes_on")
        year.save(update_fields=fields)
    return year


def programme_year_close(*, year: ProgrammeYear) -> ProgrammeYear:
    """Close a Jahrgang: nothing new joins it; its end date is today unless staff set one."""
    year.is_open = False
    fields = ["is_open"]
    if year.closes_on is None:
        year.closes_on = max(timezone.localdate(), year.opens_on)
        fields.append("closes_on")
    year.save(update_fields=fields)
    return year


def registration_may_withdraw(registration: Registration | None) -> bool:
    """The person may still withdraw: the workflow allows the step to "zurückgezogen"."""
    return registration is not None and Status.WITHDRAWN in ALLOWED_TRANSITIONS[registration.status]


def organisation_for(*, name: str, org_type, federal_state, size_class: str) -> Organisation:
    """The organisation under this name in this Bundesland, as staff keep it; created if it is new.

    Type and size of an existing organisation feed everyone's matching, so a participant's
    entry never changes them: only a new organisation takes what the person entered.
    """
    organisation, _created = Organisation.objects.get_or_create(
        name_normalised=normalise_organisation_name(name), federal_state=federal_state,
        defaults={"name": display_name(name), "org_type": org_type, "size_class": size_class})
    return organisation


class OrganisationMergeError(Refusal):
    """A merge that cannot be done; the message says why, in German."""


def organisation_merge(*, keep: Organisation, duplicates, by: User | None = None) -> dict[str, int]:
    """Join duplicates into ``keep``: every reference to them moves to it, then they are deleted.

    One transaction: either every reference moves and the duplicates go, or nothing changes.
    ``keep`` keeps its name, type, Bundesland and size; it is never merged into itself. Returns
    how many rows moved per model; the admin log names the organisations that were joined.
    """
    with transaction.atomic():
        wanted = sorted({d.pk for d in duplicates} - {keep.pk})
        if not wanted:
            raise OrganisationMergeError(_("Eine Organisation kann nicht mit sich selbst zusammengeführt werden. "
                                           "Bitte wählen Sie mindestens eine weitere aus."))
        locked = {o.pk: o for o in Organisation.objects.select_for_update().filter(pk__in=[keep.pk, *wanted])}
        if keep.pk not in locked:
            raise OrganisationMergeError(_("Die Organisation „%(name)s“ gibt es nicht mehr.") % {"name": keep.name})
        # Another member of staff may have merged some of them a moment ago: those are gone already.
        duplicate_pks = [pk for pk in wanted if pk in locked]
        if not duplicate_pks:
            raise OrganisationMergeError(_("Die anderen ausgewählten Organisationen gibt es nicht mehr; sie wurden "
                                           "wohl gerade zusammengeführt."))
        moved = reassign_references(Organisation, keep=keep, duplicate_pks=duplicate_pks)
        Organisation.objects.filter(pk__in=duplicate_pks).delete()
        if by is not None:
            names = "; ".join(sorted(locked[pk].name for pk in duplicate_pks))
            LogEntry.objects.log_actions(by.pk, [keep], CHANGE, _("Zusammengeführt mit: %(names)s") % {"names": names})
    return moved


def _profile_topics_set(profile: Profile, *, needs: dict[int, int], competences: dict[int, int]) -> None:
    NEEDS.replace(profile, needs if profile.is_mentee else {})
    COMPETENCES.replace(profile, competences)


def _for_role(profile_data: dict) -> dict:
    """The person fields as the chosen role answers them: the other role's fields take their neutral value.

    A mentee's posted capacity or a Mentor*in's needs text are never stored, whatever the request held.
    """
    role = profile_data.get("role")
    return {**profile_data,
            **({} if role in MENTOR_ROLES else Profile.MENTOR_ONLY_FIELDS),
            **({} if role in MENTEE_ROLES else Profile.MENTEE_ONLY_FIELDS)}


def consent_give(*, user: User, purpose: str, language: str | None = None) -> Consent:
    """Record the consent with the wording in ``language`` (default: the page's language, which
    the person read)."""
    wording = CONSENT_TEXTS[purpose]
    language, text = wording.text(language)
    with transaction.atomic():
        # The person's row lock: two clicks at once give one consent, and the second finds it.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
        active = user.consents.active().filter(purpose=purpose).first()
        if active:
            return active
        return Consent.objects.create(user=user, purpose=purpose, version=wording.version, language=language,
                                      text=text)


def user_language_set(*, user: User, language: str) -> User:
    """The language of the person's pages and mails."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def consent_withdraw(*, user: User, purpose: str) -> None:
    """Withdrawing the programme consent ends participation; partner sharing leaves the pool."""
    if purpose == Consent.Purpose.PROGRAMME:
        registration_withdraw(user=user, reason=_("Einwilligung zur Verarbeitung widerrufen"))
        return
    with transaction.atomic():
        user.consents.active().filter(purpose=purpose).update(withdrawn_at=timezone.now())
        if purpose == Consent.Purpose.PARTNER_SHARING:
            partner_sharing_withdrawn.send(sender=Consent, user=user)
        elif purpose == Consent.Purpose.NEWS:
            news_withdrawn.send(sender=Consent, user=user)


def registration_withdraw(*, user: User, reason: str = "") -> None:
    """The person ends their participation: registration withdrawn, programme consent withdrawn."""
    with transaction.atomic():
        user.consents.active().filter(purpose=Consent.Purpose.PROGRAMME).update(
            withdrawn_at=timezone.now())
        registration = Registration.objects.filter(user=user).first()
        if registration_may_withdraw(registration):
            registration_transition(registration=registration, to_status=Status.WITHDRAWN, by=user, note=reason)


def _confirmation_url(request, address: EmailAddress) -> str:
    return on_site(get_account_adapter(request).get_email_confirmation_url(request, EmailConfirmationHMAC(address)))


def registration_submit(*, request, first_name: str, last_name: str, email: str, password: str,
                        profile_data: dict, organisation_data: dict, needs: dict[int, int],
                        competences: dict[int, int], consent_news: bool, consent_partner_sharing: bool = True,
                        language: str = settings.LANGUAGE_CODE) -> Registration | None:
    """Create user, profile, registration and consents in one transaction and queue the mails.

    An address that is already registered changes nothing; its owner gets a mail that says so
    and the caller shows the same confirmation as for a new person. ``profile_data`` and
    ``organisation_data`` are the validated forms' data; needs and competences map topic id to
    priority and level; ``language`` is the person's language for pages and mails. Both branches hash the
    password once and queue one mail to the address and one to each staff address, so that
    neither the answer nor its timing tells whether an account exists.
    """
    email = email.strip().lower()
    password_hash = make_password(password)
    try:
        return _registration_create(
            request=request, first_name=first_name, last_name=last_name, email=email, password_hash=password_hash,
            profile_data=profile_data, organisation_data=organisation_data, needs=needs, competences=competences,
            consent_news=consent_news, consent_partner_sharing=consent_partner_sharing, language=language)
    except IntegrityError:
        # The same form sent twice at once (a double click, a second tab): the first one's account stands and
        # its mail is on the way; the second one answers as for a known address, without a second mail.
        if not User.objects.filter(email__iexact=email).exists():
            raise
        return None


def _registration_create(*, request, first_name, last_name, email, password_hash, profile_data, organisation_data,
                         needs, competences, consent_news, consent_partner_sharing, language) -> Registration | None:
    with transaction.atomic():
        known_user = User.objects.filter(email__iexact=email).first()
        known_address = EmailAddress.objects.filter(email__iexact=email).first()
        if known_user is None and known_address is not None and not known_address.verified:
            # Another account only claimed the address (added on /konto/email/, never confirmed): that proves
            # nothing, and its owner registers now. The claim goes with its pending link, which would otherwise
            # confirm the address for that other account.
            known_address.delete()
            known_address = None
        if known_user or known_address:
            owner = known_user or known_address.user
            _registration_exists(request=request, email=email, address=known_address,
                                 language=recipient_language(owner))
            return None
        user = User.objects.create(email=email, password=password_hash, first_name=first_name,
                                   last_name=last_name, language=language)
        person_data = _for_role(profile_data)
        profile = Profile(user=user, organisation=organisation_for(**organisation_data),
                          **{name: person_data[name] for name in Profile.PERSON_FIELDS})
        profile.full_clean()
        profile.save()
        _profile_topics_set(profile, needs=needs, competences=competences)
        registration = Registration.objects.create(user=user, programme_year=ProgrammeYear.current())
        RegistrationTransition.objects.create(registration=registration, to_status=Status.SUBMITTED, by=user)
        # The consents are recorded in the language of the page the person read and ticked them on.
        consent_give(user=user, purpose=Consent.Purpose.PROGRAMME)
        if consent_partner_sharing:
            consent_give(user=user, purpose=Consent.Purpose.PARTNER_SHARING)
        if consent_news:
            consent_give(user=user, purpose=Consent.Purpose.NEWS)
        address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        organisation = profile.organisation
        context = {
            "user": user, "profile": profile, "registration": registration,
            "confirmation_url": _confirmation_url(request, address),
            "organisation_kept": (organisation.org_type_id, organisation.size_class)
            != (organisation_data["org_type"].pk, organisation_data["size_class"]),
            "contact_email": settings.PROGRAMME_CONTACT_EMAIL,
            "partner_sharing": consent_partner_sharing,
        }
        # It carries the link that confirms the address: like allauth's mails, sealed (purge_after_send).
        mail_queue(key=f"registration-received:{registration.pk}", to=email, template="registration_received",
                   context=context, language=recipient_language(user), purge_after_send=True)
        mail_staff(key=f"registration-staff:{registration.pk}", template="registration_staff_notice",
                   context=context)
    return registration


def _registration_exists(*, request, email: str, address: EmailAddress | None, language: str) -> None:
    """The owner learns of the attempt (with a fresh link if the address is unconfirmed), staff too."""
    attempt = uuid.uuid4().hex
    context = {"email": email,
               "confirmation_url": _confirmation_url(request, address) if address and not address.verified else ""}
    # It may carry a link that confirms the address (an unconfirmed account): sealed like the receipt.
    mail_queue(key=f"registration-exists:{email}:{attempt}", to=email, template="registration_exists",
               context=context, language=language, purge_after_send=True)
    mail_staff(key=f"registration-staff-exists:{attempt}", template="registration_staff_exists", context=context)


def profile_update(*, profile: Profile, profile_data: dict, organisation_data: dict, needs: dict[int, int],
                   competences: dict[int, int]) -> Profile:
    """Save what the person changed on /profil/bearbeiten/ (the validated forms' data). After the approval the
    role stays as it is (``rules.role_changeable_by_self``)."""
    if profile_data.get("role", profile.role) != profile.role and not rules.role_changeable_by_self(profile):
        raise TransitionError(str(rules.ROLE_FIXED), field="role")
    with transaction.atomic():
        model_update(instance=profile, fields=("organisation", *Profile.PERSON_FIELDS),
                     data={**_for_role(profile_data), "organisation": organisation_for(**organisation_data)})
        _profile_topics_set(profile, needs=needs, competences=competences)
    return profile


def profile_role_answers_keep(*, profile: Profile) -> None:
    """After Koordination changed a profile in admin: the other role's answers take their neutral value and
    a profile that is no mentee keeps no needs, as ``profile_update`` stores them for the person."""
    neutral = {field: value for field, value in _for_role({"role": profile.role}).items() if field != "role"}
    changed = [field for field, value in neutral.items() if getattr(profile, field) != value]
    for field in changed:
        setattr(profile, field, neutral[field])
    if changed:
        profile.save(update_fields=changed)
    if not profile.is_mentee:
        NEEDS.replace(profile, {})


STATUS_MAILS = {
    Status.APPROVED: "registration_approved",
    Status.REJECTED: "registration_rejected",
    Status.WITHDRAWN: "registration_withdrawn",
}


def registration_transition(*, registration: Registration, to_status: str, by: User | None, note: str = "",
                            intro_call_at=None, intro_host: User | None = None, intro_video_url: str | None = None,
                            notify: bool = True) -> Registration:
    """Move a registration one step in the workflow, record who and when, tell the person.

    Planning the Kennenlerngespräch sends the calendar invite to the person and to the staff
    member who holds it (``intro_host``; by default the staff member who plans it). Planning it
    again while it is planned moves it (``intro_calls.intro_move``). A planned talk that ends in
    a rejection or withdrawal is cancelled in both calendars.
    """
    with transaction.atomic():
        registration = (Registration.objects.select_for_update(of=("self",)).select_related("user", "intro_host")
                        .get(pk=registration.pk))
        from_status = registration.status
        if to_status == from_status != Status.INTRO_SCHEDULED:
            raise TransitionError(_("Die Anmeldung ist bereits „%(status)s“.") % {"status": Status(to_status).label})
        if to_status not in ALLOWED_TRANSITIONS[from_status]:
            raise TransitionError(
                _("Von „%(from)s“ kann nicht zu „%(to)s“ gewechselt werden.")
                % {"from": Status(from_status).label, "to": Status(to_status).label})
        if to_status == Status.INTRO_SCHEDULED == from_status:
            return intro_calls.intro_move(
                registration=registration, by=by, starts_at=intro_call_at, reason=note,
                host=intro_host if intro_host is not None else registration.intro_host,
                video_url=registration.intro_video_url if intro_video_url is None else intro_video_url)
        planned_before, cancellation = registration.intro_call_at, None
        if to_status == Status.INTRO_SCHEDULED:
            intro_calls.intro_plan(registration=registration, starts_at=intro_call_at, video_url=intro_video_url or "",
                                   host=intro_host if intro_host is not None else intro_calls.default_host(by))
        elif from_status == Status.INTRO_SCHEDULED and to_status in (Status.REJECTED, Status.WITHDRAWN):
            cancellation = intro_calls.intro_calendar_cancel(
                registration=registration, starts_at=planned_before, host=registration.intro_host, reason=note,
                notify_host=notify)
        if to_status == Status.INTRO_DONE and note:
            registration.intro_call_notes = note
        if from_status == Status.INTRO_SCHEDULED and to_status == Status.INTRO_DONE:
            if notify:
                intro_calls.intro_held_early(registration=registration, starts_at=planned_before,
                                             host=registration.intro_host)
            if planned_before is not None and planned_before > timezone.now():
                registration.intro_call_at = timezone.now()  # held before its date: the date it was held
        registration.status = to_status
        registration.status_changed_at = timezone.now()
        registration.save()
        transition = RegistrationTransition.objects.create(
            registration=registration, from_status=from_status, to_status=to_status, by=by, note=note,
            intro_call_from=planned_before if from_status == Status.INTRO_SCHEDULED else None,
            intro_call_to=registration.intro_call_at if to_status == Status.INTRO_SCHEDULED else None)
        template = STATUS_MAILS.get(to_status)
        if notify and to_status == Status.INTRO_SCHEDULED:
            intro_calls.intro_invite_send(registration=registration)
        elif notify and template:
            # The approval mail promises a Tandem only to someone who lets a partner see their profile.
            sharing_missing = (to_status == Status.APPROVED and rules.PoolObstacle.NO_PARTNER_SHARING
                               in rules.matching_pool_obstacles(registration.user))
            mail_queue(key=f"registration-status:{transition.pk}", to=registration.user.email, template=template,
                       context={"user": registration.user, "registration": registration, "note": note,
                                "partner_sharing_missing": sharing_missing},
                       language=recipient_language(registration.user),
                       attachments=[cancellation] if cancellation else None)
        if to_status == Status.WITHDRAWN:
            registration_withdrawn.send(sender=Registration, user=registration.user, by=by)
    return registration


def user_export(*, user: User) -> dict:
    """Everything the platform stores about a person (DSGVO Art. 15/20)."""
    profile = Profile.objects.select_related("organisation__org_type", "organisation__federal_state").filter(
        user=user).first()
    data = {
        "konto": {"email": user.email, "vorname": user.first_name, "nachname": user.last_name,
                  "sprache": user.get_language_display(),
                  "registriert_am": privacy.moment(user.date_joined),
                  "letzte_anmeldung": privacy.moment(user.last_login)},
        "einwilligungen": [
            {"zweck": c.get_purpose_display(), "version": c.version, "sprache": c.get_language_display(),
             "wortlaut": c.text,
             "erteilt_am": privacy.moment(c.given_at),
             "widerrufen_am": privacy.moment(c.withdrawn_at)}
            for c in user.consents.all()
        ],
    }
    if profile:
        organisation = profile.organisation
        data["profil"] = {
            **{Profile.PERSON_FIELDS[field.name]: privacy.moment(value) if isinstance(value, datetime.date) else value
               for field, value in profile.person_values()},
            "organisation": organisation.name, "organisationstyp": str(organisation.org_type),
            "bundesland": str(organisation.federal_state), "groessenklasse": organisation.get_size_class_display(),
            "bedarfe": [{"thema": n.topic.label, "prioritaet": n.get_priority_display()}
                        for n in profile.needs.select_related("topic")],
            "kompetenzen": [{"thema": c.topic.label, "erfahrung": c.get_level_display()}
                            for c in profile.competences.select_related("topic")],
        }
    registration = Registration.objects.filter(user=user).select_related("intro_host", "programme_year").first()
    if registration:
        data["anmeldung"] = {
            "status": registration.get_status_display(),
            "jahrgang": registration.programme_year.label if registration.programme_year else None,
            "eingegangen_am": privacy.moment(registration.submitted_at),
            "status_geaendert_am": privacy.moment(registration.status_changed_at),
            "kennenlerngespraech_am": privacy.moment(registration.intro_call_at),
            "kennenlerngespraech_mit": _staff_name(registration.intro_host),
            "kennenlerngespraech_videolink": registration.intro_video_url,
            "kennenlerngespraech_notizen": registration.intro_call_notes,
            "statuswechsel": [
                {"am": privacy.moment(t.at), "schritt": str(t.label), "von": t.get_from_status_display(),
                 "nach": t.get_to_status_display(), "durch": _transition_by(t, user), "notiz": t.note,
                 "termin_bisher": privacy.moment(t.intro_call_from),
                 "termin_neu": privacy.moment(t.intro_call_to)}
                for t in registration.transitions.select_related("by")
            ],
        }
    data["email_adressen"] = [
        {"email": a.email, "bestaetigt": a.verified, "hauptadresse": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("pk")
    ]
    data["emails_an_sie"] = _mails_to(user)
    data["aenderungen_in_der_verwaltung"] = _admin_log(user)
    # The second factor's secrets stay out of the export; its kind and dates are the person's data.
    data["zweiter_faktor"] = [
        {"art": a.get_type_display(), "eingerichtet_am": privacy.moment(a.created_at),
         "zuletzt_benutzt_am": privacy.moment(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user).order_by("pk")
    ]
    # Each feature app registers its part in mentoring.kernel.privacy from its AppConfig.ready().
    for contributor in privacy.contributors():
        data[contributor.label] = contributor.export(user=user)
    return data


def user_delete(*, user: User) -> None:
    """Erase the account and everything attached to it (DSGVO Art. 17), leaving no trace.

    Every app erases its part, then the outbox, the admin log and the sessions lose what
    names the person, including mails queued during the erasure. The confirmation is sent
    with ``purge_after_send``: once delivered, its recipient and content are blanked.
    """
    with transaction.atomic():
        names = person_privacy.identifiers(user)
        user_pk, email, language = user.pk, user.email, recipient_language(user)
        registration = Registration.objects.filter(user=user).first()
        if registration_may_withdraw(registration):
            registration_transition(registration=registration, to_status=Status.WITHDRAWN, by=user, notify=False)
        for contributor in privacy.contributors():
            if contributor.erase is not None:
                contributor.erase(user=user)
        person_privacy.admin_log_anonymise(user=user, identifiers=names)
        user.delete()
        outbox_erase_person(identifiers=names)
        person_privacy.sessions_end(user_pk=user_pk, identifiers=names)
        mail_queue(key=f"account-deleted:{uuid.uuid4().hex}", to=email, template="account_deleted",
                   context={}, language=language, purge_after_send=True)


def _transition_by(transition: RegistrationTransition, user: User) -> str | None:
    if transition.by_id is None:
        return None
    if transition.by_id == user.pk:
        return _("Sie selbst")
    return _staff_name(transition.by)


def _admin_log(user: User) -> list[dict]:
    """What staff did in admin to the person's account, profile and registration (Django's change history),
    newest first: when, what and who; the person also sees when the Koordination downloaded their data."""
    records = [(User, user.pk), (Profile, Profile.objects.filter(user=user).values_list("pk", flat=True).first()),
               (Registration, Registration.objects.filter(user=user).values_list("pk", flat=True).first())]
    about = Q()
    for model, pk in records:
        if pk is not None:
            about |= Q(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
    entries = LogEntry.objects.filter(about).select_related("user", "content_type").order_by("-action_time")
    return [{"am": privacy.moment(entry.action_time), "was": str(entry.content_type.name),
             "aenderung": entry.get_change_message() or entry.get_action_flag_display(),
             "durch": _staff_name(entry.user)} for entry in entries]


def _staff_name(staff: User | None) -> str | None:
    if staff is None:
        return None
    return _("Koordination (%(name)s)") % {"name": staff.get_full_name() or _("ohne Namen")}


def _mails_to(user: User) -> list[dict]:
    """Mails the outbox still holds for the person (content of older ones is already purged)."""
    addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    return [
        {"betreff": m.subject, "erstellt_am": privacy.moment(m.created_at),
         "versendet_am": privacy.moment(m.sent_at), "status": m.get_status_display()}
        for m in OutboxMessage.objects.filter(to__in=addresses, purged_at__isnull=True).order_by("created_at")
    ]
