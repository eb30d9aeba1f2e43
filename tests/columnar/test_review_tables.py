"""The review and RMP entity tables from raw tables equal the tables read from ``Case`` objects.

The builders of ``review_cases``, ``roh_at_start``, ``full_analysis_done``,
``significant_events`` (casework.columnar.reviews) and ``sup.analyses``
(casework.columnar.rmp) read the chunk's raw tables with array operations. Each
re-derives model semantics (``Sentence.start_date``, ``population.roh_at_start``,
a full analysis's completion or exemption), so each is checked here, column by
column (values and dtypes), against the builder it replaced, kept below as the
oracle: a loop over the ``Case`` objects using the model's own properties. On
the stored witness cases, benchmark cases and generated cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import load_cases
from casework.columnar import CaseColumns, day_number
from casework.columnar import columns as columns_module
from casework.columnar.columns import NO_DAY, Table
from casework.columnar.group import first_by_keys
from casework.columnar.reviews import COMMUNITY, CUSTODY, LICENCE
from casework.model import Case, SentenceKind
from casework.rules.population import roh_at_start
from casework.testing import strategies as cs
from casework.testing.builders import make_case
from tests.columnar.compare import WITNESSES, case_records

# ---------------------------------------------------------------- the oracles (Case loops)

_KIND = {
    SentenceKind.COMMUNITY_ORDER: COMMUNITY,
    SentenceKind.SUSPENDED_SENTENCE_ORDER: COMMUNITY,
    SentenceKind.CUSTODY: CUSTODY,
    SentenceKind.LICENCE: LICENCE,
}


def _day(day: dt.date | None) -> int:
    return day_number(day)


def review_cases(cases: Sequence[Case]) -> Table:
    kind, start, released, ended = [], [], [], []
    for case in cases:
        sentence = case.sentence
        kind.append(_KIND[sentence.kind])
        start.append(_day(sentence.start_date))
        released.append(_day(sentence.released_on))
        termination = sentence.termination
        ended.append(_day(termination.on if termination is not None else None))
    return {
        "owner": np.arange(len(cases), dtype=np.intp),
        "kind": np.asarray(kind, dtype=np.int8),
        "start_date": np.asarray(start, dtype=np.int64),
        "released": np.asarray(released, dtype=np.int64),
        "ended": np.asarray(ended, dtype=np.int64),
    }


def roh_at_start_table(cases: Sequence[Case]) -> Table:
    levels = [roh_at_start(case) for case in cases]
    return {
        "owner": np.arange(len(cases), dtype=np.intp),
        "rank": np.asarray([-1 if lv is None else lv.rank for lv in levels], dtype=np.int8),
    }


def full_analysis_done(cases: Sequence[Case]) -> Table:
    done = [
        _day(item.full_analysis.completed_on) if item.full_analysis is not None else NO_DAY
        for case in cases
        for item in case.assessments
    ]
    owner = [row for row, case in enumerate(cases) for _ in case.assessments]
    return {"owner": np.asarray(owner, dtype=np.intp), "on": np.asarray(done, dtype=np.int64)}


def significant_events(cases: Sequence[Case]) -> Table:
    owner, on = [], []
    for row, case in enumerate(cases):
        for event in case.events:
            owner.append(row)
            on.append(_day(event.on))
    return {"owner": np.asarray(owner, dtype=np.intp), "on": np.asarray(on, dtype=np.int64)}


def analyses(cases: Sequence[Case]) -> Table:
    owner, has, completed, exempted, countersigned = [], [], [], [], []
    for row, case in enumerate(cases):
        for item in case.assessments:
            full = item.full_analysis
            owner.append(row)
            has.append(full is not None)
            completed.append(_day(full.completed_on) if full else NO_DAY)
            exempted.append(bool(full and full.exempted))
            countersigned.append(
                _day(full.exemption_countersigned_on) if full and full.exempted else NO_DAY
            )
    return {
        "owner": np.asarray(owner, dtype=np.intp),
        "has": np.asarray(has, dtype=bool),
        "completed": np.asarray(completed, dtype=np.int64),
        "exempted": np.asarray(exempted, dtype=bool),
        "countersigned": np.asarray(countersigned, dtype=np.int64),
    }


ORACLES: dict[str, Callable[[Sequence[Case]], Table]] = {
    "review_cases": review_cases,
    "roh_at_start": roh_at_start_table,
    "full_analysis_done": full_analysis_done,
    "significant_events": significant_events,
    "sup.analyses": analyses,
}


def check_tables(cases: Sequence[Case]) -> None:
    """Every table above, from raw tables, equals its oracle column by column."""
    columns = CaseColumns.from_cases(cases)
    for name, oracle in ORACLES.items():
        assert name in columns_module._FROM_RAW, f"{name} is not built from raw tables"
        got, want = columns.table(name), oracle(cases)
        assert sorted(got) == sorted(want), name
        for column, expected in want.items():
            found = got[column]
            assert found.dtype == expected.dtype, f"{name}.{column}: {found.dtype}"
            assert found.shape == expected.shape, f"{name}.{column}: {found.shape}"
            if not np.array_equal(found, expected):
                at = int(np.flatnonzero(found != expected)[0])
                pytest.fail(
                    f"{name}.{column} differs at row {at}: {found[at]!r}, oracle {expected[at]!r}"
                )


# ---------------------------------------------------------------- the equivalence


def test_on_the_witness_cases_the_tables_equal_the_oracles() -> None:
    check_tables(list(load_cases(WITNESSES).cases))


@pytest.mark.parametrize("as_of", [dt.date(2007, 6, 30), dt.date(2009, 3, 31)])
def test_on_benchmark_cases_the_tables_equal_the_oracles(as_of: dt.date) -> None:
    check_tables([Case.model_validate(r) for r in case_records(11, 300, as_of)])


@settings(max_examples=40)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=8))
def test_on_generated_cases_the_tables_equal_the_oracles(cases: list[Case]) -> None:
    check_tables(cases)


# ---------------------------------------------------------------- hand-picked edges


def _roh(level: str, on: str) -> dict[str, str]:
    return {"level": level, "on": on}


@pytest.mark.parametrize(
    ("records", "rank"),
    [
        pytest.param([], -1, id="none recorded"),
        # (The model allows one record per date, so there are no ties to break.)
        pytest.param(
            [_roh("high", "2008-01-05"), _roh("low", "2008-01-08")], 0, id="latest before"
        ),
        # On the start day counts as at the start; a later one does not replace it.
        pytest.param([_roh("medium", "2008-01-20"), _roh("high", "2008-01-10")], 2, id="on start"),
        pytest.param([_roh("low", "2008-01-10"), _roh("high", "2008-01-02")], 0, id="on start 2"),
        # Only after the start: the earliest, wherever it is listed.
        pytest.param(
            [
                _roh("very_high", "2008-02-01"),
                _roh("low", "2008-01-25"),
                _roh("high", "2008-03-25"),
            ],
            0,
            id="after",
        ),
        # Out of date order: the latest before the start wins over an earlier listed one.
        pytest.param([_roh("low", "2007-12-01"), _roh("high", "2008-01-01")], 2, id="unordered"),
    ],
)
def test_roh_at_start_picks_the_record_population_picks(records: list[dict[str, str]], rank: int
                                                        ) -> None:  # fmt: skip
    case = make_case(
        as_of="2008-06-30",
        sentence={"kind": "community_order", "sentenced_on": "2008-01-10"},
        roh=records,
    )
    columns = CaseColumns.from_cases([case])
    assert columns.table("roh_at_start")["rank"].tolist() == [rank]
    check_tables([case])


def test_a_licence_starts_at_release_and_an_order_at_commencement() -> None:
    licence = make_case(
        as_of="2008-10-31",
        sentence={
            "kind": "licence",
            "sentenced_on": "2007-01-10",
            "released_on": "2008-03-03",
            "termination": {"on": "2008-09-01", "reason": "completed"},
        },
        roh=[_roh("low", "2007-01-12"), _roh("high", "2008-03-01")],
    )
    order = make_case(
        as_of="2008-10-31",
        sentence={
            "kind": "suspended_sentence_order",
            "sentenced_on": "2008-01-10",
            "starts_on": "2008-01-14",
        },
        roh=[_roh("medium", "2008-01-14"), _roh("high", "2008-01-12")],
    )
    columns = CaseColumns.from_cases([licence, order])
    facts = columns.table("review_cases")
    assert facts["kind"].tolist() == [LICENCE, COMMUNITY]
    assert facts["start_date"].tolist() == [
        day_number(dt.date(2007, 1, 10)),
        day_number(dt.date(2008, 1, 14)),
    ]
    assert facts["ended"].tolist() == [day_number(dt.date(2008, 9, 1)), NO_DAY]
    assert columns.table("roh_at_start")["rank"].tolist() == [2, 1]
    check_tables([licence, order])


def test_first_by_keys_sorts_by_the_keys_then_row_order() -> None:
    owner = np.asarray([0, 0, 0, 2, 2, 3])
    key = np.asarray([5, 3, 3, 1, 0, 7])
    assert first_by_keys(5, owner, key).tolist() == [1, -1, 4, 5, -1]
    assert first_by_keys(5, owner, -key).tolist() == [0, -1, 3, 5, -1]
    flag = np.asarray([True, False, False, False, True, False])
    assert first_by_keys(5, owner, flag, key).tolist() == [1, -1, 3, 5, -1]
    assert first_by_keys(2, np.zeros(0, dtype=np.intp)).tolist() == [-1, -1]
