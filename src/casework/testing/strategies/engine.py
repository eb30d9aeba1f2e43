"""Engine values: durations, evidence, verdicts, findings, calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from hypothesis import strategies as st

from casework.calendar import Duration, TimeUnit, WorkingCalendar
from casework.rules.engine import (
    Basis,
    Evidence,
    Finding,
    Findings,
    Outcome,
    RuleKind,
    Verdict,
    evaluate,
)
from casework.rules.ruleset import RuleSet, resolve_ruleset
from casework.testing.builders import default_calendar
from casework.testing.strategies._common import (
    AS_OF_EARLIEST,
    EARLIEST,
    LATEST,
    _calendar,
    _optional,
    _pin,
    _text,
)
from casework.testing.strategies.cases import case_lists


def durations(
    units: Iterable[TimeUnit | str] | None = None, *, max_amount: int = 60
) -> st.SearchStrategy[Duration]:
    """Time limits: an amount of working days, calendar days, weeks or months."""
    chosen = [TimeUnit(unit) for unit in units] if units is not None else list(TimeUnit)
    return st.builds(Duration, st.integers(0, max_amount), st.sampled_from(chosen))


_SOURCES = st.tuples(st.integers(0, 4), st.integers(1, 1200)).map(lambda p: f"{p[0]:03d}:{p[1]}")
_RULE_IDS = st.from_regex(r"[A-Z]{1,4}[0-9]{0,2}\.[a-z][a-z0-9-]{0,20}", fullmatch=True)

#: Which bases go with which outcome (documented in docs/rules.md).
OUTCOME_BASES: Mapping[Outcome, tuple[Basis, ...]] = {
    Outcome.MET: (Basis.COMPUTED, Basis.JUDGED, Basis.DERIVED, Basis.DESCRIPTIVE),
    Outcome.NOT_MET: (Basis.COMPUTED, Basis.JUDGED, Basis.DERIVED),
    Outcome.NOT_APPLICABLE: (
        Basis.OUT_OF_SCOPE,
        Basis.NOT_YET_DUE,
        Basis.JUDGED,
        Basis.DESCRIPTIVE,
    ),
    Outcome.CANNOT_ASSESS: (
        Basis.MISSING_DATA,
        Basis.CONTRADICTORY,
        Basis.NO_PARAMETER,
        Basis.UNANSWERED,
    ),
}


def evidence() -> st.SearchStrategy[Evidence]:
    """Facts a finding relies on: dates, counts, words, flags, exact fractions."""
    value = st.one_of(
        st.dates(EARLIEST, LATEST),
        st.integers(-50, 500),
        _text(),
        st.booleans(),
        st.fractions(0, 1, max_denominator=200),
        st.none(),
    )
    return st.builds(Evidence, label=_text(), value=value, source=st.none() | _SOURCES)


def _outcome_and_basis(outcome: Outcome | str | None) -> st.SearchStrategy[tuple[Outcome, Basis]]:
    outcomes = [Outcome(outcome)] if outcome is not None else list(Outcome)
    return st.sampled_from(outcomes).flatmap(
        lambda o: st.sampled_from(OUTCOME_BASES[o]).map(lambda b: (o, b))
    )


def verdicts(outcome: Outcome | str | None = None) -> st.SearchStrategy[Verdict]:
    """What rule bodies return, outcome and basis consistent."""
    return st.builds(
        lambda pair, reason, facts: Verdict(pair[0], pair[1], reason, tuple(facts)),
        _outcome_and_basis(outcome),
        _text(),
        st.lists(evidence(), max_size=3),
    )


def findings(
    *,
    outcome: Outcome | str | None = None,
    rule_id: str | st.SearchStrategy[str] | None = None,
    case_ref: str | st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Finding]:
    """Single findings, structurally valid (outcome and basis consistent).

    For findings a rule set really gives, use :func:`findings_of`.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Finding:
        found_outcome, basis = draw(_outcome_and_basis(outcome))
        return Finding(
            case_ref=_pin(draw, case_ref) or f"C-{draw(st.integers(1, 9999)):04d}",
            rule_id=_pin(draw, rule_id) or draw(_RULE_IDS),
            question=draw(_text()) + "?",
            outcome=found_outcome,
            basis=basis,
            reason=draw(_text()) + ".",
            evidence=tuple(draw(st.lists(evidence(), max_size=3))),
            source=tuple(draw(st.lists(_SOURCES, min_size=1, max_size=2))),
            kind=draw(st.sampled_from(RuleKind)),
            roh=draw(st.booleans()),
            criterion=_optional(draw, st.sampled_from(("1.1", "1.2", "2.1", "2.2", "3.1"))),
            ruleset=draw(st.sampled_from(("national-standards-2007", "omi-2007", "custom"))),
            ruleset_version="0.1",
            as_of=draw(st.dates(AS_OF_EARLIEST, LATEST)),
        )

    return build()


def findings_collections(max_size: int = 20) -> st.SearchStrategy[Findings]:
    """``Findings`` of structurally valid findings."""
    return st.lists(findings(), max_size=max_size).map(lambda items: Findings(tuple(items)))


def findings_of(
    ruleset: RuleSet | str,
    *,
    as_of: dt.date | st.SearchStrategy[dt.date] | None = None,
    min_size: int = 0,
    max_size: int = 8,
    calendar: WorkingCalendar | None = None,
    **pins: Any,
) -> st.SearchStrategy[Findings]:
    """The findings ``ruleset`` gives on generated cases, all read and evaluated at one ``as_of``.

    Other keyword arguments are passed to :func:`cases`.
    """
    chosen = resolve_ruleset(ruleset)
    cal = _calendar(calendar)

    @st.composite
    def build(draw: st.DrawFn) -> Findings:
        day = _pin(draw, as_of) or draw(st.dates(AS_OF_EARLIEST, LATEST))
        found = draw(
            case_lists(min_size=min_size, max_size=max_size, as_of=day, calendar=calendar, **pins)
        )
        return evaluate(found, chosen, as_of=day, calendar=cal)

    return build()


def calendars() -> st.SearchStrategy[WorkingCalendar]:
    """England & Wales, or a made-up calendar with a few weekday holidays a year."""
    made_up = st.lists(
        st.dates(dt.date(2003, 1, 1), dt.date(2011, 12, 31)).filter(lambda d: d.weekday() < 5),
        max_size=40,
        unique=True,
    ).map(
        lambda days: WorkingCalendar.from_holidays(
            days, first_year=1995, last_year=2035, name="made-up"
        )
    )
    return st.one_of(st.just(default_calendar()), made_up)
