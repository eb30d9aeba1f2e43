"""The supervision kernels' entity tables, built from raw tables with array operations,
equal the tables read from ``Case`` objects one case at a time (the reference,
tests/columnar/supervision_reference.py), column by column, on the stored witness
cases, benchmark cases, the supervision kernels' hand-picked edge cases and generated
cases; and the grouped helpers (casework.columnar.group) equal plain Python."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.columnar import CaseColumns, day_number
from casework.columnar.core import OUTCOME_CODE
from casework.columnar.group import (
    any_per_owner,
    count_per_owner,
    earliest_day,
    earliest_per_owner,
    first_per_owner,
    latest_per_owner,
    min_day,
    order_by_owner,
    take,
)
from casework.columnar.raw import NO_DAY
from casework.columnar.supervision import _deciding_units
from casework.model import Case
from casework.rules.engine import Outcome
from casework.rules.population import roh_at_start
from casework.testing import strategies as cs
from tests.columnar.compare import bench_cases, witness_cases
from tests.columnar.supervision_reference import REFERENCE
from tests.columnar.test_supervision_kernels import _edge_cases


def _differences(cases: list[Case]) -> list[str]:
    """Where the chunk's tables differ from the reference's: ``table.column: why``."""
    columns = CaseColumns.from_cases(cases)
    out = []
    for name, reference in REFERENCE.items():
        expected, got = reference(cases), columns.table(name)
        if set(expected) != set(got):
            out.append(f"{name}: columns {sorted(got)} against {sorted(expected)}")
            continue
        for column, want in expected.items():
            have = got[column]
            if have.dtype != want.dtype:
                out.append(f"{name}.{column}: dtype {have.dtype} against {want.dtype}")
            elif have.shape != want.shape:
                out.append(f"{name}.{column}: shape {have.shape} against {want.shape}")
            elif not np.array_equal(have, want):
                at = int(np.flatnonzero(have != want)[0])
                out.append(f"{name}.{column}: row {at} is {have[at]!r}, not {want[at]!r}")
    return out


@pytest.fixture(scope="module")
def fixed_cases() -> list[Case]:
    return [*witness_cases(), *bench_cases(5, 300), *_edge_cases()]


def test_tables_from_raw_equal_the_reference_on_fixed_cases(fixed_cases: list[Case]) -> None:
    assert _differences(fixed_cases) == []


def test_the_fixed_cases_reach_what_the_tables_tell_apart(fixed_cases: list[Case]) -> None:
    """The comparison above is only as good as the cases: they hold each kind of fact."""
    facts = REFERENCE["sup.case"](fixed_cases)
    for column in ("psr", "transfer", "mappa", "mappa_levels", "upw", "upw_only"):
        assert facts[column].any(), column
        assert not facts[column].all(), column
    for column in ("roh_start", "roh_transfer", "roh_last"):
        assert set(facts[column].tolist()) >= {-1, 0, 2}, column
    assert set(facts["offence"].tolist()) == {0, 1, 2}
    # The RoH at start is sometimes the first record after the start, not one before it.
    start = [day_number(case.start_event[1]) for case in fixed_cases]
    after = [min((r.on for r in case.roh), default=None) for case in fixed_cases]
    assert any(a is not None and day_number(a) > s for a, s in zip(after, start, strict=True))
    for name in ("sup.contacts", "sup.home_visits", "sup.premises", "sup.victims"):
        assert len(REFERENCE[name](fixed_cases)["owner"]), name
    failed = REFERENCE["sup.breaches"](fixed_cases)
    order = [c.breaches for c in fixed_cases if len(c.breaches) > 1]
    assert len(failed["owner"])
    assert any(
        [b.failed_on for b in found] != sorted(b.failed_on for b in found) for found in order
    )


def test_the_roh_at_start_is_the_populations(fixed_cases: list[Case]) -> None:
    rank = CaseColumns.from_cases(fixed_cases).table("sup.case")["roh_start"]
    expected = [-1 if (level := roh_at_start(case)) is None else level.rank for case in fixed_cases]
    assert rank.tolist() == expected


def test_a_chunk_with_none_of_the_entities_builds_empty_tables() -> None:
    case = Case.model_validate(
        {
            "reference": "E1",
            "as_of": "2008-06-30",
            "sentence": {"kind": "custody", "sentenced_on": "2008-01-10"},
        }
    )
    assert _differences([case]) == []
    assert _differences([case, case]) == []


@settings(max_examples=40, deadline=None)
@given(cases=st.lists(cs.cases(), min_size=1, max_size=6))
def test_tables_from_raw_equal_the_reference_on_generated_cases(cases: list[Case]) -> None:
    assert _differences(cases) == []


# ---------------------------------------------------------------- grouped helpers


def _groups(owner: list[int], n: int) -> list[list[int]]:
    rows: list[list[int]] = [[] for _ in range(n)]
    for row, who in enumerate(owner):
        rows[who].append(row)
    return rows


@st.composite
def _tables(draw: st.DrawFn) -> tuple[int, list[int], list[int], list[bool]]:
    """Owners (any order), keys with ties and NO_DAY, and a filter."""
    n = draw(st.integers(min_value=1, max_value=5))
    size = draw(st.integers(min_value=0, max_value=12))
    owner = draw(st.lists(st.integers(0, n - 1), min_size=size, max_size=size))
    key = draw(st.lists(st.sampled_from([NO_DAY, 3, 5, 5, 9]), min_size=size, max_size=size))
    keep = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    return n, owner, key, keep


def _arrays(owner: list[int], key: list[int], keep: list[bool]) -> tuple[Any, Any, Any]:
    return (
        np.asarray(owner, dtype=np.intp),
        np.asarray(key, dtype=np.int64),
        np.asarray(keep, dtype=bool),
    )


@settings(max_examples=150, deadline=None)
@given(found=_tables())
def test_grouped_choices_equal_plain_python(
    found: tuple[int, list[int], list[int], list[bool]],
) -> None:
    n, owner, key, keep = found
    o, k, w = _arrays(owner, key, keep)
    first, earliest, latest = [], [], []
    for group in _groups(owner, n):
        rows = [r for r in group if keep[r]]
        first.append(rows[0] if rows else -1)
        earliest.append(min(rows, key=lambda r: key[r]) if rows else -1)  # first on a tie
        latest.append(max(rows, key=lambda r: key[r]) if rows else -1)  # first on a tie
    assert first_per_owner(o, n, w).tolist() == first
    assert earliest_per_owner(o, k, n, w).tolist() == earliest
    assert latest_per_owner(o, k, n, w).tolist() == latest
    assert latest_per_owner(o, k, n).tolist() == [
        max(rows, key=lambda r: key[r]) if rows else -1 for rows in _groups(owner, n)
    ]
    assert take(k, latest_per_owner(o, k, n, w), -7).tolist() == [
        key[r] if r >= 0 else -7 for r in latest
    ]
    counted = [sum(1 for r in rows if keep[r]) for rows in _groups(owner, n)]
    assert count_per_owner(o, n, w).tolist() == counted
    assert any_per_owner(o, n, w).tolist() == [c > 0 for c in counted]
    days = [[key[r] for r in rows if keep[r] and key[r] != NO_DAY] for rows in _groups(owner, n)]
    assert earliest_day(o, k, n, w).tolist() == [min(d) if d else NO_DAY for d in days]


@given(
    pairs=st.lists(
        st.tuples(st.sampled_from([NO_DAY, 1, 4]), st.sampled_from([NO_DAY, 2, 4])), max_size=6
    )
)
def test_min_day_ignores_missing_days(pairs: list[tuple[int, int]]) -> None:
    a = np.asarray([p[0] for p in pairs], dtype=np.int64)
    b = np.asarray([p[1] for p in pairs], dtype=np.int64)
    expected = [min([d for d in p if d != NO_DAY], default=NO_DAY) for p in pairs]
    assert min_day(a, b).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(found=_tables(), spread=st.booleans())
def test_ordering_by_owner_is_lexsorts(
    found: tuple[int, list[int], list[int], list[bool]], spread: bool
) -> None:
    """One stable sort of a combined key, or lexsort itself when the keys are too far
    apart to combine (NO_DAY among them)."""
    _, owner, key, _ = found
    o, k, _ = _arrays(owner, key, [])
    if not spread:
        k = np.where(k == NO_DAY, 1, k)
    assert order_by_owner(o, k).tolist() == np.lexsort((k, o)).tolist()


_WORST_FIRST = (Outcome.NOT_MET, Outcome.CANNOT_ASSESS, Outcome.MET, Outcome.NOT_APPLICABLE)


@given(
    units=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(_WORST_FIRST)), max_size=12).map(
        lambda units: sorted(units, key=lambda unit: unit[0])
    )
)
def test_the_deciding_interval_is_the_worst_first_and_the_last_met(
    units: list[tuple[int, Outcome]],
) -> None:
    owner = np.asarray([u[0] for u in units], dtype=np.intp)
    outcome = np.asarray([OUTCOME_CODE[u[1]] for u in units], dtype=np.int8)
    expected_cases, expected_units = [], []
    for case in sorted({u[0] for u in units}):
        mine = [i for i, u in enumerate(units) if u[0] == case]
        worst = min(_WORST_FIRST.index(units[i][1]) for i in mine)
        tied = [i for i in mine if _WORST_FIRST.index(units[i][1]) == worst]
        expected_cases.append(case)
        expected_units.append(tied[-1] if _WORST_FIRST[worst] is Outcome.MET else tied[0])
    cases, chosen = _deciding_units(owner, outcome)
    assert cases.tolist() == expected_cases
    assert chosen.tolist() == expected_units
