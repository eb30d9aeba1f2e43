"""The case: one offender's supervision as an inspector reads the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from casework._limits import DEFAULT_LIMITS
from casework.model.base import CodedError, Day, Identifier, Record, dates_in
from casework.model.enums import Answer, AssessmentPurpose, RohLevel, SentenceKind, Tier
from casework.model.offender import Offender, PersonalDetails
from casework.model.risk import Mappa, OasysAssessment, RohRecord, SignificantEvent, TierRecord
from casework.model.sentence import Sentence
from casework.model.supervision import (
    ApprovedPremisesResidence,
    Breach,
    Contact,
    CustodyMove,
    HomeVisit,
    Induction,
    Intervention,
    OmAssignment,
    Outcomes,
    Psr,
    Recall,
    TransferIn,
    Victim,
)
from casework.problems import structure_problem

Loc = tuple[str | int, ...]


class ContradictionError(ValueError):
    """Facts in one case record that cannot all be true.

    ``problems`` holds each contradiction as ``(field path, what was expected)``
    so that loaders can report every one at its own location; ``codes`` holds
    the stable code of each, in the same order (docs/case-files.md lists them).
    """

    def __init__(self, problems: Sequence[tuple[Loc, str, str]]) -> None:
        self.coded: tuple[tuple[Loc, str, str], ...] = tuple(problems)
        self.problems: tuple[tuple[Loc, str], ...] = tuple(
            (loc, message) for loc, _, message in self.coded
        )
        self.codes: tuple[str, ...] = tuple(code for _, code, _ in self.coded)
        text = "; ".join(f"{_dotted(loc)}: {message}" for loc, message in self.problems)
        super().__init__(text)


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(record)"


class Judgements(Record):
    """Inspector judgements for the questions only a person can answer.

    ``answers`` maps a question id (``"1.2.p"``) to an answer; ``summaries``
    maps a criterion id (``"1.2"``) to the summary judgement for it.
    """

    answers: dict[Identifier, Answer] = Field(default_factory=dict)
    """Answer per question id."""
    summaries: dict[Identifier, Answer] = Field(default_factory=dict)
    """Summary judgement per criterion id."""


StartEvent = Literal["sentence", "release"]


class Case(Record):
    """One offender's case as recorded on ``as_of``.

    Every date in the record must be on or before ``as_of``: the record cannot
    know the future. Identifying details live in ``personal`` and nowhere else.
    """

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """What ``repr()`` and ``str()`` show: the reference, dates and how much the record
        holds; never the personal details or any free text (a case may be printed in a log)."""
        yield "reference", self.reference
        yield "as_of", self.as_of.isoformat()
        if self.area is not None:
            yield "area", self.area
        yield "sentence", f"{self.sentence.kind.value} of {self.sentence.sentenced_on.isoformat()}"
        yield from self._record_counts()
        if self.personal is not None:
            yield "personal", "withheld"

    def _record_counts(self) -> list[tuple[str, int]]:
        counts = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, tuple) and value:
                counts.append((name, len(value)))
        return counts

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: the case's dates and what it holds, no personal
        details."""
        from casework._display import html_summary  # noqa: PLC0415 (model stays import-light)

        facts = [("As of", self.as_of.isoformat()), ("Area", self.area or "-")]
        facts.append(
            ("Sentence", f"{self.sentence.kind.value} of {self.sentence.sentenced_on.isoformat()}")
        )
        if self.personal is not None:
            facts.append(("Personal details", "held, not shown"))
        return html_summary(
            f"Case {self.reference}",
            facts,
            ("Records", "Count"),
            self._record_counts(),
            noun="kinds of record",
            numeric=("Count",),
        )

    reference: Identifier
    """Case reference, unique within a file. Reports can pseudonymise it."""
    as_of: Day
    """The date the record describes the case as at (when the file was read)."""
    area: str | None = Field(default=None, max_length=80)
    """Probation area managing the case."""
    offender: Offender = Field(default_factory=Offender)
    """Non-identifying facts about the offender."""
    personal: PersonalDetails | None = None
    """Identifying details, kept apart so reports and errors can leave them out."""
    sentence: Sentence
    """The sentence supervised."""
    tiers: tuple[TierRecord, ...] = ()
    """Tier allocations, dated."""
    roh: tuple[RohRecord, ...] = ()
    """Risk of harm classifications, dated."""
    mappa: Mappa | None = None
    """MAPPA arrangements, where the case is subject to MAPPA."""
    child_safeguarding_concern: bool = False
    """There are child safeguarding concerns (004:382, 004:656)."""
    assessments: tuple[OasysAssessment, ...] = ()
    """OASys assessments and reviews, with their parts."""
    events: tuple[SignificantEvent, ...] = ()
    """Significant incidents, changes and acute risk factors."""
    psr: Psr | None = None
    """The pre-sentence report, if one was prepared."""
    contacts: tuple[Contact, ...] = ()
    """Arranged appointments and other contacts."""
    home_visits: tuple[HomeVisit, ...] = ()
    """Home visits."""
    inductions: tuple[Induction, ...] = ()
    """Inductions."""
    breaches: tuple[Breach, ...] = ()
    """Unacceptable failures to comply and the enforcement that followed."""
    victims: tuple[Victim, ...] = ()
    """Victims known to the case (by id, never by name)."""
    transfer_in: TransferIn | None = None
    """Transfer in from another area."""
    approved_premises: tuple[ApprovedPremisesResidence, ...] = ()
    """Residence in approved premises."""
    interventions: tuple[Intervention, ...] = ()
    """Interventions."""
    recalls: tuple[Recall, ...] = ()
    """Recalls to custody."""
    custody_moves: tuple[CustodyMove, ...] = ()
    """Moves between prisons."""
    om_assignments: tuple[OmAssignment, ...] = ()
    """Who managed the case, when."""
    outcomes: Outcomes = Field(default_factory=Outcomes)
    """Recorded outcomes."""
    judgements: Judgements = Field(default_factory=Judgements)
    """Inspector answers and summary judgements."""

    # ------------------------------------------------------------ validation

    @model_validator(mode="before")
    @classmethod
    def _within_limits(cls, data: Any) -> Any:
        # Checked before pydantic sees the data: a value nested thousands deep would make
        # pydantic's own error formatting raise RecursionError for a Case built directly.
        problem = structure_problem(data, DEFAULT_LIMITS, "json")
        if problem is not None:
            raise CodedError(problem.code, f"expected {problem.expected} at {problem.field}")
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = [*self._future_dates(), *self._contradictions()]
        if problems:
            raise ContradictionError(problems)
        return self

    def _contradictions(self) -> list[tuple[Loc, str, str]]:
        """Every contradiction but dates after ``as_of`` (the fast reader checks those as it
        reads each date, then runs this: casework._fastread)."""
        problems = [*self._sentence_problems(), *self._assessment_problems()]
        problems.extend(self._history_problems())
        problems.extend(self._event_order_problems())
        problems.extend(self._personal_problems())
        return problems

    def _future_dates(self) -> Iterable[tuple[Loc, str, str]]:
        for loc, day in dates_in(self):
            if loc != ("as_of",) and day > self.as_of:
                yield loc, "date.after_as_of", "a date on or before the record's as_of"

    def _sentence_problems(self) -> Iterable[tuple[Loc, str, str]]:
        sentence = self.sentence
        released = sentence.released_on
        if sentence.kind is SentenceKind.LICENCE and released is None:
            yield (
                ("sentence", "released_on"),
                "licence.no_release",
                "a release date for a licence case",
            )
        if sentence.kind is not SentenceKind.LICENCE and released is not None:
            yield (
                ("sentence", "released_on"),
                "release.not_licence",
                f"no release date for a {sentence.kind.value} case "
                "(a released case is a licence case)",
            )
        if released is not None and released < sentence.sentenced_on:
            yield (
                ("sentence", "released_on"),
                "release.before_sentence",
                "a release on or after the date of sentence",
            )
        if sentence.starts_on is not None and sentence.starts_on < sentence.sentenced_on:
            yield (
                ("sentence", "starts_on"),
                "start.before_sentence",
                "a start on or after the date of sentence",
            )
        if sentence.ends_on is not None and sentence.ends_on < sentence.sentenced_on:
            yield (
                ("sentence", "ends_on"),
                "end.before_sentence",
                "an end on or after the date of sentence",
            )
        if sentence.termination is not None and sentence.termination.on < sentence.sentenced_on:
            yield (
                ("sentence", "termination", "on"),
                "termination.before_sentence",
                "a termination on or after the date of sentence",
            )
        for index, breach in enumerate(self.breaches):
            if breach.failed_on < sentence.sentenced_on:
                yield (
                    ("breaches", index, "failed_on"),
                    "breach.before_sentence",
                    "a failure to comply on or after sentence",
                )
        for index, recall in enumerate(self.recalls):
            if released is None or recall.on < released:
                yield (
                    ("recalls", index, "on"),
                    "recall.before_release",
                    "a recall after release on licence",
                )

    def _assessment_problems(self) -> Iterable[tuple[Loc, str, str]]:
        by_id: dict[str, int] = {}
        for index, assessment in enumerate(self.assessments):
            if assessment.id in by_id:
                yield (
                    ("assessments", index, "id"),
                    "assessment.duplicate_id",
                    "an id not used by another assessment",
                )
            by_id.setdefault(assessment.id, index)
        for index, assessment in enumerate(self.assessments):
            if assessment.purpose is not AssessmentPurpose.REVIEW or assessment.reviews is None:
                continue
            target = by_id.get(assessment.reviews)
            if target is None or target == index:
                yield (
                    ("assessments", index, "reviews"),
                    "review.unknown_assessment",
                    "the id of another assessment in this case",
                )
                continue
            review_day = _first_date(assessment)
            reviewed_day = _first_date(self.assessments[target])
            if review_day is not None and reviewed_day is not None and review_day < reviewed_day:
                yield (
                    ("assessments", index),
                    "review.before_reviewed",
                    f"a review dated on or after the assessment it reviews (assessments[{target}])",
                )
        seen_victims: set[str] = set()
        for index, victim in enumerate(self.victims):
            if victim.id in seen_victims:
                yield (
                    ("victims", index, "id"),
                    "victim.duplicate_id",
                    "an id not used by another victim",
                )
            seen_victims.add(victim.id)

    def _history_problems(self) -> Iterable[tuple[Loc, str, str]]:
        histories = {
            "tiers": [record.on for record in self.tiers],
            "roh": [record.on for record in self.roh],
        }
        for name, days in histories.items():
            seen: set[dt.date] = set()
            for index, day in enumerate(days):
                if day in seen:
                    code = "tier.duplicate_date" if name == "tiers" else "roh.duplicate_date"
                    yield (name, index, "on"), code, "one record per date"
                seen.add(day)

    def _event_order_problems(self) -> Iterable[tuple[Loc, str, str]]:
        transfer = self.transfer_in
        if transfer is not None:
            for field in ("first_appointment_on", "first_contact_on", "home_visit_on"):
                day = getattr(transfer, field)
                if day is not None and day < transfer.notified_on:
                    yield (
                        ("transfer_in", field),
                        "transfer.before_notification",
                        "a date on or after notified_on",
                    )
        for index, move in enumerate(self.custody_moves):
            if move.om_notified_on is not None and move.om_notified_on < move.on:
                yield (
                    ("custody_moves", index, "om_notified_on"),
                    "custody_move.notified_before_move",
                    "a date on or after the move",
                )

    def _personal_problems(self) -> Iterable[tuple[Loc, str, str]]:
        personal = self.personal
        born = personal.date_of_birth if personal is not None else None
        if born is not None and born > self.sentence.sentenced_on:
            yield (
                ("personal", "date_of_birth"),
                "birth.after_sentence",
                "a date of birth before the date of sentence",
            )

    # ------------------------------------------------------------ accessors

    def tier_on(self, day: dt.date) -> Tier | None:
        """The tier in force on ``day`` (the latest allocation on or before it)."""
        current = [rec for rec in self.tiers if rec.on <= day]
        return max(current, key=lambda rec: rec.on).tier if current else None

    def roh_on(self, day: dt.date) -> RohRecord | None:
        """The RoH classification in force on ``day``."""
        current = [rec for rec in self.roh if rec.on <= day]
        return max(current, key=lambda rec: rec.on) if current else None

    def roh_level_on(self, day: dt.date) -> RohLevel | None:
        """The RoH level in force on ``day``."""
        record = self.roh_on(day)
        return record.level if record else None

    def is_ppo_on(self, day: dt.date) -> bool:
        """Whether the offender was a PPO on ``day``."""
        return self.offender.is_ppo_on(day)

    @property
    def start_event(self) -> tuple[StartEvent, dt.date]:
        """What starts the clock for OASys timeliness: release for licence cases, else sentence.

        "following sentence or release on licence" (003:697-701).
        """
        if self.sentence.kind is SentenceKind.LICENCE and self.sentence.released_on is not None:
            return "release", self.sentence.released_on
        return "sentence", self.sentence.start_date

    def assessment(self, assessment_id: str) -> OasysAssessment | None:
        """The assessment with this id, if any."""
        return next((a for a in self.assessments if a.id == assessment_id), None)

    def as_at(self, day: dt.date) -> Case:
        """The record as it stood on ``day``: every dated fact after it dropped.

        ``day`` must be on or before the record's ``as_of`` and not before the
        sentence (:class:`~casework.model.timeline.NotBegunError`). See
        :mod:`casework.model.timeline` for what is kept and what is dropped.
        """
        from casework.model.timeline import case_as_at  # noqa: PLC0415

        return case_as_at(self, day)

    def in_community_on(self, day: dt.date) -> bool:
        """Whether the offender was under supervision in the community on ``day``."""
        kind = self.sentence.kind
        if kind is SentenceKind.CUSTODY:
            return False
        if kind is SentenceKind.LICENCE:
            released = self.sentence.released_on
            return released is not None and released <= day
        return self.sentence.start_date <= day


def _first_date(assessment: OasysAssessment) -> dt.date | None:
    """The date an assessment is known by: its completion, else its earliest part."""
    if assessment.completed_on is not None:
        return assessment.completed_on
    days = [day for _, day in dates_in(assessment)]
    return min(days) if days else None
