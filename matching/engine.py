"""The matching engine: explainable pair scores and a globally optimal assignment (no Django here)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import lap
import numpy as np


def gettext_noop(text: str) -> str:
    """Marks a German sentence for translation; the services translate it when they render it."""
    return text


ONLINE, ONSITE, BOTH = "online", "onsite", "both"
FORMAT_CODES = {ONLINE: 0, ONSITE: 1, BOTH: 2}


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts; every criterion yields a value between 0 and 1 times its weight."""

    topics: float = 10.0
    organisation: float = 3.0
    size: float = 2.0
    region: float = 3.0
    meeting_format: float = 1.0
    language: float = 1.0
    funding: float = 3.0

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Person:
    """A participant as the engine sees them: ids and codes only, no names."""

    key: int
    organisation: int
    org_type: int
    org_group: str
    size: int  # position in the size order, -1 when not applicable
    state: int
    meeting_format: str
    languages: tuple[str, ...]
    funding_line: str
    concept_stage: str
    needs: dict[int, int] = field(default_factory=dict)  # topic → priority 1..3
    competences: dict[int, int] = field(default_factory=dict)  # topic → level 1..3
    prefers_same_state: bool = False
    prefers_similar_organisation: bool = False
    capacity: int = 0  # mentees this person may still take as mentor
    available: bool = False


@dataclass(frozen=True)
class Reason:
    """One criterion's contribution: ids and codes only; ``REASON_TEXTS[criterion, kind] % params``
    (with the ids replaced by names) is the sentence staff and the Tandem read."""

    criterion: str
    points: float
    kind: str
    params: dict = field(default_factory=dict)


# The sentence of each (criterion, kind); the placeholders are filled from the reason's params.
REASON_TEXTS = {
    ("topics", "covered"): gettext_noop("deckt %(covered)d von %(total)d Bedarfen ab: %(topics)s"),
    ("organisation", "same_type"): gettext_noop("beide: %(org_type)s"),
    ("organisation", "same_group"): gettext_noop("gleiche Art von Organisation: %(group)s"),
    ("size", "same"): gettext_noop("gleiche Größenklasse"),
    ("size", "similar"): gettext_noop("ähnliche Größenklasse"),
    ("region", "same"): gettext_noop("gleiches Bundesland: %(state)s"),
    ("region", "neighbour"): gettext_noop("benachbarte Bundesländer: %(state)s/%(other_state)s"),
    ("meeting_format", "same"): gettext_noop("gleiches Format: %(format)s"),
    ("meeting_format", "compatible"): gettext_noop("Format vereinbar"),
    ("language", "shared"): gettext_noop("gemeinsame Sprache: %(languages)s"),
    ("funding", "a2_for_a1"): gettext_noop("A.2-Mentor*in für ein A.1-Erstvorhaben, das sein Konzept erst erstellt"),
    ("funding", "concept"): gettext_noop("Mentor*in hat ein beschlossenes Konzept, das der Mentee noch fehlt"),
    ("funding", "same_line"): gettext_noop("gleiche Förderlinie"),
}


# Hard rules, in the order they are checked when staff ask why a pair is impossible.
RULE_SAME_PERSON = "same_person"
RULE_SAME_ORGANISATION = "same_organisation"
RULE_EXCLUDED = "excluded"
RULE_UNAVAILABLE = "unavailable"
RULE_NO_CAPACITY = "no_capacity"
RULE_NO_LANGUAGE = "no_language"
RULE_FORMAT = "format"
RULE_TEXTS = {
    RULE_SAME_PERSON: gettext_noop("dieselbe Person"),
    RULE_SAME_ORGANISATION: gettext_noop("dieselbe Organisation"),
    RULE_EXCLUDED: gettext_noop("Paar wurde abgelehnt, beendet oder ausgeschlossen"),
    RULE_UNAVAILABLE: gettext_noop("Mentor*in ist nicht verfügbar"),
    RULE_NO_CAPACITY: gettext_noop("Mentor*in hat keine freie Kapazität"),
    RULE_NO_LANGUAGE: gettext_noop("keine gemeinsame Sprache"),
    RULE_FORMAT: gettext_noop("Format unvereinbar (nur vor Ort / nur online)"),
}

# Region and size factors: meeting in person makes closeness matter more.
SAME_STATE_ONSITE, SAME_STATE_ONLINE = 1.0, 0.5
NEIGHBOUR_ONSITE, NEIGHBOUR_ONLINE = 0.5, 0.25
PREFERENCE_BOOST = 1.5


def infeasible_rules(mentee: Person, mentor: Person, *, excluded: bool = False) -> list[str]:
    """The hard rules a pair breaks (empty list: the pair is feasible)."""
    rules = []
    if mentee.key == mentor.key:
        rules.append(RULE_SAME_PERSON)
    if mentee.organisation == mentor.organisation:
        rules.append(RULE_SAME_ORGANISATION)
    if excluded:
        rules.append(RULE_EXCLUDED)
    if not mentor.available:
        rules.append(RULE_UNAVAILABLE)
    elif mentor.capacity <= 0:
        rules.append(RULE_NO_CAPACITY)
    if not set(mentee.languages) & set(mentor.languages):
        rules.append(RULE_NO_LANGUAGE)
    if {mentee.meeting_format, mentor.meeting_format} == {ONLINE, ONSITE}:
        rules.append(RULE_FORMAT)
    return rules


def _region_factor(mentee: Person, mentor: Person, neighbours: dict[int, set[int]]) -> tuple[float, str]:
    onsite = mentee.meeting_format != ONLINE and mentor.meeting_format != ONLINE
    if mentee.state == mentor.state:
        factor = SAME_STATE_ONSITE if onsite else SAME_STATE_ONLINE
        if mentee.prefers_same_state:
            factor *= PREFERENCE_BOOST
        return factor, "same"
    if mentor.state in neighbours.get(mentee.state, ()):
        return (NEIGHBOUR_ONSITE if onsite else NEIGHBOUR_ONLINE), "neighbour"
    return 0.0, ""


def _funding_factor(mentee: Person, mentor: Person) -> tuple[float, str]:
    if mentor.funding_line == "a2" and mentee.funding_line == "a1" and mentee.concept_stage != "adopted":
        return 1.0, "a2_for_a1"
    if mentor.concept_stage == "adopted" and mentee.concept_stage != "adopted":
        return 0.5, "concept"
    if mentee.funding_line == mentor.funding_line and mentee.funding_line != "none":
        return 0.5, "same_line"
    return 0.0, ""


def explain(mentee: Person, mentor: Person, weights: Weights, *, neighbours: dict[int, set[int]]) -> list[Reason]:
    """Every criterion that adds points to the pair, strongest first; the points sum to the score."""
    reasons: list[Reason] = []
    need_total = 3 * sum(mentee.needs.values())
    if need_total and weights.topics:
        covered = [t for t in mentee.needs if t in mentor.competences]
        value = sum(mentee.needs[t] * mentor.competences[t] for t in covered) / need_total
        if covered:
            covered.sort(key=lambda t: (-mentee.needs[t], -mentor.competences[t]))
            reasons.append(Reason("topics", weights.topics * value, "covered",
                                  {"covered": len(covered), "total": len(mentee.needs), "topic_ids": covered}))
    boost = PREFERENCE_BOOST if mentee.prefers_similar_organisation else 1.0
    if mentee.org_type == mentor.org_type:
        reasons.append(Reason("organisation", weights.organisation * boost, "same_type",
                              {"org_type_id": mentee.org_type}))
    elif mentee.org_group == mentor.org_group:
        reasons.append(Reason("organisation", weights.organisation * 0.5 * boost, "same_group",
                              {"group": mentee.org_group}))
    if mentee.size >= 0 and mentor.size >= 0:
        distance = abs(mentee.size - mentor.size)
        if distance == 0:
            reasons.append(Reason("size", weights.size * boost, "same", {}))
        elif distance == 1:
            reasons.append(Reason("size", weights.size * 0.5 * boost, "similar", {}))
    factor, kind = _region_factor(mentee, mentor, neighbours)
    if factor:
        reasons.append(Reason("region", weights.region * factor, kind,
                              {"state_id": mentee.state, "other_state_id": mentor.state}))
    if mentee.meeting_format == mentor.meeting_format:
        reasons.append(Reason("meeting_format", weights.meeting_format, "same", {"format": mentee.meeting_format}))
    else:
        reasons.append(Reason("meeting_format", weights.meeting_format * 0.5, "compatible", {}))
    common = [code for code in mentee.languages if code in mentor.languages]
    if common:
        value = 1.0 if mentee.languages[0] in mentor.languages else 0.5
        reasons.append(Reason("language", weights.language * value, "shared", {"language_codes": common}))
    factor, kind = _funding_factor(mentee, mentor)
    if factor:
        reasons.append(Reason("funding", weights.funding * factor, kind, {"funding_line": mentee.funding_line}))
    reasons = [r for r in reasons if r.points > 0]
    reasons.sort(key=lambda r: -r.points)
    return reasons


def score(mentee: Person, mentor: Person, weights: Weights, *, neighbours: dict[int, set[int]]) -> float:
    return float(sum(r.points for r in explain(mentee, mentor, weights, neighbours=neighbours)))


class _Encoded:
    """Column arrays of a list of people, so that scoring runs on whole blocks at once."""

    def __init__(self, people: Sequence[Person], topics: dict[int, int], states: dict[int, int],
                 languages: dict[str, int], groups: dict[str, int], lines: dict[str, int]):
        n = len(people)
        self.key = np.fromiter((p.key for p in people), dtype=np.int64, count=n)
        self.organisation = np.fromiter((p.organisation for p in people), dtype=np.int64, count=n)
        self.org_type = np.fromiter((p.org_type for p in people), dtype=np.int64, count=n)
        self.group = np.fromiter((groups[p.org_group] for p in people), dtype=np.int64, count=n)
        self.size = np.fromiter((p.size for p in people), dtype=np.int64, count=n)
        self.state = np.fromiter((states[p.state] for p in people), dtype=np.int64, count=n)
        self.format = np.fromiter((FORMAT_CODES[p.meeting_format] for p in people), dtype=np.int8, count=n)
        self.langs = np.fromiter((sum(1 << languages[c] for c in p.languages) for p in people), dtype=np.int64,
                                 count=n)
        self.first_lang = np.fromiter((1 << languages[p.languages[0]] if p.languages else 0 for p in people),
                                      dtype=np.int64, count=n)
        self.a1_starting = np.fromiter((p.funding_line == "a1" and p.concept_stage != "adopted" for p in people),
                                       dtype=bool, count=n)
        self.a2 = np.fromiter((p.funding_line == "a2" for p in people), dtype=bool, count=n)
        self.adopted = np.fromiter((p.concept_stage == "adopted" for p in people), dtype=bool, count=n)
        self.line = np.fromiter((lines[p.funding_line] for p in people), dtype=np.int64, count=n)
        self.same_state_pref = np.fromiter((p.prefers_same_state for p in people), dtype=bool, count=n)
        self.similar_pref = np.fromiter((p.prefers_similar_organisation for p in people), dtype=bool, count=n)
        self.capacity = np.fromiter((p.capacity for p in people), dtype=np.int64, count=n)
        self.available = np.fromiter((p.available for p in people), dtype=bool, count=n)
        self.topic_matrix = np.zeros((n, max(len(topics), 1)), dtype=np.float64)
        for i, p in enumerate(people):
            for topic, value in p.needs.items() if p.needs else ():
                self.topic_matrix[i, topics[topic]] = value
        self.competence_matrix = np.zeros_like(self.topic_matrix)
        for i, p in enumerate(people):
            for topic, value in p.competences.items():
                self.competence_matrix[i, topics[topic]] = value


def _table(mentee_codes: Sequence[np.ndarray], mentor_codes: Sequence[np.ndarray], formula, *, outputs: int = 1):
    """A criterion's values for every pair of classes: people with equal codes form one class.

    Returns the class of each mentee, the class of each mentor, and ``formula`` evaluated on
    the codes of every (mentee class, mentor class) pair (a tuple of ``outputs`` tables).
    """
    e_class, e_codes = _classes(mentee_codes)
    r_class, r_codes = _classes(mentor_codes)
    table = formula(*(c[:, None] for c in e_codes), *(c[None, :] for c in r_codes))
    if outputs == 1:
        return e_class, r_class, np.ascontiguousarray(np.broadcast_to(table, (len(e_codes[0]), len(r_codes[0]))))
    return e_class, r_class, tuple(np.ascontiguousarray(np.broadcast_to(t, (len(e_codes[0]), len(r_codes[0]))))
                                   for t in table)


def _classes(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    stacked = np.stack([np.asarray(c, dtype=np.int64) for c in columns], axis=1)
    unique, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp), [unique[:, k] for k in range(unique.shape[1])]


def _organisation_points(et, eg, es, ep, rt, rg, rs, weights: Weights) -> np.ndarray:
    """Organisation type and size, boosted when the mentee asks for a similar organisation."""
    boost = np.where(ep != 0, PREFERENCE_BOOST, 1.0)
    points = np.where(et == rt, weights.organisation, np.where(eg == rg, weights.organisation * 0.5, 0.0)) * boost
    distance = np.abs(es - rs)
    size_ok = (es >= 0) & (rs >= 0)
    return points + np.where(size_ok & (distance == 0), weights.size,
                             np.where(size_ok & (distance == 1), weights.size * 0.5, 0.0)) * boost


def _region_points(es, ef, ep, rs, rf, neighbour: np.ndarray, weights: Weights) -> np.ndarray:
    """Same state or a neighbour: more for meeting in person."""
    onsite = (ef != FORMAT_CODES[ONLINE]) & (rf != FORMAT_CODES[ONLINE])
    state_pref = np.where(ep != 0, PREFERENCE_BOOST, 1.0)
    return weights.region * np.where(
        es == rs, np.where(onsite, SAME_STATE_ONSITE, SAME_STATE_ONLINE) * state_pref,
        np.where(neighbour[es, rs], np.where(onsite, NEIGHBOUR_ONSITE, NEIGHBOUR_ONLINE), 0.0))


def _format_language_funding(ef, el, efirst, ea1, eadopted, eline, rf, rl, rok, ra2, radopted, rline,
                             weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """Format, language and funding line points, and the hard rules on format, language and the
    mentor's availability."""
    points = np.where(ef == rf, weights.meeting_format, weights.meeting_format * 0.5)
    common = (el & rl) != 0
    first = (efirst & rl) != 0
    points = points + np.where(first, weights.language, np.where(common, weights.language * 0.5, 0.0))
    a2_for_a1 = (ea1 != 0) & (ra2 != 0)
    concept = (eadopted == 0) & (radopted != 0)
    points = points + weights.funding * np.where(a2_for_a1, 1.0, np.where(concept | (eline == rline), 0.5, 0.0))
    online, onsite = FORMAT_CODES[ONLINE], FORMAT_CODES[ONSITE]
    clash = ((ef == online) & (rf == onsite)) | ((ef == onsite) & (rf == online))
    return points, common & (rok != 0) & ~clash


def score_matrix(mentees: Sequence[Person], mentors: Sequence[Person], weights: Weights, *,
                 neighbours: dict[int, set[int]], excluded: Iterable[tuple[int, int]] = (),
                 progress: Callable[[float], None] | None = None,
                 block: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Scores and feasibility of every pair at once; ``scores[i, j] == score(mentees[i], mentors[j])``.

    ``excluded`` holds (mentee index, mentor index) pairs that a hard rule outside the
    profiles forbids (rejected or ended before, excluded by staff).
    """
    n, m = len(mentees), len(mentors)
    scores = np.zeros((n, m), dtype=np.float64)
    feasible = np.zeros((n, m), dtype=bool)
    if n == 0 or m == 0:
        return scores, feasible
    people = list(mentees) + list(mentors)
    topics = {t: i for i, t in enumerate(sorted({t for p in people for t in (*p.needs, *p.competences)}))}
    state_ids = sorted({p.state for p in people} | set(neighbours) | {s for v in neighbours.values() for s in v})
    states = {s: i for i, s in enumerate(state_ids)}
    languages = {c: i for i, c in enumerate(sorted({c for p in people for c in p.languages}))}
    if len(languages) > 62:
        raise ValueError("more than 62 distinct languages")
    groups = {g: i for i, g in enumerate(sorted({p.org_group for p in people}))}
    # "none" never counts as a shared funding line: it gets a code of its own on each side.
    lines = {line: i for i, line in enumerate(sorted({p.funding_line for p in people} - {"none"}))}
    lines["none"] = -1
    e = _Encoded(mentees, topics, states, languages, groups, lines)
    r = _Encoded(mentors, topics, states, languages, groups, lines)
    neighbour = np.zeros((len(states), len(states)), dtype=bool)
    for state, others in neighbours.items():
        for other in others:
            neighbour[states[state], states[other]] = True

    need_total = 3.0 * e.topic_matrix.sum(axis=1)
    need_total[need_total == 0] = np.inf
    competence_t = r.competence_matrix.T.copy()
    # Every criterion but topics depends on a few codes of each side: it is computed once per pair of
    # classes (people with the same codes) in a small table, and a block of pairs only looks it up.
    org_e, org_r, org_points = _table(
        (e.org_type, e.group, e.size, e.similar_pref), (r.org_type, r.group, r.size),
        lambda et, eg, es, ep, rt, rg, rs: _organisation_points(et, eg, es, ep, rt, rg, rs, weights))
    region_e, region_r, region_points = _table(
        (e.state, e.format, e.same_state_pref), (r.state, r.format),
        lambda es, ef, ep, rs, rf: _region_points(es, ef, ep, rs, rf, neighbour, weights))
    line_r = np.where(r.line >= 0, r.line, -2)
    rest_e, rest_r, (rest_points, rest_ok) = _table(
        (e.format, e.langs, e.first_lang, e.a1_starting, e.adopted, e.line),
        (r.format, r.langs, r.available & (r.capacity > 0), r.a2, r.adopted, line_r),
        lambda *codes: _format_language_funding(*codes, weights), outputs=2)
    # topics covered, weighted by priority and level: one product for all pairs (a product per
    # block costs more in thread start-ups of the BLAS than it computes)
    np.matmul(e.topic_matrix, competence_t, out=scores)
    lookup = np.empty((min(block, n), m), dtype=np.float64)
    for start in range(0, n, block):
        stop = min(start + block, n)
        sl = slice(start, stop)
        col = np.s_[start:stop, None]
        out = scores[sl]
        part = lookup[: stop - start]
        out *= (weights.topics / need_total[sl])[:, None]
        for e_codes, r_codes, table in ((org_e, org_r, org_points), (region_e, region_r, region_points),
                                        (rest_e, rest_r, rest_points)):
            np.take(table[e_codes[sl]], r_codes, axis=1, out=part)
            out += part
        # hard rules
        ok = feasible[sl]
        np.take(rest_ok[rest_e[sl]], rest_r, axis=1, out=ok)
        ok &= e.key[col] != r.key[None, :]
        ok &= e.organisation[col] != r.organisation[None, :]
        if progress:
            progress(stop / n)
    excluded = list(excluded)
    if excluded:
        rows, cols = np.asarray(excluded, dtype=np.int64).T
        feasible[rows, cols] = False
    return scores, feasible


def expand(scores: np.ndarray, capacity: np.ndarray, feasible: np.ndarray, *, slot_penalty: float = 0.0,
           first_slot: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The slot-expanded value matrix: one column per free place of a mentor.

    Returns (values, slot_mentor, allowed). Column ``c`` belongs to mentor ``slot_mentor[c]``;
    its k-th place is worth ``k * slot_penalty`` less. A forbidden cell (infeasible pair, or a
    place worth less than nothing) gets the value 0, the same as leaving the mentee unmatched,
    and is filtered out afterwards. That value, not a large negative one, keeps the optimum
    exact: the solver must fill min(rows, columns) cells, and a large negative value would
    make it prefer more pairs over a higher total.
    """
    n, m = scores.shape
    capacity = np.minimum(np.maximum(np.asarray(capacity, dtype=np.int64), 0), n)
    slot_mentor = np.repeat(np.arange(m), capacity)
    starts = np.cumsum(capacity) - capacity
    slot_rank = np.arange(slot_mentor.size) - np.repeat(starts, capacity)
    if first_slot is not None:
        slot_rank = slot_rank + first_slot[slot_mentor]
    values = scores[:, slot_mentor]
    if slot_penalty:
        values -= (slot_rank * slot_penalty)[None, :]
    allowed = feasible[:, slot_mentor] & (values >= 0)
    values[~allowed] = 0.0
    return values, slot_mentor, allowed


def _submatrix(matrix: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``matrix`` restricted to the rows and columns marked True; no copy when all are."""
    if rows.all():
        return matrix if columns.all() else matrix[:, columns]
    return matrix[rows] if columns.all() else matrix[np.ix_(rows, columns)]


def solve_max(values: np.ndarray, *, overwrite: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of a maximum-value assignment that fills min(rows, columns) cells.

    Jonker-Volgenant (LAPJV from ``lapx``): the same optimum as
    ``scipy.optimize.linear_sum_assignment(values, maximize=True)`` in about a third to a half of
    its time on the slot-expanded matrices of a matching run. The costs are the values subtracted
    from the best value of their row (when every row is matched, rows <= columns) or of their
    column (otherwise every column is matched): a constant per row or column that is always
    matched shifts every complete assignment's cost by the same amount, so the optimum stays,
    and LAPJV starts closer to it (ties are many). A rectangular matrix is padded to a square one
    with zeros, which is the cost of an unmatched row or column in both cases; the padded rows and
    columns are dropped from the result. ``overwrite=True`` turns ``values`` into the costs in place
    (no second matrix of the expanded size).
    """
    n, k = values.shape
    if n == 0 or k == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    axis = 1 if n <= k else 0
    cost = np.subtract(values.max(axis=axis, keepdims=True), values, out=values if overwrite else None)
    x, _y = lap.lapjv(cost, extend_cost=n != k, return_cost=False)
    rows = np.flatnonzero((x >= 0) & (x < k))
    return rows, x[rows].astype(np.int64)


def assign(scores, capacity, feasible=None, *, slot_penalty: float = 0.0,
           pins: Iterable[tuple[int, int]] = (), excluded: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """A global optimum of the total score under mentor capacities and feasibility.

    Returns (mentee, mentor) index pairs sorted by mentee. ``pins`` must appear in the
    result (a pin that breaks a hard rule or a capacity raises ValueError); ``excluded``
    pairs never do.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2:
        raise ValueError("scores must be a 2-d array")
    n, m = scores.shape
    capacity = np.asarray(capacity, dtype=np.int64).reshape(-1)
    if capacity.shape != (m,):
        raise ValueError("capacity must have one entry per mentor")
    if np.any(scores < 0):
        raise ValueError("scores must be >= 0")
    feasible = np.ones((n, m), dtype=bool) if feasible is None else np.array(feasible, dtype=bool, copy=True)
    if feasible.shape != (n, m):
        raise ValueError("feasible must have the shape of scores")
    for i, j in excluded:
        feasible[i, j] = False
    capacity = np.maximum(capacity, 0)
    result: list[tuple[int, int]] = []
    used = np.zeros(m, dtype=np.int64)
    pinned_rows = set()
    for i, j in pins:
        if i in pinned_rows:
            raise ValueError(f"mentee {i} is pinned twice")
        if not feasible[i, j]:
            raise ValueError(f"pinned pair ({i}, {j}) is infeasible")
        used[j] += 1
        if used[j] > capacity[j]:
            raise ValueError(f"pins exceed the capacity of mentor {j}")
        pinned_rows.add(i)
        result.append((int(i), int(j)))
    if n == 0 or m == 0:
        return sorted(result)
    rows = np.array([i for i in range(n) if i not in pinned_rows], dtype=np.int64)
    free = capacity - used
    if rows.size and free.sum() > 0:
        sub_scores = scores[rows] if pinned_rows else scores
        sub_feasible = feasible[rows] if pinned_rows else feasible
        # Rows and mentors without any usable pair cannot change the optimum: leave them out.
        useful_rows = sub_feasible[:, free > 0].any(axis=1)
        useful_cols = sub_feasible[useful_rows].any(axis=0) & (free > 0)
        if useful_rows.any() and useful_cols.any():
            row_index = rows[useful_rows]
            col_index = np.flatnonzero(useful_cols)
            values, slot_mentor, allowed = expand(
                _submatrix(sub_scores, useful_rows, useful_cols), free[col_index],
                _submatrix(sub_feasible, useful_rows, useful_cols), slot_penalty=slot_penalty,
                first_slot=used[col_index])
            r, c = solve_max(values, overwrite=True)
            keep = allowed[r, c]
            result.extend(zip(row_index[r[keep]].tolist(), col_index[slot_mentor[c[keep]]].tolist(), strict=True))
    return sorted(result)


def total(scores, pairs: Iterable[tuple[int, int]], *, slot_penalty: float = 0.0) -> float:
    """The objective of an assignment: scores minus the penalty of later places."""
    scores = np.asarray(scores, dtype=np.float64)
    load: dict[int, int] = {}
    value = 0.0
    for i, j in pairs:
        k = load.get(j, 0)
        value += scores[i, j] - k * slot_penalty
        load[j] = k + 1
    return value
