"""Wording helpers for findings and reports: long dates, plurals, half-up percentages, and
text made safe to print (control characters shown as escapes)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "FORMULA_STARTS",
    "csv_cell",
    "csv_field",
    "csv_fields",
    "long_date",
    "month_name",
    "one_line",
    "percent",
    "plural",
    "printable",
    "round_half_up",
]

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Characters that move the cursor, start a terminal escape sequence, break a line or
#: reorder what follows (C0 and C1 controls, DEL, line and paragraph separators, bidi
#: overrides and isolates), each mapped to a visible escape.
_UNPRINTABLE = {
    code: _NAMED_ESCAPES.get(chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in (
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}

_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(month: int) -> str:
    """English name of month 1-12, whatever the locale."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    return _MONTHS[month]


def long_date(day: dt.date) -> str:
    """``31 December 2007`` (English month names whatever the locale)."""
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 working day`` / ``2 working days``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def round_half_up(value: Fraction, places: int = 0) -> Decimal:
    """Round a fraction half-up (60.5 -> 61), never to even as ``round()`` does."""
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def percent(value: Fraction, places: int = 0) -> str:
    """A proportion as a percentage rounded half-up: ``Fraction(121, 200)`` -> ``"61%"``."""
    return f"{round_half_up(value * 100, places)}%"


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\n``, ``\\x1b``, ``\\u202e``).

    What a report prints from a case file (a reference, a rule id) cannot then
    forge a line, move the cursor, colour the terminal or reorder what follows::

        >>> printable("EX-1\\nEX-2 met")
        'EX-1\\\\nEX-2 met'
        >>> printable("\\x1b[31mred")
        '\\\\x1b[31mred'
    """
    # Every character escaped is one ``str.isprintable`` rejects (categories Cc, Cf, Zl
    # and Zp), so printable text, nearly all of it, is returned without translating.
    return text if text.isprintable() else text.translate(_UNPRINTABLE)


def one_line(text: str) -> str:
    """``text`` as one printable line: its lines joined with ``; ``, control characters escaped."""
    lines = [line.strip() for line in text.splitlines()]
    return printable("; ".join(line for line in lines if line))


#: First characters that make a spreadsheet read a cell as a formula (or, for tab and
#: carriage return, hide one behind them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)%?")


def csv_cell(cell: str | int | None) -> str | int:
    """A cell as CSV holds it: empty for nothing; text a spreadsheet would run as a formula
    (``=HYPERLINK(...)``, ``+1+cmd``, ``@SUM(...)``) gets a leading ``'`` so it is shown as
    text. Plain numbers (``-3``, ``+2.5%``) stay as they are. Control characters are shown
    as escapes (:func:`printable`), as in every other format.

        >>> print(csv_cell('=HYPERLINK("http://x")'))
        '=HYPERLINK("http://x")
        >>> csv_cell("-3"), csv_cell("EX-0001"), csv_cell(None)
        ('-3', 'EX-0001', '')
    """
    if cell is None:
        return ""
    if not isinstance(cell, str):
        return cell
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + printable(cell)
    return printable(cell)


def csv_field(cell: str | int | None) -> str:
    """A cell as it is written in a CSV line: :func:`csv_cell`, then quoted as
    ``csv.writer`` quotes it (minimal quoting: in double quotes, its own doubled, when it
    holds a comma or a double quote; :func:`csv_cell` has already escaped line breaks).

        >>> csv_field('Said "no", twice'), csv_field("EX-1"), csv_field(None)
        ('"Said ""no"", twice"', 'EX-1', '')
    """
    shown = str(csv_cell(cell))
    if '"' in shown:
        return '"' + shown.replace('"', '""') + '"'
    if "," in shown:
        return '"' + shown + '"'
    return shown


def csv_fields(cells: Iterable[str | int | None]) -> dict[str | int | None, str]:
    """:func:`csv_field` of each of ``cells``, by cell: the same text, with the common
    case (printable text that a spreadsheet would not take for a formula) written
    without a call per cell (a CSV of findings writes millions).

        >>> csv_fields(["a, b", "plain", None])
        {'a, b': '"a, b"', 'plain': 'plain', None: ''}
    """
    shown: dict[str | int | None, str] = {}
    for cell in cells:
        if type(cell) is not str or not cell.isprintable() or cell.startswith(FORMULA_STARTS):
            shown[cell] = csv_field(cell)
        elif '"' in cell:
            shown[cell] = '"' + cell.replace('"', '""') + '"'
        elif "," in cell:
            shown[cell] = '"' + cell + '"'
        else:
            shown[cell] = cell
    return shown
