"""A kernel's answers, one per case, as it builds them: shared by the kernel modules.

Every case starts not applicable (out of scope) with no dates; a kernel marks the
cases a population or a missing parameter decides (:meth:`Answers.mark`), puts the
columns of its deadlines in place (:meth:`Answers.put`, :meth:`Answers.take`), says
how they are worded (:meth:`Answers.word`) and hands back its columns
(:meth:`Answers.result`, as :data:`casework.columnar.core.Kernel` wants them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from casework.columnar.columns import NO_DAY, Mask
from casework.columnar.core import BASIS_CODE, OUTCOME_CODE, Wording
from casework.rules.engine import Basis, Outcome

__all__ = ["Answers"]

Rows = npt.NDArray[np.intp]
_COLUMNS = ("outcome", "basis", "trigger", "due", "done", "late_by", "late_unit")


class Answers:
    """A kernel's answer columns, every case not applicable (out of scope) until set."""

    def __init__(self, n: int) -> None:
        self.outcome = np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8)
        self.basis = np.full(n, BASIS_CODE[Basis.OUT_OF_SCOPE], dtype=np.int8)
        self.trigger = np.full(n, NO_DAY, dtype=np.int64)
        self.due = np.full(n, NO_DAY, dtype=np.int64)
        self.done = np.full(n, NO_DAY, dtype=np.int64)
        self.late_by = np.full(n, -1, dtype=np.int64)
        self.late_unit = np.zeros(n, dtype=np.int8)
        self.wording: Wording | None = None

    def mark(self, rows: Mask | Rows, outcome: Outcome, basis: Basis) -> None:
        """These cases answer ``outcome`` on ``basis``, with no deadline."""
        self.outcome[rows] = OUTCOME_CODE[outcome]
        self.basis[rows] = BASIS_CODE[basis]

    def put(self, rows: Rows, answered: dict[str, Any]) -> None:
        """These cases answer as ``answered`` (columns as :func:`deadline` gives them)."""
        for name, values in answered.items():
            getattr(self, name)[rows] = values

    def take(self, rows: Rows, answered: dict[str, Any], pick: Rows) -> None:
        """Cases ``rows`` answered by the ``pick``-th entries of ``answered``
        (:func:`~casework.columnar.core.deadline`'s columns, one entry per unit)."""
        for name in _COLUMNS:
            getattr(self, name)[rows] = answered[name][pick]

    def result(self) -> dict[str, Any]:
        """The kernel's columns."""
        return {
            **{name: getattr(self, name) for name in _COLUMNS},
            **({"wording": self.wording} if self.wording is not None else {}),
        }

    def word(self, rows: Rows, wording: Wording | None) -> None:
        """The answers of cases ``rows`` (as :meth:`put`) are worded so."""
        if wording is not None:
            self.wording = wording.placed(rows)
