"""What the matching does for a person in the pool, told on their own /profil/ page.

Being in the pool (``accounts.rules.in_matching_pool``) is not the same as being proposed: a run
looks for a Mentor*in only for mentees without an active Tandem and proposes only Mentor*innen who
are available and have a place left. Which sides of a person a run takes comes from the querysets
the run reads (``selectors.proposed_as``); this module adds, for each side it does not take, why
and where to change it.
"""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import MENTEE_ROLES, MENTOR_ROLES
from accounts.signals import MatchingOutlook, OutlookNote

from . import selectors
from .models import Tandem, person_name


def for_person(user) -> MatchingOutlook | None:
    profile = getattr(user, "profile", None)
    if profile is None:
        return None
    as_mentee, as_mentor = selectors.proposed_as(profile)
    active = Tandem.objects.filter(status=Tandem.Status.ACTIVE)
    notes = []
    if profile.role in MENTEE_ROLES and not as_mentee:
        # In the pool as a mentee and not looked for: an active Tandem is the one reason left.
        tandem = active.filter(mentee=profile).select_related("mentor__user").first()
        if tandem is not None:
            notes.append(OutlookNote(
                key="mentee_tandem",
                text=_("Sie haben ein Tandem mit %(name)s. Solange es läuft, schlagen wir Ihnen keine weitere "
                       "Mentor*in vor.") % {"name": person_name(tandem.mentor)},
                link=reverse("matching:tandem_detail", args=[tandem.pk]), link_text=_("Zu Ihrem Tandem")))
    if profile.role in MENTOR_ROLES and not as_mentor:
        edit = reverse("accounts:profile_edit") + "#mentor"
        if not profile.mentor_available:
            notes.append(OutlookNote(
                key="mentor_unavailable",
                text=_("Sie haben sich als Mentor*in als derzeit nicht verfügbar eingetragen. Solange das so ist, "
                       "schlagen wir Ihnen keine Mentees vor."),
                link=edit, link_text=_("Verfügbarkeit ändern")))
        else:
            taken = active.filter(mentor=profile).count()
            notes.append(OutlookNote(
                key="mentor_full",
                text=ngettext(
                    "Sie begleiten %(count)d Mentee und haben damit alle Plätze vergeben, die Sie angegeben haben. "
                    "Weitere Mentees schlagen wir Ihnen vor, sobald ein Tandem endet oder Sie mehr Plätze angeben.",
                    "Sie begleiten %(count)d Mentees und haben damit alle Plätze vergeben, die Sie angegeben haben. "
                    "Weitere Mentees schlagen wir Ihnen vor, sobald ein Tandem endet oder Sie mehr Plätze angeben.",
                    taken) % {"count": taken},
                link=edit, link_text=_("Plätze ändern")))
    return MatchingOutlook(open=as_mentee or as_mentor, notes=tuple(notes))
