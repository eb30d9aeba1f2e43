"""A case file evaluated at a day before the records' own ``as_of`` on columns.

The engine evaluates such a record as it stood that day (:meth:`Case.as_at`). On columns
each record is pruned once per chunk and day, however many rules ask, and the findings
are the scalar engine's (tests/columnar/test_evaluate_columns.py checks them at earlier
days too).
"""

from __future__ import annotations

import datetime as dt

import pytest

from casework import WorkingCalendar, load_cases
from casework.columnar import CaseColumns, evaluate_columns
from casework.model import Case
from tests.columnar.compare import WITNESSES, case_records, rules_for

EARLIER = dt.date(2008, 1, 15)


@pytest.fixture(scope="module")
def later_records() -> list[Case]:
    """Witness and benchmark cases; the benchmark's are recorded after :data:`EARLIER`."""
    witnesses = list(load_cases(WITNESSES).cases)
    generated = [Case.model_validate(r) for r in case_records(7, 60, dt.date(2009, 3, 31))]
    return [*witnesses, *generated]


def test_each_record_is_read_as_it_stood_at_most_once_per_chunk_and_day(
    later_records: list[Case], calendar: WorkingCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = [c for c in later_records if c.sentence.sentenced_on <= EARLIER < c.as_of]
    assert len(earlier) >= 10  # the property is about these
    calls: dict[str, int] = {}
    as_at = Case.as_at

    def counted(case: Case, day: dt.date) -> Case:
        calls[case.reference] = calls.get(case.reference, 0) + 1
        return as_at(case, day)

    monkeypatch.setattr(Case, "as_at", counted)
    for name in ("national-standards-2007", "omi-2007"):
        calls.clear()
        columns = CaseColumns.from_cases(later_records)
        answered = evaluate_columns(columns, rules_for(name), as_of=EARLIER, calendar=calendar)
        answered.explain()
        for found in answered.by_rule:
            found.findings()
        assert max(calls.values(), default=0) <= 1, (name, calls)
