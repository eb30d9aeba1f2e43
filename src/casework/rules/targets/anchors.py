"""The event that places a unit in a reporting period, and where a finding records it.

A target figure for a period counts the units whose anchor event falls in it
(national-targets.md §5.4 step 3): the start of the sentence or licence (t0) for
timeliness, the resolution date for the enforcement targets, the termination
date for completions of orders and licences, the completion date for volumes.
The sources never say which date places a unit in a period; these defaults are
docs/decisions.md#period-anchor, and each measure may be counted by another.

Findings carry the dates as evidence. Case-level dates (start, sentence,
termination, six-month point) are also on the descriptive ``TGT.case`` finding
every target rule set gives each case, so that cases a rule leaves out can be
placed in a period too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from casework.rules.engine import Finding

__all__ = ["ANCHORS", "Anchor", "anchor_date", "evidence_value"]


@attrs.frozen
class Anchor:
    """A kind of event that places a unit in a period, and the evidence labels that date it."""

    name: str
    description: str
    labels: tuple[str, ...]
    """Evidence labels on the rule's own findings that give the date."""
    case_label: str | None = None
    """Evidence label on the ``TGT.case`` finding, for dates of the case as a whole."""


def _table(*anchors: Anchor) -> Mapping[str, Anchor]:
    return MappingProxyType({anchor.name: anchor for anchor in anchors})


#: Every anchor a measure may be counted by.
ANCHORS: Mapping[str, Anchor] = _table(
    Anchor(
        "start",
        "the sentence or release on licence that starts the clock (t0)",
        ("sentence", "release"),
        "start",
    ),
    Anchor("sentence", "the date of sentence", ("sentence",), "sentence"),
    Anchor("termination", "the end of the order or licence", ("terminated",), "terminated"),
    Anchor(
        "six_month_point",
        "six months after the start of the order or licence",
        ("six-month point",),
        "six-month point",
    ),
    Anchor(
        "failure", "the unacceptable failure to comply", ("the unacceptable failure to comply",)
    ),
    Anchor("resolution", "the resolution of the breach", ("breach resolved",)),
    # "request" labels the clock's start on a report answered not applicable by its in-force date
    Anchor("request", "the court's request for the report", ("requested", "request")),
    Anchor("appointment", "the date of the appointment", ("appointment",)),
    Anchor("completion", "the completion of the requirement", ("completed",)),
    Anchor("commencement", "the commencement of the requirement", ("commenced",)),
    Anchor("retention_point", "twelve weeks after commencement", ("twelve-week point",)),
    Anchor("sustained", "the day four weeks of employment were completed", ("sustained on",)),
)


def evidence_value(finding: Finding, labels: tuple[str, ...]) -> object:
    """The value of the first evidence item with one of ``labels``, or ``None``."""
    for label in labels:
        for item in finding.evidence:
            if item.label == label:
                return item.value
    return None


def anchor_date(anchor: Anchor, finding: Finding, case: Finding | None) -> dt.date | None:
    """The date that places ``finding`` in a period, or ``None`` if it has none (yet).

    Case-level anchors read the case's ``TGT.case`` finding when there is one,
    else the finding's own evidence; unit-level anchors read the finding's own.
    """
    if anchor.case_label is not None and case is not None:
        value = evidence_value(case, (anchor.case_label,))
    else:
        value = evidence_value(finding, anchor.labels)
    return value if isinstance(value, dt.date) else None
