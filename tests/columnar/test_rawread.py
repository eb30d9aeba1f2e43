"""The raw-table writer planned from the model (casework.columnar.rawread).

Its tables equal the reference reader's (``raw_from_cases``) of the cases pydantic
reads, whether it reads a record's text (the fast way, with the fast reader's
checks) or a validated ``Case``; a record it cannot accept leaves no trace. A chunk
of lines written at once (``write_lines``) takes exactly the lines it takes one at a
time, whatever else the chunk holds.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import Case, CaseError, Limits, dumps_cases
from casework._fastread import fast_reader
from casework.columnar.raw import layout, raw_from_cases, same_tables
from casework.columnar.rawread import (
    RawWriter,
    _planned,
    raw_from_records,
    same_layout,
    write_lines,
    write_objects,
)
from casework.columnar.reader import select_cases
from casework.io import _line_result
from casework.testing import strategies as cs
from tests.columnar.reading import AS_OF, WITNESSES, bench_records, example_records, fuzzed_lines


def test_the_writer_lays_out_the_tables_of_the_model() -> None:
    tables, _ = _planned()
    assert same_layout(tables)
    assert list(tables) == list(layout())
    writer = RawWriter()
    assert writer.tables().tables.keys() == layout().keys()
    assert len(writer.tables()) == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(cs.cases(), min_size=1, max_size=3))
def test_cases_and_their_records_are_written_as_the_reference_reads_them(
    cases: list[Case],
) -> None:
    assert same_tables(raw_from_records(cases), raw_from_cases(cases)) == []
    writer = RawWriter()
    for case in cases:
        line = dumps_cases([case]).strip()
        if not writer.write_text(line, None):
            writer.write_case(case)  # (an assessment written once takes pydantic)
    assert same_tables(writer.tables(), raw_from_cases(cases)) == []


def test_the_witness_benchmark_and_example_records_are_written_as_the_reference_reads_them() -> (
    None
):
    records = [json.loads(line) for line in WITNESSES.read_text().splitlines() if line.strip()]
    records += bench_records(120) + example_records()
    writer = RawWriter()
    accepted: list[Case] = []
    fast = 0
    for number, record in enumerate(records, start=1):
        line = json.dumps(record)
        found = _line_result(number, line.encode(), Limits(), None)
        assert isinstance(found, Case)
        accepted.append(found)
        if writer.write_text(line, None):
            fast += 1
        else:
            writer.write_case(found)
    assert same_tables(writer.tables(), raw_from_cases(accepted)) == []
    assert fast >= len(records) - 3  # the examples' RoH register codes take pydantic


def _each_line(lines: list[bytes], as_of: dt.date | None) -> None:
    """Line by line: the writer takes a line only if the per-record way accepts it (or
    the model's after-checks, which the chunked reader runs, refuse it), with equal rows;
    a line it leaves changes nothing."""
    writer = RawWriter()
    written: list[Case] = []
    for number, line in enumerate(lines, start=1):
        before = writer.tables()
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        took = writer.write_text(text, as_of)
        found = _line_result(number, line, Limits(), as_of)
        if not took:
            assert same_tables(writer.tables(), before) == []
            continue
        if isinstance(found, CaseError):
            # refused only by the checks the writer leaves to the chunked reader
            assert fast_reader().read(text, as_of, Limits()) is None
            writer = RawWriter()  # start again from the cases written
            for case in written:
                writer.write_case(case)
            continue
        written.append(found)
        assert same_tables(writer.tables(), raw_from_cases(written)) == []


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(rng=st.randoms(use_true_random=False), mutate=st.booleans(), encode=st.booleans())
def test_fuzzed_and_mutated_lines_are_written_only_as_the_per_record_way_reads_them(
    rng: random.Random, mutate: bool, encode: bool
) -> None:
    _each_line(fuzzed_lines(rng, 4, mutate=mutate, encode=encode), AS_OF)


def _example() -> dict[str, Any]:
    return example_records()[0]


def test_what_the_fast_reader_leaves_to_pydantic_the_writer_leaves_too() -> None:
    day = _example()["sentence"]["sentenced_on"]
    changes = [
        lambda r: r.update(area="  Padded  "),
        lambda r: r.update(reference="R-1\n"),
        lambda r: r.update(as_of="2051-01-01"),
        lambda r: r["sentence"].update(sentenced_on="1974-12-31"),
        lambda r: r["sentence"].update(sentenced_on="2099-01-01"),
        lambda r: r.update(personal={"date_of_birth": "1899-12-31"}),
        lambda r: r.update(judgements={"answers": {"1.1.a": "yes", " 1.1.b": "no"}}),
        lambda r: r.update(offender={"disabilities": [" wheelchair "]}),
        lambda r: r.update(contacts=[{"on": day}, {"on": "2099-01-01"}]),
        lambda r: r.update(unknown=1),
        lambda r: r.update(
            assessments=[
                {"id": "A1", "purpose": "start", "completed_on": day, "parts_with_assessment": True}
            ]
        ),
    ]
    lines = []
    for change in changes:
        record = _example()
        change(record)
        lines.append(json.dumps(record).encode())
    twice = json.dumps(_example()).replace('"reference":', '"reference": "OTHER-1", "reference":')
    lines.append(twice.encode())
    writer = RawWriter()
    assert writer.write_text(json.dumps(_example()), None)  # a first record, kept
    first = writer.tables()
    for line in lines:
        assert not writer.write_text(line.decode(), None), line
        assert same_tables(writer.tables(), first) == []  # nothing of it left
    _each_line(lines, None)


def test_a_record_without_as_of_takes_the_date_given() -> None:
    record = _example()
    record.pop("as_of")
    line = json.dumps(record)
    assert not RawWriter().write_text(line, None)
    writer = RawWriter()
    assert writer.write_text(line, AS_OF)
    found = _line_result(1, line.encode(), Limits(), AS_OF)
    assert isinstance(found, Case)
    assert same_tables(writer.tables(), raw_from_cases([found])) == []


def test_limits_tighter_than_the_case_format_leave_every_record_to_the_per_record_way() -> None:
    line = json.dumps(_example())
    assert not RawWriter(Limits(max_depth=3)).write_text(line, None)
    assert not RawWriter(Limits(max_record_values=len(line))).write_text(line, None)
    assert RawWriter(Limits()).write_text(line, None)


def _chunk_alike(lines: list[bytes], as_of: dt.date | None) -> None:
    """A chunk written at once takes the lines the writer takes one at a time, and its
    tables are those of the records taken (the reference reader's, for the records the
    per-record way accepts); Structs and ``Case`` objects written together in record
    order give the tables of the cases."""
    texts = []
    for line in lines:
        try:
            texts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            continue
    written = write_lines(texts, as_of)
    assert written.taken == [RawWriter().write_text(text, as_of) for text in texts]
    assert len(written.raw) == sum(written.taken) == len(written.structs)
    taken = [text for text, took in zip(texts, written.taken, strict=True) if took]
    found = [_line_result(n, t.encode(), Limits(), as_of) for n, t in enumerate(taken, 1)]
    accepted = [row for row, case in enumerate(found) if isinstance(case, Case)]
    chosen = np.zeros(len(taken), dtype=bool)
    chosen[accepted] = True
    cases = [found[row] for row in accepted]
    assert same_tables(select_cases(written.raw, chosen), raw_from_cases(cases)) == []
    # the Structs taken and the Cases of the others, mixed in record order
    objects: list[Any] = []
    dates: list[dt.date] = []
    expected: list[Case] = []
    fast = iter(zip(written.structs, written.as_of, found, strict=True))
    for number, (text, took) in enumerate(zip(texts, written.taken, strict=True), start=1):
        if took:
            struct, day, case = next(fast)
            if isinstance(case, Case):
                objects.append(struct)
                dates.append(day)
                expected.append(case)
            continue
        case = _line_result(number, text.encode(), Limits(), as_of)
        if isinstance(case, Case):
            objects.append(case)
            dates.append(case.as_of)
            expected.append(case)
    assert same_tables(write_objects(objects, dates), raw_from_cases(expected)) == []


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(rng=st.randoms(use_true_random=False), mutate=st.booleans(), encode=st.booleans())
def test_a_chunk_of_fuzzed_lines_is_written_as_its_lines_are_one_at_a_time(
    rng: random.Random, mutate: bool, encode: bool
) -> None:
    _chunk_alike(fuzzed_lines(rng, 12, mutate=mutate, encode=encode), AS_OF)


def test_a_chunk_with_records_the_fast_way_leaves_takes_the_others() -> None:
    records = [json.dumps(record) for record in bench_records(40)]
    twice = records[3].replace('"reference":', '"reference": "OTHER-1", "reference":')
    spaced = records[5].replace('"area":', '"area" :')
    escaped = json.dumps({**json.loads(records[6]), "area": 'a \\" : b'})
    padded = json.dumps({**json.loads(records[7]), "area": " West"})
    late = records[8].replace('"as_of": "2010-06-30"', '"as_of": "2009-01-01"')
    lines = [*records[:3], twice, records[4], spaced, escaped, padded, late, *records[9:]]
    written = write_lines(lines, None)
    assert written.taken[3] is False  # a key written twice
    assert written.taken[7] is False  # text with a blank at an end
    assert written.taken[8] is False  # dates after the record's as_of
    assert written.taken[5] is True  # a key spaced from its colon is still one key
    assert written.taken[6] is False  # \\" before a colon: one key more, as counted
    assert sum(written.taken) == len(lines) - 4
    _chunk_alike([line.encode() for line in lines], None)
    for first in (twice, spaced):  # whatever line the chunk starts with
        _chunk_alike([first.encode(), *(line.encode() for line in records[:5])], None)
