"""Reactions of the matching app to events elsewhere (declared on the AppConfig: ``receivers``)."""
from django.dispatch import receiver
from django.utils.translation import ngettext

from accounts.choices import MENTEE_ROLES, MENTOR_ROLES
from accounts.signals import matching_outlook, partner_sharing_withdrawn, registration_withdrawn, role_change_refusal

from . import outlook, services
from .models import Tandem


@receiver(registration_withdrawn, dispatch_uid="matching-end-tandems")
def end_tandems_on_withdrawal(sender, user, by=None, **kwargs):
    """A withdrawn registration never leaves an active Tandem or an open proposal behind."""
    services.tandems_end_for_person(user=user, by=by)
    services.proposals_close_for_person(user=user, by=by)


@receiver(partner_sharing_withdrawn, dispatch_uid="matching-end-tandems-partner-sharing")
def end_tandems_on_partner_sharing_withdrawal(sender, user, **kwargs):
    """Without the consent to share the profile, no partner may keep seeing the contact details."""
    services.tandems_end_for_person(user=user, by=user, cause=Tandem.EndCause.PARTNER_SHARING)


@receiver(matching_outlook, dispatch_uid="matching-outlook")
def answer_matching_outlook(sender, user, **kwargs):
    """/profil/ asks whether the matching looks for a partner for this person now."""
    return outlook.for_person(user)


@receiver(role_change_refusal, dispatch_uid="matching-role-keeps-running-tandems")
def refuse_a_role_without_a_running_side(sender, profile, role, **kwargs):
    """A role keeps each side the person holds in a running Tandem: a Mentor*in made Mentee stayed Mentor*in in
    three Tandems and was proposed and confirmed as a mentee."""
    running = Tandem.objects.filter(status=Tandem.Status.ACTIVE)
    as_mentor = running.filter(mentor=profile).count() if role not in MENTOR_ROLES else 0
    as_mentee = running.filter(mentee=profile).count() if role not in MENTEE_ROLES else 0
    if as_mentor:
        return ngettext(
            "Diese Person ist Mentor*in in %(count)d laufenden Tandem. Beenden Sie es zuerst oder wählen Sie eine "
            "Rolle, in der sie Mentor*in bleibt.",
            "Diese Person ist Mentor*in in %(count)d laufenden Tandems. Beenden Sie sie zuerst oder wählen Sie eine "
            "Rolle, in der sie Mentor*in bleibt.", as_mentor) % {"count": as_mentor}
    if as_mentee:
        return ngettext(
            "Diese Person ist Mentee in %(count)d laufenden Tandem. Beenden Sie es zuerst oder wählen Sie eine "
            "Rolle, in der sie Mentee bleibt.",
            "Diese Person ist Mentee in %(count)d laufenden Tandems. Beenden Sie sie zuerst oder wählen Sie eine "
            "Rolle, in der sie Mentee bleibt.", as_mentee) % {"count": as_mentee}
    return None
