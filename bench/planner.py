"""Posting planner benchmark (#7): `.venv/bin/python bench/planner.py [province] [national]`.

Pure optimizer on random instances (bench/planner_data.py, same shape as
../shared/domain/planner-measurements.md). Reports CAX's whole run (building, diagnosis, column
generation, HiGHS), the bare HiGHS time inside it on the same model, the ratio of the two, the
greedy baseline's cost and time, and peak memory. No database: the planner's inputs are loaded
in a fixed handful of queries, measured by the view tests."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from bench.planner_data import VIETNAM_BOX, instance  # noqa: E402

from cax.deployment import optimizer as opt  # noqa: E402

CASES = {
    "province": dict(officers=5_000, units=300, k=20, box=None, repeat=7),
    "national": dict(officers=120_000, units=3_321, k=20, box=VIETNAM_BOX, repeat=1),
}


def run(name: str, seed: int) -> None:
    case = CASES[name]
    kwargs = {"k": case["k"], "seed": seed}
    if case["box"]:
        kwargs["box"] = case["box"]
    problem = instance(case["officers"], case["units"], **kwargs)
    tick = time.perf_counter()
    greedy = opt.greedy(problem)
    greedy_s = time.perf_counter() - tick
    greedy_breaks = len(opt.check(problem, greedy))
    # As the planner runs it: with a cancel check (HiGHS then calls back on every iteration).
    # Small cases repeat and report the median run: a 0.2 s run is at the mercy of the machine.
    runs = [opt.solve(problem, should_stop=lambda: False) for _ in range(case["repeat"])]
    runs.sort(key=lambda r: r.total_seconds)
    result = runs[len(runs) // 2]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = (
        f"{name} seed={seed} officers={case['officers']} units={case['units']} K={case['k']}: "
        f"{result.status} cost={result.objective} bound={result.bound} "
        f"whole={result.total_seconds:.2f}s highs={result.solver_seconds:.2f}s (median of {len(runs)}) "
        f"ratio={result.total_seconds / max(result.solver_seconds, 1e-9):.2f} "
        f"columns={result.columns} rounds={result.rounds} "
        f"greedy={opt.total_cost(greedy)} ({greedy_s:.2f}s, breaks {greedy_breaks} rules) "
    )
    if result.objective:
        line += f"improvement={100 * (opt.total_cost(greedy) - result.objective) / opt.total_cost(greedy):.1f}% "
    print(line + f"peak={peak_mb:.0f}MB", flush=True)


if __name__ == "__main__":
    names = [a for a in sys.argv[1:] if a in CASES] or ["province"]
    for name in names:
        for seed in (11, 12, 13):
            run(name, seed)
