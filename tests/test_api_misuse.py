"""A wrong argument to the public API is one clear ``TypeError`` naming it, not an error
from inside a rule (an ``AttributeError``, or a comparison of a date with text)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casework import (
    CaseError,
    WorkingCalendar,
    case_from_request,
    compare,
    load_cases,
    sample_cases,
    score_inspection,
)
from casework.columnar import evaluate_columns
from casework.columnar.reader import read_column_chunks
from casework.performance import Period, TargetTally, target_performance
from casework.rules import evaluate, iter_findings, ruleset

DAY = dt.date(2007, 10, 15)
NS07 = "national-standards-2007"


@pytest.fixture(scope="module")
def cases(examples: Path) -> tuple[Any, ...]:
    return load_cases(examples / "cases.json").cases


def _evaluate(cases: Any, **given: Any) -> Any:
    arguments: dict[str, Any] = {"as_of": DAY, "calendar": WorkingCalendar.england_and_wales()}
    arguments.update(given)
    rules = arguments.pop("ruleset", NS07)
    return evaluate(cases, rules, **arguments)


def _on_columns(cases: Any, **given: Any) -> Any:
    arguments: dict[str, Any] = {"as_of": DAY, "calendar": WorkingCalendar.england_and_wales()}
    arguments.update(given)
    rules = arguments.pop("ruleset", NS07)
    return evaluate_columns(cases, rules, **arguments)


ENGINES = [_evaluate, _on_columns]


@pytest.mark.parametrize("engine", ENGINES, ids=["evaluate", "evaluate_columns"])
@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"as_of": "2007-10-15"},
            "as_of must be a datetime.date, not the text '2007-10-15': "
            "pass datetime.date.fromisoformat('2007-10-15')",
        ),
        (
            {"as_of": dt.datetime(2007, 10, 15, 9, 30, tzinfo=dt.UTC)},
            "as_of must be a datetime.date, not a datetime (2007-10-15T09:30:00+00:00): "
            "pass its .date()",
        ),
        ({"as_of": None}, "as_of must be a datetime.date, not NoneType"),
        (
            {"calendar": None},
            "calendar must be a casework.WorkingCalendar (such as "
            "WorkingCalendar.england_and_wales()), not NoneType",
        ),
        (
            {"calendar": "england"},
            "calendar must be a casework.WorkingCalendar (such as "
            "WorkingCalendar.england_and_wales()), not str",
        ),
        (
            {"ruleset": 2007},
            "ruleset must be a RuleSet or the name of one (such as "
            "'national-standards-2007'), not int",
        ),
    ],
)
def test_a_wrong_argument_is_named(
    engine: Callable[..., Any], cases: tuple[Any, ...], given: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError) as raised:
        engine(cases, **given)
    assert str(raised.value) == message


@pytest.mark.parametrize("engine", ENGINES, ids=["evaluate", "evaluate_columns"])
def test_a_record_given_as_a_case_is_named_by_its_place(
    engine: Callable[..., Any], cases: tuple[Any, ...]
) -> None:
    record = {"reference": "SYN-0001", "personal": {"name": "Synthetic Person"}}
    with pytest.raises(TypeError) as raised:
        engine([*cases[:2], record])
    assert str(raised.value) == (
        "cases[2] must be a casework.Case, not dict: read records with casework.load_cases, "
        "which checks them and makes the cases"
    )
    assert "Synthetic Person" not in str(raised.value)  # (nothing of the record is echoed)
    with pytest.raises(TypeError, match=r"^cases must be .*, not dict$"):
        engine(record)


def test_iter_findings_names_a_wrong_argument_when_it_is_first_asked(
    cases: tuple[Any, ...],
) -> None:
    found = iter_findings(cases, NS07, as_of="2007-10-15", calendar=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^as_of must be a datetime\.date"):
        next(found)


def test_an_unknown_rule_set_name_is_still_a_key_error(cases: tuple[Any, ...]) -> None:
    with pytest.raises(KeyError, match="no rule set named 'national-standards-2099'"):
        _evaluate(cases, ruleset="national-standards-2099")


def test_evaluate_columns_takes_a_rule_set_by_name(cases: tuple[Any, ...]) -> None:
    by_name = _on_columns(cases)
    given = _on_columns(cases, ruleset=ruleset(NS07))
    assert [f.to_dict() for f in by_name.findings()] == [f.to_dict() for f in given.findings()]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"period": "2007-08"},
            "period must be a casework.performance.Period (Period.financial_year(2007), "
            "Period.quarter(2007, 1), Period(start, end)), not str",
        ),
        (
            {"target_set": None},
            "target_set must be a TargetSet or the name of one (such as 'nps-2007-08'), "
            "not NoneType",
        ),
    ],
)
def test_target_performance_names_a_wrong_argument(
    cases: tuple[Any, ...], given: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {
        "target_set": "nps-2007-08",
        "period": Period.financial_year(2007),
        "as_of": DAY,
        "calendar": WorkingCalendar.england_and_wales(),
    }
    arguments.update(given)
    target_set = arguments.pop("target_set")
    with pytest.raises(TypeError) as raised:
        target_performance(cases, target_set, **arguments)
    assert str(raised.value) == message
    with pytest.raises(TypeError) as started:
        TargetTally.start(target_set, period=arguments["period"])
    assert str(started.value) == message


def test_score_inspection_is_given_findings_not_cases(examples: Path) -> None:
    sample = load_cases(examples / "omi-sample.json").cases
    with pytest.raises(TypeError) as raised:
        score_inspection(sample)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "findings[0] must be a Finding, not Case: score the findings of the sample, "
        "evaluate(cases, 'omi-2007', as_of=..., calendar=...), not the cases"
    )
    with pytest.raises(TypeError, match=r"^findings must be an iterable of Finding, not str$"):
        score_inspection("omi-2007")  # type: ignore[arg-type]


def test_sample_cases_names_a_wrong_argument(cases: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError, match=r"^as_of must be a datetime\.date, not the text "):
        sample_cases(cases, as_of="2007-10-15", size=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^cases\[1\] must be a casework\.Case, not dict: "):
        sample_cases([cases[0], {"reference": "SYN-1"}], as_of=DAY, size=1)  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("as_of", "error", "message"),
    [
        ("yesterday", ValueError, "as_of must be a date as YYYY-MM-DD, not 'yesterday'"),
        ("20071015", ValueError, "as_of must be a date as YYYY-MM-DD, not '20071015'"),
        (20071015, TypeError, "as_of must be a datetime.date, not int"),
    ],
)
def test_reading_refuses_an_as_of_that_is_not_a_date_once_not_per_record(
    tmp_path: Path, as_of: Any, error: type[Exception], message: str
) -> None:
    # records without their own as_of are read as at the argument: a bad one was a
    # rejection of every such record ("as_of: expected a date"), not of the argument
    path = tmp_path / "cases.jsonl"
    path.write_text('{"reference": "SYN-1"}\n', encoding="utf-8")
    with pytest.raises(error) as raised:
        load_cases(path, as_of=as_of)
    assert str(raised.value) == message
    with pytest.raises(error) as chunked:
        next(iter(read_column_chunks(path, as_of=as_of)))
    assert str(chunked.value) == message


def test_reading_takes_as_of_as_a_date_or_its_text(examples: Path) -> None:
    path = examples / "cases.json"
    as_text = load_cases(path, as_of="2007-10-15")
    assert as_text.cases == load_cases(path, as_of=DAY).cases


@pytest.mark.parametrize(
    ("body", "found"),
    [(None, "nothing"), ([1, 2], "a list of 2 items"), (5, "a whole number of 1 digit")],
)
def test_a_request_body_parsed_to_something_else_is_a_case_error(body: Any, found: str) -> None:
    # (a service's JSON body may parse to a list or null: the error its text would be)
    result = case_from_request(body)
    assert isinstance(result, CaseError)
    assert [(p.field, p.expected, p.found, p.code) for p in result.problems] == [
        ("(record)", "an object (mapping)", found, "record.not_object")
    ]
    assert result.problems == case_from_request(json.dumps(body)).problems  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            {"reference": "SYN-1"},
            "source is one record (a mapping): pass a list of records, or a path; "
            "case_from_request reads one record",
        ),
        (b"[]", "source is bytes: pass the file's path, or its records (json.loads)"),
        (
            io.BytesIO(b'{"reference": "SYN-1"}\n'),
            "source is an open file: pass its path (load_cases('cases.jsonl')); "
            "iter_jsonl_cases reads a JSON Lines byte stream",
        ),
    ],
    ids=["mapping", "bytes", "open file"],
)
def test_a_source_that_is_not_records_is_named_not_rejected_record_by_record(
    source: Any, message: str
) -> None:
    # (each line of an open file, each byte, each key was a record "not an object")
    with pytest.raises(TypeError) as raised:
        load_cases(source)
    assert str(raised.value) == message
    with pytest.raises(TypeError) as chunked:
        next(iter(read_column_chunks(source)))
    assert str(chunked.value) == message


def test_an_open_file_of_the_examples_is_refused(examples: Path) -> None:
    with (
        (examples / "bad-cases.jsonl").open(encoding="utf-8") as lines,
        pytest.raises(TypeError, match=r"^source is an open file: pass its path"),
    ):
        load_cases(lines)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        (
            lambda c: c.add_working_days("2007-10-15", 5),
            "start must be a datetime.date, not the text '2007-10-15': "
            "pass datetime.date.fromisoformat('2007-10-15')",
        ),
        (lambda c: c.is_working_day(None), "day must be a datetime.date, not NoneType"),
        (
            lambda c: c.working_days_between(DAY, "2007-12-01"),
            "end must be a datetime.date, not the text '2007-12-01': "
            "pass datetime.date.fromisoformat('2007-12-01')",
        ),
        (lambda c: c.holiday_name(20071225), "day must be a datetime.date, not int"),
    ],
)
def test_the_calendar_names_a_day_that_is_not_a_date(
    ask: Callable[[WorkingCalendar], Any], message: str
) -> None:
    with pytest.raises(TypeError) as raised:
        ask(WorkingCalendar.england_and_wales())
    assert str(raised.value) == message


def test_the_calendar_reads_a_datetime_as_its_day() -> None:
    calendar = WorkingCalendar.england_and_wales()
    morning = dt.datetime(2007, 10, 15, 9, 30, tzinfo=dt.UTC)
    assert calendar.add_working_days(morning, 5) == calendar.add_working_days(DAY, 5)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: Period("2007-04-01", dt.date(2008, 3, 31)),  # type: ignore[arg-type]
            TypeError,
            "start must be a datetime.date, not the text '2007-04-01': "
            "pass datetime.date.fromisoformat('2007-04-01')",
        ),
        (
            lambda: Period.financial_year("2007/08"),
            ValueError,
            "'2007/08' is not a financial year such as '2007-08'",
        ),
        (
            lambda: Period.quarter("Q1", 1),
            ValueError,
            "'Q1' is not a financial year such as '2007-08'",
        ),
        (
            lambda: Period.financial_year(2007.5),  # type: ignore[arg-type]
            TypeError,
            "a financial year is a year (2007) or its text ('2007-08'), not float",
        ),
    ],
)
def test_a_period_names_what_is_wrong(
    make: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        make()
    assert str(raised.value) == message


def test_evaluate_columns_reads_an_iterator_of_cases_once(cases: tuple[Any, ...]) -> None:
    # (the cases are checked, then put in columns: an iterator must not be spent by the check)
    from_iterator = _on_columns(iter(cases))
    assert len(from_iterator) == len(_on_columns(cases)) > 0


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"variant": None},
            "a rule set is a RuleSet, a registered name, an overlay file or "
            "'package.module:attribute', not NoneType",
        ),
        (
            {"match": "prefix"},
            "match is a function of a rule (such as match_after_prefix) or a mapping of rule "
            "ids, not str",
        ),
    ],
)
def test_compare_names_a_wrong_argument(
    cases: tuple[Any, ...], given: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {
        "variant": "national-standards-2005",
        "as_of": DAY,
        "calendar": WorkingCalendar.england_and_wales(),
    }
    arguments.update(given)
    variant = arguments.pop("variant")
    with pytest.raises(TypeError) as raised:
        compare(cases, NS07, variant, **arguments)
    assert str(raised.value) == message
