"""Kernels for the rules behind the target sets (:mod:`casework.rules.targets.rules`).

The OASys targets are the National Standards rules themselves, with their own
kernels (:mod:`casework.columnar.oasys`). Here: the descriptive ``TGT.case`` rule
every target rule set starts with (a case's area and dates: never scored, read by
:meth:`casework.performance.TargetTally.add_columns` from the columns instead), and
the table of the case facts a tally places cases by (``tgt.case``: area and
termination).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from casework.columnar.columns import NO_DAY, CaseColumns, Table, table
from casework.columnar.columns import day_number as _day
from casework.columnar.core import BASIS_CODE, OUTCOME_CODE, register
from casework.model import Case
from casework.rules.engine import Basis, Context, Outcome
from casework.rules.targets import rules as targets

__all__ = ["case_dates"]


@table("tgt.case")
def case_table(cases: Sequence[Case]) -> Table:
    """One row per case: its area (``None`` when not recorded) and its termination day."""
    area: list[str | None] = []
    terminated: list[int] = []
    for case in cases:
        area.append(case.area)
        ended = case.sentence.termination
        terminated.append(NO_DAY if ended is None else _day(ended.on))
    return {
        "owner": np.arange(len(cases), dtype=np.intp),
        "area": np.asarray(area, dtype=object),
        "terminated": np.asarray(terminated, dtype=np.int64),
    }


def case_dates(columns: CaseColumns, _ctx: Context) -> dict[str, Any]:
    """``TGT.case``: descriptive for every case, no dates (its words are the case's area
    and dates, written only when asked)."""
    n = len(columns)
    none = np.full(n, NO_DAY, dtype=np.int64)
    return {
        "outcome": np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8),
        "basis": np.full(n, BASIS_CODE[Basis.DESCRIPTIVE], dtype=np.int8),
        "trigger": none,
        "due": none.copy(),
        "done": none.copy(),
        "late_by": np.full(n, -1, dtype=np.int64),
        "late_unit": np.zeros(n, dtype=np.int8),
    }


register(targets.case_dates, case_dates)
