"""A chunk's answers are freed as soon as they are dropped, without the cyclic collector.

Commands run with the collector's passes made rare (``cli.COMMAND_GC_THRESHOLDS``), so
anything a chunk leaves in a reference cycle is held for many chunks: an unset parameter's
error kept with its traceback held every chunk explained at an earlier day (its frames
reach back to the chunk's answers), and ``findings`` grew from 238 MB at 10,000 cases to
284 MB at 100,000 as of 2008-03-31.
"""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from collections.abc import Iterator

import pytest

from casework import WorkingCalendar
from casework.columnar import core, evaluate_columns
from casework.model import Case
from casework.rules import ruleset
from casework.rules.engine import Context, MissingParameterError, Rule
from tests.columnar.compare import case_records

#: A day before several National Standards 2007 parameters have values.
EARLY = dt.date(2008, 3, 31)


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_off")
@pytest.mark.parametrize(
    ("name", "any_unset"), [("national-standards-2007", True), ("omi-2007", False)]
)
def test_explained_answers_are_freed_without_the_collector(
    calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch, name: str, any_unset: bool
) -> None:
    """Answers explained are freed once dropped: at an early day, where National Standards
    rules have parameters unset (the case this is about), and for the OMI questions."""
    cases = [Case.model_validate(record) for record in case_records(11, 40, EARLY)]
    unset: list[str] = []
    found_unset = core._missing_parameter

    def spied(rule: Rule, ctx: Context) -> MissingParameterError | None:
        missing = found_unset(rule, ctx)
        if missing is not None:
            unset.append(rule.id)
        return missing

    monkeypatch.setattr(core, "_missing_parameter", spied)
    found = evaluate_columns(cases, ruleset(name), as_of=EARLY, calendar=calendar)
    answers = weakref.ref(found)
    table = found.explain()
    assert len(table)
    del found
    assert bool(unset) is any_unset
    assert answers() is None, "the chunk's answers are held in a reference cycle"
