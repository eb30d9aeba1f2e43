"""How fast does ``evaluate`` run the National Standards rule sets?

    python bench/evaluate.py --cases 100000

Generates N synthetic, valid cases (seeded, deterministic; ``bench/generate.py``)
in chunks, validates them into ``Case`` objects, then times ``evaluate`` on
each chunk for ``national-standards-2005`` and ``national-standards-2007``.
Case building is timed apart from evaluation. Reports cases and findings per
second, and the outcomes, so a change that makes rules faster by doing less
shows up.

The timescales the sources leave unstated (allocation, induction, contact
frequency, review after an event, 2007 plan reviews) are given benchmark
values so that those rules compute too (``--unstated leave`` to leave them
unset: they then report "cannot assess"). These are not the standards' values.

``--profile`` runs cProfile over the evaluation and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from casework import WorkingCalendar
from casework.model import Case
from casework.rules import Outcome, RuleSet, evaluate, ruleset
from generate import case_records

RULE_SETS = ("national-standards-2005", "national-standards-2007")
#: Benchmark values for the timescales the sources do not state (not the standards').
UNSTATED = {
    "roh_review_event_limit": 10,
    "plan_review_interval_months": 4,
    "allocation_limit": 5,
    "induction_limit": 5,
    "appointment_interval_limit": 21,
    "upw_session_interval_limit": 14,
}

T = TypeVar("T")


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - began


def _rule_sets(unstated: str) -> list[RuleSet]:
    sets = [ruleset(name) for name in RULE_SETS]
    if unstated == "supply":
        sets = [rs.with_parameters(UNSTATED, note="benchmark value") for rs in sets]
    return sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases (10,000)")
    parser.add_argument("--seed", type=int, default=2007, help="generator seed (2007)")
    parser.add_argument("--chunk", type=int, default=5_000, help="cases per chunk (5,000)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2010, 6, 30))
    parser.add_argument("--unstated", choices=["supply", "leave"], default="supply")
    parser.add_argument("--profile", action="store_true", help="profile evaluation (cProfile)")
    args = parser.parse_args(argv)

    calendar = WorkingCalendar.england_and_wales()
    sets = _rule_sets(args.unstated)
    build_seconds = 0.0
    seconds = dict.fromkeys(RULE_SETS, 0.0)
    findings = Counter[str]()
    outcomes: dict[str, Counter[Outcome]] = {name: Counter() for name in RULE_SETS}
    profiler = cProfile.Profile() if args.profile else None

    done = 0
    while done < args.cases:
        size = min(args.chunk, args.cases - done)
        records = list(case_records(args.seed, size, args.as_of, start=done))
        cases, took = _timed(lambda records=records: [Case.model_validate(r) for r in records])
        build_seconds += took
        for rs in sets:
            if profiler is not None:
                profiler.enable()
            result, took = _timed(
                lambda rs=rs, cases=cases: evaluate(cases, rs, as_of=args.as_of, calendar=calendar)
            )
            if profiler is not None:
                profiler.disable()
            seconds[rs.name] += took
            findings[rs.name] += len(result)
            outcomes[rs.name].update(result.counts())
        done += size

    print(
        f"casework bench: {done:,} synthetic cases (seed {args.seed}), as_of {args.as_of}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, one process"
    )
    print(f"  built and validated: {build_seconds:.1f} s ({done / build_seconds:,.0f} cases/s)")
    for rs in sets:
        took = seconds[rs.name]
        counts = outcomes[rs.name]
        print(
            f"  {rs.name} ({len(rs)} rules): {findings[rs.name]:,} findings in {took:.1f} s: "
            f"{done / took:,.0f} cases/s, {findings[rs.name] / took:,.0f} findings/s"
        )
        print("    " + ", ".join(f"{outcome.value} {counts[outcome]:,}" for outcome in Outcome))
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
