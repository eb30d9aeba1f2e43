"""The rule engine: rules declared as readable code, findings that explain themselves.

A :class:`Rule` asks one question of one case. Its body returns a
:class:`Verdict` (outcome, a plain sentence, the facts relied on); the engine
adds who and what it was about and returns a :class:`Finding`. Evaluation is a
pure function of (case, rule, as_of, calendar, parameters): nothing reads the
clock or any global, so the same cases give the same findings in any order,
one at a time, or split across processes.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import attrs

from casework._checked import checked_calendar, checked_day, each_case
from casework.calendar import Duration, WorkingCalendar
from casework.model.case import Case
from casework.rules.parameters import MissingParameterError, Parameter, ParameterSet

if TYPE_CHECKING:
    from casework.rules.ruleset import RuleSet

__all__ = [
    "EVERY_CASE",
    "IN_FORCE_BY",
    "IN_FORCE_READINGS",
    "OUT_OF_FORCE_DUE",
    "OUT_OF_FORCE_STARTED",
    "Basis",
    "Context",
    "Evidence",
    "Finding",
    "Findings",
    "MissingFactError",
    "Outcome",
    "Population",
    "Rule",
    "RuleDefinitionError",
    "RuleError",
    "RuleKind",
    "UnknownFindingError",
    "Verdict",
    "cannot_assess",
    "contradictory",
    "evaluate",
    "evaluate_case",
    "evidence_line",
    "finding_record",
    "in_force_day",
    "in_force_evidence",
    "iter_findings",
    "make_evidence",
    "met",
    "no_parameter",
    "not_applicable",
    "not_begun",
    "not_met",
    "not_yet_due",
    "out_of_force",
    "out_of_force_when",
    "out_of_scope",
    "out_of_scope_reason",
    "plain_value",
    "rule",
    "shown_source",
    "verdict_for",
]


class Outcome(enum.StrEnum):
    """What a finding says about a case."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    CANNOT_ASSESS = "cannot_assess"


class Basis(enum.StrEnum):
    """Why the outcome is what it is."""

    COMPUTED = "computed"
    """Met or not met, computed from the case's dates and facts."""
    JUDGED = "judged"
    """Met or not met, from an inspector's recorded answer."""
    DERIVED = "derived"
    """Met or not met, derived from other answers (a non-faithful approximation, flagged)."""
    OUT_OF_SCOPE = "out_of_scope"
    """Not applicable: the case is outside the question's population."""
    NOT_YET_DUE = "not_yet_due"
    """Not applicable: the deadline has not passed by ``as_of`` and the work is not yet done."""
    DESCRIPTIVE = "descriptive"
    """A count kept for context, not a judgement of sufficiency: never scored."""
    MISSING_DATA = "missing_data"
    """Cannot assess: a fact the rule needs is not recorded."""
    CONTRADICTORY = "contradictory"
    """Cannot assess: the facts recorded contradict each other."""
    NO_PARAMETER = "no_parameter"
    """Cannot assess: the sources give no value for a threshold and none was supplied."""
    UNANSWERED = "unanswered"
    """Cannot assess: an applicable judged question has no recorded answer."""


class RuleKind(enum.StrEnum):
    """What sort of check a rule is."""

    TIMELINESS = "timeliness"
    QUALITY = "quality"
    CONSISTENCY = "consistency"
    DESCRIPTIVE = "descriptive"
    OUTCOME = "outcome"
    SUMMARY = "summary"


EvidenceValue = dt.date | int | str | bool | Fraction | None


class Evidence(NamedTuple):
    """One fact a finding relied on: a date, a count, a threshold and where it comes from.

    A named tuple (``label``, ``value``, ``source``): immutable, hashable, and made in
    about two thirds of the time of a frozen attrs class, which matters when a chunk's
    findings are put in words by the million (docs/decisions.md, *evidence-named-tuple*).
    A copy with one field changed is ``evidence._replace(value=...)``."""

    label: str
    value: EvidenceValue
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {"label": self.label, "value": plain_value(self.value), "source": self.source}


#: ``Evidence(label, value, source)`` made from the triple ``(label, value, source)``
#: without the Python frame of a named tuple's constructor, in about half its time: for
#: the loops that make evidence by the million (a periodic check's intervals, every
#: deadline's items; docs/decisions.md#evidence-named-tuple).
make_evidence: Callable[[tuple[str, EvidenceValue, str | None]], Evidence] = functools.partial(
    tuple.__new__, Evidence
)


def plain_value(value: EvidenceValue) -> str | int | bool | None:
    """An evidence value as JSON holds it (a date as ISO text, a fraction as ``n/d``)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(value)
    return value


def evidence_line(evidence: Iterable[Evidence]) -> str:
    """Evidence as one line: ``label: value (source); ...`` (as the CSV and Parquet findings
    show it)."""
    return "; ".join(_evidence_part(item) for item in evidence)


def _evidence_part(item: Evidence) -> str:
    return f"{item.label}: {plain_value(item.value)}{shown_source(item.source)}"


def shown_source(source: str | None) -> str:
    """An evidence item's source as :func:`evidence_line` shows it after the value:
    `` (003:701)``, or nothing where it has none (the writers of text forms use it too)."""
    return f" ({source})" if source else ""


@attrs.frozen
class Verdict:
    """What a rule body returns: an outcome, its basis, one plain sentence, the facts.

    ``unit`` names the unit inside the case the verdict is about (a breach, a
    victim, a report) when the rule answers once per unit (:attr:`Rule.units`).
    """

    outcome: Outcome
    basis: Basis
    reason: str
    evidence: tuple[Evidence, ...] = ()
    unit: str | None = None
    trigger: dt.date | None = None
    """The date the clock started (sentence, release, the previous review), for deadlines."""
    trigger_label: str | None = None
    """The trigger in words: "sentence", "release", "the previous RoH review"."""
    due: dt.date | None = None
    """The date the thing was due by."""
    done: dt.date | None = None
    """When it was done, if it was (on or before as_of)."""
    late_by: int | None = None
    """How late it was done (or is, at as_of, if not done); ``None`` if on time or not due."""
    late_unit: str | None = None
    """The unit of ``late_by``: "working days" or "days"."""
    standard: str | None = None
    """The version of the standard applied ("2005", "2007"), where a rule set says."""

    def with_deadline(
        self,
        *,
        trigger: dt.date | None,
        trigger_label: str | None,
        due: dt.date | None,
        done: dt.date | None,
        late_by: int | None,
        late_unit: str | None,
    ) -> Verdict:
        """This verdict with these deadline fields (``attrs.evolve``'s result, made directly:
        deadlines are worded by the hundred thousand)."""
        return Verdict(
            self.outcome,
            self.basis,
            self.reason,
            self.evidence,
            unit=self.unit,
            trigger=trigger,
            trigger_label=trigger_label,
            due=due,
            done=done,
            late_by=late_by,
            late_unit=late_unit,
            standard=self.standard,
        )


def met(reason: str, *evidence: Evidence, basis: Basis = Basis.COMPUTED) -> Verdict:
    """The case meets the criterion."""
    return Verdict(Outcome.MET, basis, reason, evidence)


def not_met(reason: str, *evidence: Evidence, basis: Basis = Basis.COMPUTED) -> Verdict:
    """The case does not meet the criterion."""
    return Verdict(Outcome.NOT_MET, basis, reason, evidence)


def not_yet_due(reason: str, *evidence: Evidence) -> Verdict:
    """The deadline has not passed by ``as_of`` and the work is not done: not a failure."""
    return Verdict(Outcome.NOT_APPLICABLE, Basis.NOT_YET_DUE, reason, evidence)


def not_applicable(reason: str, *evidence: Evidence, basis: Basis = Basis.OUT_OF_SCOPE) -> Verdict:
    """The question does not apply to this case."""
    return Verdict(Outcome.NOT_APPLICABLE, basis, reason, evidence)


def cannot_assess(reason: str, *evidence: Evidence, basis: Basis = Basis.MISSING_DATA) -> Verdict:
    """A fact the rule needs is missing: distinct from not met."""
    return Verdict(Outcome.CANNOT_ASSESS, basis, reason, evidence)


def contradictory(reason: str, *evidence: Evidence) -> Verdict:
    """The recorded facts contradict each other."""
    return Verdict(Outcome.CANNOT_ASSESS, Basis.CONTRADICTORY, reason, evidence)


@attrs.frozen
class Context:
    """Everything a rule may read besides the case: the date, the calendar, the parameters."""

    as_of: dt.date
    calendar: WorkingCalendar
    parameters: ParameterSet
    ruleset: str = ""
    options: dict[str, Any] = attrs.field(factory=dict, hash=False)
    record_as_of: dt.date | None = None
    """The date the case record describes the case as at: facts after it are unknown."""
    by_clock: bool = False
    """Whether deadlines are held to their rules' in-force dates on the day the clock started
    (or fell due): the rule set enforces in-force dates (:attr:`RuleSet.by_clock`) and the
    reading in force (:attr:`in_force_by`) is ``"trigger"`` or ``"due"``."""
    in_force_by: str = "trigger"
    """Which day decides whether a rule is in force: the option ``in_force_by`` if given, else
    the rule set's own reading (:attr:`RuleSet.in_force_by`)."""
    by_assessment_date: bool = False
    """Whether rules are held to their in-force dates on the assessment date instead: the rule
    set enforces in-force dates and the reading is ``"as_of"``."""

    @classmethod
    def of(
        cls,
        ruleset: RuleSet,
        *,
        as_of: dt.date,
        calendar: WorkingCalendar,
        options: dict[str, Any] | None = None,
        record_as_of: dt.date | None = None,
    ) -> Context:
        """The context a rule set's rules are asked in (``TypeError`` for an ``as_of``
        that is not a date or a ``calendar`` that is not a :class:`WorkingCalendar`)."""
        as_of = checked_day(as_of)
        calendar = checked_calendar(calendar)
        chosen = dict(options or {})
        reading = chosen.get(IN_FORCE_BY, ruleset.in_force_by)
        if reading not in IN_FORCE_READINGS:
            raise ValueError(f"option {IN_FORCE_BY} must be one of {', '.join(IN_FORCE_READINGS)}")
        return cls(
            as_of=as_of,
            calendar=calendar,
            parameters=ruleset.parameters,
            ruleset=ruleset.name,
            options=chosen,
            record_as_of=record_as_of,
            by_clock=ruleset.by_clock and reading != "as_of",
            in_force_by=reading,
            by_assessment_date=ruleset.by_clock and reading == "as_of",
        )

    def param(self, name: str) -> Parameter:
        """The parameter in force for this rule set; raises if the sources give none."""
        return self.parameters.get(name)

    def limit(self, name: str) -> tuple[Duration, Parameter]:
        """A time-limit parameter as a :class:`~casework.calendar.Duration`."""
        parameter = self.param(name)
        return parameter.duration, parameter

    def option(self, name: str, default: Any = None) -> Any:
        """An evaluation option (a documented reading the user may change)."""
        return self.options.get(name, default)


CheckFn = Callable[[Case, Context], Verdict]
UnitsFn = Callable[[Case, Context], Sequence[Verdict]]
Predicate = Callable[[Case, Context], bool]


Detail = Callable[[Case, Context], Verdict | None]


@attrs.frozen
class Population:
    """Who a rule applies to: a description for people and a test for cases.

    Populations combine with ``&``, ``|`` and ``~`` and keep a readable description.
    ``detail``, where given, says what puts a case the test leaves out outside, as a
    :func:`not_applicable` verdict with the case's own dates and facts ("Supervision
    ended on 15 January 2008, before the review was due on 1 February 2008."); the
    finding gives it after the population's description. ``&`` keeps the detail of
    the part that left the case out.
    """

    description: str
    test: Predicate = attrs.field(eq=False, repr=False)
    detail: Detail | None = attrs.field(default=None, eq=False, repr=False)
    form: tuple[Any, ...] | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)
    """How the population is made, for an engine that decides it for many cases at once
    (``casework.columnar``): ``("and", a, b)``, ``("or", a, b)``, ``("not", a)``, or a
    family's own key and arguments (``("answered", "1.1.f", answers)``); ``None`` where
    only the test says. It never changes what the test answers."""
    missing: Callable[[Context], str] | None = attrs.field(
        default=None, eq=False, repr=False, kw_only=True
    )
    """The fact the test finds missing when it raises :class:`MissingFactError`: the
    error's message, from the context, the very function the test raises it with; for
    an engine that words many cases at once. ``None`` where the test does not say (or
    raises it with more than one message)."""

    def __call__(self, case: Case, ctx: Context) -> bool:
        return self.test(case, ctx)

    def outside(self, case: Case, ctx: Context) -> Verdict | None:
        """For a case the test leaves out: what puts it outside, if the population says."""
        return self.detail(case, ctx) if self.detail is not None else None

    def __and__(self, other: Population) -> Population:
        return Population(
            f"{self.description} and {other.description}",
            lambda case, ctx: self.test(case, ctx) and other.test(case, ctx),
            lambda case, ctx: (
                self.outside(case, ctx) if not self.test(case, ctx) else other.outside(case, ctx)
            ),
            form=("and", self, other),
        )

    def __or__(self, other: Population) -> Population:
        return Population(
            f"{self.description} or {other.description}",
            lambda case, ctx: self.test(case, ctx) or other.test(case, ctx),
            form=("or", self, other),
        )

    def __invert__(self) -> Population:
        return Population(
            f"not ({self.description})",
            lambda case, ctx: not self.test(case, ctx),
            form=("not", self),
        )

    def named(self, description: str) -> Population:
        """The same test (and detail) under a better description."""
        return Population(description, self.test, self.detail, form=self.form, missing=self.missing)


EVERY_CASE = Population("every case", lambda _case, _ctx: True)

_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?$")


class RuleDefinitionError(ValueError):
    """A rule or rule set declared wrongly (caught at import, not at evaluation)."""


class MissingFactError(LookupError):
    """Raised by a population or rule body when a fact it needs is not recorded.

    The engine turns it into a "cannot assess" finding carrying the message
    (:meth:`verdict`).
    """

    def verdict(self) -> Verdict:
        """The "cannot assess" verdict for the missing fact."""
        return cannot_assess(f"Cannot assess: {self}.")


class UnknownFindingError(KeyError):
    """Asked for a case or rule that has no finding: says which, and what there is.

    A ``LookupError``; also a ``KeyError``, for code written against older versions.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class RuleError(RuntimeError):
    """A rule raised while evaluating a case: a bug, reported with where it happened."""


def _check_sources(_instance: object, _attribute: object, value: tuple[str, ...]) -> None:
    if not value:
        raise RuleDefinitionError("a rule needs at least one source (seed-file:line)")
    for source in value:
        if not _SOURCE.match(source):
            raise RuleDefinitionError(
                f"source {source!r} is not 'seed:line' (three-digit seed number, e.g. '004:401')"
            )


def _to_sources(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class Rule:
    """One question asked of one case, with where it comes from and who it applies to."""

    id: str = attrs.field()
    question: str = attrs.field()
    source: tuple[str, ...] = attrs.field(converter=_to_sources, validator=_check_sources)
    kind: RuleKind = attrs.field(converter=RuleKind)
    check: CheckFn = attrs.field(eq=False, repr=False)
    applies_to: Population = EVERY_CASE
    roh: bool = False
    in_force_from: dt.date = dt.date(2005, 4, 1)
    in_force_to: dt.date | None = None
    parameters: tuple[str, ...] = ()
    criterion: str | None = None
    group: str | None = None
    notes: str = ""
    units: UnitsFn | None = attrs.field(default=None, eq=False, repr=False)
    """For rules that answer once per unit inside a case (each breach, each victim): one
    verdict per unit, each naming its unit. ``check`` then gives the case-level answer."""

    @id.validator
    def _valid_id(self, _attribute: object, value: str) -> None:
        if not _RULE_ID.match(value):
            raise RuleDefinitionError(f"rule id {value!r} must be letters, digits, '.', '_' or '-'")

    @question.validator
    def _valid_question(self, _attribute: object, value: str) -> None:
        if not value.strip():
            raise RuleDefinitionError(f"rule {self.id!r} needs a question")

    def __attrs_post_init__(self) -> None:
        if self.in_force_to is not None and self.in_force_to < self.in_force_from:
            raise RuleDefinitionError(
                f"rule {self.id!r} is in force to {self.in_force_to} before it is in force "
                f"from {self.in_force_from}"
            )

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the rule is in force on ``day``."""
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)


def rule(
    id: str,
    *,
    question: str,
    source: str | Iterable[str],
    kind: RuleKind | str,
    applies_to: Population = EVERY_CASE,
    roh: bool = False,
    in_force_from: dt.date = dt.date(2005, 4, 1),
    in_force_to: dt.date | None = None,
    parameters: Iterable[str] = (),
    criterion: str | None = None,
    group: str | None = None,
    notes: str = "",
) -> Callable[[CheckFn], Rule]:
    """Declare a rule: the decorated function is its body and the result is the :class:`Rule`.

    ::

        @rule(
            "NS.example",
            question="Was it done?",
            source="004:401",
            kind="timeliness",
            applies_to=EVERY_CASE,
        )
        def example(case, ctx):
            return met("Done on 1 October 2007.")
    """

    def wrap(check: CheckFn) -> Rule:
        return Rule(
            id=id,
            question=question,
            source=_to_sources(source),
            kind=RuleKind(kind),
            check=check,
            applies_to=applies_to,
            roh=roh,
            in_force_from=in_force_from,
            in_force_to=in_force_to,
            parameters=tuple(parameters),
            criterion=criterion,
            group=group,
            notes=notes,
        )

    return wrap


@attrs.frozen
class Finding:
    """One rule's answer for one case, explained."""

    case_ref: str
    rule_id: str
    question: str
    outcome: Outcome
    basis: Basis
    reason: str
    evidence: tuple[Evidence, ...]
    source: tuple[str, ...]
    kind: RuleKind
    roh: bool
    criterion: str | None
    ruleset: str
    ruleset_version: str
    as_of: dt.date
    unit: str | None = None
    """The unit inside the case (a breach, a victim) for rules that answer per unit."""
    group: str | None = None
    """The rule's group, for questions reported as parts of one compound indicator."""
    trigger: dt.date | None = None
    """Deadlines: the date the clock started (sentence, release, the previous review)."""
    trigger_label: str | None = None
    """Deadlines: the trigger in words ("sentence", "release", "the previous RoH review")."""
    due: dt.date | None = None
    """Deadlines: the date it was due by."""
    done: dt.date | None = None
    """Deadlines: when it was done, if it was."""
    late_by: int | None = None
    """Deadlines: how late (done late, or overdue at as_of); ``None`` when not late."""
    late_unit: str | None = None
    """Deadlines: the unit of ``late_by``, "working days" or "days"."""
    standard: str | None = None
    """The version of the standard applied ("2005", "2007"), set by the National Standards sets."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (stable field names, documented in docs/findings.md)."""
        return finding_record(
            case_ref=self.case_ref,
            rule_id=self.rule_id,
            question=self.question,
            outcome=self.outcome.value,
            basis=self.basis.value,
            reason=self.reason,
            evidence=self.evidence,
            source=self.source,
            kind=self.kind.value,
            roh=self.roh,
            criterion=self.criterion,
            ruleset=self.ruleset,
            ruleset_version=self.ruleset_version,
            as_of=self.as_of.isoformat(),
            unit=self.unit,
            group=self.group,
            trigger=_iso(self.trigger),
            trigger_label=self.trigger_label,
            due=_iso(self.due),
            done=_iso(self.done),
            late_by=self.late_by,
            late_unit=self.late_unit,
            standard=self.standard,
        )


def finding_record(
    *,
    case_ref: str,
    rule_id: str,
    question: str,
    outcome: str,
    basis: str,
    reason: str,
    evidence: Iterable[Evidence],
    source: Iterable[str],
    kind: str,
    roh: bool,
    criterion: str | None,
    ruleset: str,
    ruleset_version: str,
    as_of: str,
    unit: str | None,
    group: str | None,
    trigger: str | None,
    trigger_label: str | None,
    due: str | None,
    done: str | None,
    late_by: int | None,
    late_unit: str | None,
    standard: str | None,
) -> dict[str, Any]:
    """A finding's JSON record from its plain values (enums as their values, dates as ISO
    text): the one definition of its keys and their order (:meth:`Finding.to_dict`, and
    findings written from columns by :mod:`casework.stream`)."""
    return {
        "case_ref": case_ref,
        "rule_id": rule_id,
        "question": question,
        "outcome": outcome,
        "basis": basis,
        "reason": reason,
        "evidence": [item.to_dict() for item in evidence],
        "source": list(source),
        "kind": kind,
        "roh": roh,
        "criterion": criterion,
        "ruleset": ruleset,
        "ruleset_version": ruleset_version,
        "as_of": as_of,
        "unit": unit,
        "group": group,
        "trigger": trigger,
        "trigger_label": trigger_label,
        "due": due,
        "done": done,
        "late_by": late_by,
        "late_unit": late_unit,
        "standard": standard,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@attrs.frozen
class Findings(Sequence[Finding]):
    """Findings in case order, then rule order, with ways to slice them."""

    items: tuple[Finding, ...] = ()

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> Findings: ...
    def __getitem__(self, index: int | slice) -> Finding | Findings:
        if isinstance(index, slice):
            return Findings(self.items[index])
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def where(
        self,
        *,
        case_ref: str | None = None,
        rule_id: str | None = None,
        outcome: Outcome | str | None = None,
        criterion: str | None = None,
        roh: bool | None = None,
        unit: str | None = None,
        group: str | None = None,
        case: str | None = None,
        rule: str | None = None,
    ) -> Findings:
        """The findings matching every condition given.

        Each keyword is the :class:`Finding` field it matches (docs/vocabulary.md);
        ``case`` and ``rule`` are older aliases of ``case_ref`` and ``rule_id``. A case
        or rule with no finding at all here raises :class:`UnknownFindingError` (a
        ``LookupError``) rather than giving nothing.
        """
        wanted_case = _alias("case_ref", case_ref, "case", case)
        wanted_rule = _alias("rule_id", rule_id, "rule", rule)
        self._known(wanted_case, wanted_rule)
        wanted = Outcome(outcome) if outcome is not None else None
        return Findings(
            tuple(
                finding
                for finding in self.items
                if (wanted_case is None or finding.case_ref == wanted_case)
                and (wanted_rule is None or finding.rule_id == wanted_rule)
                and (wanted is None or finding.outcome is wanted)
                and (criterion is None or finding.criterion == criterion)
                and (roh is None or finding.roh == roh)
                and (unit is None or finding.unit == unit)
                and (group is None or finding.group == group)
            )
        )

    def get(
        self,
        case_ref: str | None = None,
        rule_id: str | None = None,
        *,
        case: str | None = None,
        rule: str | None = None,
    ) -> Finding:
        """The finding for one case and rule; :class:`UnknownFindingError` if there is none.

        A rule that answers per unit has several findings for one case: the first is
        returned (use :meth:`where` for all of them).
        """
        wanted_case = _alias("case_ref", case_ref, "case", case)
        wanted_rule = _alias("rule_id", rule_id, "rule", rule)
        if wanted_case is None or wanted_rule is None:
            raise TypeError("get() needs case_ref and rule_id")
        for finding in self.items:
            if finding.case_ref == wanted_case and finding.rule_id == wanted_rule:
                return finding
        self._known(wanted_case, wanted_rule)
        raise UnknownFindingError(f"no finding for rule {wanted_rule!r} on case {wanted_case!r}")

    def _known(self, case_ref: str | None, rule_id: str | None) -> None:
        if case_ref is not None and all(f.case_ref != case_ref for f in self.items):
            raise UnknownFindingError(
                f"no case {case_ref!r} among these findings ({_count_distinct(self.items)} cases)"
            )
        if rule_id is not None and all(f.rule_id != rule_id for f in self.items):
            rules = sorted({f.rule_id for f in self.items})
            shown = ", ".join(rules[:8]) + (", ..." if len(rules) > 8 else "")
            raise UnknownFindingError(
                f"no rule {rule_id!r} among these findings (rules: {shown or 'none'})"
            )

    def counts(self) -> Counter[Outcome]:
        """How many findings have each outcome."""
        return Counter(finding.outcome for finding in self.items)

    def to_records(self) -> list[dict[str, Any]]:
        """Every finding as a plain dict."""
        return [finding.to_dict() for finding in self.items]

    def _summary(self) -> str:
        counts = self.counts()
        cases = len({finding.case_ref for finding in self.items})
        rules = len({finding.rule_id for finding in self.items})
        outcomes = ", ".join(
            f"{counts[outcome]} {outcome.value.replace('_', ' ')}" for outcome in Outcome
        )
        return f"{len(self.items)} findings, {cases} cases, {rules} rules: {outcomes}"

    def __repr__(self) -> str:
        return f"<Findings: {self._summary()}>"

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: the counts, then the first findings."""
        from casework._display import html_summary, short  # noqa: PLC0415

        return html_summary(
            "Findings",
            (("Outcomes", self._summary()),),
            ("Case", "Rule", "Outcome", "Reason"),
            [
                (f.case_ref, f.rule_id, f.outcome.value, short(f.reason, 90))
                for f in self.items[:10]
            ],
            noun="findings",
            total=len(self.items),
        )

    def to_pandas(self) -> Any:
        """One row per finding (``casework.report.dataframe.findings_frame``); needs pandas."""
        from casework.report.dataframe import findings_frame  # noqa: PLC0415 (imports this)

        return findings_frame(self.items)

    def to_arrow(self) -> Any:
        """The findings as a ``pyarrow.Table`` with ``casework.stream.FINDINGS_SCHEMA``."""
        import pyarrow as pa  # noqa: PLC0415

        from casework.stream import findings_batch  # noqa: PLC0415 (imports this)

        return pa.Table.from_batches([findings_batch(self.items)])


def _alias(name: str, value: str | None, alias: str, old: str | None) -> str | None:
    if value is not None and old is not None and value != old:
        raise TypeError(f"give {name} or {alias}, not both")
    return value if value is not None else old


def _count_distinct(items: Iterable[Finding]) -> int:
    return len({finding.case_ref for finding in items})


def evaluate_case(
    case: Case,
    ruleset: RuleSet,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
) -> tuple[Finding, ...]:
    """Every rule of ``ruleset`` on one case, in rule order.

    A rule with :attr:`Rule.units` gives one finding per unit (in unit order);
    every other rule gives exactly one.

    Facts as known on ``as_of``: a record whose own ``as_of`` is later is
    evaluated as it stood on ``as_of`` (:meth:`Case.as_at`); every rule on a
    case sentenced after ``as_of`` is not applicable.
    """
    ctx = Context.of(
        ruleset, as_of=as_of, calendar=calendar, options=options, record_as_of=case.as_of
    )
    if as_of < case.sentence.sentenced_on:
        return tuple(_finding(case, rule, ctx, ruleset, _not_begun(case)) for rule in ruleset.rules)
    if as_of < case.as_of:
        case = case.as_at(as_of)
        ctx = attrs.evolve(ctx, record_as_of=as_of)
    return tuple(
        _finding(case, rule, ctx, ruleset, verdict)
        for rule in ruleset.rules
        for verdict in (
            (_not_yet_in_force(rule, ctx),)
            if ctx.by_assessment_date and ctx.as_of < rule.in_force_from
            else _verdicts(case, rule, ctx, in_force=ctx.by_clock)
        )
    )


def _not_yet_in_force(rule: Rule, ctx: Context) -> Verdict:
    """Read by the assessment date (``in_force_by="as_of"``), a rule that had not come into
    force by then answers nothing (docs/decisions.md#in-force-every-set)."""
    return Verdict(
        Outcome.NOT_APPLICABLE,
        Basis.OUT_OF_SCOPE,
        f"Not applicable: the rule came into force on {_long(rule.in_force_from)}, after the "
        f"assessment date ({_long(ctx.as_of)}).",
        (
            Evidence("assessment date", ctx.as_of),
            Evidence("rule in force from", rule.in_force_from),
        ),
    )


def _not_begun(case: Case) -> Verdict:
    return not_begun(case.sentence.sentenced_on)


def not_begun(sentenced_on: dt.date) -> Verdict:
    """Every rule's verdict on a case sentenced (``sentenced_on``) after the assessment date."""
    from casework.text import long_date  # noqa: PLC0415

    return not_applicable(
        f"Not applicable: the case was sentenced on {long_date(sentenced_on)}, "
        "after the assessment date.",
        Evidence("sentence", sentenced_on),
    )


def _finding(case: Case, rule: Rule, ctx: Context, ruleset: RuleSet, verdict: Verdict) -> Finding:
    return Finding(
        case_ref=case.reference,
        rule_id=rule.id,
        question=rule.question,
        outcome=verdict.outcome,
        basis=verdict.basis,
        reason=verdict.reason,
        evidence=verdict.evidence,
        source=rule.source,
        kind=rule.kind,
        roh=rule.roh,
        criterion=rule.criterion,
        ruleset=ruleset.name,
        ruleset_version=ruleset.version,
        as_of=ctx.as_of,
        unit=verdict.unit,
        group=rule.group,
        trigger=verdict.trigger,
        trigger_label=verdict.trigger_label,
        due=verdict.due,
        done=verdict.done,
        late_by=verdict.late_by,
        late_unit=verdict.late_unit,
        standard=verdict.standard,
    )


def verdict_for(case: Case, rule: Rule, ctx: Context) -> Verdict:
    """One case-level rule's verdict on one case: applicability first, then the body.

    A missing fact or parameter becomes "cannot assess"; any other exception is
    a bug and raises :class:`RuleError` naming the rule and the case. Rules that
    build on another rule (an inspection question computed by a National
    Standards rule) call this to reuse it whole: the reusing rule's own in-force
    dates apply, not those of the rule reused. A rule that answers per unit
    (:attr:`Rule.units`) has no single verdict for a case: ``RuleDefinitionError``.
    """
    if rule.units is not None:
        raise RuleDefinitionError(f"rule {rule.id} answers per unit, not once per case")
    (verdict,) = _verdicts(case, rule, ctx, in_force=False)
    return verdict


def _verdicts(
    case: Case, rule: Rule, ctx: Context, *, in_force: bool = True
) -> tuple[Verdict, ...]:
    try:
        if not rule.applies_to(case, ctx):
            return (out_of_scope(rule.applies_to, case, ctx),)
        if rule.units is None:
            verdict = rule.check(case, ctx)
            return (_in_force(rule, verdict, ctx) if in_force else verdict,)
        verdicts = tuple(rule.units(case, ctx))
    except MissingFactError as missing:
        return (missing.verdict(),)
    except MissingParameterError as missing:
        return (no_parameter(missing),)
    except Exception as exc:
        raise RuleError(
            f"rule {rule.id} raised {type(exc).__name__} on case {case.reference}: {exc}"
        ) from exc
    if not verdicts:
        raise RuleError(f"rule {rule.id} gave no verdict for case {case.reference}")
    if not in_force:
        return verdicts
    return tuple(_in_force(rule, verdict, ctx) for verdict in verdicts)


def out_of_scope(population: Population, case: Case, ctx: Context) -> Verdict:
    """The verdict on a case ``population`` leaves out: the one wording of "not applicable,
    outside the question's population" (with the population's own detail, if it gives one)."""
    detail = population.outside(case, ctx)
    if detail is None:
        return not_applicable(out_of_scope_reason(population.description))
    return not_applicable(
        out_of_scope_reason(population.description, detail.reason), *detail.evidence
    )


def out_of_scope_reason(description: str, detail: str | None = None) -> str:
    """The sentence of :func:`out_of_scope` from plain values: the population's description
    and, where it says what put the case outside, that sentence (the one definition, used
    for one case and, by ``casework.columnar``, for many)."""
    reason = f"Not applicable: the question applies to {description}."
    return reason if detail is None else f"{reason} {detail}"


def no_parameter(missing: MissingParameterError) -> Verdict:
    """The verdict of a rule that needs a parameter the sources give no value for."""
    return cannot_assess(
        f"Cannot assess: no value is set for {missing.name} "
        f"({missing.description}); the sources do not state one, so it must be supplied.",
        Evidence("parameter", missing.name),
        basis=Basis.NO_PARAMETER,
    )


#: The evaluation option that says which day of a deadline decides the standard it falls under.
IN_FORCE_BY = "in_force_by"
#: ``in_force_by`` values: the day the clock started (the default), the day it fell due, or
#: the assessment date (docs/decisions.md#in-force-every-set).
IN_FORCE_READINGS = ("trigger", "due", "as_of")


def in_force_day(verdict: Verdict, ctx: Context) -> dt.date | None:
    """The day that decides which standard a deadline falls under (``in_force_by``)."""
    if ctx.option(IN_FORCE_BY, ctx.in_force_by) == "due" and verdict.due is not None:
        return verdict.due
    return verdict.trigger


def _in_force(rule: Rule, verdict: Verdict, ctx: Context) -> Verdict:
    """A deadline whose clock started outside the rule's in-force dates is not applicable.

    No deadline is set under a standard not yet (or no longer) in force on the day its
    clock started (docs/decisions.md#standard-by-clock-start); with the option
    ``in_force_by="due"``, on the day it fell due instead.
    """
    day = in_force_day(verdict, ctx)
    if day is None or rule.in_force_on(day):
        return verdict
    return out_of_force(
        rule,
        day,
        trigger=verdict.trigger,
        trigger_label=verdict.trigger_label,
        unit=verdict.unit,
        unit_evidence=tuple(item for item in verdict.evidence if item.label == "unit"),
    )


def out_of_force(
    rule: Rule,
    day: dt.date,
    *,
    trigger: dt.date | None,
    trigger_label: str | None,
    unit: str | None = None,
    unit_evidence: tuple[Evidence, ...] = (),
) -> Verdict:
    """The verdict on a deadline whose day (``day``: the day its clock started, ``trigger``,
    or the day it fell due) is outside ``rule``'s in-force dates: the one wording of it."""
    label = trigger_label or "the trigger"
    if day != trigger:
        label = f"the deadline ({label})"
    template = OUT_OF_FORCE_STARTED if day == trigger else OUT_OF_FORCE_DUE
    return Verdict(
        Outcome.NOT_APPLICABLE,
        Basis.OUT_OF_SCOPE,
        template.format(label=label, day=_long(day), when=out_of_force_when(rule, day)),
        (Evidence(label, day), *in_force_evidence(rule), *unit_evidence),
        unit=unit,
        trigger=day,
        trigger_label=trigger_label,
    )


#: The sentences of :func:`out_of_force` (the one wording, for one finding and, by
#: ``casework.columnar``, for many): the clock started, or the deadline fell due, on ``day``.
OUT_OF_FORCE_STARTED = "Not applicable: the clock started with {label} on {day}, {when}."
OUT_OF_FORCE_DUE = "Not applicable: {label} fell due on {day}, {when}."


def out_of_force_when(rule: Rule, day: dt.date) -> str:
    """Why ``day`` is outside ``rule``'s in-force dates, in words (:func:`out_of_force`)."""
    if day < rule.in_force_from:
        return f"before the rule came into force on {_long(rule.in_force_from)}"
    return f"after the rule ceased to be in force on {_long(rule.in_force_to or day)}"


def in_force_evidence(rule: Rule) -> tuple[Evidence, Evidence]:
    """The in-force dates of ``rule`` as :func:`out_of_force` gives them in evidence."""
    return (
        Evidence("rule in force from", rule.in_force_from),
        Evidence("rule in force to", rule.in_force_to),
    )


def _long(day: dt.date) -> str:
    from casework.text import long_date  # noqa: PLC0415

    return long_date(day)


def iter_findings(
    cases: Case | Iterable[Case],
    ruleset: RuleSet | str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
) -> Iterator[Finding]:
    """Like :func:`evaluate` but yields findings one at a time (constant memory)."""
    chosen = checked_ruleset(ruleset)
    given = (cases,) if isinstance(cases, Case) else cases
    for case in each_case(given, "a casework.Case or an iterable of them"):
        yield from evaluate_case(case, chosen, as_of=as_of, calendar=calendar, options=options)


def checked_ruleset(ruleset: object) -> RuleSet:
    """A :class:`RuleSet`, or the one named (``KeyError`` for an unknown name); else
    ``TypeError``."""
    from casework.rules.registry import ruleset as named_ruleset  # noqa: PLC0415
    from casework.rules.ruleset import RuleSet  # noqa: PLC0415

    chosen = named_ruleset(ruleset) if isinstance(ruleset, str) else ruleset
    if not isinstance(chosen, RuleSet):
        raise TypeError(
            "ruleset must be a RuleSet or the name of one (such as "
            f"'national-standards-2007'), not {type(ruleset).__name__}"
        )
    return chosen


def evaluate(
    cases: Case | Iterable[Case],
    ruleset: RuleSet | str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
) -> Findings:
    """Evaluate every rule of a rule set on each case: one finding per case and rule.

    Args:
        cases: one case or any iterable of cases.
        ruleset: a :class:`RuleSet` or the name of one (``"national-standards-2007"``).
        as_of: the assessment date. Deadlines after it with the work undone are
            "not yet due", not failures.
        calendar: the working-day calendar.
        options: readings of ambiguous sources the rule set documents as options.
    """
    return Findings(
        tuple(iter_findings(cases, ruleset, as_of=as_of, calendar=calendar, options=options))
    )
