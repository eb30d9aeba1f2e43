"""Compact, read-only sequences for scorecards of large samples.

A scorecard of a caseload lists, per question, every case above the line, below
it, unanswered and not applicable: ``cases x questions`` references. Held as
tuples that is eight bytes a pair; :class:`CaseRefs` holds one byte a pair (a
column of outcome codes over the shared tuple of case references) and yields the
references when read. :class:`Lines` is a sequence of text lines some of which
are made when read (the warnings listing unanswered cases).

Both compare equal to a tuple (or list) holding the same items, and hash as it,
so a scorecard made this way equals the one made with tuples.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

__all__ = ["CaseRefs", "Lines", "plain"]


def _same(left: Sequence[Any], right: object) -> bool:
    if isinstance(right, str) or not isinstance(right, Sequence):
        return False
    return len(left) == len(right) and all(a == b for a, b in zip(left, right, strict=True))


class CaseRefs(Sequence[str]):
    """The references of the cases whose code in ``column`` is one of ``values``, in order.

    ``column`` holds one code per case of ``refs`` (``column & mask`` is compared).
    """

    __slots__ = ("_column", "_count", "_mask", "_refs", "_values")

    def __init__(
        self, refs: Sequence[str], column: Any, values: tuple[int, ...], mask: int = 0xFF
    ) -> None:
        self._refs = refs
        self._column = column
        self._values = values
        self._mask = mask
        self._count: int | None = None

    @property
    def refs(self) -> Sequence[str]:
        """Every case's reference (the listed ones are some of them)."""
        return self._refs

    def positions(self) -> Any:
        """The indices into ``refs`` of the cases listed (a numpy array)."""
        import numpy as np  # noqa: PLC0415 (report.output imports this module: start-up)

        codes = self._column if self._mask == 0xFF else self._column & self._mask
        return np.flatnonzero(np.isin(codes, self._values))

    def __len__(self) -> int:
        if self._count is None:
            self._count = int(self.positions().size)
        return self._count

    def __iter__(self) -> Iterator[str]:
        refs = self._refs
        for position in self.positions().tolist():
            yield refs[position]

    def __contains__(self, value: object) -> bool:
        return any(ref == value for ref in self)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        positions = self.positions().tolist()
        if isinstance(index, slice):
            return tuple(self._refs[p] for p in positions[index])
        found: str = self._refs[positions[index]]
        return found

    def __eq__(self, other: object) -> bool:
        return _same(self, other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"CaseRefs({len(self)} cases)"


class Lines(Sequence[str]):
    """Lines of text, each given as text or as ``(head, refs)``: ``head`` then the
    references joined by ``", "``, made when read."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[str | tuple[str, Sequence[str]]]) -> None:
        self._items = tuple(items)

    @staticmethod
    def _text(item: str | tuple[str, Sequence[str]]) -> str:
        if isinstance(item, str):
            return item
        head, refs = item
        return head + ", ".join(refs)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        for item in self._items:
            yield self._text(item)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self._text(item) for item in self._items[index])
        return self._text(self._items[index])

    def __eq__(self, other: object) -> bool:
        return _same(self, other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Lines({len(self)} lines)"


def plain(value: object) -> list[str]:
    """JSON ``default=``: a compact sequence as the list it stands for."""
    if isinstance(value, CaseRefs | Lines):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
