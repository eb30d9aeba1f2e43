"""Changes to a valid case that a property test can hold a rule to.

>>> from casework.testing import make_case, oasys
>>> case = make_case(assessments=[oasys("2007-06-25")])
>>> work_done_earlier(case, 7).assessments[0].completed_on
datetime.date(2007, 6, 18)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from casework.model import Case

__all__ = ["work_done_earlier"]

_ASSESSMENT_PARTS = ("screening", "full_analysis", "rmp", "sentence_plan")


def work_done_earlier(case: Case, days: int) -> Case:
    """The same case with every piece of recorded work done ``days`` days earlier.

    Work never moves before the event that starts its clock, and work
    recorded before that event stays where it is, so the order of events is
    kept (a review still follows what it reviews). What moves, and its clock:

    * OASys assessment parts and countersignatures: sentence, or release for
      licence cases (``Case.start_event``);
    * inductions and home visits: the same start;
    * breach action and resolution: the failure to comply;
    * victim contact offered, made, and face to face: sentence;
    * delivery of the pre-sentence report: the request;
    * first appointment, contact and home visit after a transfer in: the notification.

    Triggers (sentence, release, failures, requests, events) and everything
    else stay as they are. A timeliness rule should never turn "met" into
    "not met" on the result.
    """
    if days < 0:
        raise ValueError("days must not be negative: this moves work earlier only")
    data = case.model_dump(mode="python")
    start = case.start_event[1]

    def earlier(day: dt.date | None, anchor: dt.date) -> dt.date | None:
        if day is None or day < anchor:
            return day
        return max(anchor, day - dt.timedelta(days=days))

    def move(record: dict[str, Any] | None, fields: tuple[str, ...], anchor: dt.date) -> None:
        if record is None:
            return
        for field in fields:
            if field in record:
                record[field] = earlier(record[field], anchor)

    for assessment in data["assessments"]:
        move(assessment, ("completed_on", "countersigned_on"), start)
        for part in _ASSESSMENT_PARTS:
            move(assessment.get(part), ("completed_on", "exemption_countersigned_on"), start)
    for visit in [*data["inductions"], *data["home_visits"]]:
        move(visit, ("on",), start)
    for breach in data["breaches"]:
        move(breach, ("action_on", "resolved_on"), breach["failed_on"])
    sentenced = case.sentence.sentenced_on
    for victim in data["victims"]:
        move(victim, ("contact_offered_on", "contacted_on", "face_to_face_on"), sentenced)
    psr: Mapping[str, Any] | None = data["psr"]
    if psr is not None:
        move(data["psr"], ("delivered_on",), psr["requested_on"])
    transfer = data["transfer_in"]
    if transfer is not None:
        fields = ("first_appointment_on", "first_contact_on", "home_visit_on")
        move(transfer, fields, transfer["notified_on"])
    return Case.model_validate(data)
