"""Changes to a valid case that a property test can hold a rule to.

>>> from casework.testing import make_case, oasys
>>> case = make_case(assessments=[oasys("2007-06-25")])
>>> work_done_earlier(case, 7).assessments[0].completed_on
datetime.date(2007, 6, 18)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from casework.model import Case

__all__ = ["WORK", "work_done_earlier"]

#: Where a case records work done, by part of the case: the fields moved by
#: :func:`work_done_earlier`. Everything else dated is an event work is timed from.
WORK: dict[str, tuple[str, ...]] = {
    "assessments": ("completed_on", "countersigned_on"),
    "assessment parts": ("completed_on", "exemption_countersigned_on"),
    "inductions": ("on",),
    "home_visits": ("on",),
    "breaches": ("action_on", "resolved_on"),
    "victims": ("contact_offered_on", "contacted_on", "face_to_face_on"),
    "psr": ("delivered_on",),
    "transfer_in": ("first_appointment_on", "home_visit_on"),
}
_PARTS = ("screening", "full_analysis", "rmp", "sentence_plan")


def work_done_earlier(case: Case, days: int) -> Case:
    """The same case with every piece of recorded work done up to ``days`` days earlier.

    Work is what :data:`WORK` lists: OASys assessments, their parts and
    countersignatures, inductions, home visits, breach action and resolution,
    victim contact, delivery of the pre-sentence report, the first appointment
    and home visit after a transfer in. Each moves back ``days`` days but never
    onto or past another recorded date that is not work (sentence, release, a
    failure to comply, a request, a notification, a first contact, an incident, a
    tier or RoH record ...); work done on the day of an event stays there. The
    order of work and events is kept, so a review still follows what it reviews
    and the clock of every deadline starts where it did.

    A rule checking one deadline should never turn "met" into "not met" on the
    result. (A rule checking that something recurs, such as a review every
    four months, can: an earlier review brings the next one due earlier.)
    """
    if days < 0:
        raise ValueError("days must not be negative: this moves work earlier only")
    data = case.model_dump(mode="python")
    work = list(_work(data))
    moved = {(id(record), field) for record, field in work}
    events = sorted(set(_dates(data, moved)))

    def earlier(day: dt.date) -> dt.date:
        latest = max((event for event in events if event <= day), default=None)
        if latest is None:
            return day  # before every event: left where it is
        # work after an event stays after it; work on the day of one stays on that day
        floor = latest + dt.timedelta(days=1) if latest < day else latest
        return max(floor, day - dt.timedelta(days=days))

    for record, field in work:
        record[field] = earlier(record[field])
    return Case.model_validate(data)


def _work(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Every recorded work date as (the mapping holding it, its field)."""

    def fields(
        record: dict[str, Any] | None, names: tuple[str, ...]
    ) -> Iterator[tuple[dict[str, Any], str]]:
        if record is not None:
            yield from ((record, name) for name in names if record.get(name) is not None)

    for assessment in data["assessments"]:
        yield from fields(assessment, WORK["assessments"])
        for part in _PARTS:
            yield from fields(assessment.get(part), WORK["assessment parts"])
    for part in ("inductions", "home_visits", "breaches", "victims"):
        for record in data[part]:
            yield from fields(record, WORK[part])
    for part in ("psr", "transfer_in"):
        yield from fields(data[part], WORK[part])


def _dates(value: Any, skip: set[tuple[int, str]]) -> Iterator[dt.date]:
    """Every date held in plain case data, except the fields in ``skip``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if (id(value), key) in skip:
                continue
            if isinstance(item, dt.date):
                yield item
            else:
                yield from _dates(item, skip)
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, dt.date):
                yield item
            else:
                yield from _dates(item, skip)
