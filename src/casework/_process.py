"""Settings for a process that is casework's alone: the command line's, and each worker
process :mod:`casework.parallel` starts. Light to import (the command line's start-up)."""

from __future__ import annotations

import functools
import gc
import importlib.util
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "ARROW_POOL_ENV",
    "COMMAND_GC_THRESHOLDS",
    "arrow_allocator",
    "arrow_without_pandas",
    "own_process",
    "release_free_memory",
]

#: The cyclic garbage collector's thresholds while a command runs (``gc.set_threshold``).
#: A command makes and drops millions of small objects a chunk at a time; at Python's
#: default (700, 10, 10) the collector's passes took a quarter of ``findings -f parquet``
#: (docs/decisions.md#fewer-collections). Chunks are dropped whole, so the memory that
#: waits for a pass stays bounded: with the youngest generation's at 100,000, not 20,000,
#: the peaks moved by -1 to +4 MB at 100,000 cases and +1 to +8 MB at a million, about a
#: run's noise (docs/performance.md, "Measured on 4 December, late").
COMMAND_GC_THRESHOLDS = (100_000, 20, 20)


#: The environment variable from which Arrow chooses the allocator of its default memory
#: pool, once, when pyarrow is imported (``mimalloc``, ``jemalloc`` or ``system``).
ARROW_POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"


def arrow_allocator() -> None:
    """In a process of casework's own (the command line's), have Arrow take its memory
    from jemalloc rather than its default, mimalloc, where this pyarrow was built with it.
    ``casework findings -f parquet`` on 100,000 cases peaked at about 295 MB with mimalloc
    and 225 MB with jemalloc, in the same time; that is what lets a chunk hold 1,500 cases
    (:data:`casework.stream.DEFAULT_CHUNK`; decision: arrow-allocator).

    Arrow reads :data:`ARROW_POOL_ENV` when pyarrow is imported, so this sets it before
    that: not when the user has set it (theirs is kept) or pyarrow is imported already
    (then nothing would change). Whether the build has jemalloc is read from its own
    configuration header, without importing pyarrow: an allocator the build lacks would
    make Arrow print a warning (Windows builds have none)."""
    if ARROW_POOL_ENV in os.environ or "pyarrow" in sys.modules:
        return
    if _arrow_has_jemalloc():
        os.environ[ARROW_POOL_ENV] = "jemalloc"


_JEMALLOC_BUILT = re.compile(r"^#define ARROW_JEMALLOC\s*$", re.MULTILINE)


def _arrow_has_jemalloc() -> bool:
    """Whether the pyarrow installed was built with jemalloc (its ``arrow/util/config.h``,
    shipped with it, defines ``ARROW_JEMALLOC``); ``False`` where that cannot be read."""
    spec = importlib.util.find_spec("pyarrow")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            config = Path(folder, "include", "arrow", "util", "config.h").read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        return _JEMALLOC_BUILT.search(config) is not None
    return False


def own_process() -> None:
    """Set up a worker process as a command runs: the objects made so far (modules) left
    out of the collector's passes, the passes made rare (:data:`COMMAND_GC_THRESHOLDS`),
    and Arrow spared the import of pandas (:func:`arrow_without_pandas`). For a process
    that ends when its work does (a pool's worker); the command line sets the same while
    a command runs and puts them back afterwards (``casework.cli._few_collections``)."""
    gc.freeze()
    gc.set_threshold(*COMMAND_GC_THRESHOLDS)
    arrow_without_pandas()


def arrow_without_pandas() -> None:
    """Spare the program, when it writes Arrow, the import of pandas (some 300 modules,
    longer than writing a small file): pyarrow imports it on its first ``pa.array()`` to
    ask whether the values are pandas objects, which ours never are. The first array is
    made while pandas cannot be imported, so pyarrow notes "no pandas" for the arrays made
    afterwards from numpy buffers (the Parquet path's); the arrays and the file are the
    same. An array made from a Python list (of strings, and of numbers too) asks again and
    imports pandas (measured with pyarrow 26), so a path that makes those pays for it
    still. Only in a process of its own
    (:attr:`casework.cli._Casework.program`, or a worker of
    :mod:`casework.parallel`): afterwards pyarrow would take pandas objects for plain
    sequences (a categorical column becomes strings)."""
    if "pandas" in sys.modules:
        return
    import pyarrow as pa  # noqa: PLC0415 (the module is light to import)

    class NoPandas:
        """An import finder for which pandas is not installed."""

        @staticmethod
        def find_spec(name: str, *_: object) -> None:
            if name.partition(".")[0] == "pandas":
                raise ModuleNotFoundError("pandas is not imported here", name=name)

    blocker = NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        pa.array([], pa.int32())
    finally:
        sys.meta_path.remove(blocker)


def release_free_memory() -> None:
    """Give the pages the C allocator holds free back to the system (glibc's
    ``malloc_trim(0)``; nothing where the C library has no such function). Called where a
    phase that made and freed large arrays ends and a long one begins (the scorecard's
    bootstrap after its cases are sorted): glibc keeps freed memory inside its heap,
    resident, and the next phase's arrays are made beside it rather than in it
    (decision: score-memory-released). Safe in any process: it frees nothing in use."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # noqa: PLC0415 (start-up: only the scorecard's bootstrap asks)

    try:
        found: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc (musl has none)
        return None
    return found
