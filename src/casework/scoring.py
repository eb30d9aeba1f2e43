"""Inspection scores from findings: the OMI's scoring approach, exactly (004:965-1015).

:func:`score_inspection` turns the findings of an ``omi-2007`` evaluation into
a :class:`Scorecard`:

* per question: the relevant cases, the cases above the line and the
  proportion, with the unanswered and not-applicable cases beside them;
* per criterion: 0.8 x the mean of its question proportions (each question
  weighted equally, whatever its number of cases) + 0.2 x the summary
  question's proportion (004:998; A3, A5), renormalised when a part is empty
  (A7);
* per section: the mean of its criteria, unrounded (004:1000; A8);
* the RoH thread: the flat mean over the RoH questions of sections 1 and 2
  (004:1002; A9-A11);
* the conclusion band of each criterion from a dated band table (A13);
* section 4 grades, as recorded (A14).

Every figure is an exact :class:`~fractions.Fraction`; rounding (half-up)
happens only for display. Every figure keeps the cases behind it.
The readings the report leaves open are options (:class:`ScoringOptions`),
documented in docs/scoring.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs

from casework._caserefs import Lines
from casework._display import arrow_table, html_summary, short
from casework.intervals import IntervalOptions, ScoreIntervals, score_intervals
from casework.model.case import Case
from casework.model.inspection import Inspection, Section4Grade
from casework.rules.engine import Finding, Outcome, RuleKind
from casework.rules.omi2007.criteria import Criterion, Section, criterion, section
from casework.rules.omi2007.question import OMI_FROM
from casework.rules.parameters import ParameterTable
from casework.text import percent, round_half_up

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = [
    "FEW_ASSESSED",
    "GOOD",
    "PRIORITY",
    "URGENT",
    "Band",
    "BandTable",
    "CriterionScore",
    "GroupScore",
    "QuestionScore",
    "Scorecard",
    "ScoringOptions",
    "SectionScore",
    "ThreadScore",
    "combine_criterion",
    "exact_fraction",
    "mean",
    "score_inspection",
]

Combine = Literal["weighted", "summary_as_question"]
Weighting = Literal["equal", "pooled"]
Groups = Literal["separate", "all_of", "mean_of"]
NotEvidenced = Literal["below_the_line", "unanswered"]
BandOn = Literal["displayed", "exact"]

#: Below this share of applicable case-answers assessed, a scorecard warns that its scores
#: rest on too few answers (a reporting choice, not the inspectorate's:
#: docs/decisions.md#few-assessed).
FEW_ASSESSED = Fraction(1, 2)

#: The case-sample sections whose questions may be in the RoH thread (004:1002).
THREAD_SECTIONS = frozenset({1, 2})


def exact_fraction(value: object) -> Fraction:
    """A share as an exact fraction, read the way a person wrote it.

    A float is read by its shortest decimal form (``0.8`` is four fifths, not
    the binary float nearest it, which is a little more); text may be a
    decimal (``"0.65"``), a fraction (``"13/20"``) or a percentage (``"65%"``).

        >>> exact_fraction(0.8), exact_fraction("65%"), exact_fraction(0.65) == Fraction(13, 20)
        (Fraction(4, 5), Fraction(13, 20), True)
    """
    if isinstance(value, bool):
        raise TypeError(f"expected a number, not {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, not {value!r}")
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            return Fraction(text[:-1].strip()) / 100
        return Fraction(text)
    if isinstance(value, int | Fraction | Decimal):
        return Fraction(value)
    raise TypeError(f"expected a number, not {type(value).__name__}")


def _optional_fraction(value: object) -> Fraction | None:
    return None if value is None else exact_fraction(value)


def _weight(_instance: object, _attribute: object, value: Fraction) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"individual_weight must be between 0 and 1, not {value}")


@attrs.frozen
class ScoringOptions:
    """The readings the report leaves open (docs/scoring.md), defaulting to the most faithful."""

    individual_weight: Fraction = attrs.field(
        default=Fraction(4, 5), converter=exact_fraction, validator=_weight
    )
    """Weight of the individual questions; the summary gets the rest (80/20, 004:998)."""
    combine: Combine = attrs.field(
        default="weighted", validator=attrs.validators.in_(("weighted", "summary_as_question"))
    )
    """A3: ``weighted`` (80/20) or ``summary_as_question`` (the summary as one more question)."""
    weighting: Weighting = attrs.field(
        default="equal", validator=attrs.validators.in_(("equal", "pooled"))
    )
    """A5: ``equal`` (mean of question proportions) or ``pooled`` (all case-answers pooled)."""
    groups: Groups = attrs.field(
        default="separate", validator=attrs.validators.in_(("separate", "all_of", "mean_of"))
    )
    """A6: score each reported part separately, or collapse a group (all of / mean of)."""
    not_evidenced: NotEvidenced = attrs.field(
        default="below_the_line", validator=attrs.validators.in_(("below_the_line", "unanswered"))
    )
    """A2: a ``not_evidenced`` answer is below the line, or treated as unanswered."""
    roh_thread_summaries: bool = True
    """A10: whether RoH summary questions (1.2, 2.2) count in the RoH thread."""
    band_on: BandOn = attrs.field(
        default="displayed", validator=attrs.validators.in_(("displayed", "exact"))
    )
    """A13: band the displayed (rounded) score, or the exact one."""
    reinspection_threshold: Fraction | None = attrs.field(
        default=None, converter=_optional_fraction
    )
    """A12: a RoH thread score below this is flagged; the report prints no threshold."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "individual_weight": str(self.individual_weight),
            "combine": self.combine,
            "weighting": self.weighting,
            "groups": self.groups,
            "not_evidenced": self.not_evidenced,
            "roh_thread_summaries": self.roh_thread_summaries,
            "band_on": self.band_on,
            "reinspection_threshold": _exact(self.reinspection_threshold),
        }


# ---------------------------------------------------------------- bands


@attrs.frozen
class Band:
    """A conclusion band and the sentence the report prints for it (omi-2007-criteria.md §3)."""

    key: str
    phrase: str
    form: Literal["performance", "represents"]

    @property
    def sentence(self) -> str:
        """The conclusion as printed, with the right article."""
        if self.form == "performance":
            return f"Performance against this criterion was {self.phrase}."
        article = "an" if self.phrase[:1].lower() in "aeiou" else "a"
        return f"This criterion represents {article} {self.phrase}."


GOOD = Band("good", "good", "performance")
PRIORITY = Band("priority", "priority for improvement", "represents")
URGENT = Band("urgent", "urgent priority for improvement", "represents")


@attrs.frozen
class BandTable:
    """Ordered ``(lowest score, band)`` pairs: a score takes the last band it reaches."""

    bands: tuple[tuple[Fraction, Band], ...]
    source: str = ""
    on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        bounds = [bound for bound, _ in self.bands]
        if not bounds or bounds[0] != 0 or bounds != sorted(set(bounds)):
            raise ValueError("band bounds must start at 0 and rise strictly")

    def band(self, score: Fraction) -> Band:
        """The band of a score (a proportion, 0 to 1)."""
        chosen = self.bands[0][1]
        for bound, band in self.bands:
            if score >= bound:
                chosen = band
        return chosen

    @classmethod
    def default(cls, on: dt.date, table: ParameterTable | None = None) -> BandTable:
        """The inferred bands in force on ``on`` (parameters ``omi_band_*``)."""
        parameters = (table or ParameterTable.default()).resolve(on)
        priority = parameters.get("omi_band_priority_from")
        good = parameters.get("omi_band_good_from")
        return cls(
            (
                (Fraction(0), URGENT),
                (_fraction(priority.value), PRIORITY),
                (_fraction(good.value), GOOD),
            ),
            source=priority.source,
            on=on,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "bands": [
                {"from": str(bound), "band": band.key, "sentence": band.sentence}
                for bound, band in self.bands
            ],
            "source": self.source,
            "on": self.on.isoformat() if self.on else None,
        }


def _fraction(value: object) -> Fraction:
    if isinstance(value, int | Fraction):
        return Fraction(value)
    raise TypeError(f"expected a number, not {value!r}")


# ---------------------------------------------------------------- figures


def mean(values: Iterable[Fraction]) -> Fraction | None:
    """The exact mean, or ``None`` of nothing."""
    items = list(values)
    return sum(items, Fraction(0)) / len(items) if items else None


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _listed(items: Sequence[str]) -> Any:
    """A list of a tuple's items; a compact sequence as it is (JSON writes it with
    ``default=casework._caserefs.plain``, a case list at a time)."""
    return list(items) if isinstance(items, tuple | list) else items


def _figure(value: Fraction | None) -> dict[str, Any]:
    return {"exact": _exact(value), "display": None if value is None else percent(value)}


@attrs.frozen
class QuestionScore:
    """One question across the sample: who was above and below the line, and the proportion."""

    id: str
    criterion: str
    question: str
    source: tuple[str, ...]
    kind: RuleKind
    roh: bool
    group: str | None
    above: Sequence[str] = ()
    """Cases above the line (met)."""
    below: Sequence[str] = ()
    """Cases below the line (not met, including not evidenced)."""
    unanswered: Sequence[str] = ()
    """Applicable cases that could not be assessed: left out of the proportion, never scored."""
    not_applicable: Sequence[str] = ()
    """Cases outside the question's population, or not yet due."""
    not_evidenced: Sequence[str] = ()
    """Cases answered ``not_evidenced`` (in ``below``, or ``unanswered`` by option)."""

    @property
    def summary(self) -> bool:
        """Whether this is the criterion's summary question."""
        return self.kind is RuleKind.SUMMARY

    @property
    def scored(self) -> bool:
        """Whether it counts in scores (descriptive counts never do)."""
        return self.kind is not RuleKind.DESCRIPTIVE

    @property
    def relevant(self) -> int:
        """Relevant cases: the denominator."""
        return len(self.above) + len(self.below)

    @property
    def proportion(self) -> Fraction | None:
        """Cases above the line over relevant cases; ``None`` when none is relevant."""
        return Fraction(len(self.above), self.relevant) if self.relevant else None

    @property
    def counts(self) -> tuple[int, int]:
        """``(above, relevant)``."""
        return len(self.above), self.relevant

    @property
    def cases(self) -> int:
        """Every case with a finding for the question."""
        return self.relevant + len(self.unanswered) + len(self.not_applicable)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "id": self.id,
            "criterion": self.criterion,
            "question": self.question,
            "source": list(self.source),
            "kind": self.kind.value,
            "roh": self.roh,
            "group": self.group,
            "summary": self.summary,
            "scored": self.scored,
            "relevant": self.relevant,
            "above": len(self.above),
            "below": len(self.below),
            "unanswered": len(self.unanswered),
            "not_applicable": len(self.not_applicable),
            "not_evidenced": len(self.not_evidenced),
            "proportion": _figure(self.proportion),
            "cases": {
                "above": _listed(self.above),
                "below": _listed(self.below),
                "unanswered": _listed(self.unanswered),
                "not_applicable": _listed(self.not_applicable),
            },
        }


@attrs.frozen
class GroupScore:
    """Reported parts of one compound indicator scored as one question (A6)."""

    id: str
    mode: Literal["all_of", "mean_of"]
    members: tuple[QuestionScore, ...]
    combined: QuestionScore | None = None
    """For ``all_of``: the group as one question, a case above only if every part is."""

    @property
    def proportion(self) -> Fraction | None:
        """The group's proportion."""
        if self.combined is not None:
            return self.combined.proportion
        return mean(p for m in self.members if (p := m.proportion) is not None)

    @property
    def counts(self) -> tuple[int, int]:
        """``(above, relevant)``, pooled over the parts (for pooled weighting)."""
        if self.combined is not None:
            return self.combined.counts
        return (
            sum(m.counts[0] for m in self.members),
            sum(m.counts[1] for m in self.members),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "id": self.id,
            "mode": self.mode,
            "members": [m.id for m in self.members],
            "proportion": _figure(self.proportion),
            "combined": self.combined.to_dict() if self.combined else None,
        }


Part = QuestionScore | GroupScore


def combine_criterion(
    individual: Fraction | None,
    summary: Fraction | None,
    *,
    weight: Fraction = Fraction(4, 5),
) -> tuple[Fraction | None, str]:
    """A criterion score from its individual mean and summary proportion, and how (A3, A7).

    Returns ``(score, basis)``: both parts, weighted; one part alone when the
    other is empty (its weight renormalised to 1); ``None`` when both are.
    """
    if individual is not None and summary is not None:
        return weight * individual + (1 - weight) * summary, "weighted"
    if individual is not None:
        return individual, "individual_only"
    if summary is not None:
        return summary, "summary_only"
    return None, "empty"


@attrs.frozen
class CriterionScore:
    """A general criterion's score, its conclusion and the questions behind them."""

    id: str
    criterion: Criterion | None
    questions: tuple[QuestionScore, ...]
    """Individual scored questions."""
    parts: tuple[Part, ...]
    """What the individual mean is over: the questions, or groups of them (A6)."""
    summary: QuestionScore | None
    descriptive: tuple[QuestionScore, ...]
    individual: Fraction | None
    """Mean of the parts' proportions (or pooled, by option)."""
    score: Fraction | None
    basis: str
    """``weighted``, ``individual_only``, ``summary_only``, ``summary_as_question``, ``empty``."""
    band: Band | None

    @property
    def section(self) -> int:
        """The section number."""
        return int(self.id.split(".")[0])

    @property
    def display(self) -> str | None:
        """The score as printed: a whole percentage, half-up."""
        return None if self.score is None else percent(self.score)

    @property
    def conclusion(self) -> str | None:
        """The conclusion sentence."""
        return self.band.sentence if self.band else None

    def cases_below(self) -> dict[str, tuple[str, ...]]:
        """Per question (and the summary), the cases below the line."""
        found = {q.id: tuple(q.below) for q in self.questions}
        if self.summary is not None:
            found[self.summary.id] = tuple(self.summary.below)
        return found

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "id": self.id,
            "title": self.criterion.title if self.criterion else None,
            "statement": self.criterion.statement if self.criterion else None,
            "section": self.section,
            "score": _figure(self.score),
            "individual": _figure(self.individual),
            "summary": self.summary.to_dict() if self.summary else None,
            "basis": self.basis,
            "band": self.band.key if self.band else None,
            "conclusion": self.conclusion,
            "questions": [q.id for q in self.questions],
            "parts": [p.id for p in self.parts],
            "groups": [p.to_dict() for p in self.parts if isinstance(p, GroupScore)],
            "descriptive": [q.id for q in self.descriptive],
        }


@attrs.frozen
class SectionScore:
    """A section's score: the mean of its criteria's unrounded scores (004:1000, A8)."""

    number: int
    section: Section | None
    criteria: tuple[str, ...]
    """The criteria averaged."""
    left_out: tuple[str, ...]
    """Criteria with no score, left out of the mean (A7)."""
    score: Fraction | None

    @property
    def display(self) -> str | None:
        """The score as a whole percentage, half-up (60.5 -> 61)."""
        return None if self.score is None else percent(self.score)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "number": self.number,
            "title": self.section.title if self.section else None,
            "criteria": list(self.criteria),
            "left_out": list(self.left_out),
            "score": _figure(self.score),
        }


@attrs.frozen
class ThreadScore:
    """The RoH thread: a flat mean over the RoH questions of sections 1 and 2 (004:1002)."""

    questions: tuple[QuestionScore, ...]
    """The questions averaged (those with relevant cases)."""
    score: Fraction | None
    threshold: Fraction | None = None

    @property
    def below_threshold(self) -> bool | None:
        """Whether the score is below the configured threshold (A12); ``None`` without one."""
        if self.threshold is None or self.score is None:
            return None
        return self.score < self.threshold

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "score": _figure(self.score),
            "questions": [q.id for q in self.questions],
            "threshold": _exact(self.threshold),
            "below_threshold": self.below_threshold,
        }


@attrs.frozen
class Section4Result:
    """A section 4 criterion and the grade recorded for it (A14)."""

    criterion: Criterion
    grade: Section4Grade | None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "id": self.criterion.id,
            "title": self.criterion.title,
            "statement": self.criterion.statement,
            "grade": self.grade.value if self.grade else None,
            "label": self.grade.label if self.grade else None,
        }


@attrs.frozen
class Scorecard:
    """An inspection's scores, every figure with the cases behind it."""

    questions: tuple[QuestionScore, ...]
    criteria: tuple[CriterionScore, ...]
    sections: tuple[SectionScore, ...]
    roh_thread: ThreadScore
    section4: tuple[Section4Result, ...]
    cases: Sequence[str]
    """Every case with a finding, in first-seen order: a tuple, or the references read
    from files (:class:`casework.inspection_tally.SpilledTally`), equal to it."""
    options: ScoringOptions
    bands: BandTable
    rulesets: tuple[str, ...]
    inspection: Inspection | None = None
    warnings: Sequence[str] = ()
    """Tuples, or compact sequences (:meth:`casework.inspection_tally.InspectionTally.scorecard`
    with ``compact=True``) that compare equal to them."""
    interval_options: IntervalOptions | None = None
    """How :attr:`intervals` are computed; ``None``: no intervals (``intervals=False``)."""
    _cache: dict[str, ScoreIntervals] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, alias="_cache"
    )

    @property
    def intervals(self) -> ScoreIntervals | None:
        """Confidence intervals of every figure and band chances of every criterion
        (:mod:`casework.intervals`), computed when first read; ``None`` when turned off."""
        if self.interval_options is None:
            return None
        if "intervals" not in self._cache:
            self._cache["intervals"] = score_intervals(self, self.interval_options)
        return self._cache["intervals"]

    def question(self, question_id: str) -> QuestionScore:
        """One question's figures; ``KeyError`` if no finding asked it."""
        for found in self.questions:
            if found.id == question_id:
                return found
        raise KeyError(f"no question {question_id!r} in the scorecard")

    def criterion(self, criterion_id: str) -> CriterionScore:
        """One criterion's score; ``KeyError`` if none."""
        for found in self.criteria:
            if found.id == criterion_id:
                return found
        raise KeyError(f"no criterion {criterion_id!r} in the scorecard")

    def section(self, number: int) -> SectionScore:
        """One section's score; ``KeyError`` if none."""
        for found in self.sections:
            if found.number == number:
                return found
        raise KeyError(f"no section {number!r} in the scorecard")

    @property
    def assessed(self) -> tuple[int, int]:
        """``(assessed, applicable)``: over the scored questions, the case-answers above or
        below the line, and those plus the applicable ones that could not be assessed
        (inspector answers missing, facts missing)."""
        scored = [q for q in self.questions if q.scored]
        assessed = sum(q.relevant for q in scored)
        return assessed, assessed + sum(len(q.unanswered) for q in scored)

    def evidence_warning(self, below: Fraction = FEW_ASSESSED) -> str | None:
        """A one-line warning when fewer than ``below`` of the applicable case-answers could be
        assessed (a sample without inspector answers scores only its computed questions,
        which can read as good); ``None`` otherwise."""
        assessed, applicable = self.assessed
        if not applicable:
            return "no question could be assessed on any case: these scores rest on no answer"
        if Fraction(assessed, applicable) >= below:
            return None
        return (
            f"only {assessed} of {applicable} applicable case-answers "
            f"({percent(Fraction(assessed, applicable))}) could be assessed; the rest have no "
            "inspector answer or lack the facts, so these scores rest on few answers"
        )

    def cases_below(self, question_id: str) -> tuple[str, ...]:
        """Which cases fell below the line on a question (``"1.2.p"``, ``"1.2.summary"``)?"""
        return tuple(self.question(question_id).below)

    def cases_above(self, question_id: str) -> tuple[str, ...]:
        """Which cases were above the line on a question?"""
        return tuple(self.question(question_id).above)

    def _facts(self) -> list[tuple[str, str]]:
        facts = []
        if self.inspection is not None:
            facts.append(("Area", self.inspection.area))
        facts.append(("Cases", str(len(self.cases))))
        facts += [(f"Section {s.number}", s.display or "-") for s in self.sections]
        facts.append(
            ("RoH thread", "-" if self.roh_thread.score is None else percent(self.roh_thread.score))
        )
        return facts

    def __repr__(self) -> str:
        facts = "; ".join(f"{label.lower()} {value}" for label, value in self._facts())
        return (
            f"<Scorecard {', '.join(self.rulesets)}: {facts}; "
            f"{len(self.criteria)} criteria, {len(self.questions)} questions>"
        )

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: the section scores, then the first criteria."""
        return html_summary(
            f"Scorecard: {', '.join(self.rulesets)}",
            self._facts(),
            ("Criterion", "Title", "Score", "Conclusion"),
            [
                (
                    c.id,
                    short(c.criterion.title if c.criterion else None, 50),
                    c.display,
                    short(c.conclusion, 50),
                )
                for c in self.criteria
            ],
            noun="criteria",
            numeric=("Score",),
        )

    def to_pandas(self) -> DataFrame:
        """One row per question: counts, proportion and flags (``question_frame``).

        Needs pandas (``pip install "casework[dataframe]"``); criteria and sections are in
        :mod:`casework.report.dataframe` (``criterion_frame``, ``section_frame``).
        """
        from casework.report.dataframe import question_frame  # noqa: PLC0415 (imports this)

        return question_frame(self)

    def to_arrow(self) -> Any:
        """:meth:`to_pandas` as a ``pyarrow.Table`` (``pip install "casework[arrow]"``)."""
        return arrow_table(self.to_pandas)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (fractions as exact strings and half-up percentages)."""
        inspection = self.inspection
        return {
            "inspection": inspection.model_dump(mode="json") if inspection else None,
            "rulesets": list(self.rulesets),
            "cases": len(self.cases),
            "options": self.options.to_dict(),
            "bands": self.bands.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "criteria": [c.to_dict() for c in self.criteria],
            "roh_thread": self.roh_thread.to_dict(),
            "section4": [s.to_dict() for s in self.section4],
            "questions": [q.to_dict() for q in self.questions],
            "warnings": _listed(self.warnings),
            "intervals": intervals.to_dict() if (intervals := self.intervals) else None,
        }


# ---------------------------------------------------------------- scoring


def _is_not_evidenced(finding: Finding) -> bool:
    return any(e.label == "answer" and e.value == "not_evidenced" for e in finding.evidence)


@attrs.define
class _Tally:
    first: Finding
    above: list[str] = attrs.Factory(list)
    below: list[str] = attrs.Factory(list)
    unanswered: list[str] = attrs.Factory(list)
    not_applicable: list[str] = attrs.Factory(list)
    not_evidenced: list[str] = attrs.Factory(list)
    outcome: dict[str, Outcome] = attrs.Factory(dict)

    def add(self, finding: Finding, options: ScoringOptions) -> None:
        case = finding.case_ref
        if case in self.outcome:
            raise ValueError(
                f"case {case} has two findings for question {finding.rule_id}: "
                "score one evaluation at a time"
            )
        outcome = finding.outcome
        if _is_not_evidenced(finding):
            self.not_evidenced.append(case)
            if options.not_evidenced == "unanswered":
                outcome = Outcome.CANNOT_ASSESS
        self.outcome[case] = outcome
        {
            Outcome.MET: self.above,
            Outcome.NOT_MET: self.below,
            Outcome.CANNOT_ASSESS: self.unanswered,
            Outcome.NOT_APPLICABLE: self.not_applicable,
        }[outcome].append(case)

    def score(self) -> QuestionScore:
        f = self.first
        return QuestionScore(
            id=f.rule_id,
            criterion=f.criterion or "",
            question=f.question,
            source=f.source,
            kind=f.kind,
            roh=f.roh,
            group=f.group,
            above=tuple(self.above),
            below=tuple(self.below),
            unanswered=tuple(self.unanswered),
            not_applicable=tuple(self.not_applicable),
            not_evidenced=tuple(self.not_evidenced),
        )


def _all_of(group: str, members: Sequence[QuestionScore], cases: Sequence[str]) -> QuestionScore:
    """A group as one question: below if any part is, unanswered if any part is, else above."""
    sets = {
        name: [set(getattr(m, name)) for m in members]
        for name in ("above", "below", "unanswered", "not_applicable")
    }
    above: list[str] = []
    below: list[str] = []
    unanswered: list[str] = []
    not_applicable: list[str] = []
    for case in cases:
        if any(case in s for s in sets["below"]):
            below.append(case)
        elif any(case in s for s in sets["unanswered"]):
            unanswered.append(case)
        elif any(case in s for s in sets["above"]):
            above.append(case)
        elif any(case in s for s in sets["not_applicable"]):
            not_applicable.append(case)
    first = members[0]
    return QuestionScore(
        id=group,
        criterion=first.criterion,
        question=f"All of {', '.join(m.id for m in members)}",
        source=tuple(dict.fromkeys(s for m in members for s in m.source)),
        kind=first.kind,
        roh=any(m.roh for m in members),
        group=group,
        above=tuple(above),
        below=tuple(below),
        unanswered=tuple(unanswered),
        not_applicable=tuple(not_applicable),
        not_evidenced=tuple(dict.fromkeys(c for m in members for c in m.not_evidenced)),
    )


def _parts(
    questions: Sequence[QuestionScore], options: ScoringOptions, cases: Sequence[str]
) -> tuple[Part, ...]:
    """The items the criterion mean is over: questions, or their groups collapsed (A6)."""
    mode = options.groups
    if mode == "separate":
        return tuple(questions)
    grouped: dict[str, list[QuestionScore]] = {}
    order: list[QuestionScore | str] = []
    for q in questions:
        if q.group is None:
            order.append(q)
            continue
        if q.group not in grouped:
            grouped[q.group] = []
            order.append(q.group)
        grouped[q.group].append(q)
    parts: list[Part] = []
    for item in order:
        if isinstance(item, QuestionScore):
            parts.append(item)
            continue
        members = tuple(grouped[item])
        if mode == "all_of":
            parts.append(GroupScore(item, mode, members, _all_of(item, members, cases)))
        else:
            parts.append(GroupScore(item, mode, members))
    return tuple(parts)


def _individual(parts: Sequence[Part], options: ScoringOptions) -> Fraction | None:
    if options.weighting == "pooled":
        above = sum(p.counts[0] for p in parts)
        relevant = sum(p.counts[1] for p in parts)
        return Fraction(above, relevant) if relevant else None
    return mean(p for part in parts if (p := part.proportion) is not None)


def _criterion(
    criterion_id: str,
    questions: Sequence[QuestionScore],
    *,
    options: ScoringOptions,
    bands: BandTable,
    cases: Sequence[str],
    warnings: list[str],
) -> CriterionScore:
    individual_questions = tuple(q for q in questions if q.scored and not q.summary)
    summaries = [q for q in questions if q.summary]
    summary = summaries[0] if summaries else None
    parts = _parts(individual_questions, options, cases)
    individual = _individual(parts, options)
    summary_p = summary.proportion if summary else None
    if options.combine == "summary_as_question":
        scored = [p for p in (*[part.proportion for part in parts], summary_p) if p is not None]
        score, basis = mean(scored), "summary_as_question" if scored else "empty"
    else:
        score, basis = combine_criterion(individual, summary_p, weight=options.individual_weight)
    if basis == "individual_only":
        warnings.append(
            f"criterion {criterion_id}: no summary answer above or below the line; the score is "
            "the mean of its questions alone (A7)"
        )
    elif basis == "summary_only":
        warnings.append(
            f"criterion {criterion_id}: no individual question has a relevant case; the score is "
            "the summary question alone (A7)"
        )
    elif basis == "empty":
        warnings.append(
            f"criterion {criterion_id}: nothing to score; left out of its section average (A7)"
        )
    band = None
    if score is not None:
        banded = (
            Fraction(int(round_half_up(score * 100)), 100)
            if options.band_on == "displayed"
            else score
        )
        band = bands.band(banded)
    try:
        known: Criterion | None = criterion(criterion_id)
    except KeyError:
        known = None
    return CriterionScore(
        id=criterion_id,
        criterion=known,
        questions=individual_questions,
        parts=parts,
        summary=summary,
        descriptive=tuple(q for q in questions if not q.scored),
        individual=individual,
        score=score,
        basis=basis,
        band=band,
    )


def _sections(criteria: Sequence[CriterionScore]) -> tuple[SectionScore, ...]:
    numbers = sorted({c.section for c in criteria})
    found: list[SectionScore] = []
    for number in numbers:
        members = [c for c in criteria if c.section == number]
        scored = [c for c in members if c.score is not None]
        try:
            known: Section | None = section(number)
        except KeyError:
            known = None
        found.append(
            SectionScore(
                number=number,
                section=known,
                criteria=tuple(c.id for c in scored),
                left_out=tuple(c.id for c in members if c.score is None),
                score=mean(c.score for c in scored if c.score is not None),
            )
        )
    return tuple(found)


def _thread(questions: Sequence[QuestionScore], options: ScoringOptions) -> ThreadScore:
    chosen = tuple(
        q
        for q in questions
        if q.roh
        and q.scored
        and int(q.criterion.split(".")[0]) in THREAD_SECTIONS
        and (options.roh_thread_summaries or not q.summary)
        and q.relevant
    )
    if options.weighting == "pooled":
        relevant = sum(q.relevant for q in chosen)
        score = Fraction(sum(len(q.above) for q in chosen), relevant) if relevant else None
    else:
        score = mean(q.proportion for q in chosen if q.proportion is not None)
    return ThreadScore(chosen, score, options.reinspection_threshold)


def score_inspection(
    findings: Iterable[Finding],
    *,
    inspection: Inspection | None = None,
    options: ScoringOptions | None = None,
    bands: BandTable | None = None,
    intervals: IntervalOptions | bool = True,
    **overrides: Any,
) -> Scorecard:
    """Score an inspection from the findings of its case sample.

    Args:
        findings: findings of an ``omi-2007`` evaluation (findings with no
            criterion, from other rule sets, are ignored).
        inspection: the area, dates and section 4 grades, if recorded.
        options: readings of what the report leaves open (:class:`ScoringOptions`).
        bands: the conclusion band table; by default the one in force on the
            inspection's ``as_of`` (else the findings' latest ``as_of``).
        intervals: how sure each figure is (:mod:`casework.intervals`): ``True`` for
            the default :class:`~casework.intervals.IntervalOptions` (95%, 2,000
            resamples, seed 0), options of your own, or ``False`` for none. They are
            computed when ``card.intervals`` is first read.
        overrides: individual options, e.g. ``roh_thread_summaries=False``.

    Raises:
        ValueError: a case has two findings for one question (two evaluations mixed).
    """
    chosen = attrs.evolve(options or ScoringOptions(), **overrides)
    tallies: dict[str, _Tally] = {}
    cases: dict[str, None] = {}
    rulesets: dict[str, None] = {}
    latest: dt.date | None = None
    if isinstance(findings, str | bytes | Mapping):
        raise TypeError(f"findings must be an iterable of Finding, not {type(findings).__name__}")
    for position, finding in enumerate(findings):
        if not isinstance(finding, Finding):
            raise _not_a_finding(finding, position)
        if finding.criterion is None:
            continue
        tally = tallies.get(finding.rule_id)
        if tally is None:
            tally = tallies[finding.rule_id] = _Tally(finding)
        tally.add(finding, chosen)
        cases.setdefault(finding.case_ref)
        rulesets.setdefault(f"{finding.ruleset}@{finding.ruleset_version}")
        latest = finding.as_of if latest is None else max(latest, finding.as_of)
    questions = tuple(t.score() for t in tallies.values())
    return assemble_scorecard(
        questions,
        tuple(cases),
        tuple(rulesets),
        latest,
        inspection=inspection,
        options=chosen,
        bands=bands,
        intervals=intervals,
    )


def _not_a_finding(value: object, position: int) -> TypeError:
    """The error for an item of ``findings`` that is not a :class:`Finding`: cases are
    evaluated first (nothing of the item is echoed)."""
    hint = (
        ": score the findings of the sample, evaluate(cases, 'omi-2007', as_of=..., "
        "calendar=...), not the cases"
        if isinstance(value, Case)
        else ""
    )
    return TypeError(f"findings[{position}] must be a Finding, not {type(value).__name__}{hint}")


def _unanswered_warning(question: QuestionScore) -> str | tuple[str, Sequence[str]]:
    head = (
        f"question {question.id}: {len(question.unanswered)} applicable case(s) not assessed "
        "(left out of the proportion): "
    )
    if isinstance(question.unanswered, tuple):
        return head + ", ".join(question.unanswered)
    return head, question.unanswered


def assemble_scorecard(
    questions: tuple[QuestionScore, ...],
    cases: Sequence[str],
    rulesets: tuple[str, ...],
    latest: dt.date | None,
    *,
    inspection: Inspection | None,
    options: ScoringOptions,
    bands: BandTable | None,
    intervals: IntervalOptions | bool,
) -> Scorecard:
    """A scorecard from its questions' case lists (in first-seen order), the cases and rule
    sets in first-seen order and the latest ``as_of``: the step after the findings are
    tallied, shared by :func:`score_inspection` and
    :class:`casework.inspection_tally.InspectionTally`."""
    chosen = options
    notes: list[str | tuple[str, Sequence[str]]] = [
        _unanswered_warning(q) for q in questions if q.unanswered and q.scored
    ]
    on = inspection.as_of if inspection else (latest or OMI_FROM)
    table = bands or BandTable.default(on)
    by_criterion: dict[str, list[QuestionScore]] = {}
    for q in questions:
        by_criterion.setdefault(q.criterion, []).append(q)
    warnings: list[str] = []
    criteria = tuple(
        _criterion(cid, qs, options=chosen, bands=table, cases=cases, warnings=warnings)
        for cid, qs in sorted(by_criterion.items(), key=lambda item: _order(item[0]))
    )
    notes.extend(warnings)
    section4 = _section4(inspection)
    return Scorecard(
        questions=questions,
        criteria=criteria,
        sections=_sections(criteria),
        roh_thread=_thread(questions, chosen),
        section4=section4,
        cases=cases,
        options=chosen,
        bands=table,
        rulesets=rulesets,
        inspection=inspection,
        warnings=(
            tuple(note for note in notes if isinstance(note, str))
            if all(isinstance(note, str) for note in notes)
            else Lines(notes)
        ),
        interval_options=_interval_options(intervals),
    )


def _interval_options(intervals: IntervalOptions | bool) -> IntervalOptions | None:
    if isinstance(intervals, IntervalOptions):
        return intervals
    return IntervalOptions() if intervals else None


def _order(criterion_id: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in criterion_id.split("."))


def _section4(inspection: Inspection | None) -> tuple[Section4Result, ...]:
    if inspection is None:
        return ()
    return tuple(
        Section4Result(criterion(cid), inspection.grade(cid))
        for cid in ("4.1", "4.2", "4.3", "4.4", "4.5", "4.6")
    )
