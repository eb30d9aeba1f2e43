"""Drawing on a terminal with ``rich`` (imported only when standard output or standard
error is a terminal, so piped runs start fast): documents as headings and ruled tables,
and progress bars. Used by :mod:`casework.console`."""

from __future__ import annotations

from typing import IO

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress
from rich.table import Table as RichTable
from rich.text import Text

from casework.report.document import (
    Block,
    BulletList,
    Column,
    Document,
    Facts,
    Figure,
    Paragraph,
    Section,
    Table,
)
from casework.text import printable

__all__ = ["Bar", "print_document", "progress_bar"]

_UNBOUNDED = 10_000

_VERDICT_STYLES = {
    "met": "green",
    "achieved": "green",
    "near miss": "yellow",
    "nearly met": "yellow",
    "not met": "red",
    "not achieved": "red",
}


def print_document(document: Document, stream: IO[str], width: int) -> None:
    """Draw ``document`` on a terminal with ``rich``: bold headings, ruled tables, verdicts
    in colour (the words stay). Identifier columns never wrap; a table too wide for
    ``width`` is drawn at the narrowest width that keeps every word whole."""

    console = Console(
        file=stream,
        width=width,
        force_terminal=True,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    _print_heading(console, document.title, "bold underline")
    for block in document.blocks:
        console.print()
        _print_block(console, block, depth=1)


def _print_heading(console: Console, title: str, style: str) -> None:

    console.print(Text(printable(title), style=style))


def _print_block(console: Console, block: Block, depth: int) -> None:

    if isinstance(block, Section):
        _print_heading(console, block.title, "bold" if depth == 1 else "bold italic")
        for inner in block.blocks:
            console.print()
            _print_block(console, inner, depth + 1)
    elif isinstance(block, Paragraph):
        console.print(Text(printable(block.text)))
    elif isinstance(block, Facts):
        _print_wide(console, _facts_grid(block))
    elif isinstance(block, BulletList):
        if block.title:
            console.print(Text(printable(block.title)))
        for item in block.items or (block.empty,):
            _print_wide(console, _bullet(item))
    elif isinstance(block, Figure):
        if block.table is not None:
            _print_wide(console, _rich_table(block.table))
        else:
            caption = f"{block.caption}: " if block.caption else ""
            console.print(Text(printable(f"[Chart] {caption}{block.alt}")))
    else:
        _print_wide(console, _rich_table(block))


def _bullet(text: str) -> RichTable:
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row("•", Text(printable(text)))
    return grid


def _facts_grid(block: Facts) -> RichTable:
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column()
    for label, value in block.items:
        grid.add_row(Text(printable(label) + ":"), Text(printable(value)))
    return grid


def _rich_table(table: Table) -> RichTable:
    drawn = RichTable(
        box=box.SIMPLE_HEAD,
        caption=printable(table.caption) or None,
        caption_justify="left",
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    for column in table.columns:
        drawn.add_column(
            printable(column.label),
            justify=column.align,
            no_wrap=column.nowrap,
            overflow="ignore" if column.nowrap else "fold",
        )
    for row in table.rows:
        drawn.add_row(
            *(_rich_cell(cell, column) for cell, column in zip(row, table.columns, strict=True))
        )
    if not table.rows:
        drawn.add_row(*(["(none)"] + [""] * (len(table.columns) - 1)))
    return drawn


def _rich_cell(cell: str | int | None, column: Column) -> Text:

    shown = "-" if cell is None else printable(str(cell))
    style = _VERDICT_STYLES.get(shown.lower(), "") if column.verdict else ""
    return Text(shown, style=style)


def _print_wide(console: Console, renderable: RichTable) -> None:
    """Print at the console's width, or wider when that would break a word or an id."""

    unbounded = console.options.update_width(_UNBOUNDED)
    needed = Measurement.get(console, unbounded, renderable).minimum
    width = console.width
    console.width = max(width, needed)  # print() alone never goes past the console's width
    try:
        console.print(renderable, crop=False)
    finally:
        console.width = width


class Bar:
    """A transient ``rich`` progress bar on stderr (cleared when stopped)."""

    def __init__(self, progress: RichProgress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def update(self, completed: int, total: float | None) -> None:
        self._progress.update(self._task, completed=completed, total=total)

    def stop(self) -> None:
        self._progress.stop()


def progress_bar(stream: IO[str], label: str, total: float | None, completed: int) -> Bar:
    """Start a bar labelled ``label`` on ``stream``."""
    console = Console(file=stream, force_terminal=True, highlight=False)
    progress = RichProgress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task(label, total=total, completed=completed)
    progress.start()
    return Bar(progress, task)
