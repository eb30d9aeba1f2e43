"""The document model's renderers: text, Markdown, HTML and CSV."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.report import (
    BulletList,
    Column,
    Document,
    Facts,
    Figure,
    Paragraph,
    Section,
    Table,
    render_html,
    render_markdown,
    render_text,
    table_csv,
)
from casework.report.document import _wrap
from casework.text import csv_cell

COLUMNS = (Column("case", "Case"), Column("n", "Count", "right"), Column("why", "Reason"))
cells = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
rows = st.lists(st.tuples(cells, st.integers(0, 10**6) | st.none(), cells), max_size=6)


def document(table: Table) -> Document:
    return Document(
        "Report <title> | x",
        (
            Facts((("Rule set", "national-standards-2007"),)),
            Section(
                "Part *one*",
                (
                    Paragraph("A paragraph with <b>markup</b> & pipes |."),
                    table,
                    BulletList(("first", "second")),
                    Section("Nested", (BulletList((), title="Strengths"),)),
                ),
            ),
        ),
    )


def test_rows_must_match_the_columns() -> None:
    with pytest.raises(ValueError, match="row 1 has 2 cells for 3 columns"):
        Table(COLUMNS, (("a", 1),))


def test_text_aligns_numbers_right_and_wraps_the_widest_text_column() -> None:
    long_reason = "word " * 60
    table = Table(COLUMNS, (("EX-1", 5, long_reason.strip()), ("EX-22", 12345, "short")))
    text = render_text(Document("T", (table,)), width=60)
    lines = text.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert lines[3] == "Case   Count  Reason"
    assert lines[5].startswith("EX-1       5  word word")
    assert any(line.startswith("EX-22  12345  short") for line in lines)
    assert text.count("word") == 60


def test_text_shows_empty_tables_and_lists_plainly() -> None:
    text = render_text(document(Table(COLUMNS, ())))
    assert "(none)" in text
    assert "Strengths\n* None." in text
    assert "Part *one*\n----------" in text
    assert "Nested\n~~~~~~" in text


@given(rows)
def test_csv_round_trips_every_cell(data: list[tuple[str, int | None, str]]) -> None:
    """Every cell reads back as written, but for the neutralising of what a spreadsheet would
    run as a formula and the escaping of control characters (``csv_cell``)."""
    table = Table(COLUMNS, tuple(data))
    parsed = list(csv.reader(io.StringIO(table_csv(table))))
    assert parsed[0] == ["case", "n", "why"]
    assert parsed[1:] == [
        [str(csv_cell(a)), "" if n is None else str(n), str(csv_cell(b))] for a, n, b in data
    ]


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@given(rows)
def test_markdown_tables_keep_their_shape_whatever_the_cells_hold(
    data: list[tuple[str, int | None, str]],
) -> None:
    clean = [(a.replace("\n", " "), n, b.replace("\n", " ")) for a, n, b in data]
    markdown = render_markdown(Document("T", (Table(COLUMNS, tuple(clean)),)))
    table_lines = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(table_lines) == 2 + max(len(clean), 1)
    assert {len(_UNESCAPED_PIPE.findall(line)) for line in table_lines} == {4}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in {"meta", "br", "img"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@given(rows)
def test_html_escapes_every_cell_and_nests_properly(
    data: list[tuple[str, int | None, str]],
) -> None:
    page = render_html(document(Table(COLUMNS, tuple(data))))
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert parser.tags.count("tr") == 1 + max(len(data), 1)
    assert "script" not in parser.tags


def test_html_is_self_contained() -> None:
    figure = Figure('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', alt="A chart")
    page = render_html(Document("T", (document(Table(COLUMNS, ())).blocks[1], figure)))
    parser = _Collector()
    parser.feed(page)
    assert page.startswith("<!DOCTYPE html>")
    assert not [tag for tag in parser.tags if tag in {"link", "script", "iframe"}]
    assert not [v for k, v in parser.attributes if k in {"src", "href"} and v and "//" in v]
    assert '<div role="img" aria-label="A chart"><svg' in page


def test_html_fragment_for_notebooks_has_no_page_wrapper() -> None:
    fragment = render_html(Document("T", (Paragraph("x"),)), standalone=False)
    assert fragment.startswith('<div class="casework-report">')
    assert "<html" not in fragment


def test_png_figures_are_embedded_as_data() -> None:
    figure = Figure("", alt="Chart", png=b"\x89PNG fake")
    page = render_html(Document("T", (figure,)))
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in page
    assert "[Chart] Chart" in render_text(Document("T", (figure,)))


def test_a_page_has_a_linked_contents_list_and_print_styles() -> None:
    document = Document(
        "Report",
        (
            Facts((("Area", "Essex"),)),
            Section("Summary of scores", (Paragraph("a"),)),
            Section("Targets", (Paragraph("b"),), id="targets"),
            Section("Summary of scores", (Paragraph("c"),)),
        ),
    )
    page = render_html(document)
    contents = re.search(r'<nav class="contents".*?</nav>', page, re.DOTALL)
    assert contents is not None
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', contents.group(0))
    assert links == [
        ("summary-of-scores", "Summary of scores"),
        ("targets", "Targets"),
        ("summary-of-scores-2", "Summary of scores"),
    ]
    for anchor, _ in links:
        assert page.count(f'<section id="{anchor}">') == 1
    assert page.index("<dl") < page.index("<nav") < page.index("<section")  # after the facts
    assert "@media print" in page
    assert "@page" in page
    assert "<nav" not in render_html(document, standalone=False)  # not in a notebook cell
    one = render_html(Document("One", (Section("Only", (Paragraph("x"),)),)))
    assert "<nav" not in one  # a single section needs no contents


def test_html_keeps_ids_and_versions_in_titles_and_facts_on_one_line() -> None:
    """A browser may break after a hyphen: ``proposal-`` / ``1``. Words with a hyphen or an
    ``@`` are kept whole; other words still wrap, and everything is still escaped."""
    page = render_html(
        Document(
            "Comparison: nps-2007-08@2007-08.1 and <x>-y",
            (
                Facts((("Variant", "twenty-day-resolution@proposal-1"),)),
                Section("a-b and c", (Paragraph("text"),)),
            ),
        )
    )
    nobr = '<span class="nobr">'
    assert (
        f"<h1>Comparison: {nobr}nps-2007-08@2007-08.1</span> and {nobr}&lt;x&gt;-y</span></h1>"
        in page
    )
    assert f"<dd>{nobr}twenty-day-resolution@proposal-1</span></dd>" in page
    assert f"<h2>{nobr}a-b</span> and c</h2>" in page
    assert "td.id, .nobr { white-space: nowrap; }" in page


@given(
    text=st.one_of(
        # words joined by single spaces (filled here), and any other text (by textwrap)
        st.lists(st.text(alphabet="ab-x.", min_size=1, max_size=9), max_size=12).map(" ".join),
        st.text(alphabet=st.sampled_from("ab-xyz.   \t\n\xa0"), max_size=60),
    ),
    width=st.integers(min_value=-1, max_value=30),
)
def test_text_is_wrapped_as_textwrap_wraps_it(text: str, width: int) -> None:
    """Lines of words and single spaces are filled greedily, other text by textwrap: the
    lines textwrap gives, between words only, a word longer than the width alone."""
    try:
        expected = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    except ValueError:
        with pytest.raises(ValueError, match="invalid width"):
            _wrap(text, width)
        return
    assert _wrap(text, width) == expected


def test_a_reason_is_wrapped_between_words() -> None:
    reason = "RoH reviewed on 12 March 2008, within 16 weeks (rom-east-of-england-2007-08)."
    assert _wrap(reason, 20) == [
        "RoH reviewed on 12",
        "March 2008, within",
        "16 weeks",
        "(rom-east-of-england-2007-08).",
    ]
    assert _wrap("", 10) == []
    assert _wrap("ab cd ef", 5) == ["ab cd", "ef"]  # (a line exactly as wide)
