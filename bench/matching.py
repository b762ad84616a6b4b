"""Benchmark of the matching engine on realistic random cohorts (not a test; prints a table).

Usage: .venv/bin/python bench/matching.py [--quick]

For each cohort (mentees × mentors, capacity 2) it prints the time to score every pair, the
time to assign (``engine.assign``: LAPJV), the time of SciPy's linear_sum_assignment alone on
the same slot-expanded matrix, measured side by side in the same process (each the best of
five runs in turn, two for the largest cohort), the ratio assign ÷ SciPy alone, whether both
reach the same total, and the peak memory of the process.
Each cohort runs in its own process so that peak memory belongs to that cohort alone.
Goals: assign at most half of SciPy's time at 2,000 × 1,000; scoring and assignment of
5,000 × 2,500 together under 5 s (at least under 8 s).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import engine  # noqa: E402 - after the path is set

COHORTS = [(500, 250), (2000, 1000), (5000, 2500)]
GOAL_SECONDS = 5.0
LIMIT_SECONDS = 8.0
GOAL_RATIO = 0.5
RATIO_COHORT = (2000, 1000)
STATES = list(range(1, 17))
NEIGHBOURS = {1: {2, 3, 13}, 2: {1, 3}, 3: {1, 2, 4, 13, 12, 15, 16, 6, 5}, 4: {3}, 5: {3, 6, 7},
              6: {3, 16, 9, 8, 7, 5}, 7: {5, 6, 8, 10}, 8: {7, 6, 9}, 9: {8, 6, 16, 14}, 10: {7}, 11: {12},
              12: {13, 3, 15, 14, 11}, 13: {1, 3, 12}, 14: {9, 16, 15, 12}, 15: {3, 12, 14, 16},
              16: {3, 15, 14, 9, 6}}
# Rough shares of the programme: most participants from Kommunen, a few social institutions.
ORG_TYPES = [(1, "municipal", 0.22), (2, "municipal", 0.2), (3, "municipal", 0.2), (4, "municipal", 0.12),
             (5, "municipal", 0.06), (6, "municipal", 0.04), (7, "municipal", 0.03), (9, "other", 0.03),
             (10, "social", 0.06), (11, "social", 0.04)]
FORMATS = (["online"] * 3) + (["both"] * 6) + ["onsite"]
FUNDING = ["a1"] * 4 + ["a2"] * 3 + ["a3", "anpaso", "state", "none"]


def cohort(n_mentees: int, n_mentors: int, seed: int = 2026):
    rng = np.random.default_rng(seed)
    type_ids = [t[0] for t in ORG_TYPES]
    type_p = np.array([t[2] for t in ORG_TYPES])
    type_p /= type_p.sum()
    groups = {t[0]: t[1] for t in ORG_TYPES}
    n_orgs = max((n_mentees + n_mentors) // 2, 1)
    orgs = [(int(rng.choice(type_ids, p=type_p)), int(rng.choice(STATES)), int(rng.integers(-1, 7)))
            for _ in range(n_orgs)]

    def make(key: int, mentor: bool) -> engine.Person:
        org = int(rng.integers(n_orgs))
        org_type, state, size = orgs[org]
        topics = rng.choice(23, size=int(rng.integers(3, 8) if mentor else rng.integers(2, 6)), replace=False)
        values = {int(t): int(rng.integers(1, 4)) for t in topics}
        languages = ("de",) + (("en",) if rng.random() < 0.4 else ()) + (("tr",) if rng.random() < 0.03 else ())
        if rng.random() < 0.01:
            languages = ("en",)
        funding = str(rng.choice(FUNDING))
        return engine.Person(
            key=key, organisation=org, org_type=org_type, org_group=groups[org_type], size=size, state=state,
            meeting_format=str(rng.choice(FORMATS)), languages=languages, funding_line=funding,
            concept_stage="adopted" if mentor or rng.random() < 0.2 else "in_progress",
            needs={} if mentor else values, competences=values if mentor else {},
            prefers_same_state=bool(rng.random() < 0.3), prefers_similar_organisation=bool(rng.random() < 0.4),
            capacity=2 if mentor else 0, available=mentor)

    mentees = [make(i, False) for i in range(n_mentees)]
    mentors = [make(n_mentees + j, True) for j in range(n_mentors)]
    return mentees, mentors


def repeats(n_mentees: int) -> int:
    """How often each solver runs on a cohort: five times up to 2,000 mentees, twice above (10 s a run)."""
    return 5 if n_mentees <= 2000 else 2


def measure(n_mentees: int, n_mentors: int) -> dict:
    from scipy.optimize import linear_sum_assignment

    mentees, mentors = cohort(n_mentees, n_mentors)
    weights = engine.Weights()
    capacity = np.array([p.capacity for p in mentors])
    start, cpu = time.perf_counter(), time.process_time()
    scores, feasible = engine.score_matrix(mentees, mentors, weights, neighbours=NEIGHBOURS)
    score_s, score_cpu = time.perf_counter() - start, time.process_time() - cpu
    values, _slot_mentor, allowed = engine.expand(scores, capacity, feasible, slot_penalty=0.5)
    # Both solvers in turn, several times: the best time of each (as timeit advises on a shared machine),
    # so that one slow run of either does not decide the ratio.
    assign_times, lsa_times = [], []
    for _repeat in range(repeats(n_mentees)):
        start, cpu = time.perf_counter(), time.process_time()
        pairs = engine.assign(scores, capacity, feasible, slot_penalty=0.5)
        assign_times.append((time.perf_counter() - start, time.process_time() - cpu))
        start, cpu = time.perf_counter(), time.process_time()
        rows, cols = linear_sum_assignment(values, maximize=True)
        lsa_times.append((time.perf_counter() - start, time.process_time() - cpu))
    assign_s, assign_cpu = (min(column) for column in zip(*assign_times, strict=True))
    lsa_s, lsa_cpu = (min(column) for column in zip(*lsa_times, strict=True))
    keep = allowed[rows, cols]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = engine.total(scores, pairs, slot_penalty=0.5)
    lsa_total = float(values[rows[keep], cols[keep]].sum())
    return {"mentees": n_mentees, "mentors": n_mentors, "score_s": score_s, "assign_s": assign_s,
            "lsa_s": lsa_s, "score_cpu": score_cpu, "assign_cpu": assign_cpu, "lsa_cpu": lsa_cpu,
            "peak_mb": peak_mb, "matched": len(pairs), "total": total,
            "same_optimum": bool(abs(total - lsa_total) <= 1e-9 * max(1.0, abs(lsa_total)))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the smallest cohort")
    parser.add_argument("--cohort", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cohort:
        n, m = (int(x) for x in args.cohort.split("x"))
        print(json.dumps(measure(n, m)))
        return 0
    cohorts = COHORTS[:1] if args.quick else COHORTS
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
          "s: wall time (CPU time of the process in brackets; on a shared machine it is the steadier figure)")
    print(f"{'Kohorte':>13} | {'Bewerten':>14} | {'Zuordnen':>14} | {'SciPy allein':>14} | {'Zuordnen/SciPy':>14} | "
          f"{'gleiches Optimum':>16} | {'Bewerten+Zuordnen':>17} | {'Speicher':>9} | {'Paare':>6}")
    failed = False
    for n, m in cohorts:
        output = subprocess.run([sys.executable, __file__, "--cohort", f"{n}x{m}"], check=True,
                                capture_output=True, text=True).stdout
        r = json.loads(output.strip().splitlines()[-1])
        whole = r["score_s"] + r["assign_s"]
        ratio, ratio_cpu = r["assign_s"] / r["lsa_s"], r["assign_cpu"] / r["lsa_cpu"]
        whole_cpu = r["score_cpu"] + r["assign_cpu"]
        print(f"{n:>6}×{m:<6} | {r['score_s']:>5.2f}s ({r['score_cpu']:>5.2f}) | "
              f"{r['assign_s']:>5.2f}s ({r['assign_cpu']:>5.2f}) | {r['lsa_s']:>5.2f}s ({r['lsa_cpu']:>5.2f}) | "
              f"{ratio:>5.2f} ({ratio_cpu:>5.2f}) | {'ja' if r['same_optimum'] else 'NEIN':>16} | "
              f"{whole:>7.2f}s ({whole_cpu:>5.2f}) | {r['peak_mb']:>6.0f} MB | {r['matched']:>6}")
        failed = failed or not r["same_optimum"]
        if (n, m) == RATIO_COHORT:
            failed = failed or ratio > GOAL_RATIO
        if (n, m) == COHORTS[-1]:
            failed = failed or whole > LIMIT_SECONDS
            print(f"{n}×{m}: Bewerten + Zuordnen {whole:.1f} s (Ziel unter {GOAL_SECONDS:.0f} s, "
                  f"mindestens unter {LIMIT_SECONDS:.0f} s)")
    if not args.quick:
        print(f"Ziele: Zuordnen/SciPy höchstens {GOAL_RATIO} bei {RATIO_COHORT[0]}×{RATIO_COHORT[1]}, "
              f"{COHORTS[-1][0]}×{COHORTS[-1][1]} unter {LIMIT_SECONDS:.0f} s, gleiches Optimum: "
              f"{'verfehlt' if failed else 'erreicht'} (load average jetzt "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
