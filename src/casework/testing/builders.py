"""Small builders so a test states only the facts that matter.

>>> case = make_case(sentence={"kind": "licence", "released_on": "2007-06-04"})
>>> case.sentence.kind.value
'licence'
>>> case = make_case(assessments=[oasys("2007-06-08"), review("A1", "2007-09-20")])
>>> [a.purpose.value for a in case.assessments]
['start', 'review']
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from casework.calendar import WorkingCalendar
from casework.model import Case

__all__ = [
    "CASE_DEFAULTS",
    "OASYS_PARTS",
    "default_calendar",
    "make_case",
    "make_cases",
    "merge",
    "oasys",
    "review",
    "short_form",
]

#: The case every builder starts from: a Tier 2 community order sentenced on
#: Friday 1 June 2007, read on 15 October 2007, with nothing else recorded.
CASE_DEFAULTS: Mapping[str, Any] = {
    "reference": "T-0001",
    "as_of": "2007-10-15",
    "sentence": {"kind": "community_order", "sentenced_on": "2007-06-01"},
    "tiers": [{"tier": 2, "on": "2007-06-01"}],
}

#: The parts :func:`oasys` records: the assessment itself and each section done in it.
OASYS_PARTS = ("assessment", "screening", "full_analysis", "rmp", "sentence_plan")

Day = dt.date | str


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``overrides`` into a copy of ``base``: mappings merge, anything else replaces.

    A value of ``None`` for a key removes it (so an override can drop a default).
    """
    result: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def make_case(base: Mapping[str, Any] | None = None, /, **overrides: Any) -> Case:
    """A valid :class:`~casework.Case` from :data:`CASE_DEFAULTS` plus the facts given.

    Nested mappings are merged, so ``make_case(sentence={"kind": "licence",
    "released_on": "2007-06-04"})`` keeps the default ``sentenced_on``. A licence
    or custody case gets no release date unless one is given.
    """
    data = merge(base if base is not None else CASE_DEFAULTS, overrides)
    return Case.model_validate(data)


def make_cases(*facts: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> list[Case]:
    """Several cases, one per mapping of facts, numbered ``T-0001``, ``T-0002``, ...

    A mapping that gives its own ``reference`` keeps it.

    >>> [c.reference for c in make_cases({}, {"tiers": [{"tier": 4, "on": "2007-06-01"}]})]
    ['T-0001', 'T-0002']
    """
    return [
        make_case(base, **({"reference": f"T-{number:04d}"} | dict(overrides)))
        for number, overrides in enumerate(facts, start=1)
    ]


def oasys(
    on: Day,
    *,
    id: str = "A1",
    purpose: str = "start",
    missing: Iterable[str] = (),
    full_analysis_required: bool = False,
    dates: Mapping[str, Day] | None = None,
    one_date: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    """An OASys assessment with every part completed ``on`` one day, as case facts.

    Args:
        on: the day every part was completed.
        id: the assessment's id within the case.
        purpose: ``psr``, ``start``, ``release``, ``transfer``, ``termination``
            (use :func:`review` for a review).
        missing: parts not done (see :data:`OASYS_PARTS`).
        full_analysis_required: what the screening said.
        dates: a different completion day for some parts, ``{"sentence_plan": "2007-06-20"}``.
        one_date: write the day once, on the assessment, with ``parts_with_assessment``
            (the short form of a case file; docs/case-files.md): the parts done with it
            carry no date of their own, those in ``dates`` keep theirs. The case reads the
            same either way.
        fields: any other assessment field (``ogrs2``, ``countersigned_on`` ...).

    >>> oasys("2007-06-08", missing=["rmp"])["sentence_plan"]
    {'completed_on': '2007-06-08'}
    >>> oasys("2007-06-08", missing=["full_analysis", "rmp"], one_date=True)
    ... # doctest: +NORMALIZE_WHITESPACE
    {'id': 'A1', 'purpose': 'start', 'completed_on': '2007-06-08', 'parts_with_assessment': True,
     'screening': {'full_analysis_required': False}, 'sentence_plan': {}}
    """
    absent = set(missing)
    unknown = (absent | set(dates or {})) - set(OASYS_PARTS)
    if unknown:
        raise ValueError(f"unknown OASys parts {sorted(unknown)}; parts are {OASYS_PARTS}")
    if one_date and "assessment" in absent:
        raise ValueError("one_date writes the date on the assessment: it cannot be missing")
    day = {part: _iso((dates or {}).get(part, on)) for part in OASYS_PARTS}

    def dated(part: str) -> dict[str, Any]:
        if one_date and part not in (dates or {}):
            return {}
        return {"completed_on": day[part]}

    facts: dict[str, Any] = {"id": id, "purpose": purpose}
    if "assessment" not in absent:
        facts["completed_on"] = day["assessment"]
    if one_date:
        facts["parts_with_assessment"] = True
    if "screening" not in absent:
        facts["screening"] = dated("screening") | {"full_analysis_required": full_analysis_required}
    for part in ("full_analysis", "rmp", "sentence_plan"):
        if part not in absent:
            facts[part] = dated(part)
    return facts | fields


def review(
    of: str,
    on: Day,
    *,
    id: str | None = None,
    trigger: str = "scheduled",
    missing: Iterable[str] = (),
    full_analysis_required: bool = False,
    dates: Mapping[str, Day] | None = None,
    one_date: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    """A review of assessment ``of`` with every part completed ``on``, as case facts.

    The id defaults to ``R-<date>``; other arguments are as for :func:`oasys`.

    >>> review("A1", "2007-09-20")["reviews"]
    'A1'
    """
    facts = oasys(
        on,
        id=id or f"R-{_iso(on)}",
        purpose="review",
        missing=missing,
        full_analysis_required=full_analysis_required,
        dates=dates,
        one_date=one_date,
        **fields,
    )
    return facts | {"trigger": trigger, "reviews": of}


def short_form(case: Case) -> Case:
    """``case`` as a case file would write it shortly: in every completed assessment, each
    part completed on the assessment's own day loses its date and the assessment says
    ``parts_with_assessment`` (docs/decisions.md#assessment-parts). Read back, it is the
    same case but for that flag (a part started and not completed keeps it that way only
    in an assessment that is not shortened).

    >>> long = make_case(assessments=[oasys("2007-06-08")])
    >>> short = short_form(long)
    >>> (
    ...     short.assessments[0].parts_with_assessment,
    ...     short.assessments[0].rmp == long.assessments[0].rmp,
    ... )
    (True, True)
    """
    data = case.model_dump(mode="json", exclude_defaults=True)
    for assessment in data.get("assessments", ()):
        completed = assessment.get("completed_on")
        if completed is None:
            continue
        parts = [
            assessment.get(part) for part in ("screening", "full_analysis", "rmp", "sentence_plan")
        ]
        recorded = [part for part in parts if part is not None]
        if any(part.get("completed_on") is None and not part.get("exempted") for part in recorded):
            continue  # a part started and not completed: only the long form says so
        for part in recorded:
            if part.get("completed_on") == completed:
                del part["completed_on"]
        assessment["parts_with_assessment"] = True
    return Case.model_validate(data)


def _iso(day: Day) -> str:
    return day.isoformat() if isinstance(day, dt.date) else day


@functools.cache
def default_calendar() -> WorkingCalendar:
    """England & Wales bank holidays, built once and shared (tests, scenarios, strategies)."""
    return WorkingCalendar.england_and_wales()
