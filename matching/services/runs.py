"""Match runs: create, start (now or on a worker), compute and store proposals with a summary."""
import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import engine, selectors
from ..models import MatchingSettings, MatchRun, Proposal
from ..reasons import Labels, stored
from .candidates import neighbour_map, person, run_candidates

logger = logging.getLogger(__name__)

PICKUP = timedelta(minutes=5)  # a worker normally takes a run within seconds
TIMEOUT = timedelta(hours=1)  # 5,000 × 2,500 takes well under a minute


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
    mentee_count = selectors.pool_mentees().count()
    if mentee_count <= config.sync_limit:
        return match_run_execute(run=run)
    from ..tasks import execute_match_run

    execute_match_run.delay_on_commit(run.pk)
    return run


def match_run_claim(*, run_pk: int) -> MatchRun | None:
    """Take a waiting run for computing; of two workers handed the same run only one gets it."""
    if not MatchRun.objects.filter(pk=run_pk, status=MatchRun.Status.PENDING).update(status=MatchRun.Status.RUNNING):
        return None
    return MatchRun.objects.get(pk=run_pk)


def match_runs_recover(*, now=None) -> dict:
    """Runs nobody computes: a run still waiting after ``PICKUP`` (the broker was down when it
    was started) is computed now if it is the newest run, and marked failed if a newer run
    replaced it; a run still "läuft" after ``TIMEOUT`` lost its worker and is marked failed, so
    staff see it and start a new one. Called every few minutes by the beat schedule."""
    now = now or timezone.now()
    waiting = list(MatchRun.objects.filter(status=MatchRun.Status.PENDING, created_at__lte=now - PICKUP)
                   .order_by("-created_at", "-pk").values_list("pk", flat=True))
    newest = MatchRun.objects.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    replaced = [pk for pk in waiting if pk != newest]
    failed = MatchRun.objects.filter(pk__in=replaced, status=MatchRun.Status.PENDING).update(
        status=MatchRun.Status.FAILED, finished_at=now,
        error=_("Nicht berechnet: ein neuerer Matching-Lauf hat diesen ersetzt."))
    failed += MatchRun.objects.filter(status=MatchRun.Status.RUNNING, created_at__lte=now - TIMEOUT).update(
        status=MatchRun.Status.FAILED, finished_at=now,
        error=_("Abgebrochen: der Lauf wurde nicht fertig (Worker beendet?). Bitte einen neuen Lauf starten."))
    computed = 0
    if newest in waiting:
        computed = int(match_run_claimed_execute(run_pk=newest) is not None)
    return {"computed": computed, "failed": failed}


def match_run_claimed_execute(*, run_pk: int) -> MatchRun | None:
    """Compute the waiting run unless another worker has claimed it (or it is no longer waiting)."""
    run = match_run_claim(run_pk=run_pk)
    return match_run_execute(run=run) if run is not None else None


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
    mentees, mentors = run_candidates()
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
        why = (PIN_MENTEE_OUT if i is None else PIN_MENTOR_OUT if j is None else PIN_RULE if not feasible[i, j]
               else PIN_FULL if used[j] >= capacity[j] else None)
        if why is not None:
            skipped_pins.append({"mentee": mentee_pk, "mentor": mentor_pk, "why": why})
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
                 reasons=stored(engine.explain(mentee_people[i], mentor_people[j], weights, neighbours=neighbours)))
        for i, j in pairs
    ]
    matched = {i for i, _j in pairs}
    booked_fits = _fits_among_booked_mentors(
        [i for i in range(len(mentees)) if i not in matched and not feasible[i].any()], mentees, mentee_people,
        run_mentors=mentors, weights=weights, neighbours=neighbours)
    unmatched = []
    for i, profile in enumerate(mentees):
        if i in matched:
            continue
        why = (_("Kapazität erschöpft: passende Mentor*innen sind schon vergeben")
               if feasible[i].any() or i in booked_fits else _("keine passende Mentor*in"))
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
        if MatchRun.objects.filter(pk__gt=run.pk).exists():
            # A newer run was started while this one computed: its proposals are the ones to decide, these
            # are kept as history only.
            for proposal in proposals:
                proposal.status, proposal.decided_at = Proposal.Status.SUPERSEDED, timezone.now()
        Proposal.objects.bulk_create(proposals, batch_size=500)
        run.save(update_fields=["mentee_count", "mentor_count", "matched_count", "summary"])
    report(100)


# Why a Festlegung (pin) could not be followed in a run; the run's page says it in words (matching.admin).
PIN_MENTEE_OUT, PIN_MENTOR_OUT, PIN_RULE, PIN_FULL = "mentee_out", "mentor_out", "rule", "full"


def _fits_among_booked_mentors(indices: list[int], mentees: list, mentee_people: list, *, run_mentors: list,
                               weights, neighbours) -> set[int]:
    """Which of these mentees (no Mentor*in of the run fits them) would fit a Mentor*in whose places are all taken:
    the run says "Kapazität erschöpft", not "keine passende Mentor*in", so nobody recruits for a profile there is."""
    if not indices:
        return set()
    in_run = {profile.pk for profile in run_mentors}
    booked = [p for p in selectors.pool_mentors().filter(mentor_available=True) if p.pk not in in_run]
    if not booked:
        return set()
    wanted = {mentees[i].pk: k for k, i in enumerate(indices)}
    booked_index = {p.pk: j for j, p in enumerate(booked)}
    excluded = [(wanted[a], booked_index[b]) for a, b in selectors.excluded_pairs()
                if a in wanted and b in booked_index]
    # As if each had a place: what is asked is whether they would fit.
    free = [dataclasses.replace(person(p), capacity=1) for p in booked]
    _scores, feasible = engine.score_matrix([mentee_people[i] for i in indices], free, weights, neighbours=neighbours,
                                            excluded=excluded)
    return {i for k, i in enumerate(indices) if feasible[k].any()}


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
