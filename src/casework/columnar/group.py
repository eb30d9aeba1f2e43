"""Grouped operations over the rows of an entity table, by owner, with array operations.

An entity table (raw or derived) has an ``owner`` column: the row of the case (or
parent) each row belongs to. These helpers answer "per owner" questions over it in
a few numpy calls (no loop over owners): how many rows, whether any, the first row
in record order, the row with the earliest or latest key, the earliest value.

A *row choice* is an ``intp`` array with one entry per owner: the chosen row of the
table, or ``-1`` where the owner has no row that qualifies; :func:`take` reads a
column through it. Ties on a key go to the row that comes first in the table, as
Python's ``min``/``max`` and a strict ``<``/``>`` scan over a list in record order
would choose.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from casework.columnar.raw import NO_DAY

__all__ = [
    "any_per_owner",
    "count_per_owner",
    "earliest_day",
    "earliest_per_owner",
    "first_by_keys",
    "first_per_owner",
    "latest_per_owner",
    "min_day",
    "take",
]

Rows = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]
Days = npt.NDArray[np.int64]

_LATEST = np.iinfo(np.int64).max


def _kept(owner: npt.NDArray[Any], where: Mask | None) -> Rows:
    """The rows of the table that qualify (all when ``where`` is None)."""
    if where is None:
        return np.arange(len(owner), dtype=np.intp)
    return np.flatnonzero(where).astype(np.intp)


def count_per_owner(owner: npt.NDArray[Any], n: int, where: Mask | None = None) -> Rows:
    """Per owner ``0..n-1``: how many of its rows qualify."""
    kept = owner if where is None else owner[where]
    return np.bincount(kept.astype(np.intp), minlength=n).astype(np.intp)


def any_per_owner(owner: npt.NDArray[Any], n: int, where: Mask | None = None) -> Mask:
    """Per owner ``0..n-1``: whether any of its rows qualifies."""
    out = np.zeros(n, dtype=bool)
    out[owner if where is None else owner[where]] = True
    return out


def _choose(owner: npt.NDArray[Any], rows: Rows, order: Rows, n: int, last: bool) -> Rows:
    """Per owner: the first (``last``: the last) of ``rows[order]`` in each owner's run."""
    out = np.full(n, -1, dtype=np.intp)
    if not len(rows):
        return out
    chosen = rows[order]
    owners = owner[chosen]
    edge = np.ones(len(owners), dtype=bool)
    if last:
        edge[:-1] = owners[1:] != owners[:-1]
    else:
        edge[1:] = owners[1:] != owners[:-1]
    out[owners[edge]] = chosen[edge]
    return out


def first_per_owner(owner: npt.NDArray[Any], n: int, where: Mask | None = None) -> Rows:
    """Per owner: its first qualifying row in table order, ``-1`` if none."""
    rows = _kept(owner, where)
    order = np.argsort(owner[rows], kind="stable").astype(np.intp)
    return _choose(owner, rows, order, n, last=False)


def earliest_per_owner(
    owner: npt.NDArray[Any], key: npt.NDArray[Any], n: int, where: Mask | None = None
) -> Rows:
    """Per owner: its qualifying row with the smallest ``key`` (the first such row on a
    tie), ``-1`` if none."""
    rows = _kept(owner, where)
    order = np.lexsort((rows, key[rows], owner[rows])).astype(np.intp)
    return _choose(owner, rows, order, n, last=False)


def latest_per_owner(
    owner: npt.NDArray[Any], key: npt.NDArray[Any], n: int, where: Mask | None = None
) -> Rows:
    """Per owner: its qualifying row with the largest ``key`` (the first such row on a
    tie), ``-1`` if none."""
    rows = _kept(owner, where)
    # Ascending by key, and by row *descending* within a key: the last of each owner's
    # run is the largest key's first row.
    order = np.lexsort((-rows, key[rows], owner[rows])).astype(np.intp)
    return _choose(owner, rows, order, n, last=True)


def take(column: npt.NDArray[Any], rows: Rows, none: Any) -> npt.NDArray[Any]:
    """``column`` read through a row choice: ``none`` where no row was chosen."""
    if not len(column):
        return np.full(len(rows), none, dtype=column.dtype)
    return np.where(rows >= 0, column[np.maximum(rows, 0)], none).astype(column.dtype)


def earliest_day(owner: npt.NDArray[Any], on: Days, n: int, where: Mask | None = None) -> Days:
    """Per owner: the earliest day of its qualifying rows, ignoring :data:`NO_DAY`;
    :data:`NO_DAY` where there is none."""
    keep = on != NO_DAY
    if where is not None:
        keep &= where
    out = np.full(n, _LATEST, dtype=np.int64)
    np.minimum.at(out, owner[keep].astype(np.intp), on[keep])
    out[out == _LATEST] = NO_DAY
    return out


def min_day(*columns: Days) -> Days:
    """Element-wise the earliest of several day columns, ignoring :data:`NO_DAY`;
    :data:`NO_DAY` where all are."""
    out = np.full(len(columns[0]), _LATEST, dtype=np.int64)
    for column in columns:
        out = np.where(column != NO_DAY, np.minimum(out, column), out)
    out[out == _LATEST] = NO_DAY
    return out


def order_by_owner(owner: npt.NDArray[Any], key: npt.NDArray[Any]) -> Rows:
    """The rows ordered by owner, then by ``key``, ties in table order: the order of
    ``np.lexsort((key, owner))``, found faster as one stable sort of a combined key
    (a run already in order costs one pass)."""
    if not len(owner):
        return np.zeros(0, dtype=np.intp)
    low, high = int(key.min()), int(key.max())
    span = high - low + 1
    if span <= 0 or (int(owner.max()) + 1) * span >= 2**62 or int(owner.min()) < 0:
        return np.lexsort((key, owner)).astype(np.intp)
    combined = owner.astype(np.int64) * span + (key.astype(np.int64) - low)
    return np.argsort(combined, kind="stable").astype(np.intp)


def first_by_keys(n: int, owner: npt.NDArray[np.integer], *keys: npt.NDArray[np.generic]) -> Rows:
    """Per owner (``0 .. n-1``): the row of its first entity when its entities are sorted
    by ``keys`` (the first key first, each ascending), ties kept in row order; ``-1`` for
    an owner with none.

    ``max(records, key=...)`` of the first maximal record is ``first_by_keys(n, owner,
    -value)``; ``min(...)`` of the first minimal one is ``first_by_keys(n, owner, value)``.
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
