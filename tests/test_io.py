"""Case files in and out: every record accounted for, errors located, nothing personal echoed."""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from pathlib import Path

import pytest
import yaml as pyyaml

from casework import Case, CaseError, CaseFileError, dump_cases, iter_cases, load_cases, yaml
from casework.io import Format, case_file_format, dumps_cases, parse_record
from casework.testing import CASE_DEFAULTS, make_case, merge


def _line_count(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def test_mixed_file_accounts_for_every_record(examples: Path) -> None:
    path = examples / "bad-cases.jsonl"
    result = load_cases(path)
    assert result.records == _line_count(path) == 11
    assert [c.reference for c in result.cases] == ["BAD-01", "GOOD-11"]
    located = {
        (e.record, e.case_ref): [(p.field, p.expected, p.code) for p in e.problems]
        for e in result.errors
    }
    assert located == {
        (2, "BAD-02"): [
            (
                "sentence.released_on",
                "a release on or after the date of sentence",
                "release.before_sentence",
            )
        ],
        (3, "BAD-03"): [("tiers[0].tier", "one of 1, 2, 3 or 4", "field.not_allowed")],
        (4, "BAD-04"): [
            (
                "sentence.kind",
                "one of 'community_order', 'suspended_sentence_order', 'custody' or 'licence'",
                "field.not_allowed",
            )
        ],
        (5, "BAD-05"): [
            (
                "assessments[1]",
                "a review dated on or after the assessment it reviews (assessments[0])",
                "review.before_reviewed",
            )
        ],
        (6, "BAD-06"): [
            ("inductions[0].on", "a date on or before the record's as_of", "date.after_as_of")
        ],
        (7, "BAD-07"): [("personal.date_of_birth", "a date as YYYY-MM-DD", "date.invalid")],
        (8, None): [("(record)", "one JSON object per line", "json.invalid")],
        (9, "BAD-01"): [
            (
                "reference",
                "a case reference not used by another record",
                "record.duplicate_reference",
            )
        ],
        (10, "BAD-10"): [
            (
                "<name of 8 characters>",
                "no such field (unknown fields are rejected)",
                "field.unknown",
            )
        ],
    }


def test_errors_say_what_was_found_but_never_personal_details(examples: Path) -> None:
    result = load_cases(examples / "bad-cases.jsonl")
    text = "\n".join(str(error) for error in result.errors)
    assert "found a whole number of 1 digit" in text  # the tier
    assert "found a date" in text  # the release date
    assert "found text of 10 characters" in text  # the date of birth typed as 31/12/1979
    for secret in ("Synthetic Person Seven", "31/12/1979", "Synthetic"):
        assert secret not in text


def test_the_example_file_loads_cleanly(examples: Path) -> None:
    result = load_cases(examples / "cases.json")
    assert result.ok
    assert len(result.cases) == 6
    assert {case.as_of for case in result.cases} == {dt.date(2007, 10, 15)}


def test_as_of_from_the_file_the_argument_or_the_record(tmp_path: Path) -> None:
    record = {k: v for k, v in CASE_DEFAULTS.items() if k != "as_of"}
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([record]))
    (error,) = load_cases(path).errors
    assert error.problems[0].field == "as_of"
    assert load_cases(path, as_of=dt.date(2007, 11, 1)).cases[0].as_of == dt.date(2007, 11, 1)
    path.write_text(json.dumps({"as_of": "2007-12-01", "cases": [record]}))
    assert load_cases(path, as_of=dt.date(2007, 11, 1)).cases[0].as_of == dt.date(2007, 12, 1)
    own = {**record, "as_of": "2008-01-02"}
    path.write_text(json.dumps({"as_of": "2007-12-01", "cases": [own]}))
    assert load_cases(path).cases[0].as_of == dt.date(2008, 1, 2)


def test_yaml_and_lists_of_dicts(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        "as_of: 2007-10-15\ncases:\n  - reference: Y-1\n    sentence:\n"
        "      kind: custody\n      sentenced_on: 2007-06-01\n  - 42\n"
    )
    result = load_cases(path)
    assert [c.reference for c in result.cases] == ["Y-1"]
    assert result.errors[0].problems[0].expected == "an object (mapping)"
    from_dicts = load_cases([dict(CASE_DEFAULTS), {"reference": "X"}])
    assert (len(from_dicts.cases), len(from_dicts.errors)) == (1, 1)


HAND_WRITTEN = """\
# as a person writes it: bare on: keys, yes/no answers, unquoted dates
- reference: H-1
  as_of: 2007-10-15
  sentence:
    kind: community_order
    sentenced_on: 2007-06-01
    termination: {on: 2007-10-01, reason: completed}
  tiers:
    - tier: 2
      on: 2007-06-01
  roh: [{level: medium, on: 2007-06-05}]
  events:
    - on: 2007-07-02
      kind: significant_incident
  judgements:
    answers: {1.1.d: yes, 1.1.e: no, 1.1.k: not_evidenced}
    summaries: {"1.1": yes}
"""


def test_a_hand_written_yaml_case_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    result = load_cases(path)
    assert [str(error) for error in result.errors] == []
    expected = make_case(
        reference="H-1",
        sentence={"termination": {"on": "2007-10-01", "reason": "completed"}},
        roh=[{"level": "medium", "on": "2007-06-05"}],
        events=[{"on": "2007-07-02", "kind": "significant_incident"}],
        judgements={
            "answers": {"1.1.d": "yes", "1.1.e": "no", "1.1.k": "not_evidenced"},
            "summaries": {"1.1": "yes"},
        },
    )
    assert result.cases == (expected,)


def test_yaml_booleans_are_true_and_false_only() -> None:
    assert yaml.load("on: yes\noff: n\nflag: true\nother: False\nday: 2007-10-15") == {
        "on": "yes",
        "off": "n",
        "flag": True,
        "other": False,
        "day": dt.date(2007, 10, 15),
    }


def test_yaml_written_reads_back_equal_in_any_yaml_reader(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    cases = load_cases(path).cases
    text = dumps_cases(cases, format="yaml")
    assert load_cases(_written(tmp_path / "again.yaml", text)).cases == cases
    assert pyyaml.safe_load(text) == yaml.load(text)  # 'on' and 'yes' are quoted for YAML 1.1


def test_casework_reads_yaml_only_through_its_one_loader() -> None:
    """PyYAML needs ``Loader=`` (or a ``*_load`` shortcut): only casework/yaml.py gives one."""
    source = Path(yaml.__file__).parent
    readers = [
        f"{path.relative_to(source)}:{number}"
        for path in sorted(source.rglob("*.py"))
        if path != Path(yaml.__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(call in line for call in ("safe_load", "full_load", "Loader=", "SafeLoader("))
    ]
    assert readers == []


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.json", "[{", "not valid JSON"),
        ("cases.json", '{"cases": 3}', "expected a list of case records"),
        ("cases.json", '{"cases": [], "extra": 1}', "unexpected top-level keys"),
        ("cases.txt", "[]", "cannot tell the format"),
        ("cases.yaml", "a: [", "not valid YAML"),
    ],
)
def test_unreadable_files_raise_a_clear_error(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CaseFileError, match=message):
        load_cases(path)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_writing_and_reading_back_round_trips(examples: Path, tmp_path: Path, fmt: str) -> None:
    cases = load_cases(examples / "cases.json").cases
    path = tmp_path / f"out.{fmt}"
    assert dump_cases(cases, path) == len(cases)
    again = load_cases(path)
    assert again.ok
    assert again.cases == cases


def test_dumps_leaves_out_defaults() -> None:
    text = dumps_cases([make_case()])
    assert json.loads(text) == {
        "reference": "T-0001",
        "as_of": "2007-10-15",
        "sentence": {"kind": "community_order", "sentenced_on": "2007-06-01"},
        "tiers": [{"tier": 2, "on": "2007-06-01"}],
    }


def test_jsonl_streams_instead_of_holding_every_case(tmp_path: Path) -> None:
    line = json.dumps(merge(CASE_DEFAULTS, {"reference": "S-{n}"})) + "\n"
    path = tmp_path / "big.jsonl"
    count = 5000
    path.write_text("".join(line.replace("{n}", str(n)) for n in range(count)))

    def peak(read: object) -> int:
        tracemalloc.start()
        assert callable(read)
        read()
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return high

    streamed = peak(lambda: sum(1 for item in iter_cases(path) if isinstance(item, Case)))
    loaded = peak(lambda: load_cases(path))
    # streaming keeps one case at a time (plus the references seen, for the duplicate
    # check); loading keeps all 5000 cases
    assert streamed * 5 < loaded


def test_parse_record_never_raises_on_bad_data() -> None:
    for raw in (None, [], "text", {"reference": ""}, {"sentence": {}}):
        assert isinstance(parse_record(raw), CaseError)


@pytest.mark.parametrize(
    ("source", "given", "expected"),
    [
        ("cases.json", None, "json"),
        ("cases.JSONL", None, "jsonl"),
        (Path("cases.ndjson"), None, "jsonl"),
        ("cases.yaml", None, "yaml"),
        ("cases.txt", None, None),
        ("cases.txt", "jsonl", "jsonl"),
        ([{"reference": "EX-1"}], None, None),
    ],
)
def test_the_format_a_case_source_is_read_as(
    source: str | Path | list[dict[str, str]], given: Format | None, expected: Format | None
) -> None:
    """By the name's suffix (any case), unless a format is given; none for records."""
    assert case_file_format(source, given) == expected
