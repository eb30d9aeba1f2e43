"""Append-only temporary files for the items a report lists, read back in order.

A tally of a large caseload lists far more units (each with its sentence) than it
counts: a target report names every case that was not met. :class:`SpillFile` keeps
such items on disk instead, written a block at a time (each block a pickled list of
plain tuples, one per item) and read back a block at a time, so memory holds one
block, not the list.

The file is removed when :meth:`SpillFile.close` is called or, failing that, when the
last object reading it is garbage collected (a ``weakref.finalize``).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["Block", "SpillFile"]

#: Where a block lies in its file: (offset, size in bytes, number of items).
Block = tuple[int, int, int]


def _remove(handle: IO[bytes], path: str) -> None:
    handle.close()
    Path(path).unlink(missing_ok=True)  # (already gone if its directory was cleaned up)


class SpillFile:
    """One temporary file of pickled blocks, appended to and read from by offset."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        handle, path = tempfile.mkstemp(prefix="casework-", suffix=".spill", dir=directory)
        self.path = path
        self._file: IO[bytes] = os.fdopen(handle, "w+b")
        self._end = 0
        self._closer = weakref.finalize(self, _remove, self._file, path)

    @property
    def closed(self) -> bool:
        """Whether the file has been removed."""
        return not self._closer.alive

    def append(self, items: list[tuple[Any, ...]]) -> Block:
        """Write ``items`` as one block at the end of the file."""
        data = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        offset, self._end = self._end, self._end + len(data)
        return offset, len(data), len(items)

    def read_bytes(self, block: Block) -> bytes:
        """One block as written (pickled)."""
        if self.closed:
            raise ValueError("the units of this tally were removed with its spill file (closed)")
        offset, size, _count = block
        self._file.seek(offset)
        return self._file.read(size)

    def read(self, block: Block) -> list[tuple[Any, ...]]:
        """One block's items."""
        items: list[tuple[Any, ...]] = pickle.loads(self.read_bytes(block))
        return items

    def iter_blocks(self, blocks: tuple[Block, ...]) -> Iterator[list[tuple[Any, ...]]]:
        """The items of each block in turn."""
        for block in blocks:
            yield self.read(block)

    def close(self) -> None:
        """Remove the file now (idempotent)."""
        self._closer()

    def __repr__(self) -> str:
        return f"<SpillFile {self._end:,} bytes{' (closed)' if self.closed else ''}>"
