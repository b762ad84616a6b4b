"""What the matching does for a person in the pool, told on their own /profil/ page.

Being in the pool (``accounts.rules.in_matching_pool``) is not the same as being looked for: a
run looks for a Mentor*in only for mentees without an active Tandem (``selectors.pool_mentees``)
and proposes only Mentor*innen who are available and have a place left
(``selectors.pool_mentors_with_capacity``). This module says which side of a person a run looks
for, and for each side it does not, why and where to change it.
"""
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import MENTEE_ROLES, MENTOR_ROLES
from accounts.signals import MatchingOutlook, OutlookNote

from .models import Tandem, person_name


def for_person(user) -> MatchingOutlook | None:
    profile = getattr(user, "profile", None)
    if profile is None:
        return None
    active = Tandem.objects.filter(status=Tandem.Status.ACTIVE)
    notes, looked_for = [], False
    if profile.role in MENTEE_ROLES:
        tandem = active.filter(mentee=profile).select_related("mentor__user").first()
        if tandem is None:
            looked_for = True
        else:
            notes.append(OutlookNote(
                key="mentee_tandem",
                text=_("Sie haben ein Tandem mit %(name)s. Solange es läuft, schlagen wir Ihnen keine weitere "
                       "Mentor*in vor.") % {"name": person_name(tandem.mentor)},
                link=reverse("matching:tandem_detail", args=[tandem.pk]), link_text=_("Zu Ihrem Tandem")))
    if profile.role in MENTOR_ROLES:
        edit = reverse("accounts:profile_edit") + "#mentor"
        taken = active.filter(mentor=profile).count()
        if not profile.mentor_available:
            notes.append(OutlookNote(
                key="mentor_unavailable",
                text=_("Sie haben sich als Mentor*in als derzeit nicht verfügbar eingetragen. Solange das so ist, "
                       "schlagen wir Ihnen keine Mentees vor."),
                link=edit, link_text=_("Verfügbarkeit ändern")))
        elif taken >= profile.mentor_capacity:
            notes.append(OutlookNote(
                key="mentor_full",
                text=ngettext(
                    "Sie begleiten %(count)d Mentee und haben damit alle Plätze vergeben, die Sie angegeben haben. "
                    "Weitere Mentees schlagen wir Ihnen vor, sobald ein Tandem endet oder Sie mehr Plätze angeben.",
                    "Sie begleiten %(count)d Mentees und haben damit alle Plätze vergeben, die Sie angegeben haben. "
                    "Weitere Mentees schlagen wir Ihnen vor, sobald ein Tandem endet oder Sie mehr Plätze angeben.",
                    taken) % {"count": taken},
                link=edit, link_text=_("Plätze ändern")))
        else:
            looked_for = True
    return MatchingOutlook(open=looked_for, notes=tuple(notes))
