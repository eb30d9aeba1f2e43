"""The fast path for JSON Lines records (casework._fastread, decision: fast-reader).

The promise: a record the fast path accepts is one pydantic accepts, as an equal
``Case`` (same values, same types, same fields set, all the way down); every
other record takes the pydantic path, so the outcome of reading any line, case
or located error, is the same with the fast path as without it. Checked over
valid cases drawn by ``casework.testing.strategies``, the fuzz engine's mutated
records and lines (tests/fuzz), the examples, and the benchmark's generated cases.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from casework import Case, CaseError, Limits, dumps_cases, load_cases
from casework import io as case_io
from casework._fastread import FastReader, fast_reader
from casework.model.base import Record
from casework.testing import strategies as cs
from tests.fuzz.engine import _dumps, _encode_line, fresh_record, mutate_record

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2007, 10, 15)
DEFAULT = Limits()


def assert_same(fast: object, slow: object, path: str = "case") -> None:
    """Equal, of the same types, with the same fields set, at every level."""
    assert type(fast) is type(slow), path
    if isinstance(fast, BaseModel):
        assert isinstance(slow, BaseModel)
        assert fast.model_fields_set == slow.model_fields_set, path
        assert list(fast.__dict__) == list(slow.__dict__), path
        for name in fast.__dict__:
            assert_same(fast.__dict__[name], slow.__dict__[name], f"{path}.{name}")
        assert fast == slow, path
    elif isinstance(fast, tuple | list):
        assert isinstance(slow, tuple | list)
        assert len(fast) == len(slow), path
        for index, (a, b) in enumerate(zip(fast, slow, strict=True)):
            assert_same(a, b, f"{path}[{index}]")
    elif isinstance(fast, dict):
        assert isinstance(slow, dict)
        assert list(fast) == list(slow), path
        for key in fast:
            assert_same(key, next(k for k in slow if k == key), f"{path} key")
            assert_same(fast[key], slow[key], f"{path}[{key}]")
    else:
        assert fast == slow, path


def _read(lines: bytes, *, fast: bool, as_of: dt.date | None, limits: Limits) -> list[Any]:
    reader = fast_reader()
    fits = FastReader.fits
    try:
        if not fast:
            FastReader.fits = lambda self, limits: False  # type: ignore[method-assign]
        return list(case_io.iter_jsonl_cases(io.BytesIO(lines), as_of=as_of, limits=limits))
    finally:
        FastReader.fits = fits  # type: ignore[method-assign]
        assert reader is fast_reader()


def assert_read_alike(
    lines: bytes, *, as_of: dt.date | None = AS_OF, limits: Limits = DEFAULT
) -> int:
    """Every line read the same with and without the fast path; the number it accepted."""
    fast = _read(lines, fast=True, as_of=as_of, limits=limits)
    slow = _read(lines, fast=False, as_of=as_of, limits=limits)
    assert [number for number, _ in fast] == [number for number, _ in slow]
    accepted = 0
    for (_, a), (_, b) in zip(fast, slow, strict=True):
        if isinstance(b, CaseError):
            assert a == b
        else:
            assert_same(a, b)
            accepted += 1
    return accepted


def _fast_accepts(line: str, as_of: dt.date | None = AS_OF) -> Case | None:
    return fast_reader().read(line, as_of, Limits())


# ---------------------------------------------------------------------- the reader


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    yield model
    for field in model.model_fields.values():
        for arg in _types(field.annotation):
            if isinstance(arg, type) and issubclass(arg, Record):
                yield from _models(arg)


def _types(annotation: object) -> Iterator[object]:

    yield annotation
    for arg in typing.get_args(annotation):
        yield from _types(arg)


def test_the_reader_is_generated_from_every_model_of_a_case() -> None:
    reader = FastReader()
    assert reader.fits(Limits())
    assert reader.max_depth == 4  # Case > assessments > assessment > screening
    assert reader.max_digits == 4  # custodial_months up to 1200
    from casework._fastread import _Builder

    builder = _Builder()
    builder.plan(Case, 1)
    assert set(builder.plans) == set(_models(Case))


def test_limits_tighter_than_the_case_format_turn_the_fast_path_off() -> None:
    reader = fast_reader()
    assert not reader.fits(Limits(max_depth=3))
    assert not reader.fits(Limits(max_number_digits=3))
    assert reader.fits(Limits(max_depth=4, max_number_digits=4))


# ---------------------------------------------------------------------- valid cases


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cs.cases())
def test_every_valid_case_written_out_is_read_by_the_fast_path_as_pydantic_reads_it(
    case: Case,
) -> None:
    line = dumps_cases([case]).strip()
    fast = _fast_accepts(line, None)
    assert fast is not None
    slow = case_io.parse_record(json.loads(line))
    assert isinstance(slow, Case)
    assert_same(fast, slow)
    assert fast == case


def test_the_examples_and_benchmark_cases_are_read_alike() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import case_records
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generated = list(case_records(2007, 150, dt.date(2010, 6, 30)))
    document = json.loads((ROOT / "examples" / "cases.json").read_text(encoding="utf-8"))
    examples = [{"as_of": document["as_of"], **record} for record in document["cases"]]
    records = generated + examples
    lines = "".join(json.dumps(record) + "\n" for record in records).encode()
    assert assert_read_alike(lines) == len(records)
    # the generated ones by the fast path itself; examples with RoH register codes
    # (RMRH, RVHR) are read by pydantic, which maps them
    assert all(_fast_accepts(json.dumps(record)) is not None for record in generated)
    left = [r["reference"] for r in examples if _fast_accepts(json.dumps(r)) is None]
    assert left == ["EX-0003", "EX-0004"]


def test_the_given_as_of_is_used_for_records_without_one() -> None:
    record = json.loads((ROOT / "examples" / "cases.json").read_text())["cases"][0]
    line = json.dumps(record).encode() + b"\n"
    assert assert_read_alike(line, as_of=AS_OF) == 1
    case = _fast_accepts(line.decode(), AS_OF)
    assert case is not None
    assert case.as_of == AS_OF
    assert "as_of" in case.model_fields_set
    assert _fast_accepts(line.decode(), None) is None  # pydantic reports the missing as_of
    assert assert_read_alike(line, as_of=None) == 0


# ---------------------------------------------------------------------- left to pydantic


def _example() -> dict[str, Any]:
    document = json.loads((ROOT / "examples" / "cases.json").read_text(encoding="utf-8"))
    return {"as_of": document["as_of"], **document["cases"][0]}


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.update(area="  Padded  "),  # pydantic strips it
        lambda r: r.update(reference="R-1\n"),
        lambda r: r["sentence"].update(custodial_months="12"),
        lambda r: r.update(roh=[{"level": "RLRH", "on": r["sentence"]["sentenced_on"]}]),
        lambda r: r.update(roh=[{"level": "Low", "on": r["sentence"]["sentenced_on"]}]),
        lambda r: r.update(as_of="2051-01-01"),
        lambda r: r["sentence"].update(sentenced_on="1974-12-31"),
        lambda r: r["sentence"].update(sentenced_on="2007-02-30"),
        lambda r: r["sentence"].update(sentenced_on="2007-06-01T00:00:00"),
        lambda r: r["sentence"].update(sentenced_on="2099-01-01"),
        lambda r: r.update(personal={"date_of_birth": "1899-12-31"}),
        lambda r: r.update(child_safeguarding_concern=1),
        lambda r: r.update(tiers=[{"tier": "2", "on": r["sentence"]["sentenced_on"]}]),
        lambda r: r.update(judgements={"answers": {"1.1.a": "yes", " 1.1.b": "no"}}),
        lambda r: r.update(offender={"disabilities": [" wheelchair "]}),
        lambda r: r.update(unknown=1),
        lambda r: r.pop("sentence"),
    ],
)
def test_what_the_fast_path_leaves_to_pydantic_is_read_as_before(change: Any) -> None:
    """Other spellings pydantic accepts or rejects (text to strip, register codes, numbers
    as text, dates out of range or after as_of, unknown or missing fields)."""
    record = _example()
    change(record)
    line = json.dumps(record)
    assert _fast_accepts(line) is None
    assert_read_alike(line.encode() + b"\n")


def test_an_assessment_written_once_is_dated_by_pydantic_as_before() -> None:
    """``parts_with_assessment`` dates the undated parts in a before-validator: such a
    record takes pydantic, and reads with every part dated."""
    record = _example()
    day = record["sentence"]["sentenced_on"]
    record["assessments"] = [
        {"id": "A1", "purpose": "start", "completed_on": day, "parts_with_assessment": True,
         "screening": {"full_analysis_required": False}, "sentence_plan": {"kind": "initial"}}
    ]  # fmt: skip
    line = json.dumps(record)
    assert _fast_accepts(line) is None
    assert_read_alike(line.encode() + b"\n")
    (read,) = _read(line.encode() + b"\n", fast=True, as_of=None, limits=Limits())
    case = next(item for item in read if isinstance(item, Case))
    assert case.assessments[0].screening.completed_on.isoformat() == day


def test_old_dates_of_birth_are_read_by_the_fast_path() -> None:
    record = _example()
    record["personal"] = {"date_of_birth": "1900-01-01"}
    assert _fast_accepts(json.dumps(record)) is not None
    assert assert_read_alike(json.dumps(record).encode()) == 1


def test_a_key_written_twice_is_rejected_as_before() -> None:
    line = json.dumps(_example())
    twice = line.replace('"reference":', '"reference": "OTHER-1", "reference":', 1)
    assert _fast_accepts(twice) is None
    fast = _read(twice.encode(), fast=True, as_of=AS_OF, limits=Limits())
    (_, error) = fast[0]
    assert isinstance(error, CaseError)
    assert error.code == "json.duplicate_key"
    assert assert_read_alike(twice.encode()) == 0
    # a quote escaped before a colon inside text only sends the record the slow way
    quoted = _example()
    quoted["area"] = 'say \\": here'
    assert assert_read_alike(json.dumps(quoted).encode()) == 1


def test_contradictions_and_model_checks_are_found_by_pydantic() -> None:
    record = _example()
    record["sentence"]["released_on"] = record["sentence"]["sentenced_on"]
    record["sentence"]["kind"] = "community_order"
    line = json.dumps(record)
    assert _fast_accepts(line) is None
    assert assert_read_alike(line.encode()) == 0
    record = _example()
    record["offender"] = {"ppo": [{"start": "2007-06-05", "end": "2007-06-01"}]}
    assert _fast_accepts(json.dumps(record)) is None
    assert assert_read_alike(json.dumps(record).encode()) == 0


def test_a_record_larger_than_the_value_limit_is_left_to_pydantic() -> None:
    record = _example()
    line = json.dumps(record)
    limits = Limits(max_record_values=len(line))
    assert fast_reader().read(line, AS_OF, limits) is None
    assert assert_read_alike(line.encode(), limits=limits) == 1


# ---------------------------------------------------------------------- fuzzed


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(rng=st.randoms(use_true_random=False), mutate=st.booleans(), encode=st.booleans())
def test_fuzzed_lines_read_alike_with_and_without_the_fast_path(
    rng: random.Random, mutate: bool, encode: bool
) -> None:
    lines = []
    for number in range(4):
        record, token = fresh_record(rng, number)
        value: Any = mutate_record(rng, record, token)[0] if mutate else record
        text = _dumps(value)
        lines.append(_encode_line(rng, text) if encode else text.encode("utf-8", "surrogatepass"))
    assert_read_alike(b"\n".join(lines) + b"\n")


def test_whole_files_read_alike(tmp_path: Path) -> None:
    path = ROOT / "examples" / "bad-cases.jsonl"
    fast = load_cases(path)
    original = FastReader.fits
    try:
        FastReader.fits = lambda self, limits: False  # type: ignore[method-assign]
        slow = load_cases(path)
    finally:
        FastReader.fits = original  # type: ignore[method-assign]
    assert fast.errors == slow.errors
    for a, b in zip(fast.cases, slow.cases, strict=True):
        assert_same(a, b)


def test_a_defect_in_a_model_check_is_reported_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Case) -> list[Any]:
        raise KeyError("a defect")

    monkeypatch.setattr(Case, "_contradictions", broken)
    line = json.dumps(_example()).encode()
    assert assert_read_alike(line) == 0
    (_, error) = _read(line, fast=True, as_of=AS_OF, limits=DEFAULT)[0]
    assert isinstance(error, CaseError)
    assert error.code == "record.unchecked"
