"""The record checks on columns (casework.columnar.checks) against the model's own checks.

Each column check is a second definition of a check of the model. The property breaks
valid records on purpose (dates moved onto, before and after each other and after
``as_of``, dates dropped, items and ids repeated, reviews pointed elsewhere, the
sentence kind changed, parts added), builds the broken records *without* validation
(``model_copy``), and holds the columns to the model, check by check: every code the
model gives (``Case._contradictions`` and each part's ``after`` validator) is flagged
for that case and no other code is. The bases are generated cases
(``casework.testing.strategies``), the stored witness cases and benchmark cases.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from casework._fastread import fast_reader
from casework.columnar import checks
from casework.columnar.checks import (
    AFTER_AS_OF,
    CHECKS,
    NESTED_CHECKS,
    after_as_of,
    contradicted,
    contradictions,
    failed_checks,
)
from casework.columnar.raw import RawTables, _strip, raw_from_cases, same_tables
from casework.model import (
    AssessmentPurpose,
    Case,
    FullAnalysis,
    ReviewTrigger,
    RiskManagementPlan,
    SentenceKind,
    SentencePlan,
)
from casework.model.base import FIRST_YEAR, LAST_YEAR, CodedError, dates_in
from casework.problems import problems_from
from casework.testing import strategies as cs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import case_records
from tests.columnar.compare import bench_cases, witness_cases

ROOT = Path(__file__).resolve().parents[2]
ALL_CODES = (*CHECKS, *(code for codes in NESTED_CHECKS.values() for code in codes))
Loc = tuple[str | int, ...]


# ---------------------------------------------------------------- the model's answer


def _models(value: Any) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _models(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models(item)


def _after_validators(model: type[BaseModel]) -> list[Callable[[Any], Any]]:
    decorators = model.__pydantic_decorators__.model_validators.values()
    return [d.func for d in decorators if d.info.mode == "after"]


def model_codes(case: Case) -> set[str]:
    """The codes the model gives for a case built without validation: its contradictions
    and each part's after-validator (the first problem of each part, as pydantic does)."""
    codes = {code for _, code, _ in case._contradictions()}
    for part in _models(case):
        if part is case:
            continue
        for check in _after_validators(type(part)):
            try:
                check(part)
            except CodedError as exc:
                codes.add(exc.code)
    return codes


def in_the_future(case: Case) -> bool:
    return any(True for _ in case._future_dates())


def disagreements(cases: list[Case], raw: RawTables | None = None) -> list[str]:
    """Where the columns and the model differ on these cases (empty when they agree)."""
    raw = raw_from_cases(cases) if raw is None else raw
    expected = [model_codes(case) for case in cases]
    future = [in_the_future(case) for case in cases]
    found = contradictions(raw)
    out = []
    if tuple(found) != ALL_CODES:
        out.append(f"checks {list(found)}")
    unknown = set().union(*expected) - set(found)
    if unknown:
        out.append(f"codes without a column check: {sorted(unknown)}")
    for code, mask in found.items():
        wanted = [code in codes for codes in expected]
        if mask.tolist() != wanted:
            out.append(f"{code}: columns {mask.tolist()}, model {wanted}")
    if contradicted(raw).tolist() != [bool(codes) for codes in expected]:
        out.append("contradicted")
    if after_as_of(raw).tolist() != future:
        out.append(f"after_as_of: columns {after_as_of(raw).tolist()}, model {future}")
    named = {
        row: tuple(
            code
            for code in (AFTER_AS_OF, *found)
            if code in expected[row] or (code == AFTER_AS_OF and future[row])
        )
        for row in range(len(cases))
        if expected[row] or future[row]
    }
    if failed_checks(raw) != named:
        out.append(f"failed_checks: columns {failed_checks(raw)}, model {named}")
    return out


# ---------------------------------------------------------------- breaking records


def _sites(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, BaseModel]]:
    """Every model in a case, with where it is."""
    if isinstance(value, BaseModel):
        yield loc, value
        for name in type(value).model_fields:
            yield from _sites(getattr(value, name), (*loc, name))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _sites(item, (*loc, index))


def _replace(value: Any, loc: Loc, new: Any) -> Any:
    """``value`` with what is at ``loc`` replaced by ``new``, without validation."""
    if not loc:
        return new
    head, rest = loc[0], loc[1:]
    if isinstance(value, tuple):
        assert isinstance(head, int)
        items = list(value)
        items[head] = _replace(items[head], rest, new)
        return tuple(items)
    assert isinstance(head, str)
    return value.model_copy(update={head: _replace(getattr(value, head), rest, new)})


def _field_types(model: BaseModel) -> Iterator[tuple[str, Any, bool, Any]]:
    """Each field: name, type (``None`` and ``Annotated`` taken off), optional, value."""
    for name, info in type(model).model_fields.items():
        annotation, optional = _strip(info.annotation)
        yield name, annotation, optional, getattr(model, name)


def _date_fields(case: Case) -> list[tuple[Loc, bool, dt.date | None]]:
    return [
        ((*loc, name), optional, value)
        for loc, model in _sites(case)
        for name, annotation, optional, value in _field_types(model)
        if annotation is dt.date
    ]


def _list_fields(case: Case) -> list[tuple[Loc, type[BaseModel], tuple[Any, ...]]]:
    out = []
    for loc, model in _sites(case):
        for name, annotation, _, value in _field_types(model):
            if getattr(annotation, "__origin__", None) is tuple:
                item, _ = _strip(annotation.__args__[0])
                if isinstance(item, type) and issubclass(item, BaseModel):
                    out.append(((*loc, name), item, value))
    return out


FIRST, LAST = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
T = TypeVar("T")


def _pick(draw: st.DrawFn, found: list[T], loc: Callable[[T], Loc]) -> T:
    """One of ``found``, each kind of place (``contacts[*].on``) as likely as another,
    however many of it the case has."""
    kinds: dict[Loc, list[T]] = {}
    for item in found:
        kinds.setdefault(tuple(part for part in loc(item) if isinstance(part, str)), []).append(
            item
        )
    return draw(st.sampled_from(kinds[draw(st.sampled_from(sorted(kinds)))]))


def _a_day(draw: st.DrawFn, case: Case) -> dt.date:
    """A day that matters to the case: one of its dates or a day either side of one,
    now and then a day after ``as_of``."""
    known = [day for _, day in dates_in(case) if FIRST <= day <= LAST]
    base = draw(st.sampled_from(known))
    now_and_then = draw(st.integers(0, 9))
    if now_and_then == 0:
        base = case.as_of + dt.timedelta(days=draw(st.integers(1, 40)))
    elif now_and_then == 1:
        base = case.sentence.sentenced_on - dt.timedelta(days=draw(st.integers(1, 400)))
    day = base + dt.timedelta(days=draw(st.sampled_from((-1, 0, 0, 1))))
    return min(max(day, FIRST), LAST)


def set_date(draw: st.DrawFn, case: Case) -> Case:
    loc, optional, _ = _pick(draw, _date_fields(case), lambda found: found[0])
    drop = optional and draw(st.integers(0, 4)) == 0
    return _replace(case, loc, None if drop else _a_day(draw, case))  # type: ignore[no-any-return]


def drop_date(draw: st.DrawFn, case: Case) -> Case:
    given_ = [(loc, value) for loc, optional, value in _date_fields(case) if optional and value]
    if not given_:
        return case
    loc, _ = _pick(draw, given_, lambda found: found[0])
    return _replace(case, loc, None)  # type: ignore[no-any-return]


def swap_dates(draw: st.DrawFn, case: Case) -> Case:
    by_model: dict[Loc, list[tuple[Loc, dt.date]]] = {}
    for loc, _, value in _date_fields(case):
        if value is not None:
            by_model.setdefault(loc[:-1], []).append((loc, value))
    pairs = [(loc, found) for loc, found in by_model.items() if len(found) >= 2]
    if not pairs:
        return case
    _, found = _pick(draw, pairs, lambda pair: pair[0])
    (one, first), (two, second) = draw(st.permutations(found))[:2]
    return _replace(_replace(case, one, second), two, first)  # type: ignore[no-any-return]


def repeat_item(draw: st.DrawFn, case: Case) -> Case:
    lists = [(loc, items) for loc, _, items in _list_fields(case) if items]
    if not lists:
        return case
    loc, items = _pick(draw, lists, lambda found: found[0])
    item = draw(st.sampled_from(items))
    at = draw(st.integers(0, len(items)))
    return _replace(case, loc, (*items[:at], item, *items[at:]))  # type: ignore[no-any-return]


def copy_key(draw: st.DrawFn, case: Case) -> Case:
    """One item takes another's id or date (two assessments with one id, two tiers on
    one day)."""
    lists = [
        (loc, key, items)
        for loc, item_type, items in _list_fields(case)
        for key in ("id", "on")
        if len(items) >= 2 and key in item_type.model_fields
    ]
    if not lists:
        return case
    loc, key, items = _pick(draw, lists, lambda found: found[0])
    source, target = draw(st.permutations(range(len(items))))[:2]
    return _replace(case, (*loc, target, key), getattr(items[source], key))  # type: ignore[no-any-return]


def add_item(draw: st.DrawFn, case: Case) -> Case:
    loc, item_type, items = _pick(draw, _list_fields(case), lambda found: found[0])
    item = draw(st.from_type(item_type))
    at = draw(st.integers(0, len(items)))
    return _replace(case, loc, (*items[:at], item, *items[at:]))  # type: ignore[no-any-return]


def add_part(draw: st.DrawFn, case: Case) -> Case:
    """A part the case lacks (a PSR, a transfer in, personal details, a termination ...)."""
    empty = [
        ((*loc, name), annotation)
        for loc, model in _sites(case)
        for name, annotation, optional, value in _field_types(model)
        if optional and value is None and isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
    ]  # fmt: skip
    if not empty:
        return case
    loc, part_type = _pick(draw, empty, lambda found: found[0])
    return _replace(case, loc, draw(st.from_type(part_type)))  # type: ignore[no-any-return]


def relink_review(draw: st.DrawFn, case: Case) -> Case:
    if not case.assessments:
        return case
    index = draw(st.integers(0, len(case.assessments) - 1))
    ids = [assessment.id for assessment in case.assessments]
    assessment = case.assessments[index].model_copy(
        update={
            "purpose": draw(st.sampled_from([AssessmentPurpose.REVIEW, *AssessmentPurpose])),
            "trigger": draw(st.one_of(st.none(), st.sampled_from(ReviewTrigger))),
            "reviews": draw(st.sampled_from([None, "unknown-id", *ids])),
        }
    )
    return _replace(case, ("assessments", index), assessment)  # type: ignore[no-any-return]


def change_kind(draw: st.DrawFn, case: Case) -> Case:
    return _replace(case, ("sentence", "kind"), draw(st.sampled_from(SentenceKind)))  # type: ignore[no-any-return]


MUTATIONS = (
    set_date,
    set_date,
    drop_date,
    swap_dates,
    repeat_item,
    copy_key,
    add_item,
    add_part,
    relink_review,
    change_kind,
)


def _fixed_cases() -> list[Case]:
    return [*witness_cases(), *bench_cases(2007, 60)]


FIXED = _fixed_cases()


@st.composite
def broken_cases(draw: st.DrawFn) -> Case:
    case = draw(st.one_of(cs.cases(), st.sampled_from(FIXED)))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), max_size=4)):
        case = mutation(draw, case)
    return case


CASE_LISTS = st.lists(broken_cases(), min_size=1, max_size=3)
SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------- the properties


@SLOW
@given(cases=CASE_LISTS)
def test_the_columns_flag_what_the_model_reports_check_by_check(cases: list[Case]) -> None:
    assert disagreements(cases) == []


@settings(SLOW, max_examples=20)
@given(cases=CASE_LISTS)
def test_read_from_the_fast_readers_structs_alike(cases: list[Case]) -> None:
    # The reader's Structs (no model built) give the same tables, so the same answers.
    reader = fast_reader()
    structs = [reader._decoder.decode(case.model_dump_json()) for case in cases]
    raw = raw_from_cases(structs)
    assert same_tables(raw, raw_from_cases(cases)) == []
    assert disagreements(cases, raw) == []


@settings(SLOW, max_examples=20)
@given(cases=CASE_LISTS)
def test_a_flagged_record_is_one_validation_rejects(cases: list[Case]) -> None:
    raw = raw_from_cases(cases)
    flagged = contradicted(raw) | after_as_of(raw)
    named = failed_checks(raw)
    for row, case in enumerate(cases):
        data = case.model_dump(mode="json")
        try:
            Case.model_validate(data)
        except ValidationError as exc:
            codes = {problem.code for problem in problems_from(exc, data)}
            assert flagged[row]
            assert codes <= set(named[row])
        else:
            assert not flagged[row]


def test_valid_records_pass() -> None:
    records = list(case_records(2007, 300, dt.date(2009, 3, 31)))
    reader = fast_reader()
    structs = [reader._decoder.decode(json.dumps(record)) for record in records]
    for raw in (raw_from_cases(FIXED), raw_from_cases(structs)):
        assert not contradicted(raw).any()
        assert not after_as_of(raw).any()
        assert failed_checks(raw) == {}


def test_an_empty_chunk() -> None:
    raw = raw_from_cases([])
    assert contradicted(raw).shape == (0,)
    assert after_as_of(raw).shape == (0,)
    assert failed_checks(raw) == {}


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "reference": "R1",
        "as_of": "2008-06-30",
        "sentence": {"kind": "community_order", "sentenced_on": "2008-01-10"},
        "assessments": [
            {"id": "a", "purpose": "start", "completed_on": "2008-01-20"},
            {"id": "b", "purpose": "start", "completed_on": "2008-01-25"},
            {"id": "a", "purpose": "review", "trigger": "scheduled", "reviews": "b",
             "completed_on": "2008-01-22"},
        ],
    }  # fmt: skip
    record.update(changes)
    return record


def _constructed(record: dict[str, Any]) -> Case:
    # The reader's Structs stand in for the record: no model validation at all.
    return fast_reader()._decoder.decode(json.dumps(record))  # type: ignore[no-any-return]


def test_a_review_names_the_first_assessment_with_its_id() -> None:
    # "a" is used twice; the review names "b", dated after it: before_reviewed.
    raw = raw_from_cases([_constructed(_record())])
    assert failed_checks(raw) == {0: ("assessment.duplicate_id", "review.before_reviewed")}
    # A review naming "a" names the first "a" (2008-01-20): not before it.
    record = _record()
    record["assessments"][2]["reviews"] = "a"
    raw = raw_from_cases([_constructed(record)])
    assert failed_checks(raw) == {0: ("assessment.duplicate_id",)}
    # A review naming itself (the only "c") names an unknown assessment.
    record["assessments"][2]["id"] = record["assessments"][2]["reviews"] = "c"
    raw = raw_from_cases([_constructed(record)])
    assert failed_checks(raw) == {0: ("review.unknown_assessment",)}


def test_texts_with_one_hash_are_still_told_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ids are grouped by their hash: when every hash collides, the texts decide.
    monkeypatch.setattr(checks, "hash", lambda _: 7, raising=False)
    record = _record()
    raw = raw_from_cases([_constructed(record)])
    assert failed_checks(raw) == {0: ("assessment.duplicate_id", "review.before_reviewed")}
    record["assessments"][2]["id"] = "c"
    record["assessments"][2]["reviews"] = "zz"
    raw = raw_from_cases([_constructed(record), _constructed(_record())])
    assert failed_checks(raw) == {
        0: ("review.unknown_assessment",),
        1: ("assessment.duplicate_id", "review.before_reviewed"),
    }
    assert disagreements(FIXED[:20]) == []


def test_every_check_of_the_model_has_a_column_form() -> None:
    """A new ``after`` validator on a part of the case must get its column check."""
    found: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        if model is not Case and _after_validators(model):
            found.add(model.__name__)
        for info in model.model_fields.values():
            for inner in _inner_types(info.annotation):
                walk(inner)

    walk(Case)
    assert found == set(NESTED_CHECKS)
    listed = (ROOT / "docs" / "case-files.md").read_text(encoding="utf-8")
    for code in (*ALL_CODES, AFTER_AS_OF):
        assert f"| `{code}` |" in listed


def _inner_types(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _inner_types(arg)


# ---------------------------------------------------------------- the property finds a fault


def _forget_duplicate_ids(chunk: Any, found: dict[str, Any]) -> None:
    checks._assessments(chunk, found)
    found["assessment.duplicate_id"] = np.zeros_like(found["assessment.duplicate_id"])


def _same_day_release_before_sentence(chunk: Any, found: dict[str, Any]) -> None:
    checks._sentence(chunk, found)
    case = chunk.raw["case"]
    released = case["sentence.released_on"]
    found["release.before_sentence"] = (released != checks.NO_DAY) & (
        released <= case["sentence.sentenced_on"]
    )


@pytest.mark.parametrize(
    ("broken", "replaces", "code"),
    [
        (_forget_duplicate_ids, "_assessments", "assessment.duplicate_id"),
        (_same_day_release_before_sentence, "_sentence", "release.before_sentence"),
    ],
)
def test_the_property_finds_a_broken_check(
    monkeypatch: pytest.MonkeyPatch, broken: Any, replaces: str, code: str
) -> None:
    groups = tuple(broken if g is getattr(checks, replaces) else g for g in checks._GROUPS)
    monkeypatch.setattr(checks, "_GROUPS", groups)
    found = find(
        CASE_LISTS,
        lambda cases: bool(disagreements(cases)),
        settings=settings(
            max_examples=1000,
            database=None,
            derandomize=True,  # the same search in every profile: a random one could miss
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert any(code in problem for problem in disagreements(found))


# ---------------------------------------------------------------- each check, once


FULL_RECORD: dict[str, Any] = {
    "reference": "R-FULL",
    "as_of": "2008-06-30",
    "offender": {"ppo": [{"start": "2007-06-01", "end": "2007-12-01"}]},
    "personal": {"date_of_birth": "1980-05-05"},
    "sentence": {
        "kind": "licence",
        "sentenced_on": "2007-01-10",
        "starts_on": "2007-01-10",
        "released_on": "2007-06-01",
        "ends_on": "2008-06-01",
        "termination": {"on": "2008-06-01", "reason": "completed"},
        "requirements": [
            {"kind": "unpaid_work", "commenced_on": "2007-07-01", "completed_on": "2007-09-01"}
        ],
    },
    "tiers": [{"tier": 2, "on": "2007-06-01"}, {"tier": 3, "on": "2007-09-01"}],
    "roh": [{"level": "medium", "on": "2007-06-01"}, {"level": "high", "on": "2007-09-01"}],
    "mappa": {"levels": [{"level": 1, "on": "2007-06-01"}, {"level": 2, "on": "2007-09-01"}]},
    "assessments": [
        {"id": "a", "purpose": "release", "completed_on": "2007-06-05"},
        {"id": "b", "purpose": "review", "trigger": "scheduled", "reviews": "a",
         "completed_on": "2007-10-01"},
    ],
    "psr": {"kind": "oral", "requested_on": "2006-12-01", "due_on": "2006-12-20",
            "delivered_on": "2006-12-19"},
    "breaches": [{"failed_on": "2007-08-01", "action_on": "2007-08-05",
                  "resolved_on": "2007-09-01"}],
    "victims": [{"id": "v1", "contacted_on": "2007-06-10"}, {"id": "v2"}],
    "transfer_in": {"notified_on": "2007-07-01", "first_appointment_on": "2007-07-05",
                    "first_contact_on": "2007-07-05", "home_visit_on": "2007-07-10"},
    "approved_premises": [{"arrived_on": "2007-06-01", "left_on": "2007-08-01"}],
    "interventions": [{"kind": "skills_for_life", "started_on": "2007-07-01",
                       "completed_on": "2007-08-01"}],
    "recalls": [{"on": "2008-01-05"}],
    "custody_moves": [{"on": "2007-02-01", "om_notified_on": "2007-02-02"}],
    "om_assignments": [{"staff": "s1", "role": "po", "start": "2007-06-01",
                        "end": "2008-01-01"}],
    "outcomes": {"employment": [{"kind": "employment", "started_on": "2007-08-01",
                                 "ended_on": "2007-10-01"}]},
}  # fmt: skip
EARLY = dt.date(2007, 1, 9)  # the day before the sentence
BREAKS: dict[str, tuple[Loc, Any]] = {
    "licence.no_release": (("sentence", "released_on"), None),
    "release.not_licence": (("sentence", "kind"), SentenceKind.COMMUNITY_ORDER),
    "release.before_sentence": (("sentence", "released_on"), EARLY),
    "start.before_sentence": (("sentence", "starts_on"), EARLY),
    "end.before_sentence": (("sentence", "ends_on"), EARLY),
    "termination.before_sentence": (("sentence", "termination", "on"), EARLY),
    "breach.before_sentence": (("breaches", 0, "failed_on"), EARLY),
    "recall.before_release": (("recalls", 0, "on"), dt.date(2007, 5, 31)),
    "assessment.duplicate_id": (("assessments", 1, "id"), "a"),
    "review.unknown_assessment": (("assessments", 1, "reviews"), "zz"),
    "review.before_reviewed": (("assessments", 1, "completed_on"), dt.date(2007, 6, 4)),
    "victim.duplicate_id": (("victims", 1, "id"), "v1"),
    "tier.duplicate_date": (("tiers", 1, "on"), dt.date(2007, 6, 1)),
    "roh.duplicate_date": (("roh", 1, "on"), dt.date(2007, 6, 1)),
    "transfer.before_notification": (("transfer_in", "home_visit_on"), dt.date(2007, 6, 30)),
    "custody_move.notified_before_move": (
        ("custody_moves", 0, "om_notified_on"),
        dt.date(2007, 1, 31),
    ),
    "birth.after_sentence": (("personal", "date_of_birth"), dt.date(2007, 1, 11)),
    "period.end_before_start": (("offender", "ppo", 0, "end"), dt.date(2007, 5, 31)),
    "psr.due_before_request": (("psr", "due_on"), dt.date(2006, 11, 30)),
    "psr.delivered_before_request": (("psr", "delivered_on"), dt.date(2006, 11, 30)),
    "breach.action_before_failure": (("breaches", 0, "action_on"), dt.date(2007, 7, 31)),
    "breach.resolved_before_failure": (("breaches", 0, "resolved_on"), dt.date(2007, 7, 31)),
    "premises.left_before_arrival": (
        ("approved_premises", 0, "left_on"),
        dt.date(2007, 5, 31),
    ),
    "review.no_trigger": (("assessments", 1, "trigger"), None),
    "assessment.review_fields": (("assessments", 0, "trigger"), ReviewTrigger.SCHEDULED),
    "mappa.duplicate_date": (("mappa", "levels", 1, "on"), dt.date(2007, 6, 1)),
    "requirement.completed_before_start": (
        ("sentence", "requirements", 0, "completed_on"),
        dt.date(2007, 6, 30),
    ),
    "intervention.completed_before_start": (
        ("interventions", 0, "completed_on"),
        dt.date(2007, 6, 30),
    ),
    "om_assignment.end_before_start": (("om_assignments", 0, "end"), dt.date(2007, 5, 31)),
    "employment.end_before_start": (
        ("outcomes", "employment", 0, "ended_on"),
        dt.date(2007, 7, 31),
    ),
    AFTER_AS_OF: (("victims", 1, "informed_of_release_on"), dt.date(2008, 7, 1)),
}


def test_the_full_record_passes_and_every_check_is_tried() -> None:
    case = Case.model_validate(FULL_RECORD)
    assert failed_checks(raw_from_cases([case])) == {}
    assert set(BREAKS) == {*ALL_CODES, AFTER_AS_OF}


@pytest.mark.parametrize("code", list(BREAKS))
def test_each_check_flags_a_record_broken_for_it(code: str) -> None:
    loc, value = BREAKS[code]
    broken = _replace(Case.model_validate(FULL_RECORD), loc, value)
    structs = [fast_reader()._decoder.decode(broken.model_dump_json())]
    for raw in (raw_from_cases([broken]), raw_from_cases(structs)):
        assert code in failed_checks(raw)[0]
        assert disagreements([broken], raw) == []
    # ... and pydantic rejects the record with that code.
    data = broken.model_dump(mode="json")
    with pytest.raises(ValidationError) as caught:
        Case.model_validate(data)
    assert code in {problem.code for problem in problems_from(caught.value, data)}


TOGETHER: dict[str, tuple[tuple[tuple[Loc, Any], ...], tuple[str, ...]]] = {
    # A part's validator reports its first problem only.
    "psr due and delivered early": (
        (
            (("psr", "due_on"), dt.date(2006, 11, 30)),
            (("psr", "delivered_on"), dt.date(2006, 11, 29)),
        ),
        ("psr.due_before_request",),
    ),
    "breach action and resolution early": (
        (
            (("breaches", 0, "action_on"), dt.date(2007, 7, 31)),
            (("breaches", 0, "resolved_on"), dt.date(2007, 7, 30)),
        ),
        ("breach.action_before_failure",),
    ),
    # Assessments without a completion date are known by their earliest date.
    "a review dated by its parts before the assessment it reviews": (
        (
            (("assessments", 1, "completed_on"), None),
            (("assessments", 1, "sentence_plan"), SentencePlan(completed_on=dt.date(2007, 6, 3))),
            (("assessments", 1, "countersigned_on"), dt.date(2007, 6, 20)),
            (("assessments", 0, "completed_on"), None),
            (
                ("assessments", 0, "full_analysis"),
                FullAnalysis(exempted=True, exemption_countersigned_on=dt.date(2007, 6, 4)),
            ),
        ),
        ("review.before_reviewed",),
    ),
    "a review dated by its parts after the assessment it reviews": (
        (
            (("assessments", 1, "completed_on"), None),
            (("assessments", 1, "rmp"), RiskManagementPlan(completed_on=dt.date(2007, 6, 5))),
            (("assessments", 0, "completed_on"), None),
            (("assessments", 0, "countersigned_on"), dt.date(2007, 6, 4)),
        ),
        (),
    ),
    "a review of an assessment without any date": (
        ((("assessments", 0, "completed_on"), None),),
        (),
    ),
    "a recall in a case never released": (
        ((("sentence", "kind"), SentenceKind.COMMUNITY_ORDER), (("sentence", "released_on"), None)),
        ("recall.before_release",),
    ),
    "a date of birth on the day of sentence": (
        ((("personal", "date_of_birth"), dt.date(2007, 1, 10)),),
        (),
    ),
}


@pytest.mark.parametrize("name", list(TOGETHER))
def test_checks_on_records_broken_in_several_places(name: str) -> None:
    changes, codes = TOGETHER[name]
    broken = Case.model_validate(FULL_RECORD)
    for loc, value in changes:
        broken = _replace(broken, loc, value)
    raw = raw_from_cases([broken])
    assert failed_checks(raw).get(0, ()) == codes
    assert disagreements([broken], raw) == []


def test_parts_dated_by_the_assessment_read_as_written_give_the_same_answers() -> None:
    # Validation dates the undated parts of such an assessment by its completion; the
    # reader's Structs leave them undated. The checks answer alike either way.
    record = json.loads(json.dumps(FULL_RECORD))
    record["assessments"][0].update(parts_with_assessment=True, rmp={}, sentence_plan={})
    validated = raw_from_cases([Case.model_validate(record)])
    as_written = raw_from_cases([_constructed(record)])
    assert same_tables(validated, as_written) != []
    assert failed_checks(validated) == failed_checks(as_written) == {}
    record["assessments"][0]["completed_on"] = "2007-10-02"  # after its review
    assert failed_checks(raw_from_cases([_constructed(record)])) == {0: ("review.before_reviewed",)}
    with pytest.raises(ValidationError, match="review dated on or after"):
        Case.model_validate(record)
