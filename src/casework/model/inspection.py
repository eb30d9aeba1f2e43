"""An inspection: which area, when, and the section 4 grades inspectors recorded.

Sections 1 to 3 are scored from the case sample; section 4 (leadership and
strategic management) is graded on a four-point scale "on the basis of the
performance across the specific criteria" (004:1015), which the case sample
cannot compute (omi-2007-criteria.md §1.3 A14): the grade is recorded here
with its evidence.

An inspection file (JSON or YAML) holds one :class:`Inspection`::

    {
        "area": "Example Area",
        "fieldwork": {"start": "2007-10-15", "end": "2007-10-19"},
        "as_of": "2007-10-15",
        "section4": [{"criterion": "4.1", "grade": "well_met"}],
    }
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import ClassVar, Final, Literal, Self

from pydantic import Field, ValidationError, model_validator

from casework._limits import DEFAULT_LIMITS, Limits
from casework.model.base import CodedError, Day, FreeText, Identifier, Period, Record
from casework.problems import Problem, describe, problems_from, structure_problem

__all__ = [
    "Inspection",
    "InspectionFileError",
    "Section4Assessment",
    "Section4Grade",
    "load_inspection",
]


class Section4Grade(enum.StrEnum):
    """Section 4 grade, best first (004:192, 004:1015)."""

    WELL_MET = "well_met"
    SATISFACTORILY_MET = "satisfactorily_met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        """As printed: "Well met"."""
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """3 for well met down to 0 for not met."""
        return 3 - list(Section4Grade).index(self)


_LABELS: Final = {
    Section4Grade.WELL_MET: "Well met",
    Section4Grade.SATISFACTORILY_MET: "Satisfactorily met",
    Section4Grade.PARTLY_MET: "Partly met",
    Section4Grade.NOT_MET: "Not met",
}

Section4Criterion = Literal["4.1", "4.2", "4.3", "4.4", "4.5", "4.6"]


class Section4Assessment(Record):
    """The grade recorded for one section 4 criterion, with the evidence for it."""

    _withheld: ClassVar[frozenset[str]] = frozenset({"strengths", "improvements"})

    criterion: Section4Criterion
    """Criterion id, ``"4.1"`` to ``"4.6"``."""
    grade: Section4Grade
    """Well met, satisfactorily met, partly met or not met."""
    strengths: tuple[FreeText, ...] = ()
    """Strengths recorded, in the inspectors' words."""
    improvements: tuple[FreeText, ...] = ()
    """Areas for improvement recorded."""


class Inspection(Record):
    """One inspection of one probation area."""

    area: str = Field(min_length=1, max_length=80)
    """The probation area inspected."""
    ruleset: Identifier = "omi-2007"
    """The rule set the case sample is evaluated under."""
    fieldwork: Period
    """The fieldwork week (004:951: "Each inspection takes place over one week")."""
    as_of: Day
    """The date timeliness is judged as at (A15): deadlines after it are not yet due."""
    published_on: Day | None = None
    """When the report was published, if it has been."""
    section4: tuple[Section4Assessment, ...] = ()
    """Section 4 grades, one per criterion recorded."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        seen: set[str] = set()
        for assessment in self.section4:
            if assessment.criterion in seen:
                raise CodedError(
                    "inspection.duplicate_criterion",
                    f"expected one grade per criterion; {assessment.criterion} twice",
                )
            seen.add(assessment.criterion)
        if self.fieldwork.end is None:
            raise CodedError(
                "inspection.fieldwork_open", "expected the fieldwork's last day (fieldwork.end)"
            )
        if self.published_on is not None and self.published_on < self.fieldwork.end:
            raise CodedError(
                "inspection.published_before_fieldwork",
                "expected published_on on or after the end of fieldwork",
            )
        return self

    def grade(self, criterion: str) -> Section4Grade | None:
        """The grade recorded for a section 4 criterion, if any."""
        found = next((a for a in self.section4 if a.criterion == criterion), None)
        return found.grade if found else None


class InspectionFileError(ValueError):
    """An inspection file that cannot be read, with every problem located.

    ``problems`` holds each problem (field, expected, found, code) and ``code``
    the first one's code; values are described by kind and size, never shown.
    """

    def __init__(self, message: str, problems: tuple[Problem, ...] = (), code: str = "") -> None:
        super().__init__(message)
        self.problems = problems
        self.code = code or (problems[0].code if problems else "file.unreadable")


def load_inspection(path: str | os.PathLike[str], *, limits: Limits | None = None) -> Inspection:
    """Read an inspection file (``.json``, ``.yaml`` or ``.yml``).

    The file is read with the same limits and checks as a case file
    (:class:`~casework.Limits`): not UTF-8, too large, too deep, keys written
    twice, impossible dates are each a located error, never a crash.

    Raises:
        InspectionFileError: naming each field that is wrong (values are not echoed).
    """
    from casework import io as case_io  # noqa: PLC0415  (casework.io imports the model)

    chosen = limits or DEFAULT_LIMITS
    source = Path(path)
    fmt: case_io.Format = "yaml" if source.suffix.lower() in {".yaml", ".yml"} else "json"
    try:
        text = case_io._read_text(source, fmt, chosen)
        data = case_io._parse_document(text, fmt, source.name, chosen)
    except case_io.CaseFileError as exc:
        raise InspectionFileError(str(exc), code=exc.code) from None
    if not isinstance(data, dict):
        problem = Problem("(file)", "an object (mapping)", describe(data), "file.shape")
        raise InspectionFileError(f"{source.name}: {problem}", (problem,))
    limit = structure_problem(data, chosen, fmt)
    if limit is not None:
        raise InspectionFileError(f"{source.name}: {limit}", (limit,))
    try:
        return Inspection.model_validate(data)
    except ValidationError as exc:
        problems = problems_from(exc, data, chosen.max_problems)
        text = "; ".join(str(problem) for problem in problems)
        raise InspectionFileError(f"{source.name}: {text}", problems) from None
