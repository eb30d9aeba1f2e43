"""A case record as it stood on an earlier day: :meth:`casework.Case.as_at`.

Every dated fact after the day is dropped (docs/case-model.md#as-at):

* a date after the day that a record may leave out (``completed_on``,
  ``released_on``, a period's ``end``) is left out;
* a record that cannot be without its date (a contact, an RoH level, a
  review's part whose every date is later) is dropped, and so is a record in a
  list whose every date falls after the day (an assessment not yet begun);
* a licence case not yet released is a custody case on that day;
* a review whose reviewed assessment is dropped no longer names it.

Undated facts (the offence category, licence conditions, a claimed exemption
with no date) and the inspector's answers are kept as recorded: the record
cannot say when they became known.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from casework.model.base import dates_in
from casework.model.enums import AssessmentPurpose, SentenceKind

if TYPE_CHECKING:
    from casework.model.case import Case

__all__ = ["NotBegunError", "case_as_at"]


class NotBegunError(ValueError):
    """``as_at`` a day before the sentence: the record did not exist yet."""


class _Drop:
    """Marker: the record cannot exist on the day."""


_DROP = _Drop()


def _prune(value: Any, day: dt.date) -> Any:
    if isinstance(value, dt.date):
        return _DROP if value > day else value
    if isinstance(value, BaseModel):
        return _prune_model(value, day)
    if isinstance(value, tuple):
        kept = []
        for item in value:
            pruned = _prune(item, day)
            if pruned is _DROP:
                continue
            if isinstance(item, BaseModel) and dates_in(item) and not dates_in(pruned):
                continue  # every date of it falls after the day: it had not happened
            kept.append(pruned)
        return tuple(kept)
    return value


def _not_yet(value: Any, pruned: Any) -> bool:
    """A record with dates of its own, every one after the day: it had not happened yet.

    A record with no date of its own (MAPPA arrangements, whose levels are dated) stays.
    """
    if not isinstance(value, BaseModel):
        return False
    own = [getattr(value, name) for name in type(value).model_fields]
    return any(isinstance(v, dt.date) for v in own) and not dates_in(pruned)


def _prune_model(model: BaseModel, day: dt.date) -> Any:
    fields = type(model).model_fields
    values: dict[str, Any] = {}
    changed = False
    for name, info in fields.items():
        value = getattr(model, name)
        pruned = _prune(value, day)
        if pruned is _DROP:
            if info.is_required():
                return _DROP
            pruned = info.get_default(call_default_factory=True)
        elif _not_yet(value, pruned) and not info.is_required() and info.default is None:
            pruned = None  # an optional part whose own dates are all later (a screening)
        if pruned is not value:
            changed = True
        values[name] = pruned
    if not changed:
        return model
    return type(model).model_validate(values)


def case_as_at(case: Case, day: dt.date) -> Case:
    """The record as it stood on ``day`` (on or before the record's own ``as_of``)."""
    if day >= case.as_of:
        if day == case.as_of:
            return case
        raise ValueError(
            f"the record describes the case only up to {case.as_of.isoformat()}; "
            f"it cannot say how the case stood on {day.isoformat()}"
        )
    if case.sentence.sentenced_on > day:
        raise NotBegunError(
            f"case {case.reference} was sentenced after {day.isoformat()}: "
            "there was no record on that day"
        )
    values: dict[str, Any] = {}
    for name, info in type(case).model_fields.items():
        value = getattr(case, name)
        if name == "as_of":
            values[name] = day
            continue
        pruned = _prune(value, day)
        if pruned is _DROP:
            pruned = info.get_default(call_default_factory=True)
        elif _not_yet(value, pruned) and not info.is_required() and info.default is None:
            pruned = None
        values[name] = pruned
    sentence = values["sentence"]
    if case.sentence.kind is SentenceKind.LICENCE and sentence.released_on is None:
        values["sentence"] = sentence.model_copy(update={"kind": SentenceKind.CUSTODY})
    kept = {assessment.id for assessment in values["assessments"]}
    values["assessments"] = tuple(
        assessment.model_copy(update={"reviews": None})
        if assessment.purpose is AssessmentPurpose.REVIEW
        and assessment.reviews is not None
        and assessment.reviews not in kept
        else assessment
        for assessment in values["assessments"]
    )
    return type(case).model_validate(values)
