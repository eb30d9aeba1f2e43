"""Rules over whole columns: a chunk of cases as arrays, and kernels that answer for all of it.

The scalar engine (:mod:`casework.rules.engine`) asks each rule of each case in
turn and writes the sentence as it goes. Here a chunk of cases becomes columns
once (:class:`CaseColumns`: one row per case, one per OASys assessment, dates as
day numbers), and a rule with a *kernel* answers for every case of the chunk in a
few array operations, giving per case the outcome, the basis and the key dates
(trigger, due, done, lateness) as columns (:class:`RuleColumns`). Nothing is
written in words until asked: :meth:`RuleColumns.finding` builds one case's
:class:`~casework.rules.Finding` by running the scalar rule, so every sentence is
word for word the scalar engine's.

Kernels exist so far for the OASys timeliness rules behind national targets
N01-N03 (``NS07.oasys-ppo``, ``NS07.oasys-tier4``, ``NS07.oasys-tier1-3``) and their
2005 forms; :data:`KERNELS` lists them. Each kernel is the scalar rule's second
form: tests/test_columnar.py proves, over generated cases and the stored witness
cases, that the two agree on outcome, basis and dates for every case. Rules
without a kernel are answered by the scalar engine (:func:`rule_columns` does
that transparently), so any rule set can be evaluated this way.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from casework.calendar import Duration, TimeUnit, WorkingCalendar
from casework.model import AssessmentPurpose, Case, ReviewTrigger, Tier
from casework.rules.engine import (
    IN_FORCE_BY,
    Basis,
    CheckFn,
    Context,
    Finding,
    MissingFactError,
    Outcome,
    Rule,
    evaluate_case,
)
from casework.rules.oasys import FullAnalysisRule
from casework.rules.population import tier_at_start
from casework.rules.ruleset import RuleSet
from casework.rules.standards import oasys

__all__ = [
    "KERNELS",
    "NO_DAY",
    "CaseColumns",
    "OasysKernel",
    "RuleColumns",
    "rule_columns",
]

Days = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

#: ``RuleColumns.late_unit`` codes, as :attr:`Finding.late_unit` words them.
LATE_UNITS: tuple[str | None, ...] = (None, "working days", "days")
_LATE_CODE = {unit: code for code, unit in enumerate(LATE_UNITS)}

#: A missing day in a day-number column.
NO_DAY = np.iinfo(np.int64).min
_LATEST = np.iinfo(np.int64).max
_EPOCH = dt.date(1970, 1, 1).toordinal()

_OUTCOMES = tuple(Outcome)
_BASES = tuple(Basis)
_OUTCOME_CODE = {outcome: code for code, outcome in enumerate(_OUTCOMES)}
_BASIS_CODE = {basis: code for code, basis in enumerate(_BASES)}


def day_number(day: dt.date | None) -> int:
    """A date as a day number (days since 1970-01-01); :data:`NO_DAY` for ``None``."""
    return NO_DAY if day is None else day.toordinal() - _EPOCH


def from_day_number(number: int) -> dt.date | None:
    """The date of a day number; ``None`` for :data:`NO_DAY`."""
    return None if number == NO_DAY else dt.date.fromordinal(int(number) + _EPOCH)


def _days(values: Sequence[int]) -> Days:
    return np.asarray(values, dtype=np.int64)


_PURPOSES = tuple(AssessmentPurpose)
_PURPOSE_CODE = {purpose: code for code, purpose in enumerate(_PURPOSES)}
_FOR_RELEASE_TRIGGERS = frozenset({ReviewTrigger.RELEASE, ReviewTrigger.PRE_RELEASE})


@attrs.frozen
class CaseColumns:
    """A chunk of cases as columns: one row per case, one per OASys assessment.

    Built once per chunk (:meth:`from_cases`) and shared by every kernel, so the
    facts of a case are read once however many rules ask about it.
    """

    cases: tuple[Case, ...] = attrs.field(repr=False)
    references: tuple[str, ...] = attrs.field(repr=False)
    start: Days = attrs.field(repr=False)
    """Day number of the event that starts the clock: release for licences, else sentence."""
    released: Mask = attrs.field(repr=False)
    """Whether the clock starts at release (a licence case)."""
    ppo_at_start: Mask = attrs.field(repr=False)
    tier_at_start: npt.NDArray[np.int8] = attrs.field(repr=False)
    """Tier at the start (1-4), 0 when no tier is recorded."""
    record_as_of: Days = attrs.field(repr=False)
    sentenced: Days = attrs.field(repr=False)
    # One row per assessment:
    owner: npt.NDArray[np.intp] = attrs.field(repr=False)
    """The row of the case each assessment belongs to."""
    purpose: npt.NDArray[np.int8] = attrs.field(repr=False)
    for_release: Mask = attrs.field(repr=False)
    """Purpose ``release``, or a review triggered by release or pre-release."""
    latest: Days = attrs.field(repr=False)
    """The latest completion date of any part (:attr:`OasysAssessment.latest_date`)."""
    assessment: Days = attrs.field(repr=False)
    screening: Days = attrs.field(repr=False)
    screened_in: Mask = attrs.field(repr=False)
    """The screening (if completed) called for a full analysis."""
    full_analysis: Days = attrs.field(repr=False)
    """Completion of the full analysis, or the countersigned exemption standing in for it."""
    rmp: Days = attrs.field(repr=False)
    sentence_plan: Days = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.cases)

    @classmethod
    def from_cases(cls, cases: Sequence[Case]) -> CaseColumns:
        """Columns for a chunk of validated cases (one pass over each case)."""
        start, released, ppo, tier, record_as_of, sentenced = [], [], [], [], [], []
        owner, purpose, for_release, latest = [], [], [], []
        assessment, screening, screened_in, analysis, rmp, plan = [], [], [], [], [], []
        for row, case in enumerate(cases):
            kind, day = case.start_event
            start.append(day_number(day))
            released.append(kind == "release")
            ppo.append(case.is_ppo_on(day))
            found: Tier | None = tier_at_start(case)
            tier.append(0 if found is None else int(found))
            record_as_of.append(day_number(case.as_of))
            sentenced.append(day_number(case.sentence.sentenced_on))
            for item in case.assessments:
                owner.append(row)
                purpose.append(_PURPOSE_CODE[item.purpose])
                for_release.append(
                    item.purpose is AssessmentPurpose.RELEASE
                    or (
                        item.purpose is AssessmentPurpose.REVIEW
                        and item.trigger in _FOR_RELEASE_TRIGGERS
                    )
                )
                screen, full = item.screening, item.full_analysis
                risk_plan, sentence_plan = item.rmp, item.sentence_plan
                days = (
                    day_number(item.completed_on),
                    day_number(screen.completed_on if screen else None),
                    day_number(full.completed_on if full else None),
                    day_number(risk_plan.completed_on if risk_plan else None),
                    day_number(sentence_plan.completed_on if sentence_plan else None),
                )
                latest.append(max(days))  # NO_DAY is below every day: None when none
                assessment.append(days[0])
                screening.append(days[1])
                screened_in.append(
                    bool(screen and screen.completed_on and screen.full_analysis_required)
                )
                if full is not None and full.completed_on is None and full.exempted:
                    analysis.append(day_number(full.exemption_countersigned_on))
                else:
                    analysis.append(days[2])
                rmp.append(days[3])
                plan.append(days[4])
        return cls(
            cases=tuple(cases),
            references=tuple(case.reference for case in cases),
            start=_days(start),
            released=np.asarray(released, dtype=bool),
            ppo_at_start=np.asarray(ppo, dtype=bool),
            tier_at_start=np.asarray(tier, dtype=np.int8),
            record_as_of=_days(record_as_of),
            sentenced=_days(sentenced),
            owner=np.asarray(owner, dtype=np.intp),
            purpose=np.asarray(purpose, dtype=np.int8),
            for_release=np.asarray(for_release, dtype=bool),
            latest=_days(latest),
            assessment=_days(assessment),
            screening=_days(screening),
            screened_in=np.asarray(screened_in, dtype=bool),
            full_analysis=_days(analysis),
            rmp=_days(rmp),
            sentence_plan=_days(plan),
        )

    # ------------------------------------------------------------ OASys completion

    def candidates(self) -> Mask:
        """Assessments that count towards the start's OASys (``casework.rules.oasys``)."""
        start = self.start[self.owner]
        after_start = (self.latest != NO_DAY) & (self.latest >= start)
        by_release = self.for_release | after_start
        at_start = (self.purpose == _PURPOSE_CODE[AssessmentPurpose.PSR]) | (
            self.purpose == _PURPOSE_CODE[AssessmentPurpose.START]
        )
        by_sentence = at_start | (
            after_start & (self.purpose != _PURPOSE_CODE[AssessmentPurpose.TERMINATION])
        )
        chosen: Mask = np.where(self.released[self.owner], by_release, by_sentence)
        return chosen

    def earliest(self, part: Days, chosen: Mask) -> Days:
        """Per case: the earliest day of ``part`` among the chosen assessments, or NO_DAY."""
        out = np.full(len(self), _LATEST, dtype=np.int64)
        keep = chosen & (part != NO_DAY)
        np.minimum.at(out, self.owner[keep], part[keep])
        out[out == _LATEST] = NO_DAY
        return out

    def any_of(self, flag: Mask, chosen: Mask) -> Mask:
        """Per case: whether any chosen assessment has ``flag``."""
        out = np.zeros(len(self), dtype=bool)
        out[self.owner[chosen & flag]] = True
        return out


@attrs.frozen
class RuleColumns:
    """One rule's answers for a chunk of cases, as columns (one row per case).

    ``trigger``, ``due`` and ``done`` are day numbers (:data:`NO_DAY` where there is
    none); ``late_by`` counts in ``late_unit`` (codes of :data:`LATE_UNITS`), -1 and 0
    when not late.
    """

    rule: Rule
    columns: CaseColumns = attrs.field(repr=False)
    outcome: npt.NDArray[np.int8] = attrs.field(repr=False)
    basis: npt.NDArray[np.int8] = attrs.field(repr=False)
    trigger: Days = attrs.field(repr=False)
    due: Days = attrs.field(repr=False)
    done: Days = attrs.field(repr=False)
    late_by: Days = attrs.field(repr=False)
    late_unit: npt.NDArray[np.int8] = attrs.field(repr=False)
    context: Context = attrs.field(repr=False)
    ruleset: RuleSet = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.outcome)

    def outcomes(self) -> list[Outcome]:
        """The outcome of each case."""
        return [_OUTCOMES[code] for code in self.outcome]

    def bases(self) -> list[Basis]:
        """The basis of each case's outcome."""
        return [_BASES[code] for code in self.basis]

    def mask(self, outcome: Outcome, basis: Basis | None = None) -> Mask:
        """Cases with this outcome (and basis)."""
        chosen: Mask = self.outcome == _OUTCOME_CODE[outcome]
        if basis is not None:
            chosen &= self.basis == _BASIS_CODE[basis]
        return chosen

    def finding(self, row: int) -> Finding:
        """One case's finding, explained: the scalar rule's own, word for word."""
        only = self.ruleset.only([self.rule.id])
        (finding,) = evaluate_case(
            self.columns.cases[row],
            only,
            as_of=self.context.as_of,
            calendar=self.context.calendar,
            options=self.context.options,
        )
        return finding


Population = Literal["ppo", "not_ppo_tier4", "not_ppo_tier1to3"]


@attrs.frozen
class OasysKernel:
    """The OASys start-of-sentence timeliness rules (003:697-701, 001:441), on columns.

    The same reading as :func:`casework.rules.oasys.oasys_completion` and
    :func:`casework.rules.timing.deadline_check`: the required parts' earliest
    completion among the counting assessments, the last of them the completion;
    met when on or before the due date, not yet due when the due date has not
    passed by ``as_of`` and the work is not done, not met otherwise.
    """

    population: Population
    limit: str
    full_analysis: FullAnalysisRule

    def completion(self, columns: CaseColumns) -> tuple[Days, Mask]:
        """Per case: when the required parts were all complete, and whether any is missing."""
        n = len(columns)
        chosen = columns.candidates()
        parts = [
            columns.earliest(columns.assessment, chosen),
            columns.earliest(columns.screening, chosen),
            columns.earliest(columns.sentence_plan, chosen),
        ]
        if self.full_analysis == "always":
            needs_analysis = np.ones(n, dtype=bool)
        elif self.full_analysis == "never":
            needs_analysis = np.zeros(n, dtype=bool)
        else:
            needs_analysis = columns.any_of(columns.screened_in, chosen)
        analysis = columns.earliest(columns.full_analysis, chosen)
        missing = np.zeros(n, dtype=bool)
        for part in parts:
            missing |= part == NO_DAY
        missing |= needs_analysis & (analysis == NO_DAY)
        done = np.maximum.reduce(parts)
        done = np.where(needs_analysis, np.maximum(done, analysis), done)
        done = np.where(missing, NO_DAY, done)
        return done, missing

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        n = len(columns)
        outcome = np.full(n, _OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8)
        basis = np.full(n, _BASIS_CODE[Basis.OUT_OF_SCOPE], dtype=np.int8)
        tiers = columns.tier_at_start
        if self.population == "ppo":
            member = columns.ppo_at_start
            no_tier = np.zeros(n, dtype=bool)
        else:
            wanted = [4] if self.population == "not_ppo_tier4" else [1, 2, 3]
            no_tier = ~columns.ppo_at_start & (tiers == 0)
            member = ~columns.ppo_at_start & np.isin(tiers, wanted)
        outcome[no_tier] = _OUTCOME_CODE[Outcome.CANNOT_ASSESS]
        basis[no_tier] = _BASIS_CODE[Basis.MISSING_DATA]

        done, missing = self.completion(columns)

        duration: Duration = ctx.param(self.limit).duration
        due = (
            ctx.calendar.add_many(columns.start, duration).astype("datetime64[D]").astype(np.int64)
        )
        as_of = day_number(ctx.as_of)
        met = ~missing & (done <= due)
        pending = missing & (as_of <= due)
        # Due after the record's own as_of, nothing recorded: the record cannot say.
        beyond = missing & ~pending & (columns.record_as_of < due) & (due < as_of)
        answer = np.full(n, _OUTCOME_CODE[Outcome.NOT_MET], dtype=np.int8)
        answer[met] = _OUTCOME_CODE[Outcome.MET]
        answer[pending] = _OUTCOME_CODE[Outcome.NOT_APPLICABLE]
        answer[beyond] = _OUTCOME_CODE[Outcome.CANNOT_ASSESS]
        why = np.full(n, _BASIS_CODE[Basis.COMPUTED], dtype=np.int8)
        why[pending] = _BASIS_CODE[Basis.NOT_YET_DUE]
        why[beyond] = _BASIS_CODE[Basis.MISSING_DATA]
        outcome[member] = answer[member]
        basis[member] = why[member]
        known = np.minimum(as_of, columns.record_as_of)
        late_at = np.where(missing, known, done)
        late = member & ~met & ~pending & ~beyond
        late_by = np.full(n, -1, dtype=np.int64)
        late_unit = np.zeros(n, dtype=np.int8)
        if late.any():
            counted, in_days = _lateness(ctx.calendar, due[late], late_at[late], duration.unit)
            late_by[late] = counted
            late_unit[late] = np.where(in_days, _LATE_CODE["days"], _LATE_CODE["working days"])
        return {
            "outcome": outcome,
            "basis": basis,
            "trigger": np.where(member, columns.start, NO_DAY),
            "due": np.where(member, due, NO_DAY),
            "done": np.where(member, done, NO_DAY),
            "late_by": late_by,
            "late_unit": late_unit,
        }


def _lateness(
    calendar: WorkingCalendar, due: Days, done: Days, unit: TimeUnit
) -> tuple[Days, Mask]:
    """:func:`casework.rules.timing.lateness` for columns: the count, and whether it is in
    calendar days (a calendar-day limit, or late on a weekend or holiday straight after a
    working-day due date, when no working day has passed)."""
    calendar_days = done - due
    if unit is not TimeUnit.WORKING_DAYS:
        return calendar_days, np.ones(len(due), dtype=bool)
    working = calendar.working_days_between_many(due, done)
    in_days: Mask = working <= 0
    return np.where(in_days, calendar_days, working), in_days


#: Rule ids with a columnar kernel, and the kernel.
KERNELS: dict[str, Callable[[CaseColumns, Context], dict[str, Any]]] = {
    "NS07.oasys-ppo": OasysKernel("ppo", "oasys_ppo_limit", "if_screened_in"),
    "NS05.oasys-ppo": OasysKernel("ppo", "oasys_ppo_limit", "if_screened_in"),
    "NS07.oasys-tier4": OasysKernel("not_ppo_tier4", "oasys_tier4_limit", "always"),
    "NS07.oasys-tier1-3": OasysKernel("not_ppo_tier1to3", "oasys_tier1to3_limit", "if_screened_in"),
}


def _kernel_for(rule: Rule) -> Callable[[CaseColumns, Context], dict[str, Any]] | None:
    """The kernel of ``rule``, if it is the very rule the kernel was written for.

    A rule with the same id but another body (an overlay's replacement, or the
    across-the-change set's wrapper, which reads each standard's own parameters) is
    answered case by case.
    """
    kernel = KERNELS.get(rule.id)
    if kernel is None or _kernel_bodies().get(rule.id) is not rule.check:
        return None
    return kernel


@functools.cache
def _kernel_bodies() -> dict[str, CheckFn]:
    """The bodies of the rules the kernels were written for, by rule id (read once)."""
    return {
        item.id: item.check
        for item in vars(oasys).values()
        if isinstance(item, Rule) and item.id in KERNELS
    }


def rule_columns(
    columns: CaseColumns,
    ruleset: RuleSet,
    rule_id: str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
) -> RuleColumns:
    """One rule's answers for a chunk: by its kernel where it has one, else case by case.

    Rules that answer per unit (a breach, a victim) have no columnar form yet:
    ``ValueError``.
    """
    rule = ruleset.rule(rule_id)
    if rule.units is not None:
        raise ValueError(f"rule {rule_id} answers per unit; it has no columnar form yet")
    ctx = Context.of(ruleset, as_of=as_of, calendar=calendar, options=options)
    kernel = _kernel_for(rule)
    if kernel is not None:
        try:
            answered = kernel(columns, ctx)
        except MissingFactError:  # pragma: no cover - kernels read no optional fact
            answered = None
        if answered is not None:
            result = RuleColumns(
                rule=rule, columns=columns, context=ctx, ruleset=ruleset, **answered
            )
            special = np.flatnonzero(_special_rows(columns, rule, result, ctx))
            return _patched(result, special) if special.size else result
    return _scalar_columns(columns, ruleset, rule, ctx)


def _scalar_columns(
    columns: CaseColumns, ruleset: RuleSet, rule: Rule, ctx: Context
) -> RuleColumns:
    only = ruleset.only([rule.id])
    findings = [
        finding
        for case in columns.cases
        for finding in evaluate_case(
            case, only, as_of=ctx.as_of, calendar=ctx.calendar, options=ctx.options
        )
    ]
    return RuleColumns(
        rule=rule, columns=columns, context=ctx, ruleset=ruleset, **_from_findings(findings)
    )


def _from_findings(findings: Sequence[Finding]) -> dict[str, Any]:
    """The columns of findings made case by case (one per case)."""
    return {
        "outcome": np.asarray([_OUTCOME_CODE[f.outcome] for f in findings], dtype=np.int8),
        "basis": np.asarray([_BASIS_CODE[f.basis] for f in findings], dtype=np.int8),
        "trigger": _days([day_number(f.trigger) for f in findings]),
        "due": _days([day_number(f.due) for f in findings]),
        "done": _days([day_number(f.done) for f in findings]),
        "late_by": _days([-1 if f.late_by is None else f.late_by for f in findings]),
        "late_unit": np.asarray([_LATE_CODE[f.late_unit] for f in findings], dtype=np.int8),
    }


def _special_rows(columns: CaseColumns, rule: Rule, answered: RuleColumns, ctx: Context) -> Mask:
    """Cases a kernel leaves to the scalar rule: a record read as it stood earlier
    (``Case.as_at``), a case sentenced after ``as_of``, and, where the rule set holds
    deadlines to their rules' in-force dates, a clock outside them."""
    as_of = day_number(ctx.as_of)
    special: Mask = (as_of < columns.record_as_of) | (as_of < columns.sentenced)
    if ctx.by_assessment_date and ctx.as_of < rule.in_force_from:
        special |= True  # not yet in force on the assessment date: the scalar rule says so
    if ctx.by_clock:
        by_due = ctx.option(IN_FORCE_BY, "trigger") == "due"
        day = answered.due if by_due else answered.trigger
        first = day_number(rule.in_force_from)
        last = day_number(rule.in_force_to) if rule.in_force_to is not None else _LATEST
        special |= (day != NO_DAY) & ((day < first) | (day > last))
    return special


def _patched(answered: RuleColumns, rows: npt.NDArray[np.intp]) -> RuleColumns:
    """``answered`` with these rows answered by the scalar rule."""
    fixed = _from_findings([answered.finding(int(row)) for row in rows])
    changes = {}
    for name, values in fixed.items():
        column = getattr(answered, name).copy()
        column[rows] = values
        changes[name] = column
    return attrs.evolve(answered, **changes)
