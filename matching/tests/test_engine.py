"""The engine alone: optimality against brute force, rules, pins, exclusions, degenerate inputs."""
import ast
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import engine
from matching.engine import assign, total


def brute_force(scores, capacity, feasible, slot_penalty=0.0, pins=()):
    """The best objective over every way to give each mentee one mentor or none."""
    n, m = scores.shape
    best = -1.0
    pinned = dict(pins)
    for choice in itertools.product(range(-1, m), repeat=n):
        if any(choice[i] != j for i, j in pinned.items()):
            continue
        load = [0] * m
        pairs = []
        ok = True
        for i, j in enumerate(choice):
            if j < 0:
                continue
            load[j] += 1
            if not feasible[i, j] or load[j] > capacity[j]:
                ok = False
                break
            pairs.append((i, j))
        if ok:
            best = max(best, total(scores, pairs, slot_penalty=slot_penalty))
    return best


@st.composite
def instances(draw, max_mentees=5, max_mentors=3):
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(0, max_mentors))
    scores = np.array(draw(st.lists(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5, 7.0, 10.0]),
                                             min_size=m, max_size=m), min_size=n, max_size=n)),
                      dtype=float).reshape(n, m)
    feasible = np.array(draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n, max_size=n)),
                        dtype=bool).reshape(n, m)
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=int)
    penalty = draw(st.sampled_from([0.0, 0.25, 1.0, 4.0]))
    return scores, capacity, feasible, penalty


def check_valid(pairs, scores, capacity, feasible):
    mentees = [i for i, _ in pairs]
    assert len(mentees) == len(set(mentees)), "a mentee got two mentors"
    for j in range(scores.shape[1]):
        assert sum(1 for _, k in pairs if k == j) <= capacity[j], "capacity exceeded"
    for i, j in pairs:
        assert feasible[i, j], "infeasible pair in the result"


@settings(max_examples=300, deadline=None)
@given(instances())
def test_assign_is_optimal_against_brute_force(instance):
    scores, capacity, feasible, penalty = instance
    pairs = assign(scores, capacity, feasible, slot_penalty=penalty)
    check_valid(pairs, scores, capacity, feasible)
    assert total(scores, pairs, slot_penalty=penalty) == pytest.approx(
        max(brute_force(scores, capacity, feasible, penalty), 0.0))


@settings(max_examples=150, deadline=None)
@given(instances(max_mentees=4, max_mentors=3), st.data())
def test_pins_are_honoured_and_rest_is_optimal(instance, data):
    scores, capacity, feasible, penalty = instance
    n, m = scores.shape
    candidates = [(i, j) for i in range(n) for j in range(m) if feasible[i, j] and capacity[j] > 0]
    pin = data.draw(st.sampled_from(candidates)) if candidates else None
    pins = [pin] if pin else []
    pairs = assign(scores, capacity, feasible, slot_penalty=penalty, pins=pins)
    check_valid(pairs, scores, capacity, feasible)
    for p in pins:
        assert p in pairs
    assert total(scores, pairs, slot_penalty=penalty) == pytest.approx(
        max(brute_force(scores, capacity, feasible, penalty, pins=pins), 0.0))


@settings(max_examples=100, deadline=None)
@given(instances(), st.data())
def test_exclusions_never_appear(instance, data):
    scores, capacity, feasible, penalty = instance
    n, m = scores.shape
    cells = [(i, j) for i in range(n) for j in range(m)]
    excluded = data.draw(st.lists(st.sampled_from(cells), unique=True)) if cells else []
    pairs = assign(scores, capacity, feasible, slot_penalty=penalty, excluded=excluded)
    assert not set(pairs) & set(excluded)
    check_valid(pairs, scores, capacity, feasible)


def test_global_optimum_not_greedy():
    # Greedy would give mentee 0 the mentor 0 (10) and leave mentee 1 without anyone: 10.
    # The optimum gives 9 + 8 = 17.
    scores = np.array([[10.0, 9.0], [8.0, 0.0]])
    feasible = np.array([[True, True], [True, False]])
    assert assign(scores, [1, 1], feasible) == [(0, 1), (1, 0)]


def test_higher_total_beats_more_pairs():
    # Two pairs (1 + 1) are worth less than one pair of 10: the mentee stays unmatched.
    scores = np.array([[10.0, 1.0], [1.0, 0.0]])
    feasible = np.array([[True, True], [True, False]])
    assert assign(scores, [1, 1], feasible) == [(0, 0)]


def test_slot_penalty_spreads_load():
    scores = np.array([[5.0, 4.8], [5.0, 4.8]])
    assert assign(scores, [2, 2]) == [(0, 0), (1, 0)]  # no penalty: both to the better mentor
    spread = assign(scores, [2, 2], slot_penalty=0.5)
    assert sorted(j for _, j in spread) == [0, 1]


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_empty_inputs(shape):
    scores = np.zeros(shape)
    assert assign(scores, np.ones(shape[1], dtype=int)) == []


def test_all_infeasible_and_zero_capacity():
    scores = np.full((3, 2), 5.0)
    assert assign(scores, [2, 2], np.zeros((3, 2), dtype=bool)) == []
    assert assign(scores, [0, 0]) == []


def test_more_mentees_than_places():
    scores = np.array([[1.0], [3.0], [2.0]])
    assert assign(scores, [2]) == [(1, 0), (2, 0)]


@pytest.mark.parametrize(("scores", "capacity", "feasible", "pins", "message"), [
    (np.array([[-1.0]]), [1], None, (), ">= 0"),
    (np.array([[1.0]]), [1, 1], None, (), "capacity"),
    (np.array([[1.0]]), [1], np.zeros((2, 2), dtype=bool), (), "shape"),
    (np.array([[1.0]]), [1], np.array([[False]]), [(0, 0)], "infeasible"),
    (np.array([[1.0], [1.0]]), [1], None, [(0, 0), (1, 0)], "capacity"),
])
def test_invalid_input_raises(scores, capacity, feasible, pins, message):
    with pytest.raises(ValueError, match=message):
        assign(scores, capacity, feasible, pins=pins)


def test_engine_imports_nothing_from_django():
    source = Path(engine.__file__).read_text()
    modules = [alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import)
               for alias in node.names]
    modules += [node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)]
    assert not [m for m in modules if m and m.startswith("django")]


# score_matrix and explain must agree ----------------------------------------------------------------

people_strategy = st.builds(
    engine.Person,
    key=st.integers(1, 6), organisation=st.integers(1, 4), org_type=st.integers(1, 3),
    org_group=st.sampled_from(["municipal", "social", "other"]), size=st.integers(-1, 6), state=st.integers(1, 5),
    meeting_format=st.sampled_from(["online", "onsite", "both"]),
    languages=st.lists(st.sampled_from(["de", "en", "tr"]), min_size=0, max_size=3, unique=True).map(tuple),
    funding_line=st.sampled_from(["a1", "a2", "a3", "none"]),
    concept_stage=st.sampled_from(["none", "in_progress", "adopted"]),
    needs=st.dictionaries(st.integers(1, 6), st.integers(1, 3), max_size=4),
    competences=st.dictionaries(st.integers(1, 6), st.integers(1, 3), max_size=4),
    prefers_same_state=st.booleans(), prefers_similar_organisation=st.booleans(),
    capacity=st.integers(0, 2), available=st.booleans(),
)
NEIGHBOURS = {1: {2}, 2: {1, 3}, 3: {2}, 4: set(), 5: set()}


@settings(max_examples=150, deadline=None)
@given(st.lists(people_strategy, min_size=1, max_size=4), st.lists(people_strategy, min_size=1, max_size=4))
def test_score_matrix_matches_explain_and_rules(mentees, mentors):
    weights = engine.Weights(topics=7, organisation=2, size=1.5, region=3, meeting_format=1, language=0.5,
                             funding=2)
    scores, feasible = engine.score_matrix(mentees, mentors, weights, neighbours=NEIGHBOURS, block=2)
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            assert scores[i, j] == pytest.approx(engine.score(mentee, mentor, weights, neighbours=NEIGHBOURS))
            assert feasible[i, j] == (not engine.infeasible_rules(mentee, mentor))
    assert (scores >= 0).all()


def test_score_matrix_exclusions_and_progress():
    person = engine.Person(key=1, organisation=1, org_type=1, org_group="municipal", size=0, state=1,
                           meeting_format="both", languages=("de",), funding_line="a1", concept_stage="none")
    mentor = engine.Person(key=2, organisation=2, org_type=1, org_group="municipal", size=0, state=1,
                           meeting_format="both", languages=("de",), funding_line="a2", concept_stage="adopted",
                           capacity=1, available=True)
    seen = []
    scores, feasible = engine.score_matrix([person], [mentor], engine.Weights(), neighbours={},
                                           excluded=[(0, 0)], progress=seen.append)
    assert not feasible[0, 0]
    assert seen == [1.0]
    assert scores[0, 0] > 0


# The fast solver against SciPy's on the benchmark's cohorts -------------------------------------------

@pytest.mark.parametrize(("n_mentees", "n_mentors", "penalty"), [(500, 250, 0.5), (2000, 1000, 0.5), (700, 200, 0.0)])
def test_assign_reaches_scipys_optimum_on_benchmark_cohorts(n_mentees, n_mentors, penalty):
    """LAPJV reaches the same total as SciPy's linear_sum_assignment on the slot-expanded matrix,
    square (capacity 2, twice as many mentees) and rectangular (more mentees than places)."""
    from scipy.optimize import linear_sum_assignment

    from bench.matching import NEIGHBOURS as STATE_NEIGHBOURS
    from bench.matching import cohort

    mentees, mentors = cohort(n_mentees, n_mentors)
    scores, feasible = engine.score_matrix(mentees, mentors, engine.Weights(), neighbours=STATE_NEIGHBOURS)
    capacity = np.array([p.capacity for p in mentors])
    pairs = assign(scores, capacity, feasible, slot_penalty=penalty)
    check_valid(pairs, scores, capacity, feasible)
    values, _slot_mentor, allowed = engine.expand(scores, capacity, feasible, slot_penalty=penalty)
    r, c = linear_sum_assignment(values, maximize=True)
    keep = allowed[r, c]
    assert total(scores, pairs, slot_penalty=penalty) == pytest.approx(values[r[keep], c[keep]].sum(), rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**32 - 1))
def test_solve_max_matches_scipy_on_square_and_rectangular_matrices(rows, columns, seed):
    from scipy.optimize import linear_sum_assignment

    values = np.random.default_rng(seed).choice([0.0, 0.5, 1.0, 2.5, 7.0], size=(rows, columns))
    r, c = engine.solve_max(values)
    assert len(r) == min(rows, columns) and len(set(r)) == len(r) and len(set(c)) == len(c)
    expected_r, expected_c = linear_sum_assignment(values, maximize=True)
    assert values[r, c].sum() == pytest.approx(values[expected_r, expected_c].sum())
