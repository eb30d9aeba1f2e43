"""The record checks as column operations: which cases of a chunk the model would reject.

A case record that decodes into well-typed fields can still say things that cannot
all be true: a release before the sentence, two assessments with one id, a review of
an assessment that is not there. The model finds these in its ``after`` validators
(:meth:`Case._contradictions <casework.Case>`, and the order checks of the parts:
a PSR delivered before it was requested, a breach resolved before the failure to
comply, ...). This module asks the same questions of a whole chunk's raw tables
(:mod:`casework.columnar.raw`) at once, with array operations grouped by owner:

* :func:`contradicted`: per case, whether the record has any contradiction the
  model would report (every check of ``Case._contradictions`` and every nested
  model's ``after`` validator);
* :func:`after_as_of`: per case, whether any date of the record is after its
  ``as_of`` (``Case._future_dates``, over every day column of every table);
* :func:`contradictions`: the same per check, by the check's stable code
  (docs/case-files.md), and :func:`failed_checks`: for each flagged case, the codes
  of the checks it fails and nothing more.

They only *flag*: where a record fails a check, and what its located message is,
still comes from the model (a flagged record is validated by pydantic, which gives
today's error word for word). Each check here is a second definition of a check of
the model; tests/columnar/test_checks.py proves them equal, code by code, over
generated records broken on purpose, the benchmark cases and the witness cases.

The raw tables must hold the record's own ``as_of`` (the reader fills in the one
given for records without it; a case without one has every date after it). The
undated parts of an assessment with ``parts_with_assessment`` may be left undated,
as written: the model dates them by the assessment's completion, which gives every
check the same answer (the assessment is known by that date either way).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from casework.columnar.raw import NO_DAY, Kind, RawTables, code_of, layout
from casework.model import AssessmentPurpose, SentenceKind

__all__ = [
    "AFTER_AS_OF",
    "CHECKS",
    "NESTED_CHECKS",
    "Mask",
    "after_as_of",
    "contradicted",
    "contradictions",
    "failed_checks",
]

Mask = npt.NDArray[np.bool_]
"""One boolean per row (per case, for every function here); the same as
:data:`casework.columnar.Mask`."""
_Rows = npt.NDArray[np.intp]
_Days = npt.NDArray[np.int64]

#: The code of a date after the record's ``as_of`` (``Case._future_dates``).
AFTER_AS_OF = "date.after_as_of"

_LICENCE = code_of(SentenceKind.LICENCE)
_REVIEW = code_of(AssessmentPurpose.REVIEW)
#: Above every day number: stands for "no day" where the earliest day is wanted.
_LATEST = np.iinfo(np.int64).max
_NONE = np.asarray(None, dtype=object)
_INT32_MIN, _INT32_MAX = int(np.iinfo(np.int32).min), int(np.iinfo(np.int32).max)


class _Chunk:
    """The raw tables with what several checks share: each table's case rows."""

    def __init__(self, raw: RawTables) -> None:
        self.raw = raw
        self.size = len(raw)
        self._cases: dict[str, _Rows] = {}

    def case_of(self, name: str) -> _Rows:
        """For each row of table ``name``, the row of its case (owners followed up)."""
        found = self._cases.get(name)
        if found is None:
            tables = layout()
            rows: _Rows = self.raw[name]["owner"].astype(np.intp, copy=False)
            parent = tables[name].parent
            while parent is not None and parent != "case":
                rows = self.raw[parent]["owner"][rows].astype(np.intp, copy=False)
                parent = tables[parent].parent
            found = self._cases[name] = rows
        return found

    def per_case(self, name: str, rows: Mask) -> Mask:
        """Per case: whether any row of table ``name`` is flagged in ``rows``."""
        out = np.zeros(self.size, dtype=bool)
        out[self.case_of(name)[rows]] = True
        return out

    def of_case(self, name: str, column: str) -> npt.NDArray[np.int64]:
        """A column of the case table, for each row of table ``name``."""
        values: npt.NDArray[np.int64] = self.raw["case"][column][self.case_of(name)]
        return values


def _before(day: _Days, bound: _Days) -> Mask:
    """``day`` is given and before ``bound`` (also given)."""
    out: Mask = (day != NO_DAY) & (bound != NO_DAY) & (day < bound)
    return out


def _repeated(owner: _Rows, key: npt.NDArray[np.int64]) -> Mask:
    """For each row, whether an earlier row of the same owner has the same key."""
    out = np.zeros(len(owner), dtype=bool)
    if len(owner) < 2:
        return out
    if key.min() >= _INT32_MIN and key.max() <= _INT32_MAX:
        # One number per row, owner above the key: rows come grouped by owner, so the
        # stable sort has little to do.
        order = np.argsort((owner.astype(np.int64) << 32) | (key & 0xFFFFFFFF), kind="stable")
    else:
        order = np.lexsort((key, owner))  # stable: equal keys keep their record order
    same = (owner[order][1:] == owner[order][:-1]) & (key[order][1:] == key[order][:-1])
    out[order[1:][same]] = True
    return out


class _TextKeys:
    """Text values of one table, grouped by owner, for "same text in the same case".

    Text is compared by a key made of the owner (high bits) and the text's hash (low
    bits), with array operations; where two keys are equal the texts themselves are
    compared, so a hash collision never makes two different texts equal.
    """

    def __init__(self, owner: _Rows, texts: npt.NDArray[np.object_]) -> None:
        self.owner = owner
        self.texts = texts
        self.keys = _keys(owner, texts)
        self.order = np.argsort(self.keys, kind="stable")  # equal keys in record order
        self.sorted = self.keys[self.order]

    def repeated(self) -> Mask:
        """For each row, whether an earlier row of the same owner has the same text."""
        out = np.zeros(len(self.owner), dtype=bool)
        if len(self.owner) < 2:
            return out
        same_key = np.flatnonzero(self.sorted[1:] == self.sorted[:-1])
        later, earlier = self.order[same_key + 1], self.order[same_key]
        same = self.texts[later] == self.texts[earlier]
        out[later[same]] = True
        for row in later[~same].tolist():  # a collision: compare with every earlier row
            out[row] = self.texts[row] in self._texts_before(row)
        return out

    def first(self, owner: _Rows, texts: npt.NDArray[np.object_]) -> _Rows:
        """For each (owner, text) asked, the first row of that owner with that text, or
        -1 where there is none."""
        out = np.full(len(owner), -1, dtype=np.intp)
        if not len(owner) or not len(self.owner):
            return out
        wanted = _keys(owner, texts)
        at = np.minimum(np.searchsorted(self.sorted, wanted), len(self.sorted) - 1)
        hit = np.flatnonzero(self.sorted[at] == wanted)
        rows = self.order[at[hit]]
        same = self.texts[rows] == texts[hit]
        out[hit[same]] = rows[same]
        for index in hit[~same].tolist():  # a collision: look at every row of the owner
            out[index] = next(
                (
                    row
                    for row in self._rows_of(int(owner[index]))
                    if self.texts[row] == texts[index]
                ),
                -1,
            )
        return out

    def _rows_of(self, owner: int) -> list[int]:
        low, high = np.searchsorted(self.sorted, [owner << 32, (owner + 1) << 32])
        return sorted(self.order[low:high].tolist())

    def _texts_before(self, row: int) -> list[object]:
        return [self.texts[other] for other in self._rows_of(int(self.owner[row])) if other < row]


def _keys(owner: _Rows, texts: npt.NDArray[np.object_]) -> npt.NDArray[np.int64]:
    hashes = np.fromiter(map(hash, texts.tolist()), dtype=np.int64, count=len(texts))
    keys: npt.NDArray[np.int64] = (owner.astype(np.int64) << 32) | (hashes & 0xFFFFFFFF)
    return keys


def _given(texts: npt.NDArray[np.object_]) -> Mask:
    """Where a text column holds a value (not ``None``)."""
    given: Mask = np.not_equal(texts, _NONE)
    return given


# ---------------------------------------------------------------- the case's own checks


def _sentence(chunk: _Chunk, found: dict[str, Mask]) -> None:
    case = chunk.raw["case"]
    kind = case["sentence.kind"]
    sentenced = case["sentence.sentenced_on"]
    released = case["sentence.released_on"]
    found["licence.no_release"] = (kind == _LICENCE) & (released == NO_DAY)
    found["release.not_licence"] = (kind != _LICENCE) & (released != NO_DAY)
    found["release.before_sentence"] = _before(released, sentenced)
    found["start.before_sentence"] = _before(case["sentence.starts_on"], sentenced)
    found["end.before_sentence"] = _before(case["sentence.ends_on"], sentenced)
    found["termination.before_sentence"] = case["sentence.termination"] & _before(
        case["sentence.termination.on"], sentenced
    )
    breaches = chunk.raw["breaches"]
    found["breach.before_sentence"] = chunk.per_case(
        "breaches",
        _before(breaches["failed_on"], chunk.of_case("breaches", "sentence.sentenced_on")),
    )
    recalls = chunk.raw["recalls"]
    release = chunk.of_case("recalls", "sentence.released_on")
    found["recall.before_release"] = chunk.per_case(
        "recalls", (release == NO_DAY) | _before(recalls["on"], release)
    )


def _first_dates(assessments: Mapping[str, npt.NDArray[np.generic]]) -> _Days:
    """Per assessment, the date it is known by: its completion, else the earliest date
    held anywhere in it (``casework.model.case._first_date``); NO_DAY when none."""
    columns = [
        column.name
        for column in layout()["assessments"].columns
        if column.kind is Kind.DAY and column.name != "completed_on"
    ]
    earliest = np.full(len(assessments["owner"]), _LATEST, dtype=np.int64)
    for name in columns:
        day = assessments[name]
        np.minimum(earliest, np.where(day == NO_DAY, _LATEST, day), out=earliest)
    earliest[earliest == _LATEST] = NO_DAY
    completed: _Days = assessments["completed_on"]  # type: ignore[assignment]
    first: _Days = np.where(completed != NO_DAY, completed, earliest)
    return first


def _assessments(chunk: _Chunk, found: dict[str, Mask]) -> None:
    table = chunk.raw["assessments"]
    owner = chunk.case_of("assessments")
    ids = _TextKeys(owner, table["id"])
    found["assessment.duplicate_id"] = chunk.per_case("assessments", ids.repeated())
    # The assessment each review names: the first in its case with that id.
    review = np.flatnonzero((table["purpose"] == _REVIEW) & _given(table["reviews"]))
    target = ids.first(owner[review], table["reviews"][review])
    unknown = (target == -1) | (target == review)
    found["review.unknown_assessment"] = chunk.per_case(
        "assessments", _rows(owner, review[unknown])
    )
    named, reviewed = review[~unknown], target[~unknown]
    dated = _first_dates(table)
    early = named[_before(dated[named], dated[reviewed])]
    found["review.before_reviewed"] = chunk.per_case("assessments", _rows(owner, early))
    victims = chunk.raw["victims"]
    victim_ids = _TextKeys(chunk.case_of("victims"), victims["id"])
    found["victim.duplicate_id"] = chunk.per_case("victims", victim_ids.repeated())


def _rows(like: npt.NDArray[np.generic], rows: _Rows) -> Mask:
    """A mask over a table (as long as ``like``) of the given rows."""
    out = np.zeros(len(like), dtype=bool)
    out[rows] = True
    return out


def _histories(chunk: _Chunk, found: dict[str, Mask]) -> None:
    for name, code in (("tiers", "tier.duplicate_date"), ("roh", "roh.duplicate_date")):
        found[code] = chunk.per_case(name, _repeated(chunk.case_of(name), chunk.raw[name]["on"]))


def _event_order(chunk: _Chunk, found: dict[str, Mask]) -> None:
    case = chunk.raw["case"]
    notified = case["transfer_in.notified_on"]
    early = np.zeros(chunk.size, dtype=bool)
    for field in ("first_appointment_on", "first_contact_on", "home_visit_on"):
        early |= _before(case[f"transfer_in.{field}"], notified)
    found["transfer.before_notification"] = case["transfer_in"] & early
    moves = chunk.raw["custody_moves"]
    found["custody_move.notified_before_move"] = chunk.per_case(
        "custody_moves", _before(moves["om_notified_on"], moves["on"])
    )


def _personal(chunk: _Chunk, found: dict[str, Mask]) -> None:
    case = chunk.raw["case"]
    found["birth.after_sentence"] = case["personal"] & _before(
        case["sentence.sentenced_on"], case["personal.date_of_birth"]
    )


# ---------------------------------------------------------------- the parts' own checks


def _ordered(chunk: _Chunk, name: str, first: str, then: str) -> Mask:
    """Per case: whether a row of table ``name`` has ``then`` before ``first``."""
    table = chunk.raw[name]
    return chunk.per_case(name, _before(table[then], table[first]))


def _parts(chunk: _Chunk, found: dict[str, Mask]) -> None:
    found["period.end_before_start"] = _ordered(chunk, "offender.ppo", "start", "end")
    case = chunk.raw["case"]
    requested = case["psr.requested_on"]
    due_early = case["psr"] & _before(case["psr.due_on"], requested)
    found["psr.due_before_request"] = due_early
    # A model's validator stops at its first problem: the second shows only without it.
    found["psr.delivered_before_request"] = (
        case["psr"] & ~due_early & _before(case["psr.delivered_on"], requested)
    )
    breaches = chunk.raw["breaches"]
    action_early = _before(breaches["action_on"], breaches["failed_on"])
    found["breach.action_before_failure"] = chunk.per_case("breaches", action_early)
    found["breach.resolved_before_failure"] = chunk.per_case(
        "breaches", ~action_early & _before(breaches["resolved_on"], breaches["failed_on"])
    )
    found["premises.left_before_arrival"] = _ordered(
        chunk, "approved_premises", "arrived_on", "left_on"
    )
    assessments = chunk.raw["assessments"]
    review = assessments["purpose"] == _REVIEW
    has_trigger = assessments["trigger"] != -1
    found["review.no_trigger"] = chunk.per_case("assessments", review & ~has_trigger)
    found["assessment.review_fields"] = chunk.per_case(
        "assessments", ~review & (has_trigger | _given(assessments["reviews"]))
    )
    levels = chunk.raw["mappa.levels"]
    found["mappa.duplicate_date"] = chunk.per_case(
        "mappa.levels", _repeated(chunk.case_of("mappa.levels"), levels["on"])
    )
    found["requirement.completed_before_start"] = _ordered(
        chunk, "sentence.requirements", "commenced_on", "completed_on"
    )
    found["intervention.completed_before_start"] = _ordered(
        chunk, "interventions", "started_on", "completed_on"
    )
    found["om_assignment.end_before_start"] = _ordered(chunk, "om_assignments", "start", "end")
    found["employment.end_before_start"] = _ordered(
        chunk, "outcomes.employment", "started_on", "ended_on"
    )


_Check = Callable[[_Chunk, dict[str, Mask]], None]
_GROUPS: tuple[_Check, ...] = (
    _sentence,
    _assessments,
    _histories,
    _event_order,
    _personal,
    _parts,
)

#: The codes of the checks of ``Case._contradictions``, in the model's order.
CHECKS: tuple[str, ...] = (
    "licence.no_release",
    "release.not_licence",
    "release.before_sentence",
    "start.before_sentence",
    "end.before_sentence",
    "termination.before_sentence",
    "breach.before_sentence",
    "recall.before_release",
    "assessment.duplicate_id",
    "review.unknown_assessment",
    "review.before_reviewed",
    "victim.duplicate_id",
    "tier.duplicate_date",
    "roh.duplicate_date",
    "transfer.before_notification",
    "custody_move.notified_before_move",
    "birth.after_sentence",
)
#: The codes of the nested models' ``after`` validators, by model class name.
NESTED_CHECKS: Mapping[str, tuple[str, ...]] = {
    "Period": ("period.end_before_start",),
    "Psr": ("psr.due_before_request", "psr.delivered_before_request"),
    "Breach": ("breach.action_before_failure", "breach.resolved_before_failure"),
    "ApprovedPremisesResidence": ("premises.left_before_arrival",),
    "OasysAssessment": ("review.no_trigger", "assessment.review_fields"),
    "Mappa": ("mappa.duplicate_date",),
    "Requirement": ("requirement.completed_before_start",),
    "Intervention": ("intervention.completed_before_start",),
    "OmAssignment": ("om_assignment.end_before_start",),
    "EmploymentEpisode": ("employment.end_before_start",),
}


def contradictions(raw: RawTables) -> dict[str, Mask]:
    """Per check (by its code: :data:`CHECKS`, then those of :data:`NESTED_CHECKS`), per
    case: whether the record fails it. Dates after ``as_of`` are :func:`after_as_of`.

    Where a part's validator has two checks (a PSR's due and delivered dates, a breach's
    action and resolution), the second is flagged only for a part that passes the first,
    as the validator reports only its first problem.
    """
    chunk = _Chunk(raw)
    found: dict[str, Mask] = {}
    for group in _GROUPS:
        group(chunk, found)
    return found


def contradicted(raw: RawTables) -> Mask:
    """Per case: whether the record has any contradiction the model would report (every
    check of ``Case._contradictions`` and of the nested models' ``after`` validators).

    Dates after ``as_of`` are not among them (:func:`after_as_of`).
    """
    out = np.zeros(len(raw), dtype=bool)
    for flagged in contradictions(raw).values():
        out |= flagged
    return out


def after_as_of(raw: RawTables) -> Mask:
    """Per case: whether any date of the record is after its ``as_of`` (every day column
    of every table but ``as_of`` itself, ``Case._future_dates``)."""
    chunk = _Chunk(raw)
    as_of = raw["case"]["as_of"]
    out = np.zeros(chunk.size, dtype=bool)
    for name, table in layout().items():
        days = [c.name for c in table.columns if c.kind is Kind.DAY and c.name != "as_of"]
        if not days:
            continue
        if name == "case":
            for column in days:
                out |= raw[name][column] > as_of
            continue
        bound = as_of[chunk.case_of(name)]
        late = np.zeros(len(raw[name]["owner"]), dtype=bool)
        for column in days:
            late |= raw[name][column] > bound
        out |= chunk.per_case(name, late)
    return out


def failed_checks(raw: RawTables) -> dict[int, tuple[str, ...]]:
    """For each case row the model would reject for a contradiction or a date after
    ``as_of``, the codes of the checks it fails (:data:`AFTER_AS_OF` first, then in the
    order of :func:`contradictions`); cases that pass are left out. Only the codes: the
    located message comes from validating the record."""
    masks = {AFTER_AS_OF: after_as_of(raw), **contradictions(raw)}
    names = list(masks)
    stacked = np.stack([masks[name] for name in names]) if names else np.zeros((0, len(raw)))
    out: dict[int, tuple[str, ...]] = {}
    for row in np.flatnonzero(stacked.any(axis=0)).tolist():
        out[row] = tuple(name for name, hit in zip(names, stacked[:, row], strict=True) if hit)
    return out
