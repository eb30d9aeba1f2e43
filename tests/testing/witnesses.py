"""The outcome witnesses: generated cases that, between them, give every outcome of every rule.

``tests/testing/test_rule_properties.py`` reads ``data/outcome-witnesses.jsonl`` and checks
that every rule gives every outcome not listed in ``NEVER`` on some witness, and that
every rule in ``SCOPED_IN_THE_BODY`` does so on some witness. Reading a fixed file keeps
that test deterministic and fast: a sample drawn afresh changes with whatever else the
process has imported (Hypothesis draws constants from every loaded module) and a rare
outcome can go missing from it.

When a rule change leaves an outcome without a witness, regenerate the file::

    .venv/bin/python -m tests.testing.witnesses

It keeps the witnesses that still serve, draws cases from the strategies
(``SAMPLE_CASES``) for what is missing, searches for any outcome still missing, and
writes the fewest cases that cover everything found (existing ones first, so the
file changes little). Outcomes no case gave are printed: add them to ``NEVER`` with a
reason, extend the strategies so they come up, or append a hand-built synthetic case
(``W-048`` gives ``NS07.rmp-before-release`` met: a release on or after 30 September
2007 with an RMP done for it, which the strategies did not draw).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis.errors import NoSuchExample

from casework import Case, dump_cases, load_cases
from casework.rules import evaluate

WITNESSES = Path(__file__).parent / "data" / "outcome-witnesses.jsonl"

#: What a witness shows: (rule id, outcome) or (rule id, SCOPED) for a rule answering
#: "out of scope" while its population test takes the case in.
Mark = tuple[str, str]
SCOPED = "scoped in the body"


def marks(case: Case) -> set[Mark]:
    """Every (rule id, outcome) the case gives, at its own ``as_of``, in every rule set
    the properties cover, and (rule id, :data:`SCOPED`) for each rule scoped in its body."""
    from tests.testing import test_rule_properties as properties

    found: set[Mark] = set()
    for rules in properties.RULESETS:
        findings = evaluate(case, rules, as_of=case.as_of, calendar=properties.CALENDAR)
        # a rule not yet in force on the assessment date says so, whatever it would answer
        found |= {
            (f.rule_id, f.outcome.value)
            for f in findings
            if not (rules.in_force_by == "as_of" and properties._not_in_force(rules, f))
        }
        problems = properties.scope_problems(case, rules, case.as_of, findings)
        found |= {(rule_id, SCOPED) for rule_id, _ in problems}
    return found


def wanted() -> set[Mark]:
    """Every mark the properties expect some case to show."""
    from tests.testing import test_rule_properties as properties

    return {
        (rule_id, outcome.value)
        for rule_id in properties.RULE_IDS
        for outcome in properties.Outcome
        if outcome not in properties.NEVER.get(rule_id, {})
    } | {(rule_id, SCOPED) for rule_id in properties.SCOPED_IN_THE_BODY}


def load() -> tuple[Case, ...]:
    """The stored witnesses (an error if the file holds a case ``load_cases`` rejects)."""
    loaded = load_cases(WITNESSES)
    if loaded.errors:
        raise ValueError(f"{WITNESSES.name}: {loaded.errors[0]}")
    return loaded.cases


_QUIET = {
    "database": None,
    "derandomize": True,
    "deadline": None,
    "phases": [Phase.generate],
    "suppress_health_check": list(HealthCheck),
}


def _drawn(count: int) -> list[Case]:
    from tests.testing.test_rule_properties import SAMPLE_CASES

    cases: list[Case] = []

    @settings(max_examples=count, **_QUIET)  # type: ignore[arg-type]
    @given(SAMPLE_CASES)
    def collect(case: Case) -> None:
        cases.append(case)

    collect()
    return cases


def _searched(mark: Mark) -> Case | None:
    from tests.testing.test_rule_properties import SAMPLE_CASES

    try:
        return find(
            SAMPLE_CASES,
            lambda case: mark in marks(case),
            settings=settings(max_examples=2000, **_QUIET),  # type: ignore[arg-type]
        )
    except NoSuchExample:
        return None


def _cover(candidates: Iterable[tuple[Case, set[Mark]]], need: set[Mark]) -> list[Case]:
    """Greedily, the fewest candidates showing every needed mark (earlier ones win ties)."""
    pool = list(candidates)
    chosen: list[Case] = []
    while need:
        best = max(range(len(pool)), key=lambda i: len(pool[i][1] & need))
        case, shown = pool.pop(best)
        if not shown & need:
            break
        chosen.append(case)
        need = need - shown
    return chosen


def regenerate(sample: int = 600) -> set[Mark]:
    """Rewrite the witness file; returns the marks no case could show."""
    need = wanted()
    pool = [(case, marks(case)) for case in (load() if WITNESSES.exists() else ())]
    seen = set().union(*(shown for _, shown in pool))
    if need - seen:
        pool += [(case, marks(case)) for case in _drawn(sample)]
        seen = set().union(*(shown for _, shown in pool))
    for mark in sorted(need - seen):
        case = _searched(mark)
        if case is not None:
            pool.append((case, marks(case)))
            seen |= pool[-1][1]
    chosen = _cover(pool, need & seen)
    renamed = [
        case.model_copy(update={"reference": f"W-{number:03d}"})
        for number, case in enumerate(chosen, start=1)
    ]
    WITNESSES.parent.mkdir(exist_ok=True)
    dump_cases(renamed, WITNESSES)
    return need - seen


def main() -> None:
    unreached = regenerate()
    print(f"{WITNESSES}: {len(load())} witnesses")
    for rule_id, what in sorted(unreached):
        print(f"no generated case gives {rule_id}: {what}")


if __name__ == "__main__":
    main()
