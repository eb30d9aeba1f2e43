"""What a case file holds cannot forge output: control characters are shown as escapes in
every format, and CSV cells a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.report.document import (
    BulletList,
    Column,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
    csv_cell,
    render_html,
    render_markdown,
    render_text,
    table_csv,
)
from casework.text import _UNPRINTABLE, csv_field, csv_fields, one_line, printable

FORGED = "EX-1\nEX-2  NS07.oasys-ppo  met"
ANSI = "EX-3\x1b[2J\x1b[31m"
BIDI = "EX-4\u202eevil"


def _document() -> Document:
    table = Table((Column("case_ref", "Case"), Column("outcome", "Outcome")), ((FORGED, ANSI),))
    return Document(
        f"Report {ANSI}",
        (
            Facts((("Case", FORGED),)),
            Paragraph(BIDI),
            BulletList((ANSI,), title=FORGED),
            Section(FORGED, (table,)),
        ),
    )


@pytest.mark.parametrize("render", [render_text, render_markdown, render_html])
def test_control_characters_are_escaped_in_every_rendering(render: object) -> None:
    assert callable(render)
    out = render(_document())
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert not any(line.lstrip("|<>/a-z ").startswith("EX-2") for line in out.splitlines())
    assert "EX-1\\nEX-2" in out.replace("\\\\", "\\")


def test_text_table_keeps_one_line_per_row() -> None:
    table = Table((Column("case_ref", "Case", nowrap=True),), ((FORGED,), ("EX-5",)))
    lines = render_text(Document("T", (table,))).splitlines()
    assert lines[-2:] == ["EX-1\\nEX-2  NS07.oasys-ppo  met", "EX-5"]


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil.invalid","x")', '\'=HYPERLINK("http://evil.invalid","x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\\t=1+1"),
        ("\r=1+1", "'\\r=1+1"),
        ("-3", "-3"),
        ("+2.5%", "+2.5%"),
        ("EX-0001", "EX-0001"),
        ("a = b", "a = b"),
        (None, ""),
        (7, 7),
    ],
)
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(
    cell: str | int | None, shown: str | int
) -> None:
    assert csv_cell(cell) == shown


def test_csv_round_trips_with_neutralised_cells() -> None:
    table = Table(
        (Column("case_ref", "Case"), Column("count", "Count")),
        (("=1+1", 3), (FORGED, -1)),
    )
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert rows == [
        ["case_ref", "count"],
        ["'=1+1", "3"],
        ["EX-1\\nEX-2  NS07.oasys-ppo  met", "-1"],
    ]


def test_printable_and_one_line() -> None:
    assert printable("plain text, 61% — fine") == "plain text, 61% — fine"
    assert printable("a\tb\r\n\x00\x7f\x9b\u2028") == "a\\tb\\r\\n\\x00\\x7f\\x9b\\u2028"
    assert one_line("first\n\n  second \x1b[0m") == "first; second \\x1b[0m"


def test_every_character_escaped_is_one_isprintable_rejects() -> None:
    """``printable`` returns text that ``str.isprintable`` accepts untranslated: sound only
    while every character it escapes is one ``isprintable`` rejects."""
    escaped = [chr(code) for code in _UNPRINTABLE]
    assert len(escaped) > 64
    assert not any(char.isprintable() for char in escaped)


@given(st.text())
def test_printable_is_the_translation_of_every_control_character(text: str) -> None:
    assert printable(text) == text.translate(_UNPRINTABLE)


#: Cells worth drawing: whatever text, and text built from the characters CSV and
#: csv_cell treat apart (delimiter, quote, line breaks, formula starts, controls).
_CELLS = st.one_of(
    st.none(),
    st.integers(-1000, 1000),
    st.text(),
    st.text(alphabet=",\"\r\n=+-@\t 'a1.%\x1b\u202e;"),
)


@given(st.lists(_CELLS, min_size=2, max_size=6))
def test_a_csv_line_is_the_line_csv_writer_writes(cells: list[str | int | None]) -> None:
    """``csv_field`` joined by commas is what ``csv.writer`` (minimal quoting) writes for
    the cells ``csv_cell`` shows, and reads back as them."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([csv_cell(cell) for cell in cells])
    line = ",".join(map(csv_field, cells)) + "\n"
    assert line == out.getvalue()
    assert next(csv.reader(io.StringIO(line))) == [str(csv_cell(cell)) for cell in cells]


@given(st.lists(_CELLS, max_size=8))
def test_csv_fields_of_many_cells_are_each_ones_csv_field(cells: list[str | int | None]) -> None:
    assert csv_fields(cells) == {cell: csv_field(cell) for cell in cells}
