"""Grouped picks over entity tables: one answer per owner, with array operations only.

An entity table's rows belong to owners (``owner``: the row of the case, or of the
parent entity); these helpers answer per owner without a Python loop over owners.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["first_per_owner"]

Rows = npt.NDArray[np.intp]


def first_per_owner(n: int, owner: npt.NDArray[np.integer], *keys: npt.NDArray[np.generic]) -> Rows:
    """Per owner (``0 .. n-1``): the row of its first entity when its entities are sorted
    by ``keys`` (the first key first, each ascending), ties kept in row order; ``-1`` for
    an owner with none.

    ``max(records, key=...)`` of the first maximal record is ``first_per_owner(n, owner,
    -value)``; ``min(...)`` of the first minimal one is ``first_per_owner(n, owner, value)``.
    """
    out = np.full(n, -1, dtype=np.intp)
    if not len(owner):
        return out
    # np.lexsort sorts by its last key first: owner, then keys in order, then row.
    order = np.lexsort((np.arange(len(owner)), *reversed(keys), owner))
    sorted_owner = owner[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_owner[1:] != sorted_owner[:-1]
    out[sorted_owner[first]] = order[first]
    return out
