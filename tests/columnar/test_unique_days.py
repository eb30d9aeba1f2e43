"""``unique_days`` is ``np.unique(..., return_inverse=True)`` of day numbers, found by a
table over the span of the days instead of a sort (the wordings and writers put each
distinct day in words once)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from casework.columnar.columns import NO_DAY, unique_days

#: Day numbers as case files hold them (1990-2040), none (NO_DAY), and far-off ones that
#: make the span too wide for a table.
_DAYS = st.one_of(
    st.integers(7300, 25500),
    st.just(NO_DAY),
    st.integers(-(10**12), 10**12),
)


@given(hnp.arrays(np.int64, hnp.array_shapes(max_dims=2, max_side=40), elements=_DAYS))
def test_unique_days_is_numpys_unique(numbers: np.ndarray) -> None:
    distinct, inverse = unique_days(numbers)
    expected, expected_inverse = np.unique(numbers, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
    assert (distinct[inverse] == numbers.reshape(-1)).all()


def test_no_day_comes_first_and_each_day_once() -> None:
    numbers = np.asarray([14000, NO_DAY, 13990, 14000, NO_DAY], dtype=np.int64)
    distinct, inverse = unique_days(numbers)
    assert distinct.tolist() == [NO_DAY, 13990, 14000]
    assert inverse.tolist() == [2, 0, 1, 2, 0]
    assert unique_days(np.asarray([], dtype=np.int64))[0].size == 0
    assert unique_days(np.asarray([NO_DAY, NO_DAY]))[1].tolist() == [0, 0]
