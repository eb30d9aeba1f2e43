"""Hypothesis strategies for time: a case and a day to read it as at.

>>> from casework.testing.timeline import cases_with_earlier_days
>>> strategy = cases_with_earlier_days()  # (case, day): sentence <= day <= case.as_of
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from casework.model import Case
from casework.testing import strategies as cs

__all__ = ["cases_with_earlier_days", "day_in_record"]


def day_in_record(case: Case) -> st.SearchStrategy[dt.date]:
    """A day from the sentence to the record's own ``as_of``, ends and dated facts likelier."""
    first, last = case.sentence.sentenced_on, case.as_of
    facts = sorted({day for day in _days(case) if first <= day <= last})
    edges = [first, last, *facts, *(d - dt.timedelta(days=1) for d in facts if d > first)]
    return st.one_of(st.sampled_from(sorted(set(edges))), st.dates(first, last))


def _days(case: Case) -> list[dt.date]:
    from casework.model.base import dates_in  # noqa: PLC0415

    return [day for _, day in dates_in(case)]


def cases_with_earlier_days(
    cases: st.SearchStrategy[Case] | None = None, **kwargs: Any
) -> st.SearchStrategy[tuple[Case, dt.date]]:
    """A case (from ``cases``, default :func:`casework.testing.strategies.cases` with
    ``kwargs``) and a day on which to read it: on or after its sentence, on or before its
    own ``as_of``."""
    source = cases if cases is not None else cs.cases(**kwargs)
    return source.flatmap(lambda case: st.tuples(st.just(case), day_in_record(case)))
