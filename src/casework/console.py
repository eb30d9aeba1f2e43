"""The command line's console: text as wide as the terminal, tables and progress drawn with
``rich`` on a terminal, plain and stable text everywhere else.

This module is part of the command line (:mod:`casework.cli`), not of the library: it
looks at the terminal, the ``COLUMNS`` environment variable and, for progress only, a
monotonic timer (progress is display, never a result). Nothing here changes what a
report says, only how wide its text is and whether it is drawn with colour and rules.

* Width: ``--width N``, else ``COLUMNS``, else the terminal's width, else
  :data:`~casework.report.document.TEXT_WIDTH` (100) when standard output is a pipe or
  a file, so piped output is the same wherever it runs. A file written with
  ``--output`` is 100 wide unless ``--width`` is given.
* Never a broken identifier: plain text wraps cells between words only (never inside a
  word, never at a hyphen); on a terminal, identifier columns are ``no_wrap`` and a
  table that cannot fit is drawn wider than the terminal rather than cut.
* Progress (stderr only): on a terminal a ``rich`` bar (from
  :data:`PROGRESS_THRESHOLD` records or cases, or at once with ``--progress``); off a
  terminal, with ``--progress``, one line every :data:`LINE_SECONDS` seconds or
  :data:`LINE_RECORDS` records and a final line (``loaded 6 records``).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar

import click

from casework.report.document import (
    TEXT_WIDTH,
    Document,
)

if TYPE_CHECKING:
    from casework import _terminal

__all__ = [
    "LINE_RECORDS",
    "LINE_SECONDS",
    "MIN_WIDTH",
    "PROGRESS_THRESHOLD",
    "Progress",
    "estimate_records",
    "is_terminal",
    "print_document",
    "progress_choice",
    "remember_progress",
    "text_width",
    "track",
    "width_option",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

MIN_WIDTH = 40
"""The narrowest width text output is wrapped to (a smaller ``COLUMNS`` counts as this)."""
MAX_WIDTH = 1000
PROGRESS_THRESHOLD = 200
"""Records or cases from which a progress bar is shown on a terminal (``--progress``
forces it, ``--no-progress`` or ``--quiet`` turns it off)."""
LINE_SECONDS = 5.0
"""Off a terminal, with ``--progress``: at most one progress line this often..."""
LINE_RECORDS = 10_000
"""...or every this many records or cases, whichever comes first."""

_WIDTH_KEY = "casework.width"
_PROGRESS_KEY = "casework.progress"
_JSON_LINES = {".jsonl", ".ndjson"}


# ---------------------------------------------------------------------- width


def _remember_width(ctx: click.Context, _param: click.Parameter, value: int | None) -> None:
    if value is not None:
        ctx.meta[_WIDTH_KEY] = value


def width_option(function: F) -> F:
    """``--width N``: the width text output is wrapped to (kept in the click context)."""
    return click.option(
        "--width",
        type=click.IntRange(MIN_WIDTH, MAX_WIDTH),
        metavar="N",
        expose_value=False,
        callback=_remember_width,
        help="Wrap text output to N columns. [default: the terminal's width, or COLUMNS; "
        f"{TEXT_WIDTH} in a pipe or a file]",
    )(function)


def is_terminal(stream: IO[str] | Any) -> bool:
    """Whether ``stream`` is an interactive terminal."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _asked_width() -> int | None:
    ctx = click.get_current_context(silent=True)
    value = None if ctx is None else ctx.meta.get(_WIDTH_KEY)
    return value if isinstance(value, int) else None


def _columns_env() -> int | None:
    text = os.environ.get("COLUMNS", "").strip()
    if not text.isdigit():
        return None
    return min(max(int(text), MIN_WIDTH), MAX_WIDTH)


def text_width(stream: IO[str] | Any = None, *, to_file: bool = False) -> int:
    """The width to wrap text to: ``--width``, else (for standard output) ``COLUMNS``,
    else the terminal's width, else :data:`TEXT_WIDTH`. A file written with ``--output``
    takes ``--width`` or :data:`TEXT_WIDTH`."""
    asked = _asked_width()
    if asked is not None:
        return asked
    if to_file:
        return TEXT_WIDTH
    env = _columns_env()
    if env is not None:
        return env
    if is_terminal(stream if stream is not None else sys.stdout):
        columns = shutil.get_terminal_size((TEXT_WIDTH, 24)).columns
        return min(max(columns, MIN_WIDTH), MAX_WIDTH)
    return TEXT_WIDTH


# ---------------------------------------------------------------------- rich rendering


def print_document(document: Document, stream: IO[str], width: int) -> None:
    """Draw ``document`` on a terminal with ``rich``: bold headings, ruled tables, verdicts
    in colour (the words stay). Identifier columns never wrap; a table too wide for
    ``width`` is drawn at the narrowest width that keeps every word whole."""
    from casework import _terminal  # noqa: PLC0415 (rich is imported only for a terminal)

    _terminal.print_document(document, stream, width)


# ---------------------------------------------------------------------- progress


def remember_progress(ctx: click.Context, _param: click.Parameter, value: bool | None) -> Any:
    """Option callback: keep ``--progress/--no-progress`` in the click context, so reading
    the case file can show progress as evaluating does."""
    ctx.meta[_PROGRESS_KEY] = value
    return value


def progress_choice() -> bool | None:
    """``--progress`` (True), ``--no-progress``/``--quiet`` (False) or neither (None)."""
    ctx = click.get_current_context(silent=True)
    value = None if ctx is None else ctx.meta.get(_PROGRESS_KEY)
    return value if isinstance(value, bool) else None


def estimate_records(path: Path) -> int | None:
    """About how many records a JSON Lines file holds (its non-empty lines, counted fast),
    or ``None`` for other formats (their records are known once the file is parsed)."""
    if path.suffix.lower() not in _JSON_LINES:
        return None
    lines = 0
    last = b"\n"
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return None
    return lines + (last != b"\n")


Mode = Literal["off", "bar", "lines"]


class Progress:
    """Progress of one stage (reading, evaluating) on stderr.

    ``done`` and ``noun`` word it: ``loaded 5,000 of ~20,000 records``. On a terminal a
    ``rich`` bar is drawn (from ``threshold`` items unless forced) and cleared at the end;
    off a terminal, lines are written when forced (``--progress``): at most one every
    ``every_seconds`` (a monotonic timer, for display only) or every ``every`` items, and
    a final line.
    """

    def __init__(
        self,
        label: str,
        done: str,
        noun: str,
        *,
        total: int | None = None,
        approximate: bool = False,
        choice: bool | None = None,
        stream: IO[str] | None = None,
        threshold: int = PROGRESS_THRESHOLD,
        every: int = LINE_RECORDS,
        every_seconds: float = LINE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.done = done
        self.noun = noun
        self.total = total
        self.approximate = approximate
        self.count = 0
        self._stream = stream
        self._forced = choice is True
        self._threshold = 0 if self._forced else threshold
        self._every = every
        self._every_seconds = every_seconds
        self._clock = clock
        terminal = is_terminal(stream if stream is not None else sys.stderr)
        self.mode: Mode
        if choice is False:
            self.mode = "off"
        elif terminal:
            self.mode = "bar"
        else:
            self.mode = "lines" if self._forced else "off"
        self._bar: _terminal.Bar | None = None
        self._last_line_at = clock()
        self._last_line_count = 0

    # -- the stage

    def __enter__(self) -> Progress:
        if self.mode == "bar" and self.total is not None and self.total >= self._threshold:
            self._start_bar()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close(finished=kind is None)

    def advance(self, count: int = 1) -> None:
        """``count`` more items done."""
        self.update(self.count + count)

    def update(self, count: int) -> None:
        """``count`` items done so far."""
        self.count = count
        if self.mode == "bar":
            if self._bar is None and count >= self._threshold:
                self._start_bar()
            if self._bar is not None:
                self._bar.update(count, self._bar_total())
        elif self.mode == "lines":
            now = self._clock()
            if (
                count - self._last_line_count >= self._every
                or now - self._last_line_at >= self._every_seconds
            ):
                self._line(self._so_far())
                self._last_line_at = now
                self._last_line_count = count

    def close(self, *, finished: bool = True) -> None:
        """End the stage: clear the bar, or (lines) write the final line when finished."""
        if self._bar is not None:
            self._bar.update(self.count, self._bar_total())
            self._bar.stop()
            self._bar = None
        elif self.mode == "lines" and finished:
            self._line(self._final())
        self.mode = "off"

    # -- drawing

    def _so_far(self) -> str:
        if self.total is None:
            return f"{self.done} {self.count:,} {self.noun} so far"
        about = "~" if self.approximate else ""
        return f"{self.done} {self.count:,} of {about}{self.total:,} {self.noun}"

    def _final(self) -> str:
        if self.total is None or self.approximate:
            return f"{self.done} {self.count:,} {self.noun}"
        return f"{self.done} {self.count:,} of {self.total:,} {self.noun}"

    def _line(self, text: str) -> None:
        click.echo(text, err=True, file=self._stream)

    def _bar_total(self) -> float | None:
        if self.total is None:
            return None
        return float(max(self.total, self.count))

    def _start_bar(self) -> None:
        from casework import _terminal  # noqa: PLC0415 (rich is imported only for a terminal)

        stream = self._stream if self._stream is not None else sys.stderr
        self._bar = _terminal.progress_bar(stream, self.label, self._bar_total(), self.count)


def track(items: Iterable[T], progress: Progress) -> Iterator[T]:
    """Each of ``items``, counted by ``progress``."""
    for item in items:
        yield item
        progress.advance()
