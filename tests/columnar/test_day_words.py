"""``from_day_numbers`` and ``day_words``: each day number's date and words, remembered
once per process, are those of ``from_day_number`` and ``long_date`` whatever was asked
before, and the memory they keep stays bounded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.columnar import columns
from casework.columnar.columns import NO_DAY, day_words, from_day_number, from_day_numbers
from casework.text import long_date

#: Day numbers of dates from year 1 to 9999, and none.
_DAYS = st.one_of(st.integers(-719_162, 2_932_896), st.just(NO_DAY))


@given(st.lists(_DAYS, max_size=50))
def test_dates_and_words_are_the_plain_functions(numbers: list[int]) -> None:
    dates = [from_day_number(number) for number in numbers]
    assert from_day_numbers(numbers) == dates
    assert day_words(numbers) == ["" if day is None else long_date(day) for day in dates]


def test_a_memo_that_fills_is_emptied_and_stays_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columns, "_MEMO_DAYS", 8)
    monkeypatch.setattr(columns, "_DATES", {NO_DAY: None})
    monkeypatch.setattr(columns, "_WORDS", {NO_DAY: ""})
    for start in range(0, 60, 6):
        numbers = [*range(14_000 + start, 14_006 + start), NO_DAY]
        dates = [from_day_number(number) for number in numbers]
        assert from_day_numbers(numbers) == dates
        assert day_words(numbers) == ["" if day is None else long_date(day) for day in dates]
        assert len(columns._WORDS) <= 8
        assert len(columns._DATES) <= 8
    # one call with more days than the memo holds is answered whole
    many = list(range(15_000, 15_020))
    assert from_day_numbers(many) == [from_day_number(number) for number in many]
