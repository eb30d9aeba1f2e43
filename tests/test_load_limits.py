"""Hostile and broken files: every record a case or a located, coded error; nothing escapes."""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from casework import CaseFileError, Limits, load_cases, load_inspection, yaml
from casework.model.inspection import InspectionFileError
from casework.testing import CASE_DEFAULTS, merge


def _record(reference: str = "T-1", **changes: Any) -> dict[str, Any]:
    """A valid record with top-level fields replaced (values are not copied)."""
    return {**merge(dict(CASE_DEFAULTS), {"reference": reference}), **changes}


def _line(record: object) -> str:
    return json.dumps(record, default=str)


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _codes(path: Path | list[Any], **kwargs: Any) -> list[tuple[int, str]]:
    result = load_cases(path, **kwargs)
    return [(error.record, error.code) for error in result.errors]


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


# ---------------------------------------------------------------------- JSON Lines


def test_a_bad_line_costs_that_line_only(tmp_path: Path) -> None:
    lines = [
        _line(_record("A-1")).encode(),
        b'{"reference": "A-2", "area": "\xff\xfe"}',  # not UTF-8
        b'{"reference": "A-3", "area": ' + b"[" * 5000 + b"]" * 5000 + b"}",  # past the parser
        b'{"reference": "A-4", "tiers": [{"tier": ' + b"9" * 5000 + b', "on": "2007-06-01"}]}',
        _line(_record("A-5", area=_nested(40))).encode(),  # deeper than the limit
        b'{"reference": "A-6", "reference": "A-7"}',
        _line(_record("A-8")).encode(),
    ]
    path = _write(tmp_path / "cases.jsonl", b"\n".join(lines) + b"\n")
    result = load_cases(path)
    assert result.records == 7
    assert [case.reference for case in result.cases] == ["A-1", "A-8"]
    assert _codes(path) == [
        (2, "json.not_utf8"),
        (3, "json.too_deep"),
        (4, "json.number_too_large"),
        (5, "json.too_deep"),
        (6, "json.duplicate_key"),
    ]


def test_a_byte_order_mark_loses_nothing(tmp_path: Path) -> None:
    text = "\n".join(_line(_record(f"B-{n}")) for n in range(3))
    path = _write(tmp_path / "cases.jsonl", b"\xef\xbb\xbf" + text.encode())
    assert [case.reference for case in load_cases(path).cases] == ["B-0", "B-1", "B-2"]
    json_path = _write(tmp_path / "cases.json", b"\xef\xbb\xbf[" + _line(_record()).encode() + b"]")
    assert load_cases(json_path).ok


@pytest.mark.parametrize(
    ("name", "content"),
    [("cases.jsonl", ""), ("cases.jsonl", "\n \n"), ("cases.json", "[]"), ("cases.yaml", "")],
)
def test_a_file_with_no_records_is_an_error(tmp_path: Path, name: str, content: str) -> None:
    with pytest.raises(CaseFileError, match="holds no records") as info:
        load_cases(_write(tmp_path / name, content))
    assert info.value.code == "file.empty"


def test_an_over_long_line_is_skipped_and_reported(tmp_path: Path) -> None:
    big = _line(_record("L-1", area="x" * 5000))
    path = _write(tmp_path / "cases.jsonl", big + "\n" + _line(_record("L-2")) + "\n")
    result = load_cases(path, limits=Limits(max_record_bytes=1000))
    assert [case.reference for case in result.cases] == ["L-2"]
    (error,) = result.errors
    assert (error.record, error.code) == (1, "json.too_large")


# ---------------------------------------------------------------------- whole files


def test_invalid_utf8_in_a_json_file_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "cases.json", b'[\n{"reference": "X"},\n{"area": "\xc3("}\n]')
    with pytest.raises(CaseFileError, match="line 3 is not UTF-8") as info:
        load_cases(path)
    assert (info.value.code, info.value.line) == ("file.not_utf8", 3)


def test_a_cases_key_written_twice_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "cases.json", '{"cases": [' + _line(_record()) + '], "cases": []}')
    with pytest.raises(CaseFileError, match=r"written twice \(cases\)") as info:
        load_cases(path)
    assert info.value.code == "file.duplicate_key"


def test_a_json_file_nested_past_the_parser_is_one_located_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "cases.json", "[\n" + "[" * 5000 + "]" * 5000 + "\n]")
    with pytest.raises(CaseFileError, match="nested more than 200 deep") as info:
        load_cases(path)
    assert (info.value.code, info.value.line) == ("json.too_deep", 2)


def test_records_too_deep_or_with_huge_numbers_are_record_errors(tmp_path: Path) -> None:
    records = [_record("D-1", area=_nested(30)), _record("D-2"), _record("D-3", area=10**50)]
    path = _write(tmp_path / "cases.json", json.dumps(records, default=str))
    assert _codes(path) == [(1, "json.too_deep"), (3, "json.number_too_large")]


def test_a_document_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = _write(tmp_path / "cases.json", json.dumps([_record()], default=str))
    with pytest.raises(CaseFileError, match="larger than 100 bytes") as info:
        load_cases(path, limits=Limits(max_document_bytes=100))
    assert info.value.code == "file.too_large"


def test_in_memory_records_that_hold_themselves_or_huge_numbers(tmp_path: Path) -> None:
    looped: dict[str, Any] = _record("M-1")
    looped["area"] = looped
    huge = _record("M-2", sentence={**CASE_DEFAULTS["sentence"], "custodial_months": 10**5000})
    deep = _record("M-3", offender={"diversity_needs": _nested(5000)})
    assert _codes([looped, huge, deep, _record("M-4")]) == [
        (1, "json.too_deep"),
        (2, "json.number_too_large"),
        (3, "json.too_deep"),
    ]


# ---------------------------------------------------------------------- YAML


def _laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [9, 10])
def test_billion_laughs_is_refused_small(tmp_path: Path, levels: int) -> None:
    path = _write(tmp_path / "cases.yaml", _laughs(levels))
    assert path.stat().st_size < 700
    tracemalloc.start()
    try:
        with pytest.raises(CaseFileError, match="aliases expand") as info:
            load_cases(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.code == "yaml.alias_expansion"
    assert peak < 5_000_000  # bytes: the expansion is counted, never built


def test_aliases_within_the_limit_still_work(tmp_path: Path) -> None:
    text = (
        "- &first\n  reference: Y-1\n  as_of: 2007-10-15\n"
        "  sentence: {kind: custody, sentenced_on: 2007-06-01}\n"
        "- {<<: *first, reference: Y-2}\n"
    )
    result = load_cases(_write(tmp_path / "cases.yaml", text))
    assert [case.reference for case in result.cases] == ["Y-1", "Y-2"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("- &a [*a]\n", "yaml.recursive_alias"),
        ("- " + "[" * 400 + "]" * 400 + "\n", "yaml.too_deep"),
        ("- a: [\n", "yaml.invalid"),
        ("- !!python/object:os.system {}\n", "yaml.invalid"),
    ],
)
def test_unreadable_yaml_is_one_coded_error(tmp_path: Path, text: str, code: str) -> None:
    with pytest.raises(CaseFileError) as info:
        load_cases(_write(tmp_path / "cases.yaml", text))
    assert info.value.code == code


def test_yaml_duplicate_keys_and_impossible_dates_cost_their_record(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "as_of: 2007-10-15",
            "cases:",
            "  - {reference: Y-1, sentence: {kind: custody, sentenced_on: 2007-02-30}}",
            "  - {reference: Y-2, sentence: {kind: custody, sentenced_on: 2007-13-01}}",
            "  - {reference: Y-3, sentence: {kind: custody, sentenced_on: 0000-01-01}}",
            "  - {reference: Y-4, reference: Y-5,"
            " sentence: {kind: custody, sentenced_on: 2007-06-01}}",
            "  - {reference: Y-6, tiers: [{tier: " + "1" * 5000 + ", on: 2007-06-01}],"
            " sentence: {kind: custody, sentenced_on: 2007-06-01}}",
            "  - {reference: Y-7, sentence: {kind: custody, sentenced_on: 1907-06-01}}",
            "  - {reference: Y-8, sentence: {kind: custody, sentenced_on: 2007-06-01}}",
        ]
    )
    result = load_cases(_write(tmp_path / "cases.yaml", text))
    assert [case.reference for case in result.cases] == ["Y-8"]
    assert [(e.record, e.case_ref, e.problems[0].field, e.code) for e in result.errors] == [
        (1, "Y-1", "sentence.sentenced_on", "date.impossible"),
        (2, "Y-2", "sentence.sentenced_on", "date.impossible"),
        (3, "Y-3", "sentence.sentenced_on", "date.impossible"),
        (4, None, "(record)", "yaml.duplicate_key"),
        (5, None, "tiers[0].tier", "yaml.number_too_large"),
        (6, "Y-7", "sentence.sentenced_on", "date.out_of_range"),
    ]


def test_yaml_loader_marks_duplicates_but_allows_merge_keys() -> None:
    data = yaml.load("base: &b {x: 1}\nitem: {<<: *b, x: 2}\nagain: {a: 1, a: 2}\n")
    assert data["item"] == {"x": 2}
    assert getattr(data["item"], "duplicates", ()) == ()
    assert data["again"].duplicates == ("a",)


# ---------------------------------------------------------------------- inspections


INSPECTION = (
    "area: Example Area\nas_of: 2007-10-15\nfieldwork: {start: 2007-10-15, end: FIELDWORK_END}\n"
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (INSPECTION.replace("FIELDWORK_END", "2007-10-32"), "date.impossible"),
        (INSPECTION.replace("FIELDWORK_END", "2007-02-30"), "date.impossible"),
        (INSPECTION.replace("FIELDWORK_END", "2007-10-19") + "area: Other\n", "yaml.duplicate_key"),
        (_laughs(9), "yaml.alias_expansion"),
        (
            INSPECTION.replace("FIELDWORK_END", "2007-10-19") + "as_of: 1907-10-15\n",
            "yaml.duplicate_key",
        ),
        (
            INSPECTION.replace("as_of: 2007-10-15", "as_of: 1907-10-15").replace(
                "FIELDWORK_END", "2007-10-19"
            ),
            "date.out_of_range",
        ),
    ],
)
def test_bad_inspection_files_are_coded_errors(tmp_path: Path, text: str, code: str) -> None:
    with pytest.raises(InspectionFileError) as info:
        load_inspection(_write(tmp_path / "inspection.yaml", text))
    assert info.value.code == code


def test_an_inspection_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path / "inspection.json", b'{"area": "\xff"}')
    with pytest.raises(InspectionFileError, match="not UTF-8") as info:
        load_inspection(path)
    assert info.value.code == "file.not_utf8"


def test_a_valid_inspection_still_loads(tmp_path: Path) -> None:
    text = INSPECTION.replace("FIELDWORK_END", "2007-10-19")
    inspection = load_inspection(_write(tmp_path / "inspection.yaml", text))
    assert inspection.fieldwork.end == dt.date(2007, 10, 19)
