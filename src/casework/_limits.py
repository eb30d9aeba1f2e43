"""Limits on untrusted input and the markers parsers leave for the loaders to report.

A parser that meets something a case file must not hold (a key given twice, a
number too long to be a real value) does not fail the whole file: it leaves a
marker in the parsed data, and the loader rejects the one record holding it,
located. See docs/case-files.md ("Limits").
"""

from __future__ import annotations

from typing import Any, Final

import attrs

__all__ = ["DEFAULT_LIMITS", "KeyedDict", "Limits", "OversizeNumber"]


@attrs.frozen
class Limits:
    """How much a case or inspection file may hold before it is refused (decision: input-limits).

    Every limit is far above what a real case needs (a case record nests 5 deep,
    its numbers have at most 4 digits) and far below what would exhaust memory,
    the stack or patience.
    """

    max_depth: int = 16
    """Deepest nesting of objects and lists inside one record."""
    max_number_digits: int = 30
    """Longest whole number (in digits) read as a number."""
    max_record_bytes: int = 1 << 20
    """Longest line of JSON Lines (one record), in bytes."""
    max_document_bytes: int = 64 << 20
    """Largest JSON or YAML file, in bytes (JSON Lines is streamed and has no file limit)."""
    max_record_values: int = 100_000
    """Most values (objects, lists, scalars) in one record, aliases expanded."""
    max_alias_expansion: int = 10_000
    """Most values YAML aliases may add to a document beyond the values written out."""
    max_parse_depth: int = 200
    """Deepest nesting a parser is allowed to follow before the whole file is refused."""
    max_problems: int = 50
    """Most problems listed for one record; the rest are counted in one last problem."""


#: The limits every reader applies unless given others, and those the ``Case`` model checks
#: itself whatever the loader's (``Case._within_limits``): one frozen instance, shared.
DEFAULT_LIMITS: Final = Limits()


class KeyedDict(dict[str, Any]):
    """A mapping in which some key was written more than once (last value kept)."""

    duplicates: tuple[str, ...] = ()


@attrs.frozen
class OversizeNumber:
    """A whole number with more digits than :attr:`Limits.max_number_digits` (not converted)."""

    digits: int
