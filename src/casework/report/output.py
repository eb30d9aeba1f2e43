"""A report in every format from one object: text, Markdown, HTML, JSON and CSV.

A :class:`Report` pairs what people read (a :class:`~casework.report.document.Document`)
with the plain data it was built from (``data``, the documented JSON shape) and
the long table a spreadsheet wants (``table``, the CSV). It shows itself as a
table in Jupyter and as text in a terminal.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO, TypeAlias, get_args

import attrs

from casework._caserefs import CaseRefs, Lines, plain
from casework.report.document import (
    TEXT_WIDTH,
    Document,
    Figure,
    Table,
    iter_blocks,
    iter_html,
    iter_markdown,
    iter_table_csv,
    iter_text,
    render_html,
)

if TYPE_CHECKING:  # (only annotations: the command line imports FORMATS without them)
    from casework.io import LoadResult
    from casework.stream import StreamedRead

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Format",
    "Report",
    "format_for_path",
    "iter_json",
    "record_counts",
]

Format: TypeAlias = Literal["text", "markdown", "html", "json", "csv"]
FORMATS: tuple[Format, ...] = get_args(Format)

#: The suffixes :func:`format_for_path` knows, and the format each names.
SUFFIXES: Mapping[str, Format] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
}


#: Characters of JSON joined before each write (a piece may itself be long: a warning
#: listing every unanswered case is one string).
_PIECES = 1 << 16


def _plain(value: object) -> Any:
    """JSON ``default=``: any other sequence (a compact or spilled list) as a list."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    return plain(value)


def format_for_path(path: str | Path) -> Format:
    """The format a file name asks for (``report.html`` -> ``"html"``)."""
    suffix = Path(path).suffix.lower()
    try:
        return SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(sorted(SUFFIXES))
        raise ValueError(
            f"cannot tell the format of {Path(path).name!r}; use one of {known}"
        ) from None


def record_counts(load: LoadResult | StreamedRead) -> dict[str, int]:
    """How many records a case file held, and how many were accepted and rejected (the
    ``records`` field of every report made from a file)."""
    return {"read": load.records, "accepted": load.accepted, "rejected": len(load.errors)}


@attrs.frozen(repr=False)
class Report:
    """One report, renderable in every format casework offers."""

    document: Document
    """What people read."""
    data: Mapping[str, Any] = attrs.field(repr=False)
    """The report's content as plain JSON-ready data (see docs/json.md for each shape)."""
    table: Table | None = attrs.field(default=None, repr=False)
    """The long table behind the report: what CSV holds."""
    text: str | None = attrs.field(default=None, repr=False)
    """Plain text to print instead of rendering the document (a compact, grep-able form)."""

    def render(self, format: Format = "text", *, width: int = TEXT_WIDTH) -> str:
        """The report as ``text``, ``markdown``, ``html``, ``json`` or ``csv``; plain text
        is wrapped to ``width`` columns (between words: identifiers are never broken)."""
        if format == "json":
            return json.dumps(self.data, indent=2, ensure_ascii=False, default=_plain) + "\n"
        return "".join(self.pieces(format, width=width))

    def pieces(self, format: Format = "text", *, width: int = TEXT_WIDTH) -> Iterator[str]:
        """:meth:`render`'s text a piece at a time, read from the document and the data as
        it is written (a long list, made when read, is never whole in memory; nor are the
        CSV table's rows)."""
        if format == "text":
            if self.text is not None:
                return iter((self.text,))
            return iter_text(self.document, width=width)
        if format == "markdown":
            return iter_markdown(self.document)
        if format == "html":
            return iter_html(self.document)
        if format == "json":
            return itertools.chain(iter_json(self.data), ("\n",))
        if format == "csv":
            if self.table is None:
                raise ValueError(f"{self.document.title!r} has no table to write as CSV")
            return iter_table_csv(self.table)
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")

    def to_dict(self) -> dict[str, Any]:
        """The plain data (a copy), as JSON would hold it."""
        result: dict[str, Any] = json.loads(json.dumps(self.data, default=_plain))
        return result

    def write(self, stream: TextIO, format: Format = "text", *, width: int = TEXT_WIDTH) -> None:
        """Write the report to ``stream``, as :meth:`render` gives it, a piece at a time
        (:meth:`pieces`), never whole in memory (a caseload's scorecard lists every case of
        every question; a target report every unit not met)."""
        pieces: list[str] = []
        size = 0
        for piece in self.pieces(format, width=width):
            pieces.append(piece)
            size += len(piece)
            if size >= _PIECES:
                stream.write("".join(pieces))
                pieces.clear()
                size = 0
        stream.write("".join(pieces))

    def save(self, path: str | Path, format: Format | None = None) -> Path:
        """Write the report to ``path``, in ``format`` or the one its suffix names."""
        target = Path(path)
        chosen = format or format_for_path(target)
        with target.open("w", encoding="utf-8") as stream:
            self.write(stream, chosen)
        return target

    def figures(self) -> tuple[Figure, ...]:
        """The charts in the report, in reading order."""
        return tuple(b for b in iter_blocks(self.document.blocks) if isinstance(b, Figure))

    def __str__(self) -> str:
        return self.render("text")

    def __repr__(self) -> str:
        return f"<Report {self.document.title!r}: print() it, render() or save() it>"

    def _repr_html_(self) -> str:
        return render_html(self.document, standalone=False)


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 (NaN)
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    if isinstance(key, str):
        return key
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, float):
        return _float(key)
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


#: Strings of a list encoded and joined at a time by :func:`iter_json`.
_BATCH = 1 << 12


def _joined(refs: Iterable[str]) -> Iterator[str]:
    """The inside of the JSON string ``", ".join(refs)``, a batch of references at a time
    (JSON escapes each character alone, so the pieces join to the whole)."""
    after = ""
    for batch in _batches(refs):
        yield encode_basestring(after + ", ".join(batch))[1:-1]
        after = ", "


def _batches(refs: Iterable[str]) -> Iterator[Sequence[str]]:
    """``refs`` in batches of :data:`_BATCH` (a :class:`CaseRefs`: the lists it reads)."""
    if isinstance(refs, CaseRefs):
        yield from refs.listed()
        return
    items = iter(refs)
    while batch := list(itertools.islice(items, _BATCH)):
        yield batch


def iter_json(value: object, level: int = 0) -> Iterator[str]:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False, default=plain)``
    gives it, in pieces: a compact sequence (:class:`~casework._caserefs.CaseRefs`,
    :class:`~casework._caserefs.Lines`) is written a reference at a time, never made whole
    (a warning listing a caseload's unanswered cases is one JSON string of many MB)."""
    if isinstance(value, str):
        yield encode_basestring(value)
    elif value is None:
        yield "null"
    elif value is True:
        yield "true"
    elif value is False:
        yield "false"
    elif isinstance(value, int):
        yield int.__repr__(value)
    elif isinstance(value, float):
        yield _float(value)
    elif isinstance(value, Mapping):
        if not value:
            yield "{}"
            return
        inner = "\n" + "  " * (level + 1)
        first = True
        for key, item in value.items():
            yield ("{" if first else ",") + inner + encode_basestring(_key(key)) + ": "
            first = False
            yield from iter_json(item, level + 1)
        yield "\n" + "  " * level + "}"
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        yield from _iter_list(value, level)  # a list, a tuple, or a compact or spilled list
    else:
        yield from iter_json(plain(value), level)


def json_text(value: object, pad: str = "\n") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, default=plain)`` with each line
    end followed by ``pad`` (a line end and the indent of the place the value is written
    at, as :func:`iter_json` indents a nested value), made at once: strings, whole
    numbers, booleans, ``None`` and the lists and dicts of them by the C string encoder
    (tested as ``json``'s encoder tests them, in its order), anything else by
    ``json.dumps``. For many small records (a finding each)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts: list[str] = []
        add = parts.append
        for key, item in value.items():
            if not isinstance(key, str):  # (json.dumps writes other keys as text)
                return _dumped(value, pad)
            if isinstance(item, str):
                add(inner + encode_basestring(key) + ": " + encode_basestring(item))
            elif item is None:
                add(inner + encode_basestring(key) + ": null")
            else:
                add(inner + encode_basestring(key) + ": " + json_text(item, inner))
        return "{" + ",".join(parts) + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[" + ",".join([inner + json_text(item, inner) for item in value]) + pad + "]"
    return _dumped(value, pad)


def _dumped(value: object, pad: str) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=_plain).replace("\n", pad)


#: The types of a record's values :func:`_iter_list` writes at once (:func:`json_text`).
_FLAT = frozenset({str, int, bool, float, type(None)})


def _iter_list(value: Sequence[Any], level: int) -> Iterator[str]:
    """A list as :func:`iter_json` writes it: strings encoded and joined a batch at a time."""
    if not len(value):
        yield "[]"
        return
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, CaseRefs):  # references only: encoded and joined a block at a time
        opened = False
        for listed in value.listed():
            yield (
                ("," if opened else "[")
                + inner
                + ("," + inner).join(map(encode_basestring, listed))
            )
            opened = True
        yield "\n" + "  " * level + "]"
        return
    lines = isinstance(value, Lines)
    opened = False
    batch: list[str] = []  # texts of consecutive strings, joined a batch at a time
    for item in value.parts() if isinstance(value, Lines) else value:
        if isinstance(item, str):
            batch.append(encode_basestring(item))
            if len(batch) >= _BATCH:
                yield ("," if opened else "[") + inner + ("," + inner).join(batch)
                opened = True
                batch.clear()
            continue
        if batch:
            yield ("," if opened else "[") + inner + ("," + inner).join(batch)
            opened = True
            batch.clear()
        yield ("," if opened else "[") + inner
        opened = True
        if type(item) is dict and all(type(v) in _FLAT for v in item.values()):
            yield json_text(item, inner)  # a record of plain values (a unit of a report)
        elif lines and isinstance(item, tuple):  # a line made when read: head, references
            head, refs = item
            yield encode_basestring(head)[:-1]
            yield from _joined(refs)
            yield '"'
        else:
            yield from iter_json(item, level + 1)
    if batch:
        yield ("," if opened else "[") + inner + ("," + inner).join(batch)
    yield "\n" + "  " * level + "]"
