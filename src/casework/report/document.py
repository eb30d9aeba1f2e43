"""A small document model and its renderers: plain text, Markdown, HTML and CSV.

Every report casework prints is a :class:`Document` (headings, paragraphs,
key facts, tables, bullet lists, figures) plus the plain data it was built
from. Rendering lives here and only here, so the command line, notebooks and
services all show the same thing in every format::

    >>> table = Table(
    ...     (Column("rule", "Rule"), Column("met", "Met", align="right")),
    ...     (("NS07.oasys-ppo", 3), ("NS07.oasys-tier4", 12)),
    ... )
    >>> print(render_text(Document("Example", (table,))))
    Example
    =======
    <BLANKLINE>
    Rule              Met
    ----------------  ---
    NS07.oasys-ppo      3
    NS07.oasys-tier4   12
"""

from __future__ import annotations

import base64
import csv
import html
import io
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal, TypeAlias

import attrs

from casework.text import csv_cell, printable

__all__ = [
    "Block",
    "BulletList",
    "Cell",
    "Column",
    "Document",
    "Facts",
    "Figure",
    "Paragraph",
    "Section",
    "Table",
    "csv_cell",
    "iter_blocks",
    "iter_html",
    "iter_markdown",
    "iter_table_csv",
    "iter_text",
    "render_html",
    "render_markdown",
    "render_text",
    "table_csv",
]

Cell: TypeAlias = str | int | None
"""What a table cell holds: text, a count, or nothing (shown as a dash)."""

Align = Literal["left", "right"]

TEXT_WIDTH = 100
"""Default width of plain-text output: tables wrap their widest text column to fit (the
command line uses the terminal's width, ``COLUMNS`` or ``--width`` instead)."""


@attrs.frozen
class Column:
    """A table column: a machine key (CSV header, JSON field) and a label for people."""

    key: str
    label: str
    align: Align = "left"
    nowrap: bool = False
    """Keep cells on one line (identifiers such as ``EX-0001``, ``NS07.oasys-ppo``)."""
    verdict: bool = False
    """Cells are verdict words (``met``, ``near miss``, ``not met``...): HTML colours each
    cell by its word, and the word stays, so the verdict reads without colour too."""


@attrs.frozen
class Table:
    """Rows of cells under named columns."""

    columns: tuple[Column, ...]
    rows: Sequence[tuple[Cell, ...]]
    """The rows (a tuple, or a sequence whose rows are read when the table is written:
    plain text reads it twice, for the widths, then for the lines)."""
    caption: str = ""

    def __attrs_post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {number} has {len(row)} cells for {len(self.columns)} columns"
                )


@attrs.frozen
class Paragraph:
    """A paragraph of plain text (no markup: it is escaped for Markdown and HTML)."""

    text: str


@attrs.frozen
class Facts:
    """Labelled facts shown as a short list: ``Rule set: national-standards-2007``."""

    items: tuple[tuple[str, str], ...]


@attrs.frozen
class BulletList:
    """A bulleted list, with an optional lead-in line."""

    items: Sequence[str]
    """The items (a tuple, or a sequence whose lines are made when read)."""
    title: str = ""
    empty: str = "None."


@attrs.frozen
class Figure:
    """A chart: SVG (or PNG) for HTML; the numbers it draws as a table for every format."""

    svg: str
    alt: str
    caption: str = ""
    png: bytes | None = attrs.field(default=None, repr=False)
    table: Table | None = None
    """The numbers drawn: shown by text and Markdown, and by HTML when there is no image."""


@attrs.frozen
class Section:
    """A heading and what sits under it (sections nest)."""

    title: str
    blocks: tuple[Block, ...] = ()
    id: str = ""


Block: TypeAlias = Paragraph | Facts | Table | BulletList | Figure | Section


@attrs.frozen
class Document:
    """A titled report: blocks and sections in reading order."""

    title: str
    blocks: tuple[Block, ...] = ()


def _shown(cell: Cell) -> str:
    """A cell as printed: a dash for nothing, control characters as escapes."""
    return "-" if cell is None else printable(str(cell))


# ---------------------------------------------------------------------- text


#: A line of output: text, or pieces of text that make one line (a long list in HTML).
Line: TypeAlias = str | Iterable[str]


def _joined(lines: Iterable[Line]) -> Iterator[str]:
    """``"\\n".join(lines)``, a piece at a time."""
    first = True
    for line in lines:
        if not first:
            yield "\n"
        first = False
        if isinstance(line, str):
            yield line
        else:
            yield from line


def _rstripped(pieces: Iterable[str]) -> Iterator[str]:
    """``"".join(pieces).rstrip() + "\\n"``, a piece at a time (trailing white space is held
    back until text follows it)."""
    pending = ""
    for piece in pieces:
        kept = piece.rstrip()
        if not kept:
            pending += piece
            continue
        yield pending + kept
        pending = piece[len(kept) :]
    yield "\n"


def render_text(document: Document, *, width: int = TEXT_WIDTH) -> str:
    """Plain text for a terminal: underlined headings, aligned tables wrapped to ``width``."""
    return "".join(iter_text(document, width=width))


def iter_text(document: Document, *, width: int = TEXT_WIDTH) -> Iterator[str]:
    """:func:`render_text` a piece at a time (a long list is never whole in memory)."""
    return _rstripped(_joined(_text_lines(document, width)))


def _text_lines(document: Document, width: int) -> Iterator[Line]:
    title = printable(document.title)
    yield from (title, "=" * len(title))
    for block in document.blocks:
        yield ""
        yield from _text_block(block, width, depth=1)


def _text_block(block: Block, width: int, depth: int) -> Iterator[Line]:
    if isinstance(block, Section):
        rule = "-" if depth == 1 else "~"
        title = printable(block.title)
        yield from (title, rule * len(title))
        for inner in block.blocks:
            yield ""
            yield from _text_block(inner, width, depth + 1)
    elif isinstance(block, Paragraph):
        yield from _wrap(printable(block.text), width) or [""]
    elif isinstance(block, Facts):
        items = [(printable(label), printable(value)) for label, value in block.items]
        label_width = max((len(label) for label, _ in items), default=0) + 1
        yield from (f"{label + ':':<{label_width}} {value}" for label, value in items)
    elif isinstance(block, BulletList):
        if block.title:
            yield printable(block.title)
        for item in block.items or (block.empty,):
            wrapped = _wrap(printable(item), width - 2) or [""]
            yield f"* {wrapped[0]}"
            yield from (f"  {rest}" for rest in wrapped[1:])
    elif isinstance(block, Figure):
        if block.table is not None:
            yield from _text_table(block.table, width)
        else:
            caption = f"{block.caption}: " if block.caption else ""
            yield from _wrap(printable(f"[Chart] {caption}{block.alt}"), width)
    else:
        yield from _text_table(block, width)


def _text_table(table: Table, width: int) -> Iterator[str]:
    """The lines of a table: its rows read once for the widths, then again for the lines
    (a long table is never whole in memory)."""
    labels = [printable(column.label) for column in table.columns]
    widths = [len(label) for label in labels]
    # A column is never narrower than its longest word: cells wrap between words only, so
    # an identifier or a name is never broken (a table that cannot fit runs wider instead).
    floors = [max(len(label), 12) for label in labels]
    empty = True
    for row in table.rows:
        empty = False
        for i, cell in enumerate(row):
            text = _shown(cell)
            widths[i] = max(widths[i], len(text))
            floors[i] = max(floors[i], _longest_word(text))
    gap = 2
    # Narrow the widest text column, one character at a time, until the table fits.
    while sum(widths) + gap * (len(widths) - 1) > width:
        narrowable = [
            i
            for i, column in enumerate(table.columns)
            if column.align == "left" and not column.nowrap and widths[i] > floors[i]
        ]
        if not narrowable:
            break
        widths[max(narrowable, key=lambda i: widths[i])] -= 1
    if table.caption:
        yield printable(table.caption)
    yield _text_row(labels, table.columns, widths, gap)[0]
    yield (" " * gap).join("-" * w for w in widths).rstrip()
    for row in table.rows:
        yield from _text_row([_shown(cell) for cell in row], table.columns, widths, gap)
    if empty:
        yield "(none)"


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken at spaces only: never inside a word,
    never at a hyphen (``rom-east-of-england-2007-08`` stays whole).

    ``textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)``; a
    text of words joined by single spaces (a reason, a name) is filled greedily here,
    as textwrap fills it, in a fifth of the time (tests/report/test_document.py holds
    them equal): a report lists a sentence per finding."""
    words = text.split()
    if width < 1 or " ".join(words) != text:
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    lines: list[str] = []
    line = ""
    for word in words:
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _text_row(
    cells: Sequence[str], columns: Sequence[Column], widths: Sequence[int], gap: int
) -> list[str]:
    wrapped = [
        ([cell] if column.nowrap else _wrap(cell, w)) or [""]
        for cell, column, w in zip(cells, columns, widths, strict=True)
    ]
    height = max(len(parts) for parts in wrapped)
    lines = []
    for index in range(height):
        parts = []
        for column, w, pieces in zip(columns, widths, wrapped, strict=True):
            piece = pieces[index] if index < len(pieces) else ""
            parts.append(piece.rjust(w) if column.align == "right" else piece.ljust(w))
        lines.append((" " * gap).join(parts).rstrip())
    return lines


# ---------------------------------------------------------------------- markdown

_MD_SPECIAL = str.maketrans({"<": "&lt;", ">": "&gt;"} | {c: f"\\{c}" for c in "\\`*_[]|#"})


def _md(text: str) -> str:
    return printable(text).translate(_MD_SPECIAL)


def render_markdown(document: Document) -> str:
    """GitHub-flavoured Markdown: ``#`` headings, pipe tables, ``*`` lists."""
    return "".join(iter_markdown(document))


def iter_markdown(document: Document) -> Iterator[str]:
    """:func:`render_markdown` a piece at a time."""
    return _rstripped(_joined(_md_lines(document)))


def _md_lines(document: Document) -> Iterator[Line]:
    yield f"# {_md(document.title)}"
    for block in document.blocks:
        yield ""
        yield from _md_block(block, level=2)


def _md_block(block: Block, level: int) -> Iterator[Line]:
    if isinstance(block, Section):
        yield f"{'#' * min(level, 6)} {_md(block.title)}"
        for inner in block.blocks:
            yield ""
            yield from _md_block(inner, level + 1)
    elif isinstance(block, Paragraph):
        yield _md(block.text)
    elif isinstance(block, Facts):
        yield from (f"* **{_md(label)}:** {_md(value)}" for label, value in block.items)
    elif isinstance(block, BulletList):
        if block.title:
            yield from (_md(block.title), "")
        yield from (f"* {_md(item)}" for item in block.items or (block.empty,))
    elif isinstance(block, Figure):
        if block.table is not None:
            yield from _md_table(block.table)
        else:
            caption = f"*{_md(block.caption)}.* " if block.caption else ""
            yield f"{caption}{_md(block.alt)}"
    else:
        yield from _md_table(block)


def _md_table(table: Table) -> Iterator[str]:
    """The lines of a table, its rows read as they are written."""
    if table.caption:
        yield from (f"*{_md(table.caption)}*", "")
    yield "| " + " | ".join(_md(c.label) for c in table.columns) + " |"
    yield "|" + "|".join("---:" if c.align == "right" else "---" for c in table.columns) + "|"
    empty = True
    for row in table.rows:
        empty = False
        yield "| " + " | ".join(_md(_shown(cell)) for cell in row) + " |"
    if empty:
        yield "| " + " | ".join("" for _ in table.columns) + " |"


# ---------------------------------------------------------------------- html

_CSS = """
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #1b1b1b;
  max-width: 62rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; border-bottom: 3px solid #1d4f91; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; color: #1d4f91; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #c8ccd2; padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #eef2f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id, .nobr { white-space: nowrap; }
tbody tr:nth-child(even) { background: #f8f9fb; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
figure { margin: 1rem 0; }
figure svg, figure img { max-width: 100%; height: auto; }
figcaption { font-style: italic; font-size: .9rem; }
p.list-title { font-weight: 600; margin-bottom: .2rem; }
nav.contents { border: 1px solid #c8ccd2; background: #f8f9fb; padding: .4rem 1.2rem .6rem;
  margin: 1rem 0; display: inline-block; min-width: 20rem; }
nav.contents h2 { font-size: 1rem; margin: .3rem 0; color: #1b1b1b; }
nav.contents ol { margin: 0; padding-left: 1.3rem; }
nav.contents a { color: #1d4f91; }
td.verdict { white-space: nowrap; font-weight: 600; }
td.v-met, td.v-good, td.v-better { background: #dff0d8; color: #1e5b1e; }
td.v-near-miss, td.v-moved { background: #fcf0c8; color: #6b4e00; }
td.v-not-met, td.v-worse { background: #f7d9d7; color: #8a1c14; }
td.v-met::before, td.v-better::before { content: "\\2714\\00a0"; }
td.v-near-miss::before { content: "\\2248\\00a0"; }
td.v-not-met::before, td.v-worse::before { content: "\\2718\\00a0"; }
@page { size: A4; margin: 15mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; color: #000; }
  h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.2rem; } h3 { font-size: 11pt; }
  h1, h2, h3, p.list-title, caption { break-after: avoid; page-break-after: avoid; }
  tr, figure, li, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 9pt; }
  tbody tr:nth-child(even) { background: none; }
  nav.contents { border: none; background: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  th, td.verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".strip()


def _esc(text: str) -> str:
    """HTML-escaped, control characters shown as escapes."""
    return html.escape(printable(text))


def render_html(document: Document, *, standalone: bool = True) -> str:
    """HTML: a complete, self-contained page (styles inline, charts embedded, no links out).

    With ``standalone=False``, just the body's content (for a notebook cell).
    """
    return "".join(iter_html(document, standalone=standalone))


def iter_html(document: Document, *, standalone: bool = True) -> Iterator[str]:
    """:func:`render_html` a piece at a time."""
    if not standalone:
        yield '<div class="casework-report">\n'
        yield from _joined(_html_lines(document, standalone=False))
        yield "\n</div>"
        return
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(document.title)}</title>\n"
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
    )
    yield from _joined(_html_lines(document, standalone=True))
    yield "\n</body>\n</html>\n"


def _html_lines(document: Document, *, standalone: bool) -> Iterator[Line]:
    yield f"<h1>{_unbroken(document.title)}</h1>"
    blocks = _with_ids(document.blocks)
    sections = [block for block in blocks if isinstance(block, Section)]
    for block in blocks:
        if standalone and len(sections) > 1 and block is sections[0]:
            yield from _contents(sections)
        yield from _html_block(block, level=2)


def _unbroken(text: str) -> str:
    """Escaped, each word holding a hyphen or an ``@`` kept on one line: a browser may
    break after a hyphen, which splits an id or a version (``proposal-`` / ``1``)."""
    return " ".join(
        f'<span class="nobr">{_esc(word)}</span>' if ("-" in word or "@" in word) else _esc(word)
        for word in text.split(" ")
    )


def _slug(title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(words) or "section"


def _with_ids(blocks: Sequence[Block]) -> list[Block]:
    """The blocks, each top-level section with an id (its own, else one from its title)."""
    taken = {block.id for block in blocks if isinstance(block, Section) and block.id}
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Section) or block.id:
            out.append(block)
            continue
        base = _slug(block.title)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out.append(attrs.evolve(block, id=slug))
    return out


def _contents(sections: Sequence[Section]) -> list[str]:
    """A contents list of the top-level sections, linked (for a page an inspector prints)."""
    esc = html.escape
    items = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>' for s in sections)
    return [f'<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>']


def _html_block(block: Block, level: int) -> Iterator[Line]:
    esc = _esc
    if isinstance(block, Section):
        tag = f"h{min(level, 6)}"
        anchor = f' id="{esc(block.id)}"' if block.id else ""
        yield from (f"<section{anchor}>", f"<{tag}>{_unbroken(block.title)}</{tag}>")
        for inner in block.blocks:
            yield from _html_block(inner, level + 1)
        yield "</section>"
    elif isinstance(block, BulletList):
        if block.title:
            yield f'<p class="list-title">{esc(block.title)}</p>'
        yield _html_list(block.items or (block.empty,))
    else:
        yield from _html_other(block)


def _html_list(items: Iterable[str]) -> Iterator[str]:
    """A list on one line, an item at a time."""
    yield "<ul>"
    yield from (f"<li>{_esc(item)}</li>" for item in items)
    yield "</ul>"


def _html_other(block: Block) -> Iterable[str]:
    esc = _esc
    if isinstance(block, Paragraph):
        return [f"<p>{esc(block.text)}</p>"]
    if isinstance(block, Facts):
        items = "".join(f"<dt>{esc(k)}</dt><dd>{_unbroken(v)}</dd>" for k, v in block.items)
        return [f'<dl class="facts">{items}</dl>']
    if isinstance(block, Figure):
        caption = f"<figcaption>{esc(block.caption)}</figcaption>" if block.caption else ""
        if block.svg:
            image = f'<div role="img" aria-label="{esc(block.alt)}">{block.svg}</div>'
        elif block.png is not None:
            data = base64.b64encode(block.png).decode("ascii")
            image = f'<img alt="{esc(block.alt)}" src="data:image/png;base64,{data}">'
        elif block.table is not None:
            return [f"<p>{esc(block.alt)}</p>", *_html_table(block.table)]
        else:
            image = f"<p>{esc(block.alt)}</p>"
        return [f"<figure>{image}{caption}</figure>"]
    assert isinstance(block, Table)
    return _html_table(block)


def _html_table(table: Table) -> Iterator[str]:
    """The lines of a table, its rows read as they are written."""
    esc = _esc

    def cls(column: Column, cell: Cell = None) -> str:
        if column.verdict and cell is not None:
            return f' class="verdict v-{"-".join(str(cell).lower().split())}"'
        names = ["num"] if column.align == "right" else []
        names += ["id"] if column.nowrap and column.align != "right" else []
        return f' class="{" ".join(names)}"' if names else ""

    yield "<table>"
    if table.caption:
        yield f"<caption>{esc(table.caption)}</caption>"
    head = "".join(f'<th scope="col"{cls(c)}>{esc(c.label)}</th>' for c in table.columns)
    yield f"<thead><tr>{head}</tr></thead>"
    yield "<tbody>"
    empty = True
    for row in table.rows:
        empty = False
        cells = "".join(
            f"<td{cls(c, cell)}>{esc(_shown(cell))}</td>"
            for c, cell in zip(table.columns, row, strict=True)
        )
        yield f"<tr>{cells}</tr>"
    if empty:
        yield f'<tr><td colspan="{len(table.columns)}">(none)</td></tr>'
    yield "</tbody></table>"


# ---------------------------------------------------------------------- csv


def table_csv(table: Table) -> str:
    """The table as CSV: a header of column keys, then one line per row (empty for none).

    Cells that a spreadsheet would run as formulas are neutralised (:func:`csv_cell`).
    """
    return "".join(iter_table_csv(table))


#: Characters of CSV :func:`iter_table_csv` gathers before it gives them.
_CSV_PIECE = 1 << 16


def iter_table_csv(table: Table) -> Iterator[str]:
    """:func:`table_csv` in pieces of about 64 kB, the rows read as they are written (a
    table whose rows are made when read is never whole in memory)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_cell(column.key) for column in table.columns)
    for row in table.rows:
        writer.writerow(csv_cell(cell) for cell in row)
        if buffer.tell() >= _CSV_PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def iter_blocks(blocks: Iterable[Block]) -> Iterable[Block]:
    """Every block, depth first, sections included."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from iter_blocks(block.blocks)
