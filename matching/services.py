"""Writes of the matching app: runs, decisions on proposals, Tandems, meetings, reminders."""
import logging
import operator
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import LANGUAGES, SIZE_ORDER, MeetingFormat, Role
from accounts.models import Consent, FederalState, OrganisationType, Profile, Topic, User
from accounts.selectors import approved_profiles
from mentoring.kernel.mail import mail_queue
from mentoring.models import OutboxMessage

from . import engine, selectors
from .models import (
    MatchingSettings,
    MatchRun,
    Meeting,
    MeetingNote,
    PairRule,
    ProblemReport,
    Proposal,
    Tandem,
    person_name,
)

logger = logging.getLogger(__name__)

MINUTES_PER_DAY = 8 * 60  # 8 hours of mentoring count as one day
A2_TARGET_DAYS = 5  # an A.2 project asks for up to five days of mentoring a year
FUNDING_NOTICE_DAYS = 42  # the Tandem hears six weeks before the mentee's funding ends


class MatchingError(Exception):
    """A decision that cannot be carried out; the message is German (for staff or the member).

    ``field`` names the form field the message belongs next to, if any.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field


# Candidates ----------------------------------------------------------------------------------


def capacity_left(profile: Profile) -> int:
    active = getattr(profile, "active_as_mentor", None)
    if active is None:
        active = Tandem.objects.filter(mentor=profile, status=Tandem.Status.ACTIVE).count()
    return max(profile.mentor_capacity - active, 0) if profile.mentor_available else 0


def person(profile: Profile) -> engine.Person:
    """The engine's view of a profile (needs and competences must be prefetched)."""
    organisation = profile.organisation
    size = organisation.size_class
    return engine.Person(
        key=profile.pk, organisation=organisation.pk, org_type=organisation.org_type_id,
        org_group=organisation.org_type.group, size=SIZE_ORDER.index(size) if size in SIZE_ORDER else -1,
        state=organisation.federal_state_id, meeting_format=profile.meeting_format,
        languages=tuple(profile.languages or ()), funding_line=profile.funding_line,
        concept_stage=profile.concept_stage,
        needs={n.topic_id: n.priority for n in profile.needs.all()},
        competences={c.topic_id: c.level for c in profile.competences.all()},
        prefers_same_state=profile.prefers_same_state,
        prefers_similar_organisation=profile.prefers_similar_organisation,
        capacity=capacity_left(profile) if profile.is_mentor else 0,
        available=profile.is_mentor and profile.mentor_available,
    )


def neighbour_map() -> dict[int, set[int]]:
    through = FederalState.neighbours.through
    result: dict[int, set[int]] = {}
    for a, b in through.objects.values_list("from_federalstate_id", "to_federalstate_id"):
        result.setdefault(a, set()).add(b)
        result.setdefault(b, set()).add(a)
    return result


@dataclass
class Labels:
    """Names the German reasons need; loaded once per run."""

    topics: dict[int, str]
    states: dict[int, str]
    org_types: dict[int, str]

    @classmethod
    def load(cls) -> "Labels":
        return cls(topics=dict(Topic.objects.values_list("pk", "short_name")),
                   states=dict(FederalState.objects.values_list("pk", "name")),
                   org_types=dict(OrganisationType.objects.values_list("pk", "name")))


def reason_texts(reasons: Iterable[engine.Reason], labels: Labels) -> list[dict]:
    """The engine's reasons as stored German sentences with their points."""
    groups = dict(OrganisationType.Group.choices)
    formats = dict(MeetingFormat.choices)
    languages = dict(LANGUAGES)
    result = []
    for reason in reasons:
        params = dict(reason.params)
        if "topic_ids" in params:
            params["topics"] = ", ".join(labels.topics.get(t, "?") for t in params.pop("topic_ids"))
        if "org_type_id" in params:
            params["org_type"] = labels.org_types.get(params.pop("org_type_id"), "?")
        if "group" in params:
            params["group"] = str(groups.get(params["group"], params["group"]))
        if "state_id" in params:
            params["state"] = labels.states.get(params.pop("state_id"), "?")
            params["other_state"] = labels.states.get(params.pop("other_state_id"), "?")
        if "format" in params:
            params["format"] = str(formats.get(params["format"], params["format"]))
        if "language_codes" in params:
            params["languages"] = ", ".join(str(languages.get(c, c)) for c in params.pop("language_codes"))
        result.append({"criterion": reason.criterion, "points": round(reason.points, 2),
                       "text": _(reason.text) % params})
    return result


def rule_texts(rules: Iterable[str]) -> list[str]:
    return [_(engine.RULE_TEXTS[rule]) for rule in rules]


# Runs ------------------------------------------------------------------------------------------


def _pool() -> tuple[list[Profile], list[Profile]]:
    pool = list(selectors.pool_profiles().order_by("pk"))
    mentees = [p for p in pool if p.is_mentee and p.active_as_mentee == 0]
    mentors = [p for p in pool if p.is_mentor and capacity_left(p) > 0]
    return mentees, mentors


def match_run_create(*, by: User | None, config: MatchingSettings | None = None) -> MatchRun:
    """A pending run that records the current weights and slot penalty.

    Open proposals of older runs are superseded: only the newest run's proposals can be decided.
    """
    config = config or MatchingSettings.load()
    with transaction.atomic():
        run = MatchRun.objects.create(created_by=by, weights=config.weights().as_dict(),
                                      slot_penalty=config.slot_penalty)
        Proposal.objects.filter(status=Proposal.Status.OPEN).exclude(run=run).update(
            status=Proposal.Status.SUPERSEDED, decided_at=timezone.now())
    return run


def match_run_start(*, by: User | None) -> MatchRun:
    """Start a run: small ones are computed now, large ones by a Celery worker."""
    config = MatchingSettings.load()
    run = match_run_create(by=by, config=config)
    mentee_count = (approved_profiles().filter(role__in=[Role.MENTEE, Role.BOTH])
                    .exclude(tandems_as_mentee__status=Tandem.Status.ACTIVE).values("pk").distinct().count())
    if mentee_count <= config.sync_limit:
        return match_run_execute(run=run)
    from .tasks import match_run_execute as task

    transaction.on_commit(lambda: task.delay(run.pk))
    return run


def match_run_execute(*, run: MatchRun, progress: Callable[[int], None] | None = None) -> MatchRun:
    """Compute proposals for every approved mentee without a Tandem and store them with a summary."""
    started = time.perf_counter()
    last_saved = [-10]

    def report(percent: int) -> None:
        if progress:
            progress(percent)
        if percent - last_saved[0] >= 10 or percent == 100:
            last_saved[0] = percent
            MatchRun.objects.filter(pk=run.pk).update(progress=percent)

    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING)
    try:
        _compute(run=run, report=report)
    except Exception as error:
        logger.exception("Matching run %s failed", run.pk)
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.FAILED, error=str(error)[:2000],
                                                  finished_at=timezone.now())
        run.refresh_from_db()
        return run
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.DONE, progress=100, finished_at=timezone.now(),
        duration_ms=int((time.perf_counter() - started) * 1000))
    run.refresh_from_db()
    return run


def _compute(*, run: MatchRun, report: Callable[[int], None]) -> None:
    weights = engine.Weights(**run.weights)
    mentees, mentors = _pool()
    report(5)
    neighbours = neighbour_map()
    mentee_people = [person(p) for p in mentees]
    mentor_people = [person(p) for p in mentors]
    mentee_index = {p.pk: i for i, p in enumerate(mentees)}
    mentor_index = {p.pk: j for j, p in enumerate(mentors)}
    excluded = [(mentee_index[a], mentor_index[b]) for a, b in selectors.excluded_pairs()
                if a in mentee_index and b in mentor_index]
    scores, feasible = engine.score_matrix(mentee_people, mentor_people, weights, neighbours=neighbours,
                                           excluded=excluded, progress=lambda f: report(5 + int(f * 55)))
    capacity = [p.capacity for p in mentor_people]
    pins, skipped_pins, used = [], [], Counter()
    for mentee_pk, mentor_pk in selectors.pinned_pairs().items():
        i, j = mentee_index.get(mentee_pk), mentor_index.get(mentor_pk)
        if i is None or j is None or not feasible[i, j] or used[j] >= capacity[j]:
            skipped_pins.append({"mentee": mentee_pk, "mentor": mentor_pk})
            continue
        used[j] += 1
        pins.append((i, j))
    report(60)
    pairs = engine.assign(scores, capacity, feasible, slot_penalty=run.slot_penalty, pins=pins)
    report(85)
    labels = Labels.load()
    pinned = set(pins)
    proposals = [
        Proposal(run=run, mentee=mentees[i], mentor=mentors[j], score=round(float(scores[i, j]), 2),
                 manual=(i, j) in pinned,
                 reasons=reason_texts(engine.explain(mentee_people[i], mentor_people[j], weights,
                                                     neighbours=neighbours), labels))
        for i, j in pairs
    ]
    matched = {i for i, _j in pairs}
    unmatched = []
    for i, profile in enumerate(mentees):
        if i in matched:
            continue
        why = (_("Kapazität erschöpft: passende Mentor*innen sind schon vergeben") if feasible[i].any()
               else _("keine passende Mentor*in"))
        # Only the pk is stored: the name is looked up when the page is shown, so an erased
        # account leaves no name behind in old summaries.
        unmatched.append({"mentee": profile.pk, "reason": why,
                          "state": labels.states.get(profile.organisation.federal_state_id, ""),
                          "org_type": labels.org_types.get(profile.organisation.org_type_id, "")})
    matched_scores = [float(scores[i, j]) for i, j in pairs]
    run.mentee_count, run.mentor_count, run.matched_count = len(mentees), len(mentors), len(pairs)
    run.summary = {
        "unmatched": unmatched,
        "unmatched_by_state": Counter(u["state"] for u in unmatched).most_common(),
        "unmatched_by_org_type": Counter(u["org_type"] for u in unmatched).most_common(),
        "scores": _distribution(matched_scores),
        "skipped_pins": skipped_pins,
    }
    # Only the result is written in one transaction; progress updates before it commit at once
    # so that the admin page can show them while a worker computes.
    with transaction.atomic():
        Proposal.objects.bulk_create(proposals, batch_size=500)
        run.save(update_fields=["mentee_count", "mentor_count", "matched_count", "summary"])
    report(100)


def _distribution(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "buckets": []}
    top = max(values)
    width = max(top / 5, 1.0)
    counts = Counter(min(int(v // width), 4) for v in values)
    buckets = [{"from": round(k * width, 1), "to": round((k + 1) * width, 1), "count": counts.get(k, 0)}
               for k in range(5)]
    return {"count": len(values), "min": round(min(values), 2), "max": round(top, 2),
            "mean": round(sum(values) / len(values), 2), "buckets": buckets}


def mentor_options(*, mentee: Profile, limit: int = 5) -> list[dict]:
    """The best feasible Mentor*innen for one mentee, with score and reasons, for a choice by hand.

    Raises MatchingError when the mentee has left the pool since the run.
    """
    config = MatchingSettings.load()
    weights = config.weights()
    mentee = selectors.pool_profiles().filter(pk=mentee.pk).first()
    if mentee is None:
        raise MatchingError(_("Beide Personen müssen freigegeben und im Matching-Pool sein."))
    mentors = [p for p in selectors.pool_profiles().order_by("pk") if p.is_mentor and p.pk != mentee.pk]
    excluded = {b for a, b in selectors.excluded_pairs() if a == mentee.pk}
    neighbours = neighbour_map()
    labels = Labels.load()
    me = person(mentee)
    options = []
    for profile in mentors:
        other = person(profile)
        if engine.infeasible_rules(me, other, excluded=profile.pk in excluded):
            continue
        reasons = engine.explain(me, other, weights, neighbours=neighbours)
        options.append({"mentor": profile, "score": round(sum(r.points for r in reasons), 2),
                        "capacity_left": other.capacity, "reasons": reason_texts(reasons, labels)})
    options.sort(key=lambda o: (-o["score"], o["mentor"].pk))
    return options[:limit]


def proposal_choose(*, run: MatchRun, mentee: Profile, mentor: Profile, by: User) -> Proposal:
    """Staff choose a Mentor*in by hand: the mentee's proposal in this run is replaced."""
    weights = engine.Weights(**run.weights)
    with transaction.atomic():
        # Lock order as in proposal_confirm: the proposal first, then both people.
        current = (run.proposals.select_for_update().filter(mentee=mentee)
                   .exclude(status=Proposal.Status.SUPERSEDED).first())
        if MatchRun.objects.filter(pk__gt=run.pk).exists():
            raise MatchingError(_("Dieser Lauf ist durch einen neueren ersetzt. Bitte wählen Sie im neuesten "
                                  "Lauf."))
        me, other = decision_check(mentee_pk=mentee.pk, mentor_pk=mentor.pk)
        if current and current.status != Proposal.Status.OPEN:
            raise MatchingError(_("Über den Vorschlag für diese Person wurde schon entschieden."))
        if current:
            current.status = Proposal.Status.SUPERSEDED
            current.decided_by, current.decided_at = by, timezone.now()
            current.save(update_fields=["status", "decided_by", "decided_at"])
        reasons = engine.explain(person(me), person(other), weights, neighbours=neighbour_map())
        return Proposal.objects.create(run=run, mentee=me, mentor=other, manual=True,
                                       score=round(sum(r.points for r in reasons), 2),
                                       reasons=reason_texts(reasons, Labels.load()))


# Decisions -------------------------------------------------------------------------------------


def decision_check(*, mentee_pk: int, mentor_pk: int) -> tuple[Profile, Profile]:
    """Lock both people (in pk order) and check, now, everything a Tandem of this pair needs.

    Every decision that makes or fixes a pair (confirming, choosing by hand, pinning) calls
    this inside its transaction, so a rule that changed since the proposal was made counts:
    both consents (programme and partner sharing) active, both approved and in the pool, a
    Mentor*in on the mentor side, no active Tandem of the mentee, every hard rule of the
    engine (self, same organisation, pair rejected / ended / excluded, availability,
    capacity, language, format). Returns (mentee, mentor) from the pool; raises
    MatchingError with a German message for staff.
    """
    if mentee_pk == mentor_pk:
        raise MatchingError(_("Eine Person kann nicht mit sich selbst ein Tandem bilden."))
    list(Profile.objects.select_for_update().filter(pk__in=[mentee_pk, mentor_pk]).order_by("pk")
         .values_list("pk", flat=True))
    people = {p.pk: p for p in Profile.objects.filter(pk__in=[mentee_pk, mentor_pk]).select_related("user")}
    if len(people) < 2:
        raise MatchingError(_("Eine der beiden Personen ist nicht mehr registriert."))
    consents = set(Consent.objects.filter(
        user_id__in=[p.user_id for p in people.values()], purpose__in=selectors.SHARING_CONSENTS,
        withdrawn_at__isnull=True).values_list("user_id", "purpose"))
    for profile in people.values():
        if any((profile.user_id, purpose) not in consents for purpose in selectors.SHARING_CONSENTS):
            raise MatchingError(_("%(name)s hat die Einwilligung zur Teilnahme oder zur Weitergabe des Profils "
                                  "nicht (mehr) erteilt.") % {"name": profile.user})
    pool = {p.pk: p for p in selectors.pool_profiles().filter(pk__in=[mentee_pk, mentor_pk])}
    if len(pool) < 2:
        raise MatchingError(_("Beide Personen müssen freigegeben und im Matching-Pool sein."))
    mentee, mentor = pool[mentee_pk], pool[mentor_pk]
    if not mentor.is_mentor:
        raise MatchingError(_("%(name)s ist nicht als Mentor*in angemeldet.") % {"name": mentor.user})
    if mentee.active_as_mentee:
        raise MatchingError(_("%(name)s hat bereits ein aktives Tandem.") % {"name": mentee.user})
    excluded = selectors.pair_excluded(mentee_pk=mentee_pk, mentor_pk=mentor_pk)
    rules = engine.infeasible_rules(person(mentee), person(mentor), excluded=excluded)
    if rules:
        raise MatchingError(_("Dieses Paar ist nicht (mehr) möglich: %s") % ", ".join(rule_texts(rules)))
    return mentee, mentor


def proposal_confirm(*, proposal: Proposal, by: User, message: str = "") -> Tandem:
    """Turn a proposal into a Tandem if it still holds; row locks keep capacity and one mentor per mentee."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Proposal.Status.OPEN:
            raise MatchingError(_("Dieser Vorschlag ist nicht mehr offen."))
        mentee, mentor = decision_check(mentee_pk=proposal.mentee_id, mentor_pk=proposal.mentor_id)
        try:
            with transaction.atomic():
                tandem = Tandem.objects.create(mentee=mentee, mentor=mentor, proposal=proposal,
                                               reasons=proposal.reasons, message=message.strip(),
                                               confirmed_by=by, last_activity_at=timezone.now())
        except IntegrityError as error:
            raise MatchingError(_("%(name)s hat bereits ein aktives Tandem.") % {"name": mentee.user}) from error
        proposal.status = Proposal.Status.CONFIRMED
        proposal.decided_by, proposal.decided_at, proposal.decision_note = by, timezone.now(), message.strip()
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
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
            errors.append(f"{proposal}: {error}")
    return done, errors


def proposals_confirm(*, proposals: Iterable[Proposal], by: User, message: str = "") -> tuple[list, list[str]]:
    """Confirm many: the Tandems made and the refusals as German text."""
    return _each(proposal_confirm, proposals, by=by, message=message)


def proposal_reject(*, proposal: Proposal, by: User, note: str = "") -> Proposal:
    """Reject a proposal; the pair is never proposed again."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Proposal.Status.OPEN:
            raise MatchingError(_("Dieser Vorschlag ist nicht mehr offen."))
        proposal.status = Proposal.Status.REJECTED
        proposal.decided_by, proposal.decided_at, proposal.decision_note = by, timezone.now(), note.strip()
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
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
    for me, partner, role in ((tandem.mentee, tandem.mentor, "mentee"), (tandem.mentor, tandem.mentee, "mentor")):
        mail_queue(key=f"tandem-confirmed:{tandem.pk}:{role}", to=me.user.email, template="matching_confirmed",
                   context={"person": _contact(me), "partner": _contact(partner), "role": role,
                            "reasons": [r["text"] for r in tandem.reasons], "message": tandem.message,
                            "path": path})


# Tandems ---------------------------------------------------------------------------------------


def tandem_path(tandem: Tandem) -> str:
    """The Tandem's page, for redirects and the links in e-mails."""
    return reverse("matching:tandem_detail", args=[tandem.pk])


def tandem_end(*, tandem: Tandem, by: User | None, reason: str, notify: bool = True,
               leaving: Profile | None = None) -> Tandem:
    """End a Tandem; the mentee returns to the pool and this pair is never proposed again.

    ``leaving`` is the side who ended it themselves (withdrawal, erasure): only the partner is
    mailed. The mail links the Tandem instead of naming the other side, so the outbox keeps
    no one's name beyond their own mail.
    """
    if not reason.strip():
        raise MatchingError(_("Bitte geben Sie einen Grund an."))
    with transaction.atomic():
        tandem = (Tandem.objects.select_for_update(of=("self",)).select_related("mentee__user", "mentor__user")
                  .get(pk=tandem.pk))
        if tandem.status == Tandem.Status.ENDED:
            return tandem
        tandem.status = Tandem.Status.ENDED
        tandem.ended_at, tandem.ended_by, tandem.end_reason = timezone.now(), by, reason.strip()
        tandem.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
        tandem.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=by)
        if notify:
            for me in (tandem.mentee, tandem.mentor):
                if me is None or (leaving is not None and me.pk == leaving.pk):
                    continue
                mail_queue(key=f"tandem-ended:{tandem.pk}:{me.pk}", to=me.user.email, template="matching_ended",
                           context={"name": me.user.get_full_name(), "started": tandem.started_at,
                                    "path": tandem_path(tandem), "reason": tandem.end_reason})
    return tandem


def tandems_end_for_person(*, user: User, by: User | None, reason: str = "") -> int:
    """A withdrawn registration (or partner-sharing consent) ends every active Tandem of that person."""
    ended = 0
    own = Profile.objects.filter(user=user).first() if by is not None and by.pk == user.pk else None
    for tandem in Tandem.objects.filter(Q(mentee__user=user) | Q(mentor__user=user), status=Tandem.Status.ACTIVE):
        tandem_end(tandem=tandem, by=by, reason=reason or _("Anmeldung zurückgezogen"), leaving=own)
        ended += 1
    return ended


def _is_member(tandem: Tandem, user: User) -> bool:
    return user.pk is not None and user.pk in (
        tandem.mentee.user_id if tandem.mentee else None, tandem.mentor.user_id if tandem.mentor else None)


def _check_values(*, tandem: Tandem, date: date, duration_minutes: int, meeting: Meeting | None = None) -> None:
    if date > timezone.localdate():
        raise MatchingError(_("Das Datum darf nicht in der Zukunft liegen."), field="date")
    if not 5 <= duration_minutes <= 600:
        raise MatchingError(_("Die Dauer muss zwischen 5 Minuten und 10 Stunden liegen."), field="duration_minutes")
    same_day = tandem.meetings.filter(date=date)
    if meeting is not None:
        same_day = same_day.exclude(pk=meeting.pk)
    if same_day.exists():
        raise MatchingError(_("Für diesen Tag ist schon ein Treffen eingetragen. Bestätigen oder korrigieren Sie "
                              "bitte diesen Eintrag; mehrere Treffen an einem Tag tragen Sie als ein Treffen mit "
                              "der gesamten Dauer ein."), field="date")


def meeting_log(*, tandem: Tandem, by: User, date: date, duration_minutes: int, format: str,
                topics: Iterable[Topic] = (), note: str = "") -> Meeting:
    """Enter a meeting; the partner then confirms or corrects it. One entry per Tandem and day."""
    if tandem.status != Tandem.Status.ACTIVE:
        raise MatchingError(_("In einem beendeten Tandem können keine Treffen mehr eingetragen werden."))
    if not _is_member(tandem, by):
        raise MatchingError(_("Nur die beiden Mitglieder des Tandems tragen Treffen ein."))
    with transaction.atomic():
        # The Tandem's row lock makes "one entry per day" hold when both partners save at once.
        Tandem.objects.select_for_update().filter(pk=tandem.pk).values_list("pk").first()
        _check_values(tandem=tandem, date=date, duration_minutes=duration_minutes)
        meeting = Meeting.objects.create(tandem=tandem, logged_by=by, date=date, duration_minutes=duration_minutes,
                                         format=format)
        meeting.topics.set(topics)
        if note.strip():
            MeetingNote.objects.create(meeting=meeting, author=by, text=note.strip())
        Tandem.objects.filter(pk=tandem.pk).update(last_activity_at=timezone.now())
    return meeting


def meeting_actions(*, meeting: Meeting, user: User, now=None) -> frozenset[str]:
    """What ``user`` (a member of the Tandem) may do with a meeting; ``meeting.state`` must be annotated.

    The author edits or deletes an open entry for ``MEETING_EDIT_WINDOW_DAYS`` after entering it,
    and an entry the partner objected to at any time. The partner confirms or corrects an open
    or objected entry and may object to an open one. Confirmed and corrected entries are final.
    """
    now = now or timezone.now()
    if meeting.logged_by_id == user.pk:
        window_open = now <= meeting.created_at + timedelta(days=settings.MEETING_EDIT_WINDOW_DAYS)
        if meeting.state == Meeting.Status.DISPUTED or (meeting.state == Meeting.Status.OPEN and window_open):
            return frozenset({"edit", "delete"})
        return frozenset()
    if meeting.state == Meeting.Status.OPEN:
        return frozenset({"confirm", "correct", "object"})
    if meeting.state == Meeting.Status.DISPUTED:
        return frozenset({"confirm", "correct"})
    return frozenset()


def _locked_meeting(*, meeting: Meeting, by: User, action: str) -> Meeting:
    """The meeting locked, with its state, if ``by`` may do ``action`` with it now."""
    locked = selectors.with_state(Meeting.objects.select_for_update(of=("self",)).select_related(
        "tandem__mentee", "tandem__mentor").filter(pk=meeting.pk)).first()
    if locked is None or not _is_member(locked.tandem, by):
        raise MatchingError(_("Dieses Treffen gibt es nicht (mehr)."))
    if action not in meeting_actions(meeting=locked, user=by):
        raise MatchingError(_("Dieser Eintrag kann nicht mehr geändert werden: Er ist bestätigt, oder die Frist "
                              "für Änderungen ist abgelaufen."))
    return locked


def _set_values(meeting: Meeting, *, date: date, duration_minutes: int, format: str, topics: Iterable[Topic]):
    _check_values(tandem=meeting.tandem, date=date, duration_minutes=duration_minutes, meeting=meeting)
    meeting.date, meeting.duration_minutes, meeting.format = date, duration_minutes, format
    meeting.topics.set(topics)


def meeting_edit(*, meeting: Meeting, by: User, date: date, duration_minutes: int, format: str,
                 topics: Iterable[Topic] = ()) -> Meeting:
    """The author changes their entry; the partner is asked again to confirm it."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting=meeting, by=by, action="edit")
        _set_values(meeting, date=date, duration_minutes=duration_minutes, format=format, topics=topics)
        meeting.status, meeting.submitted_at = Meeting.Status.OPEN, timezone.now()
        meeting.reviewed_by = meeting.reviewed_at = None
        meeting.save(update_fields=["date", "duration_minutes", "format", "status", "submitted_at", "reviewed_by",
                                    "reviewed_at"])
    return meeting


def meeting_delete(*, meeting: Meeting, by: User) -> None:
    """The author withdraws their entry (with every private note on it)."""
    with transaction.atomic():
        _locked_meeting(meeting=meeting, by=by, action="delete").delete()


def _review(meeting: Meeting, *, by: User, status: str) -> Meeting:
    meeting.status, meeting.reviewed_by, meeting.reviewed_at = status, by, timezone.now()
    meeting.save(update_fields=["date", "duration_minutes", "format", "status", "reviewed_by", "reviewed_at"])
    return meeting


def meeting_confirm(*, meeting: Meeting, by: User) -> Meeting:
    """The partner confirms the entry as it stands; from now on it counts."""
    with transaction.atomic():
        return _review(_locked_meeting(meeting=meeting, by=by, action="confirm"), by=by,
                       status=Meeting.Status.CONFIRMED)


def meeting_correct(*, meeting: Meeting, by: User, date: date, duration_minutes: int, format: str,
                    topics: Iterable[Topic] = ()) -> Meeting:
    """The partner corrects date, duration, format or topics; the corrected entry counts."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting=meeting, by=by, action="correct")
        _set_values(meeting, date=date, duration_minutes=duration_minutes, format=format, topics=topics)
        return _review(meeting, by=by, status=Meeting.Status.CORRECTED)


def meeting_object(*, meeting: Meeting, by: User) -> Meeting:
    """The partner says the meeting did not take place like this; it does not count until resolved."""
    with transaction.atomic():
        return _review(_locked_meeting(meeting=meeting, by=by, action="object"), by=by,
                       status=Meeting.Status.DISPUTED)


def meeting_note_set(*, meeting: Meeting, by: User, text: str) -> MeetingNote | None:
    """Each member keeps one private note per meeting; an empty text removes it."""
    if not _is_member(meeting.tandem, by):
        raise MatchingError(_("Dieses Treffen gibt es nicht (mehr)."))
    text = text.strip()
    with transaction.atomic():
        if not text:
            MeetingNote.objects.filter(meeting=meeting, author=by).delete()
            return None
        note, _created = MeetingNote.objects.update_or_create(meeting=meeting, author=by, defaults={"text": text})
    return note


def problem_report(*, tandem: Tandem, by: User, kind: str, text: str) -> ProblemReport:
    """A member reports a problem or asks to end the Tandem; staff are told at once."""
    if not text.strip():
        raise MatchingError(_("Bitte beschreiben Sie Ihr Anliegen."))
    with transaction.atomic():
        report = ProblemReport.objects.create(tandem=tandem, reported_by=by, kind=kind, text=text.strip())
        for address in settings.STAFF_NOTIFICATION_EMAILS:
            mail_queue(key=f"tandem-report:{report.pk}:{address}", to=address, template="matching_report_staff",
                       # Names stay in admin: the stored notice carries no one's name beyond the report text.
                       context={"report": report, "tandem": _("Nr. %(pk)s") % {"pk": tandem.pk},
                                "reporter": _("Mentee") if by.pk == getattr(tandem.mentee, "user_id", None)
                                else _("Mentor*in"),
                                "kind": report.get_kind_display(),
                                "admin_path": f"/admin/matching/problemreport/{report.pk}/change/"})
    return report


def reports_resolve(*, reports: QuerySet[ProblemReport], by: User) -> int:
    """Mark the still open ones among ``reports`` as resolved; returns how many were."""
    return reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=by)


def tandem_reminders(*, now=None) -> dict:
    """Daily: check-in e-mails for quiet Tandems and a notice before the mentee's funding ends."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = {"checkin": 0, "funding": 0}
    # Reminders name the partner and the mentee's funding end: only while contact data may be shared.
    quiet = selectors.with_contact_visible(selectors.quiet_tandems(days=selectors.CHECKIN_DAYS, now=now)).filter(
        contact_shared=True).select_related("mentee__user", "mentor__user")
    for tandem in quiet:
        with transaction.atomic():
            period = tandem.last_activity_at.date().isoformat()
            for me in (tandem.mentee, tandem.mentor):
                sent["checkin"] += _queue_once(
                    key=f"tandem-checkin:{tandem.pk}:{period}:{me.pk}", to=me.user.email, template="matching_checkin",
                    context={"name": me.user.get_full_name(), "partner": str(tandem.partner_of(me).user),
                             "path": tandem_path(tandem), "since": tandem.last_activity_at})
    ending = selectors.with_contact_visible(Tandem.objects.filter(
        status=Tandem.Status.ACTIVE, mentee__funding_ends_on__gte=today,
        mentee__funding_ends_on__lte=today + timedelta(days=FUNDING_NOTICE_DAYS))).filter(
        contact_shared=True).select_related("mentee__user", "mentor__user")
    for tandem in ending:
        with transaction.atomic():
            for me in (tandem.mentee, tandem.mentor):
                sent["funding"] += _queue_once(
                    key=f"tandem-funding-end:{tandem.pk}:{tandem.mentee.funding_ends_on}:{me.pk}", to=me.user.email,
                    template="matching_funding_end",
                    context={"name": me.user.get_full_name(), "is_mentee": me.pk == tandem.mentee_id,
                             "mentee": str(tandem.mentee.user), "ends_on": tandem.mentee.funding_ends_on,
                             "path": tandem_path(tandem)})
    return sent


def _queue_once(*, key: str, **kwargs) -> bool:
    """Queue a reminder unless it went out already; True when it is new."""
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    mail_queue(key=key, **kwargs)
    return True


# Mentoring time ----------------------------------------------------------------------------


def mentoring_time(*, profile: Profile, year: int) -> dict:
    """Logged mentoring time as Mentor*in in a calendar year, against the five days of A.2."""
    minutes = sum(selectors.mentoring_minutes(profile=profile, year=year).values_list("duration_minutes", flat=True))
    days = minutes / MINUTES_PER_DAY
    return {"year": year, "minutes": minutes, "hours": round(minutes / 60, 1), "days": round(days, 2),
            "target_days": A2_TARGET_DAYS, "percent": min(int(days / A2_TARGET_DAYS * 100), 100)}


def mentoring_statement_pdf(*, profile: Profile, year: int) -> bytes:
    """A statement of logged mentoring time to hand to an employer or funding body."""
    from .pdf import statement

    meetings = list(selectors.mentoring_minutes(profile=profile, year=year))
    return statement(profile=profile, year=year, meetings=meetings, totals=mentoring_time(profile=profile, year=year),
                     operator=settings.PROGRAMME_OPERATOR, programme=settings.PROGRAMME_NAME)


# DSGVO -------------------------------------------------------------------------------------


def personal_data(*, user: User) -> dict:
    """Every row of the matching app that names the person (for the DSGVO export)."""
    profile = Profile.objects.filter(user=user).first()
    reports = [{"tandem": r.tandem_id, "anliegen": r.get_kind_display(), "text": r.text,
                "am": r.created_at.isoformat(), "erledigt_am": r.resolved_at.isoformat() if r.resolved_at else None}
               for r in ProblemReport.objects.filter(reported_by=user)]
    if profile is None:
        return {"meldungen": reports} if reports else {}
    tandems = (Tandem.objects.filter(Q(mentee=profile) | Q(mentor=profile))
               .select_related("mentee__user", "mentor__user")
               .prefetch_related("meetings__topics", Prefetch("meetings__notes", to_attr="own_notes",
                                                              queryset=MeetingNote.objects.filter(author=user))))
    proposals = Proposal.objects.filter(Q(mentee=profile) | Q(mentor=profile)).select_related(
        "run", "mentee__user", "mentor__user")
    rules = PairRule.objects.filter(Q(mentee=profile) | Q(mentor=profile)).select_related(
        "mentee__user", "mentor__user")
    return {
        "tandems": [
            {"id": t.pk, "rolle": "Mentee" if t.mentee_id == profile.pk else "Mentor*in",
             "partner_in": person_name(t.partner_of(profile)), "status": t.get_status_display(),
             "gruende": [r["text"] for r in t.reasons], "nachricht_der_koordination": t.message,
             "begonnen_am": t.started_at.isoformat(), "beendet_am": t.ended_at.isoformat() if t.ended_at else None,
             "grund_ende": t.end_reason,
             "treffen": [{"datum": m.date.isoformat(), "dauer_minuten": m.duration_minutes,
                          "format": m.get_format_display(), "themen": [x.name for x in m.topics.all()],
                          "status": m.get_status_display(),
                          "eingetragen_von": ("Sie" if m.logged_by_id == user.pk else "Tandempartner*in"),
                          "eingetragen_am": m.created_at.isoformat(),
                          "ihre_private_notiz": m.own_notes[0].text if m.own_notes else ""}
                         for m in t.meetings.all()]}
            for t in tandems
        ],
        "meldungen": reports,
        "vorschlaege": [{"lauf": str(p.run), "als": "Mentee" if p.mentee_id == profile.pk else "Mentor*in",
                         "mentee": str(p.mentee.user), "mentor_in": str(p.mentor.user), "punktzahl": p.score,
                         "gruende": [r["text"] for r in p.reasons], "status": p.get_status_display(),
                         "entschieden_am": p.decided_at.isoformat() if p.decided_at else None,
                         "notiz_zur_entscheidung": p.decision_note}
                        for p in proposals],
        "festlegungen_und_ausschluesse": [
            {"art": r.get_kind_display(), "mentee": str(r.mentee.user), "mentor_in": str(r.mentor.user),
             "begruendung": r.note, "am": r.created_at.isoformat()} for r in rules],
    }


def personal_data_erase(*, user: User) -> None:
    """Erase the person from the matching app; the partner keeps the Tandem, its meetings and reports.

    Active Tandems end (only the partner is mailed), the person's
    private notes and the problem reports they wrote are deleted, and so are proposals and pair
    rules about them, and the stored copies of this app's mails that carry their contact data,
    name or report text (confirmation, reminders, report notices). Deleting the profile
    afterwards empties their side of each Tandem.
    """
    MeetingNote.objects.filter(author=user).delete()
    reports = ProblemReport.objects.filter(reported_by=user)
    mails = [f"tandem-report:{pk}:" for pk in reports.values_list("pk", flat=True)]
    reports.delete()
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        for pk in Tandem.objects.filter(Q(mentee=profile) | Q(mentor=profile)).values_list("pk", flat=True):
            mails += [f"tandem-{kind}:{pk}:" for kind in ("confirmed", "checkin", "funding-end")]
    OutboxMessage.objects.filter(reduce(operator.or_, (Q(key__startswith=prefix) for prefix in mails),
                                        Q(pk__in=[]))).delete()
    if profile is None:
        return
    for tandem in Tandem.objects.filter(Q(mentee=profile) | Q(mentor=profile), status=Tandem.Status.ACTIVE):
        tandem_end(tandem=tandem, by=None, reason=_("Konto gelöscht"), leaving=profile)
    Proposal.objects.filter(Q(mentee=profile) | Q(mentor=profile)).delete()
    PairRule.objects.filter(Q(mentee=profile) | Q(mentor=profile)).delete()
