"""Compact displays for notebooks and consoles, and the DataFrame / Arrow exports.

Result types (scorecards, target reports, comparisons, load results, cases) show a
one-line ``repr`` and, in Jupyter, a short HTML summary: a few facts and the first
rows, like a DataFrame, however many cases lie behind them. Nothing here imports
pandas or pyarrow until an export is asked for.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["HTML_ROWS", "arrow_table", "html_summary", "short"]

HTML_ROWS = 10
"""Rows shown by a result's HTML display before "... N more"."""

_STYLE = (
    "<style>"
    ".casework-repr table{border-collapse:collapse;font-size:.85em}"
    # table.casework outranks JupyterLab's right-aligned cells (":not(...).jp-... td")
    ".casework-repr table.casework th,.casework-repr table.casework td"
    "{padding:.15em .6em;text-align:left}"
    ".casework-repr table.casework td.num,.casework-repr table.casework th.num{text-align:right}"
    ".casework-repr thead th{border-bottom:1px solid #999}"
    ".casework-repr p{margin:.2em 0}"
    ".casework-repr .more{color:#666;font-style:italic}"
    "</style>"
)


def short(text: str | None, width: int = 60) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    if text is None:
        return "-"
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def html_summary(
    title: str,
    facts: Sequence[tuple[str, str]],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    noun: str,
    numeric: Sequence[str] = (),
    limit: int = HTML_ROWS,
    total: int | None = None,
) -> str:
    """A compact HTML display: a bold title, facts on one line, the first ``limit`` rows.

    Every value is escaped; ``numeric`` names the columns aligned right. ``total`` is the
    number of rows in all, when only the first ones are given.
    """
    esc = html.escape
    lines = [f'<div class="casework-repr">{_STYLE}', f"<p><strong>{esc(title)}</strong></p>"]
    if facts:
        lines.append(
            "<p>" + " · ".join(f"{esc(label)}: {esc(value)}" for label, value in facts) + "</p>"
        )
    right = set(numeric)

    def cls(column: str) -> str:
        return ' class="num"' if column in right else ""

    head = "".join(f"<th{cls(c)}>{esc(c)}</th>" for c in columns)
    body = [
        "<tr>"
        + "".join(
            f"<td{cls(c)}>{esc('-' if v is None else str(v))}</td>"
            for c, v in zip(columns, row, strict=True)
        )
        + "</tr>"
        for row in rows[:limit]
    ]
    lines.append(
        f'<table class="casework"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    count = len(rows) if total is None else total
    more = count - min(limit, len(rows))
    described = f"{count} {noun}"
    lines.append(
        f'<p class="more">… {more} more; {esc(described)} in all</p>'
        if more > 0
        else f'<p class="more">{esc(described)}</p>'
    )
    lines.append("</div>")
    return "\n".join(lines)


def arrow_table(frame: Callable[[], DataFrame]) -> Any:
    """The DataFrame ``frame()`` makes, as a ``pyarrow.Table``; an ``ImportError`` saying
    what to install when pyarrow is missing (checked first: pandas may use it too)."""
    try:
        pyarrow = importlib.import_module("pyarrow")
    except ImportError:
        raise ImportError('to_arrow() needs pyarrow: pip install "casework[arrow]"') from None
    return pyarrow.Table.from_pandas(frame(), preserve_index=False)
