"""Staff decisions on pairs: the decision check, confirm, reject, choose by hand, pin and exclude."""
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules
from accounts.models import Profile, ProgrammeYear, Registration, User
from mentoring.kernel.mail import mail_queue, recipient_language

from .. import engine, selectors
from ..models import MatchRun, PairRule, Proposal, Tandem
from ..reasons import Labels, lazy_sentence, rule_texts, stored
from .candidates import neighbour_map, person
from .errors import MatchingError
from .tandems import tandem_path


def decision_check(*, mentee_pk: int, mentor_pk: int) -> tuple[Profile, Profile]:
    """Lock both people (in pk order) and check, now, everything a Tandem of this pair needs.

    Every decision that makes or fixes a pair (confirming, choosing by hand, pinning) calls
    this inside its transaction, so a rule that changed since the proposal was made counts:
    both consents (programme and partner sharing) active, both approved and in the pool, a
    mentee on the mentee side and a Mentor*in on the mentor side (either may take both roles), no
    active Tandem of the mentee, every hard rule of the
    engine (self, same organisation, pair rejected / ended / excluded, availability,
    capacity, language, format). Returns (mentee, mentor) from the pool; raises
    MatchingError with a German message for staff.
    """
    if mentee_pk == mentor_pk:
        raise MatchingError(_("Eine Person kann nicht mit sich selbst ein Tandem bilden."))
    list(Profile.objects.select_for_update().filter(pk__in=[mentee_pk, mentor_pk]).order_by("pk")
         .values_list("pk", flat=True))
    people = {p.pk: p for p in Profile.objects.filter(pk__in=[mentee_pk, mentor_pk])
              .select_related("user__registration")}
    if len(people) < 2:
        raise MatchingError(_("Eine der beiden Personen ist nicht mehr registriert."))
    for profile in people.values():
        # The registration's own state first: a withdrawn person was told they lacked a consent.
        registration = getattr(profile.user, "registration", None)
        if registration is not None and registration.status != Registration.Status.APPROVED:
            raise MatchingError(_("Die Anmeldung von %(name)s ist nicht (mehr) freigegeben: %(status)s.") % {
                "name": profile.user, "status": registration.get_status_display()})
        if profile.user.is_active and not rules.shares_contact(profile.user):
            raise MatchingError(_("%(name)s hat die Einwilligung zur Teilnahme oder zur Weitergabe des Profils "
                                  "nicht (mehr) erteilt.") % {"name": profile.user})
    pool = {p.pk: p for p in selectors.pool_profiles().filter(pk__in=[mentee_pk, mentor_pk])}
    if len(pool) < 2:
        raise MatchingError(_("Beide Personen müssen freigegeben und im Matching-Pool sein."))
    mentee, mentor = pool[mentee_pk], pool[mentor_pk]
    if not mentee.is_mentee:
        raise MatchingError(_("%(name)s ist nicht als Mentee angemeldet.") % {"name": mentee.user})
    if not mentor.is_mentor:
        raise MatchingError(_("%(name)s ist nicht als Mentor*in angemeldet.") % {"name": mentor.user})
    if mentee.active_as_mentee:
        raise MatchingError(_("%(name)s hat bereits ein aktives Tandem.") % {"name": mentee.user})
    if Tandem.objects.filter(status=Tandem.Status.ACTIVE, mentee_id=mentor_pk, mentor_id=mentee_pk).exists():
        # Two people who take both roles: confirming both directions at once made each the other's mentor.
        raise MatchingError(_("%(mentee)s und %(mentor)s sind schon ein Tandem, mit umgekehrten Rollen.") % {
            "mentee": mentee.user, "mentor": mentor.user})
    excluded = selectors.pair_excluded(mentee_pk=mentee_pk, mentor_pk=mentor_pk)
    broken = engine.infeasible_rules(person(mentee), person(mentor), excluded=excluded)
    if broken:
        raise MatchingError(_("Dieses Paar ist nicht (mehr) möglich: %s") % ", ".join(rule_texts(broken)))
    return mentee, mentor


def _locked_open(proposal: Proposal) -> Proposal:
    """The proposal, locked, while it is still open."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.OPEN:
        raise MatchingError(_("Dieser Vorschlag ist nicht mehr offen."))
    if MatchRun.objects.filter(pk__gt=proposal.run_id).exists():
        raise MatchingError(_("Dieser Lauf ist durch einen neueren ersetzt. Bitte entscheiden Sie im neuesten "
                              "Lauf."))
    return proposal


def _decided(proposal: Proposal, *, status: str, by: User, note: str = "") -> None:
    proposal.status = status
    proposal.decided_by, proposal.decided_at, proposal.decision_note = by, timezone.now(), note.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def proposal_confirm(*, proposal: Proposal, by: User, message: str = "") -> Tandem:
    """Turn a proposal into a Tandem if it still holds; row locks keep capacity and one mentor per mentee."""
    with transaction.atomic():
        proposal = _locked_open(proposal)
        mentee, mentor = decision_check(mentee_pk=proposal.mentee_id, mentor_pk=proposal.mentor_id)
        try:
            with transaction.atomic():
                tandem = Tandem.objects.create(mentee=mentee, mentor=mentor, proposal=proposal,
                                               reasons=proposal.reasons, message=message.strip(),
                                               confirmed_by=by, last_activity_at=timezone.now(),
                                               programme_year=ProgrammeYear.current())
        except IntegrityError as error:
            raise MatchingError(_("%(name)s hat bereits ein aktives Tandem.") % {"name": mentee.user}) from error
        _decided(proposal, status=Proposal.Status.CONFIRMED, by=by, note=message)
        PairRule.objects.filter(mentee=mentee, kind=PairRule.Kind.PIN).delete()
        _mail_confirmed(tandem=tandem)
    return tandem


def _each(decide: Callable[..., object], proposals: Iterable[Proposal], **kwargs) -> tuple[list, list[str]]:
    """Decide many, each on its own so that one refusal does not stop the others."""
    done, errors = [], []
    for proposal in proposals:
        try:
            done.append(decide(proposal=proposal, **kwargs))
        except MatchingError as error:
            # Names repeat among hundreds of people: the addresses tell namesakes apart.
            mentee, mentor = proposal.mentee.user, proposal.mentor.user
            errors.append(f"{mentee} ({mentee.email}) → {mentor} ({mentor.email}): {error}")
    return done, errors


def proposals_confirm(*, proposals: Iterable[Proposal], by: User, message: str = "") -> tuple[list, list[str]]:
    """Confirm many: the Tandems made and the refusals as German text."""
    return _each(proposal_confirm, proposals, by=by, message=message)


def proposal_reject(*, proposal: Proposal, by: User, note: str = "") -> Proposal:
    """Reject a proposal; the pair is never proposed again."""
    with transaction.atomic():
        proposal = _locked_open(proposal)
        _decided(proposal, status=Proposal.Status.REJECTED, by=by, note=note)
    return proposal


def proposals_reject(*, proposals: Iterable[Proposal], by: User, note: str = "") -> tuple[list, list[str]]:
    """Reject many: the proposals rejected and the refusals as German text."""
    return _each(proposal_reject, proposals, by=by, note=note)


def pair_rule_check(*, mentee: Profile, mentor: Profile, kind: str) -> None:
    """A pin must hold like a confirmation (``decision_check``); an exclusion is always allowed."""
    if mentee.pk == mentor.pk:
        raise MatchingError(_("Eine Person kann nicht mit sich selbst ein Tandem bilden."))
    if kind == PairRule.Kind.PIN:
        decision_check(mentee_pk=mentee.pk, mentor_pk=mentor.pk)


def pair_rule_set(*, mentee: Profile, mentor: Profile, kind: str, by: User, note: str = "",
                  replacing: PairRule | None = None) -> PairRule:
    """Pin or exclude a pair (``replacing``: the rule staff are editing, it gives way to the new one)."""
    with transaction.atomic():
        if replacing is not None and replacing.pk is not None:
            PairRule.objects.filter(pk=replacing.pk).delete()
        pair_rule_check(mentee=mentee, mentor=mentor, kind=kind)
        if kind == PairRule.Kind.PIN:
            PairRule.objects.filter(mentee=mentee, kind=PairRule.Kind.PIN).exclude(mentor=mentor).delete()
        rule, _created = PairRule.objects.update_or_create(
            mentee=mentee, mentor=mentor, defaults={"kind": kind, "note": note, "created_by": by})
    return rule


def _contact(profile: Profile) -> dict:
    return {"name": profile.user.get_full_name() or profile.user.email, "email": profile.user.email,
            "phone": profile.phone, "organisation": profile.organisation.name,
            "position": profile.position, "state": profile.organisation.federal_state.name}


def _mail_confirmed(*, tandem: Tandem) -> None:
    path = tandem_path(tandem)
    labels = Labels.load()
    for me, partner, role in ((tandem.mentee, tandem.mentor, "mentee"), (tandem.mentor, tandem.mentee, "mentor")):
        mail_queue(key=f"tandem-confirmed:{tandem.pk}:{role}", to=me.user.email, template="matching_confirmed",
                   context={"person": _contact(me), "partner": _contact(partner), "role": role,
                            "reasons": [lazy_sentence(r, labels) for r in tandem.reasons], "message": tandem.message,
                            "path": path}, language=recipient_language(me.user))


def proposal_choose_refused_because(*, run: MatchRun, current: Proposal | None) -> str | None:
    """Why staff cannot choose a Mentor*in by hand for the mentee whose proposal in ``run`` is ``current`` (a
    sentence for the options page and the refusal), or None: a newer run replaced this one, or the proposal
    was decided already (confirmed or rejected)."""
    return _run_replaced_because(run) or _proposal_decided_because(current)


def _run_replaced_because(run: MatchRun) -> str | None:
    if MatchRun.objects.filter(pk__gt=run.pk).exists():
        return _("Dieser Lauf ist durch einen neueren ersetzt. Bitte wählen Sie im neuesten Lauf.")
    return None


def _proposal_decided_because(current: Proposal | None) -> str | None:
    if current is not None and current.status != Proposal.Status.OPEN:
        return _("Über den Vorschlag für diese Person wurde schon entschieden.")
    return None


def open_proposals_of(*, run: MatchRun, mentors, besides: Profile | None = None) -> dict[int, int]:
    """Per Mentor*in (pk), how many open proposals of this run name them, ``besides``'s own left out: a choice by
    hand beyond their free places is allowed (staff may mean to confirm another one later), but said."""
    rows = run.proposals.filter(status=Proposal.Status.OPEN, mentor__in=list(mentors))
    if besides is not None:
        rows = rows.exclude(mentee=besides)
    return dict(rows.values_list("mentor").annotate(count=Count("pk")).values_list("mentor", "count"))


def proposal_choose(*, run: MatchRun, mentee: Profile, mentor: Profile, by: User) -> Proposal:
    """Staff choose a Mentor*in by hand: the mentee's proposal in this run is replaced."""
    weights = engine.Weights(**run.weights)
    with transaction.atomic():
        # Lock order as in proposal_confirm: the proposal first, then both people.
        current = (run.proposals.select_for_update().filter(mentee=mentee)
                   .exclude(status=Proposal.Status.SUPERSEDED).first())
        # A newer run first, then the pair's own rules, then whether this proposal was decided already
        # (the order of proposal_choose_refused_because, with the pair's rules between its two parts).
        if refused := _run_replaced_because(run):
            raise MatchingError(refused)
        me, other = decision_check(mentee_pk=mentee.pk, mentor_pk=mentor.pk)
        if refused := _proposal_decided_because(current):
            raise MatchingError(refused)
        if current:
            _decided(current, status=Proposal.Status.SUPERSEDED, by=by)
        reasons = engine.explain(person(me), person(other), weights, neighbours=neighbour_map())
        return Proposal.objects.create(run=run, mentee=me, mentor=other, manual=True,
                                       score=round(sum(r.points for r in reasons), 2),
                                       reasons=stored(reasons))


WITHDRAWN_NOTE = "Anmeldung zurückgezogen"  # stored for staff, who read the programme's language


def proposals_close_for_person(*, user: User, by: User | None) -> int:
    """A withdrawn registration leaves no open proposal behind: each is rejected with the reason in its note (it
    stayed "offen", counted on the Mentor*in's options page and answered a confirmation with a consent message)."""
    return Proposal.objects.filter(Q(mentee__user=user) | Q(mentor__user=user), status=Proposal.Status.OPEN).update(
        status=Proposal.Status.REJECTED, decided_by=by, decided_at=timezone.now(), decision_note=WITHDRAWN_NOTE)
