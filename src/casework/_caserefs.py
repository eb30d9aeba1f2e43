"""Compact, read-only sequences for scorecards of large samples.

A scorecard of a caseload lists, per question, every case above the line, below
it, unanswered and not applicable: ``cases x questions`` references. Held as
tuples that is eight bytes a pair; :class:`CaseRefs` holds one byte a pair (a
column of outcome codes over the shared tuple of case references) and yields the
references when read. :class:`Lines` is a sequence of text lines some of which
are made when read (the warnings listing unanswered cases). :class:`Mapped` makes
each item of another sequence into a report's row or record as it is read.

Both compare equal to a tuple (or list) holding the same items, and hash as it,
so a scorecard made this way equals the one made with tuples.

For a caseload too large to keep a byte per case and question in memory (decision:
score-spilled-cases), :class:`SpilledRefs` reads the references from files and
:class:`SpilledColumn` a question's codes, a block of cases at a time; a
:class:`CaseRefs` over them holds no per-case state in memory at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

__all__ = [
    "BLOCK",
    "CaseRefs",
    "Lines",
    "Mapped",
    "PackedRefs",
    "SpilledColumn",
    "SpilledRefs",
    "plain",
    "spill_refs",
]

T = TypeVar("T")
U = TypeVar("U")


class Mapped(Sequence[U], Generic[T, U]):
    """``make`` of each item of ``items``, made as it is read: a report's rows or records
    of items that may be read from disk (spilled units, spilled changes), never all in
    memory at once."""

    __slots__ = ("_items", "_make")

    def __init__(self, items: Sequence[T], make: Callable[[T], U]) -> None:
        self._items = items
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[U]:
        return map(self._make, self._items)

    @overload
    def __getitem__(self, index: int) -> U: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[U, ...]: ...
    def __getitem__(self, index: int | slice) -> U | tuple[U, ...]:
        if isinstance(index, slice):
            return tuple(map(self._make, self._items[index]))
        return self._make(self._items[index])


#: Cases read from a spilled file at a time (a byte of codes and ~16 bytes of
#: reference each, plus a ``str`` per reference while a block is read).
BLOCK = 1 << 16


def _same(left: Sequence[Any], right: object) -> bool:
    if isinstance(right, str) or not isinstance(right, Sequence):
        return False
    return len(left) == len(right) and all(a == b for a, b in zip(left, right, strict=True))


def spill_refs(refs: Sequence[str]) -> tuple[bytes, Any]:
    """References as :class:`SpilledRefs` keeps them: their bytes, each followed by a line
    break, and the length of each (int64 numpy array)."""
    import numpy as np  # noqa: PLC0415

    encoded = [ref.encode("utf-8") + b"\n" for ref in refs]
    return b"".join(encoded), np.fromiter(map(len, encoded), dtype=np.int64, count=len(refs))


def _decoded(data: bytes | memoryview, ends: Any) -> list[str]:
    """The references in ``data`` (as :func:`spill_refs` writes them), ``ends`` the end
    offset of each in ``data``."""
    text = bytes(data).decode("utf-8")
    if text.count("\n") == len(ends):  # no reference holds a line break
        return text[:-1].split("\n")
    found, at = [], 0
    for end in ends.tolist():
        found.append(bytes(data[at : end - 1]).decode("utf-8"))
        at = end
    return found


class _Blocks(Sequence[str]):
    """References read a block at a time (:meth:`block`); compares equal to a tuple of the
    same references, and hashes as it."""

    __slots__ = ("_size",)

    _size: int

    def block(self, start: int, stop: int) -> list[str]:
        """The references of cases ``start`` to ``stop`` (excluded)."""
        raise NotImplementedError

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[str]:
        for start in range(0, self._size, BLOCK):
            yield from self.block(start, start + BLOCK)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._size)))
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("case index out of range")
        return self.block(index, index + 1)[0]

    def __eq__(self, other: object) -> bool:
        return _same(self, other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._size} cases)"


class PackedRefs(_Blocks):
    """Case references packed in memory as :class:`SpilledRefs` keeps them in files: their
    UTF-8 bytes, each followed by a line break, and each one's end offset (about the
    reference's length and 8 bytes a case, where a ``str`` and its place in a tuple take
    about 60 bytes more); made into strings when read. :meth:`extend` adds a chunk's.

    Compares equal to a tuple of the same references, and hashes as it."""

    __slots__ = ("_data", "_ends", "_joined")

    def __init__(self, refs: Sequence[str] = ()) -> None:
        self._data = bytearray()
        self._ends: list[Any] = []
        self._joined: Any = None
        self._size = 0
        self.extend(refs)

    def extend(self, refs: Sequence[str]) -> None:
        """Add these references after those held."""
        if not refs:
            return
        data, lengths = spill_refs(refs)
        self._ends.append(len(self._data) + lengths.cumsum())
        self._data += data
        self._joined = None
        self._size += len(refs)

    def _all_ends(self) -> Any:
        import numpy as np  # noqa: PLC0415 (report.output imports this module: start-up)

        if self._joined is None:
            self._joined = np.concatenate(self._ends) if self._ends else np.zeros(0, np.int64)
            self._ends = [self._joined]
        return self._joined

    def block(self, start: int, stop: int) -> list[str]:
        """The references of cases ``start`` to ``stop`` (excluded)."""
        start, stop = max(0, start), min(stop, self._size)
        if start >= stop:
            return []
        ends = self._all_ends()[start:stop]
        base = 0 if start == 0 else int(self._joined[start - 1])
        return _decoded(memoryview(self._data)[base : int(ends[-1])], ends - base)


class SpilledRefs(_Blocks):
    """Case references kept in two files: their UTF-8 bytes one after another, each
    followed by a line break (``refs.bin``), and each one's end offset (``ends.bin``,
    int64); read a block at a time.

    Compares equal to a tuple of the same references.
    """

    __slots__ = ("_ends", "_path")

    def __init__(self, directory: Path, size: int) -> None:
        self._path = directory / "refs.bin"
        self._ends = directory / "ends.bin"
        self._size = size

    @property
    def directory(self) -> Path:
        """The folder holding the files."""
        return self._path.parent

    def block(self, start: int, stop: int) -> list[str]:
        """The references of cases ``start`` to ``stop`` (excluded)."""
        import numpy as np  # noqa: PLC0415 (report.output imports this module: start-up)

        start, stop = max(0, start), min(stop, self._size)
        if start >= stop:
            return []
        first = 0 if start == 0 else start - 1
        ends = np.fromfile(self._ends, dtype=np.int64, count=stop - first, offset=8 * first)
        base = 0
        if start != 0:
            base, ends = int(ends[0]), ends[1:]
        with self._path.open("rb") as stream:
            stream.seek(base)
            data = stream.read(int(ends[-1]) - base)
        return _decoded(data, ends - base)


class SpilledColumn:
    """One question's codes, a byte per case, in a file; read a block of cases at a time.

    ``unanswered``: the outcome codes of the ``not_evidenced="unanswered"`` reading (a
    code flagged "not evidenced", 8, read as unanswered, 3; others as their outcome)."""

    __slots__ = ("path", "size", "unanswered")

    def __init__(self, path: Path, size: int, *, unanswered: bool = False) -> None:
        self.path = path
        self.size = size
        self.unanswered = unanswered

    def read(self, start: int, stop: int) -> Any:
        """The codes of cases ``start`` to ``stop`` (excluded), a numpy array."""
        import numpy as np  # noqa: PLC0415

        stop = min(stop, self.size)
        raw = np.fromfile(self.path, dtype=np.uint8, count=max(0, stop - start), offset=start)
        if raw.size < stop - start:  # cases after the question's last finding: 0
            raw = np.concatenate([raw, np.zeros(stop - start - raw.size, dtype=np.uint8)])
        if not self.unanswered:
            return raw
        return np.where(raw & 8, np.uint8(3), raw & 7).astype(np.uint8)


class CaseRefs(Sequence[str]):
    """The references of the cases whose code in ``column`` is one of ``values``, in order.

    ``column`` holds one code per case of ``refs`` (``column & mask`` is compared): a
    numpy array, or a :class:`SpilledColumn` read a block at a time. ``count``, when
    known, spares a pass to count the cases listed.
    """

    __slots__ = ("_column", "_count", "_mask", "_refs", "_values")

    def __init__(
        self,
        refs: Sequence[str],
        column: Any,
        values: tuple[int, ...],
        mask: int = 0xFF,
        count: int | None = None,
    ) -> None:
        self._refs = refs
        self._column = column
        self._values = values
        self._mask = mask
        self._count: int | None = count

    def matches(self, start: int, stop: int) -> Any:
        """Whether each case ``start`` to ``stop`` (excluded) is listed: a numpy bool array."""
        import numpy as np  # noqa: PLC0415

        column = self._column
        codes = (
            column.read(start, stop) if isinstance(column, SpilledColumn) else column[start:stop]
        )
        if self._mask != 0xFF:
            codes = codes & self._mask
        return np.isin(codes, self._values)

    def blocks(self) -> Iterator[tuple[int, Any]]:
        """``(start, positions)``: the cases listed, a block of cases at a time (positions
        counted from ``start``)."""
        import numpy as np  # noqa: PLC0415

        size = len(self._refs)
        step = BLOCK if isinstance(self._column, SpilledColumn) else max(1, size)
        for start in range(0, size, step):
            yield start, np.flatnonzero(self.matches(start, start + step))

    @property
    def refs(self) -> Sequence[str]:
        """Every case's reference (the listed ones are some of them)."""
        return self._refs

    def positions(self) -> Any:
        """The indices into ``refs`` of the cases listed (a numpy array)."""
        import numpy as np  # noqa: PLC0415 (report.output imports this module: start-up)

        if not isinstance(self._column, SpilledColumn):
            codes = self._column if self._mask == 0xFF else self._column & self._mask
            return np.flatnonzero(np.isin(codes, self._values))
        parts = [start + found for start, found in self.blocks()]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(int(found.size) for _start, found in self.blocks())
        return self._count

    def __iter__(self) -> Iterator[str]:
        for listed in self.listed():
            yield from listed

    def listed(self) -> Iterator[list[str]]:
        """The references listed, in order, a list of them at a time (a block of cases'
        worth when the references are spilled, else all of them)."""
        refs = self._refs
        if not isinstance(refs, SpilledRefs):
            positions = self.positions().tolist()
            if positions:
                yield list(map(refs.__getitem__, positions))
            return
        for start, found in self.blocks():
            if found.size:
                block = refs.block(start, start + BLOCK)
                yield list(map(block.__getitem__, found.tolist()))

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

    def parts(self) -> tuple[str | tuple[str, Sequence[str]], ...]:
        """The lines as given: text, or ``(head, refs)`` to be joined when read."""
        return self._items

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
