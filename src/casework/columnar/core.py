"""Rules over whole columns: kernels, their answers as columns, a whole rule set at once.

A *kernel* answers one rule for a whole chunk (:class:`~casework.columnar.columns.CaseColumns`)
in a few array operations, giving per answer the outcome, the basis and the key dates
(trigger, due, done, lateness) as columns (:class:`RuleColumns`). A rule answers once
per case, or, with :attr:`Rule.units`, once per unit (a breach, a victim): ``row``
says which case each answer belongs to. Nothing is written in words until asked:
:meth:`RuleColumns.finding` builds one answer's :class:`~casework.rules.Finding` by
running the scalar rule, so every sentence is word for word the scalar engine's.

Each kernel is registered (:func:`register`) against the very :class:`Rule` it is
the second form of, and is used only for that rule's body: a rule with the same id
but another body (an overlay's replacement, the across-the-change set's wrapper) is
answered case by case. tests/columnar/ proves, over generated cases and the stored
witness cases, that kernel and scalar rule agree on outcome, basis and dates for
every case of every shipped rule set (:func:`evaluate_columns` against
:func:`casework.rules.evaluate`).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from casework._checked import checked_calendar, checked_day, each_case
from casework.calendar import Duration, TimeUnit, WorkingCalendar
from casework.columnar.asat import columns_as_at
from casework.columnar.columns import (
    LATEST,
    NO_DAY,
    CaseColumns,
    Days,
    Mask,
    day_isos,
    day_number,
    day_words,
    days,
    from_day_number,
    from_day_numbers,
    unique_days,
)
from casework.model import Case
from casework.rules.engine import (
    EVERY_CASE,
    IN_FORCE_BY,
    OUT_OF_FORCE_STARTED,
    Basis,
    CheckFn,
    Context,
    Evidence,
    Finding,
    MissingFactError,
    Outcome,
    Population,
    Predicate,
    Rule,
    Verdict,
    checked_ruleset,
    evaluate_case,
    evidence_line,
    in_force_evidence,
    no_parameter,
    not_begun,
    out_of_force_when,
    out_of_scope_reason,
    shown_source,
)
from casework.rules.parameters import MissingParameterError
from casework.rules.ruleset import RuleSet
from casework.rules.timing import (
    DEADLINE_SENTENCES,
    DEADLINE_TERMS,
    DeadlineLabels,
    deadline_evidence,
    deadline_limit_evidence,
    deadline_words,
    late_words,
    record_ends_words,
)
from casework.text import long_date

__all__ = [
    "KERNELS",
    "LATE_UNITS",
    "MANY",
    "PROVIDERS",
    "TEXT_MANY",
    "TEXT_ONLY",
    "UNIT_WORDINGS",
    "Answer",
    "Answers",
    "Explained",
    "ExplainedText",
    "FindingColumns",
    "FindingTable",
    "Kernel",
    "RuleColumns",
    "Wording",
    "WordsAsText",
    "add_duration",
    "asked_case",
    "deadline",
    "deadline_said",
    "deadline_said_many",
    "deadline_wording",
    "evaluate_columns",
    "kernel_for",
    "late_codes",
    "lateness",
    "outside_words",
    "population",
    "population_codes",
    "register",
    "register_details",
    "register_many",
    "register_text_many",
    "register_unit_words",
    "rule_columns",
    "special_rows",
    "verdict_said",
]

#: ``RuleColumns.late_unit`` codes, as :attr:`Finding.late_unit` words them.
LATE_UNITS: tuple[str | None, ...] = (None, "working days", "days")
LATE_CODE = {unit: code for code, unit in enumerate(LATE_UNITS)}

OUTCOMES = tuple(Outcome)
BASES = tuple(Basis)
OUTCOME_CODE = {outcome: code for code, outcome in enumerate(OUTCOMES)}
BASIS_CODE = {basis: code for code, basis in enumerate(BASES)}

Kernel = Callable[[CaseColumns, Context], dict[str, Any]]
"""A kernel: the chunk and the context in; columns ``outcome``, ``basis`` (codes of
:data:`OUTCOMES` / :data:`BASES`), ``trigger``, ``due``, ``done`` (day numbers),
``late_by`` (-1 when not late) and ``late_unit`` (codes of :data:`LATE_UNITS`) out;
for a rule that answers per unit also ``row`` (the case row of each answer, in
ascending order, units in the scalar rule's order within a case) and ``unit`` (each
answer's unit label); optionally ``special``, one flag per case, for cases the
kernel leaves to the scalar rule; optionally ``wording``, a :class:`Wording` that
puts its answers in words from plain values (else they are explained by asking the
scalar rule again). The core holds every kernel's answers to its rule's in-force
dates, on its columns, as the engine does."""

#: Rule ids with a columnar kernel, and the kernel (:func:`register`).
KERNELS: dict[str, Kernel] = {}
_BODIES: dict[str, CheckFn] = {}


def register(rule: Rule, kernel: Kernel) -> None:
    """Make ``kernel`` the columnar form of ``rule`` (for that body only)."""
    if rule.id in KERNELS:
        raise ValueError(f"rule {rule.id} already has a kernel")
    KERNELS[rule.id] = kernel
    _BODIES[rule.id] = rule.check


Provider = Callable[[Rule], Kernel | None]
"""Gives the kernel of a whole family of rules, recognised by their body (the judged
OMI questions: one kernel reading the answers table), or ``None``."""

#: Kernel providers, asked in turn for a rule that has no kernel of its own.
PROVIDERS: list[Provider] = []


def kernel_for(rule: Rule) -> Kernel | None:
    """The kernel of ``rule``, if it is the very rule the kernel was written for."""
    from casework.columnar._kernels import providers  # noqa: PLC0415  (registers kernels)

    kernel = KERNELS.get(rule.id)
    if kernel is not None:
        return kernel if _BODIES.get(rule.id) is rule.check else None
    providers()
    for provider in PROVIDERS:
        kernel = provider(rule)
        if kernel is not None:
            return kernel
    return None


def _contexts(columns: CaseColumns, ctx: Context) -> dict[dt.date | None, Context]:
    """The contexts made from ``ctx`` for this chunk, by the record's ``as_of`` (few)."""
    key = ("contexts", id(ctx))
    found = columns.memo.get(key)
    if found is None:
        found = columns.memo[key] = ({}, ctx)  # keeps the id alive
    made: dict[dt.date | None, Context] = found[0]
    return made


def case_context(columns: CaseColumns, ctx: Context, row: int) -> Context:
    """The context the scalar engine asks its rules of case ``row`` in (the record's own
    ``as_of`` known), made on first use and kept for the chunk and context."""
    made = _contexts(columns, ctx)
    day = from_day_number(int(columns.record_as_of[row]))  # the case's own, without building it
    own = made.get(day)
    if own is None:
        own = made[day] = attrs.evolve(ctx, record_as_of=day)
    return own


def asked_case(columns: CaseColumns, row: int, as_of: dt.date) -> Case:
    """Case ``row`` as :func:`~casework.rules.engine.evaluate_case` evaluates it on
    ``as_of``: a record whose own ``as_of`` is later as it stood that day
    (:meth:`Case.as_at`), pruned once per chunk, day and row, however many rules ask;
    any other case as it is. Evaluating the pruned case on ``as_of`` gives the very
    findings the record itself gives (the engine evaluates the pruned case)."""
    case = columns.cases[row]
    if not (case.sentence.sentenced_on <= as_of < case.as_of):
        return case
    key = ("core.as_at", as_of)
    found: dict[int, Case] | None = columns.memo.get(key)
    if found is None:
        found = columns.memo[key] = {}
    pruned = found.get(row)
    if pruned is None:
        pruned = found[row] = case.as_at(as_of)
    return pruned


#: Per case, what a population test answers (:func:`population_codes`): no, yes, a fact
#: missing (``MissingFactError``), a parameter with no value (``MissingParameterError``),
#: or anything else raised (left to the scalar rule, which reports it).
NO, YES, NO_FACT, NO_PARAMETER, RAISED = 0, 1, 2, 3, 4

Codes = npt.NDArray[np.int8]
PopulationColumns = Callable[[CaseColumns, Context], Codes]
"""The columnar form of one population: its codes (:data:`YES`, :data:`NO`, ...) per case."""
FormColumns = Callable[..., Codes]
"""The columnar form of a family of populations: called with the chunk, the context, the
arguments of the population's :attr:`~casework.rules.engine.Population.form` and
``where=`` (the cases it must be exact on, ``None`` for all)."""

#: Columnar forms of particular populations, by their test (kept by ``named``).
POPULATION_TESTS: dict[Predicate, PopulationColumns] = {}
#: Columnar forms of families of populations, by the key of their ``form``.
POPULATION_FORMS: dict[str, FormColumns] = {}


def population_codes(
    columns: CaseColumns, test: Population, ctx: Context, where: Mask | None = None
) -> Codes:
    """Per case, what the population ``test`` answers with the context the scalar engine
    gives it: :data:`YES`, :data:`NO`, :data:`NO_FACT`, :data:`NO_PARAMETER` or
    :data:`RAISED`; exact on the cases of ``where`` (every case when ``None``), anything
    elsewhere.

    Decided on columns where the population has a columnar form (:data:`POPULATION_TESTS`,
    :data:`POPULATION_FORMS`) or is made of populations that have (``&``, ``|``, ``~``:
    the second part asked only of the cases the first leaves open, as the test does);
    else asked of each case of ``where``. Kept for the chunk and context, and shared by
    every rule with the same test.
    """
    if test.test is EVERY_CASE.test:
        return np.full(len(columns), YES, dtype=np.int8)
    key = ("population", id(test.test), id(ctx))
    found = columns.memo.get(key)
    if found is not None:
        known: Mask | None = found[1]
        if known is None or (where is not None and not (where & ~known).any()):
            codes: Codes = found[0]
            return codes
    codes, known = _population_codes(columns, test, ctx, where, found)
    columns.memo[key] = (codes, known, test, ctx)  # keeps the ids alive
    return codes


def _population_codes(
    columns: CaseColumns, test: Population, ctx: Context, where: Mask | None, found: Any
) -> tuple[Codes, Mask | None]:
    own = POPULATION_TESTS.get(test.test)
    if own is not None:
        return own(columns, ctx), None
    form = test.form
    if form is not None:
        kind = form[0]
        if kind in ("and", "or"):  # the second asked where the first says yes (and) / no (or)
            first = population_codes(columns, form[1], ctx, where)
            open_ = first == (YES if kind == "and" else NO)
            if where is not None:
                open_ &= where
            second = population_codes(columns, form[2], ctx, open_)
            return np.where(open_, second, first).astype(np.int8), where
        if kind == "not":
            inner = population_codes(columns, form[1], ctx, where)
            return np.where(inner <= YES, YES - inner, inner).astype(np.int8), where
        family = POPULATION_FORMS.get(kind)
        if family is not None:
            return family(columns, ctx, *form[1:], where=where), where
    n = len(columns)
    wanted = np.ones(n, dtype=bool) if where is None else where
    by_kernels = _by_population_kernels(columns, test, ctx, wanted)
    if by_kernels is not None:
        return by_kernels, where
    # Asked of each case: only of those wanted and not asked before.
    if found is None:
        codes = np.zeros(n, dtype=np.int8)
        known = np.zeros(n, dtype=bool)
    else:
        codes, known = found[0].copy(), found[1].copy()
    _ask(columns, test, ctx, np.flatnonzero(wanted & ~known), codes)
    known |= wanted
    return codes, None if known.all() else known


def _ask(
    columns: CaseColumns, test: Population, ctx: Context, rows: npt.NDArray[np.intp], codes: Codes
) -> None:
    """The codes of ``test`` for these cases, asked of each (the scalar test itself)."""
    cases, contexts = columns.cases, _contexts(columns, ctx)
    for row in rows.tolist():
        case = cases[row]
        own_ctx = contexts.get(case.as_of)
        if own_ctx is None:
            own_ctx = case_context(columns, ctx, row)
        try:
            codes[row] = YES if test(case, own_ctx) else NO
        except MissingFactError:
            codes[row] = NO_FACT
        except MissingParameterError:
            codes[row] = NO_PARAMETER
        except Exception:  # the scalar rule reports it, named
            codes[row] = RAISED


def _by_population_kernels(
    columns: CaseColumns, test: Population, ctx: Context, wanted: Mask
) -> Codes | None:
    """The codes of ``test`` from the National Standards and targets population kernels
    (:mod:`casework.columnar.populations`) when the chunk's raw tables are at hand. The
    kernels say which of a fact or a parameter a case lacks (:data:`NO_FACT`,
    :data:`NO_PARAMETER`); the cases where a kernel cannot say which are asked of the
    test itself. ``None`` when the kernels cannot answer."""
    from casework.columnar import populations  # noqa: PLC0415  (it imports this module)

    if not populations.raw_at_hand(columns) or not populations.answers(test):
        return None
    try:
        applies, lacks = populations.masks(columns, test, ctx, wanted)
    except Exception:  # a part asked case by case raised: ask each case, as below
        return None
    codes: Codes = np.where(applies, YES, NO).astype(np.int8)
    codes = np.where((lacks == NO_FACT) | (lacks == NO_PARAMETER), lacks, codes).astype(np.int8)
    _ask(columns, test, ctx, np.flatnonzero((lacks == populations.ASK_TEST) & wanted), codes)
    return codes


def population(columns: CaseColumns, rule: Rule, ctx: Context) -> tuple[Mask, Mask]:
    """Per case: whether ``rule`` applies (its :attr:`Rule.applies_to`), and whether the
    test could not say (a fact missing, a parameter with no value, anything else raised:
    the scalar engine answers those cases). See :func:`population_codes`."""
    codes = population_codes(columns, rule.applies_to, ctx)
    applies: Mask = codes == YES
    missing: Mask = codes >= NO_FACT
    return applies, missing


@attrs.frozen
class Answer:
    """One answer of a kernel as plain values, as a :class:`Wording` is given it."""

    outcome: Outcome
    basis: Basis
    trigger: dt.date | None
    due: dt.date | None
    done: dt.date | None
    late_by: int | None
    late_unit: str | None
    as_of: dt.date
    """The evaluation's as_of."""
    record_as_of: dt.date | None
    """The date the case record describes the case as at."""

    @classmethod
    def of_unit(cls, parts: Mapping[str, Any], u: int, whole: Answer) -> Answer:
        """The ``u``-th row of a units table of answer columns (``outcome``, ``basis``,
        ``trigger``, ``due``, ``done``, ``late_by``, ``late_unit``), as an answer of the
        case ``whole`` answers for (its as_of and record date)."""
        late_by = int(parts["late_by"][u])
        return cls(
            outcome=OUTCOMES[parts["outcome"][u]],
            basis=BASES[parts["basis"][u]],
            trigger=from_day_number(int(parts["trigger"][u])),
            due=from_day_number(int(parts["due"][u])),
            done=from_day_number(int(parts["done"][u])),
            late_by=None if late_by < 0 else late_by,
            late_unit=LATE_UNITS[parts["late_unit"][u]],
            as_of=whole.as_of,
            record_as_of=whole.record_as_of,
        )


Explained = tuple[str, tuple[Evidence, ...], str | None]
"""An answer in words: ``(reason, evidence, trigger_label)``."""

WordsFn = Callable[..., Explained | None]


@attrs.frozen
class Answers:
    """Many answers of a kernel as columns, as a :class:`Wording`'s bulk form
    (:func:`register_many`) is given them: the codes and day numbers of
    :class:`RuleColumns`, ``record_as_of`` per answer."""

    outcome: npt.NDArray[np.int8]
    basis: npt.NDArray[np.int8]
    trigger: Days
    due: Days
    done: Days
    late_by: Days
    late_unit: npt.NDArray[np.int8]
    as_of: dt.date
    """The evaluation's as_of."""
    record_as_of: Days
    """The day each answer's case record describes the case as at."""

    def __len__(self) -> int:
        return len(self.outcome)

    def answer(self, k: int) -> Answer:
        """The ``k``-th answer as plain values (:class:`Answer`)."""
        late_by = int(self.late_by[k])
        return Answer(
            outcome=OUTCOMES[self.outcome[k]],
            basis=BASES[self.basis[k]],
            trigger=from_day_number(self.trigger[k]),
            due=from_day_number(self.due[k]),
            done=from_day_number(self.done[k]),
            late_by=None if late_by < 0 else late_by,
            late_unit=LATE_UNITS[self.late_unit[k]],
            as_of=self.as_of,
            record_as_of=from_day_number(self.record_as_of[k]),
        )


ManyFn = Callable[..., list[Explained | None]]
"""A wording's bulk form: given :class:`Answers` and, per name, a value for each answer
(constants once), each answer in words or ``None``: equal to the per-answer form's."""

#: Bulk forms of per-answer wording functions (:func:`register_many`), by that function.
MANY: dict[WordsFn, ManyFn] = {}


def register_many(words: WordsFn, many: ManyFn) -> None:
    """Make ``many`` the bulk form of the per-answer wording function ``words``: a
    :class:`Wording` whose ``words`` is that very function is worded a column at a time.
    A wording function with no bulk form is asked answer by answer."""
    MANY[words] = many


ExplainedText = tuple[str, str, str | None]
"""An answer in words for a writer of text: ``(reason, evidence line, trigger_label)``, the
evidence line :func:`~casework.rules.engine.evidence_line` of the answer's evidence."""

TextManyFn = Callable[..., list[ExplainedText | None]]
"""A wording's bulk form for writers of text (:data:`TEXT_MANY`): as :data:`ManyFn`, but
each answer's evidence as its line of text, not as :class:`Evidence` items."""

TEXT_MANY: dict[WordsFn, TextManyFn] = {}


def register_text_many(words: WordsFn, many: TextManyFn) -> None:
    """Make ``many`` the bulk form of ``words`` for writers of text (CSV, Parquet:
    :meth:`FindingColumns.explain` with ``text=True``): each answer's reason and trigger
    label as ``words`` gives them, its evidence as :func:`~casework.rules.engine.evidence_line`
    of the items ``words`` gives, made without the items. Where both are registered, the
    text form is used for text and :data:`MANY`'s form otherwise
    (tests/columnar/test_bulk_wording.py holds each text form to ``words``)."""
    TEXT_MANY[words] = many


WordsAsText = tuple[
    list[str], list[tuple[Evidence, ...]], list[str | None], list[str | None], list[str | None]
]
"""A rule's answers in words for a writer of text (:meth:`RuleColumns.explained_as_text`):
reasons, evidence, trigger labels, standards, and evidence lines (``None`` where the
evidence is in its items)."""

UnitWords = Callable[["RuleColumns", npt.NDArray[np.intp]], list[Explained | None]]
"""The words of a unit rule's kernel answers: given the rule's columns and the positions
of some answers (ascending), each in words (:data:`Explained`: the reason and evidence
naming the unit, as the rule's ``unit_rule`` names them, and the trigger label) or
``None`` (the scalar rule's)."""

#: Words of unit rules' kernel answers (:func:`register_unit_words`), by rule id.
UNIT_WORDINGS: dict[str, tuple[CheckFn, UnitWords]] = {}


def register_unit_words(rule: Rule, words: UnitWords) -> None:
    """Make ``words`` how the kernel answers of ``rule`` (a rule over units) are put in
    words, for that body only; answers it gives ``None`` are the scalar rule's."""
    UNIT_WORDINGS[rule.id] = (rule.check, words)


@attrs.frozen
class Wording:
    """How a kernel's answers are put in words without asking the rule again.

    ``at`` lists the kernel answers (positions in its columns) that have values;
    ``values`` holds, per name, one value for each of them (aligned with ``at``).
    ``words(answer, **values)`` gets one :class:`Answer` and that answer's values and
    gives ``(reason, evidence, trigger_label)``, made by the very template the
    scalar rule calls (:func:`casework.rules.timing.deadline_words`): word for word
    the scalar engine's by construction. It gives ``None`` for an answer it does not
    word; that one, and any answer not in ``at``, the scalar rule explains.
    """

    words: WordsFn
    at: npt.NDArray[np.intp]
    values: dict[str, Sequence[Any]] = attrs.Factory(dict)
    constants: dict[str, Any] = attrs.Factory(dict)
    """Values the same for every answer."""

    def label(self, index: int) -> str | None:
        """The trigger in words of the ``index``-th worded answer, if the wording says."""
        if "anchor_label" in self.constants:
            return str(self.constants["anchor_label"])
        if "anchor_label" in self.values:
            return str(self.values["anchor_label"][index])
        return None

    def placed(self, rows: npt.NDArray[np.intp]) -> Wording:
        """The same wording for answers placed at ``rows`` (``at`` read through it): for a
        kernel that answers a subset of its cases, then puts them in place."""
        return attrs.evolve(self, at=np.asarray(rows, dtype=np.intp)[self.at])


def deadline_wording(
    ctx: Context,
    limit: str,
    *,
    anchor_label: str | Sequence[str],
    labels: DeadlineLabels,
    size: int,
    extra: Sequence[tuple[Evidence, ...]] | None = None,
) -> Wording | None:
    """The :class:`Wording` of ``size`` answers of :func:`deadline` (positions 0 to
    ``size - 1``; :meth:`Wording.placed` puts them where the kernel does): the scalar
    rule's :func:`~casework.rules.timing.deadline_check` words, from the same
    labels. ``anchor_label`` and ``extra`` are one for all or one per answer. ``None``
    when the limit has no value (those answers are worded as a missing parameter)."""
    try:
        parameter = ctx.param(limit)
    except MissingParameterError:
        return None
    constants: dict[str, Any] = {
        "limit": str(parameter.duration),
        "source": parameter.source,
        **labels.words(),
    }
    values: dict[str, Sequence[Any]] = {}
    if isinstance(anchor_label, str):
        constants["anchor_label"] = anchor_label
    else:
        values["anchor_label"] = anchor_label
    if extra is not None:
        values["extra"] = extra
    return Wording(deadline_said, np.arange(size, dtype=np.intp), values, constants)


_DEADLINE_BASES = frozenset({Basis.COMPUTED, Basis.NOT_YET_DUE, Basis.MISSING_DATA})


def verdict_said(answer: Answer, verdict: Verdict, label: str | None) -> Explained | None:
    """A verdict's words, with trigger label ``label``, where the answer is that verdict
    (its outcome and basis); ``None`` otherwise (the scalar rule words the answer)."""
    if verdict.outcome is not answer.outcome or verdict.basis is not answer.basis:
        return None
    return verdict.reason, verdict.evidence, label


def deadline_said(
    answer: Answer,
    *,
    anchor_label: str,
    limit: str,
    source: str | None,
    done_label: str,
    missing_label: str,
    extra: tuple[Evidence, ...] = (),
) -> Explained | None:
    """One :func:`deadline` answer in words (:func:`~casework.rules.timing.deadline_words`),
    ``None`` for an answer that is not a decided deadline."""
    if answer.basis not in _DEADLINE_BASES or answer.trigger is None or answer.due is None:
        return None
    if answer.outcome is Outcome.NOT_MET and answer.late_by is None:
        return None
    reason, evidence = deadline_words(
        answer.outcome,
        anchor=answer.trigger,
        anchor_label=anchor_label,
        limit=limit,
        source=source,
        due=answer.due,
        done=answer.done,
        late_by=answer.late_by,
        late_unit=answer.late_unit,
        as_of=answer.as_of,
        record_as_of=answer.record_as_of,
        done_label=done_label,
        missing_label=missing_label,
        extra=extra,
    )
    return reason, evidence, anchor_label


_BRANCHES = tuple(DEADLINE_SENTENCES)
_BRANCH_CODE = {branch: code for code, branch in enumerate(_BRANCHES)}


def _deadline_branches(answers: Answers) -> npt.NDArray[np.int8]:
    """Per answer, the code of its sentence in :data:`_BRANCHES`
    (:func:`~casework.rules.timing.deadline_branch`), or -1 for an answer that is not a
    decided deadline (:func:`deadline_said` gives ``None`` or raises: asked one by one)."""
    outcome, basis = answers.outcome, answers.basis
    decided = (
        np.isin(basis, [BASIS_CODE[b] for b in _DEADLINE_BASES])
        & (answers.trigger != NO_DAY)
        & (answers.due != NO_DAY)
    )
    late = (answers.late_by >= 0) & (answers.late_unit != LATE_CODE[None])
    has_done = answers.done != NO_DAY
    met = outcome == OUTCOME_CODE[Outcome.MET]
    branch = np.full(len(answers), -1, dtype=np.int8)
    choices = {
        "met before anchor": has_done & met & (answers.done < answers.trigger),
        "met": has_done & met & (answers.done >= answers.trigger),
        "late": has_done & ~met & late,
        "not yet due": ~has_done & (outcome == OUTCOME_CODE[Outcome.NOT_APPLICABLE]),
        "cannot assess": ~has_done & (outcome == OUTCOME_CODE[Outcome.CANNOT_ASSESS]),
        "overdue": ~has_done
        & ~np.isin(
            outcome, [OUTCOME_CODE[Outcome.NOT_APPLICABLE], OUTCOME_CODE[Outcome.CANNOT_ASSESS]]
        )
        & late,
    }
    for name, chosen in choices.items():
        branch[decided & chosen] = _BRANCH_CODE[name]
    # deadline_said leaves a not-met answer with no lateness unworded
    branch[(outcome == OUTCOME_CODE[Outcome.NOT_MET]) & (answers.late_by < 0)] = -1
    return branch


def deadline_said_many(
    answers: Answers,
    *,
    anchor_label: str | Sequence[str],
    limit: str,
    source: str | None,
    done_label: str | Sequence[str],
    missing_label: str | Sequence[str],
    extra: Sequence[tuple[Evidence, ...]] | None = None,
    evidence_of: Mask | None = None,
    as_text: bool = False,
) -> list[Any]:
    """:func:`deadline_said` of many answers at once: each branch of
    :func:`~casework.rules.timing.deadline_words` filled in from its template
    (:data:`~casework.rules.timing.DEADLINE_SENTENCES`) by one comprehension, each distinct
    day put in words once, the evidence made by
    :func:`~casework.rules.timing.deadline_evidence`. Answers that are not decided
    deadlines are given to :func:`deadline_said` one by one.

    ``anchor_label``, ``done_label`` and ``missing_label`` are one for all or one per answer.
    ``evidence_of``: the answers whose evidence is wanted (a caller that shows only some,
    such as the periodic checks); the decided deadlines among the others get none.
    ``as_text``: each evidence as its line (:data:`ExplainedText`, the text form), the
    decided deadlines' written a branch at a time by :func:`_deadline_lines`, no item
    made."""
    n = len(answers)
    said: list[Any] = [None] * n
    if not n:
        return said
    branch = _deadline_branches(answers)
    labels, dones, missing = (
        [label] * n if isinstance(label, str) else list(label)
        for label in (anchor_label, done_label, missing_label)
    )
    extras: Sequence[tuple[Evidence, ...]] = [()] * n if extra is None else extra
    for k in np.flatnonzero(branch < 0).tolist():
        one = deadline_said(
            answers.answer(k),
            anchor_label=labels[k],
            limit=limit,
            source=source,
            done_label=dones[k],
            missing_label=missing[k],
            extra=extras[k],
        )
        said[k] = one if one is None or not as_text else (one[0], evidence_line(one[1]), one[2])
    known = np.where(
        (answers.record_as_of == NO_DAY) | (answers.record_as_of >= day_number(answers.as_of)),
        day_number(answers.as_of),
        answers.record_as_of,
    )
    every = np.concatenate([answers.trigger, answers.due, answers.done, known])
    distinct, inverse = unique_days(every)
    listed = distinct.tolist()
    dates, words = from_day_numbers(listed), day_words(listed)
    isos = day_isos(listed) if as_text else []
    picks = inverse.reshape(4, n)
    as_of_words = long_date(answers.as_of)
    limit_items: dict[int, tuple[Evidence, Evidence]] = {}
    record_words: dict[int, str] = {}
    shown = [True] * n if evidence_of is None else evidence_of.tolist()
    late_bys, late_codes = answers.late_by.tolist(), answers.late_unit.tolist()
    for code, name in enumerate(_BRANCHES):
        at = np.flatnonzero(branch == code)
        if not at.size:
            continue
        chosen = at.tolist()
        anchors, dues, done_days, untils = (picks[row, at].tolist() for row in range(4))
        late: list[str] | None = None
        record_ends: list[str] | None = None
        if name == "late":
            late = [late_words(late_bys[k], LATE_UNITS[late_codes[k]] or "") for k in chosen]
        elif name == "cannot assess":
            record_ends = []
            for record in answers.record_as_of[at].tolist():
                ends = record_words.get(record)
                if ends is None:
                    ends = record_words[record] = record_ends_words(
                        answers.as_of, from_day_number(record)
                    )
                record_ends.append(ends)
        reasons = _sentences(
            _with_terms(DEADLINE_SENTENCES[name], limit),
            {
                "anchor_label": [labels[k] for k in chosen],
                "done_label": [dones[k] for k in chosen],
                "missing_label": [missing[k] for k in chosen],
                "as_of": [as_of_words] * len(chosen),
                "late": late,
                "record_ends": record_ends,
            },
            {"anchor": anchors, "due": dues, "done": done_days, "known": untils},
            words,
        )
        if as_text:
            lines = _deadline_lines(
                name, chosen, anchors, dues, done_days, isos=isos, limit=limit, source=source,
                labels=labels, dones=dones, late_bys=late_bys, late_codes=late_codes,
                extras=extras, shown=shown,
            )  # fmt: skip
            for k, reason, line in zip(chosen, reasons, lines, strict=True):
                said[k] = (reason, line, labels[k])
            continue
        for k, reason, anchor, due, done in zip(
            chosen, reasons, anchors, dues, done_days, strict=True
        ):
            if not shown[k]:
                said[k] = (reason, (), labels[k])
                continue
            items = limit_items.get(due)
            if items is None:
                items = limit_items[due] = deadline_limit_evidence(limit, source, dates[due])
            late_by = late_bys[k]
            evidence = deadline_evidence(
                name,
                anchor_label=labels[k],
                anchor=dates[anchor],
                limit=items[0],
                due=items[1],
                done_label=dones[k],
                done=dates[done],
                late_by=None if late_by < 0 else late_by,
                late_unit=LATE_UNITS[late_codes[k]],
                extra=extras[k],
            )
            said[k] = (reason, evidence, labels[k])
    return said


def _deadline_lines(
    name: str,
    chosen: list[int],
    anchors: list[int],
    dues: list[int],
    done_days: list[int],
    *,
    isos: list[str | None],
    limit: str,
    source: str | None,
    labels: list[str],
    dones: list[str],
    late_bys: list[int],
    late_codes: list[int],
    extras: Sequence[tuple[Evidence, ...]],
    shown: list[bool],
) -> list[str]:
    """The evidence lines of the decided deadlines ``chosen``, all on the branch ``name``:
    :func:`~casework.rules.engine.evidence_line` of the items
    :func:`~casework.rules.timing.deadline_evidence` lists (the clock's start, the time
    limit, the due day; the day done; the lateness; any extra items), written from the
    days' ISO forms ``isos`` (the days are indices into it). ``""`` where not ``shown``."""
    source_shown = shown_source(source)
    limited = f"; time limit: {limit}{source_shown}; due by: "
    finished = name in ("met", "met before anchor", "late")
    lateness = {"late": " late: ", "overdue": " overdue at as_of: "}.get(name)
    lines: list[str] = []
    for k, anchor, due, done in zip(chosen, anchors, dues, done_days, strict=True):
        if not shown[k]:
            lines.append("")
            continue
        line = f"{labels[k]}: {isos[anchor]}{limited}{isos[due]}{source_shown}"
        if finished:
            line += f"; {dones[k].lower()}: {isos[done]}"
        if lateness is not None:
            line += f"; {LATE_UNITS[late_codes[k]]}{lateness}{late_bys[k]}"
        if extras[k]:
            line += "; " + evidence_line(extras[k])
        lines.append(line)
    return lines


def _sentences(
    template: str,
    columns: Mapping[str, list[str] | None],
    days: Mapping[str, list[int]],
    words: list[str],
) -> list[str]:
    """A template of named fields filled for many answers, as ``format_map`` of each
    answer's fields writes it: by one positional ``format`` each, from each field's
    column (``columns``, or ``days`` put in ``words``: only the template's days are)."""
    positional, fields = _positional(template)
    filled: list[list[str]] = []
    for field in fields:
        column = [words[day] for day in days[field]] if field in days else columns[field]
        assert column is not None  # (a branch's template names only what it is given)
        filled.append(column)
    return list(map(positional.format, *filled))


@functools.lru_cache(maxsize=256)
def _positional(template: str) -> tuple[str, tuple[str, ...]]:
    """A template of named fields (``{due}``) as one of positional fields (``{}``), and the
    names in order (a name used twice is listed twice)."""
    written: list[str] = []
    fields: list[str] = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        written.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is not None:
            fields.append(field)
            written.append(
                "{" + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            )
    return "".join(written), tuple(fields)


def _with_terms(sentence: str, limit: str) -> str:
    """A deadline sentence's template (:data:`~casework.rules.timing.DEADLINE_SENTENCES`)
    with its terms (:data:`~casework.rules.timing.DEADLINE_TERMS`) written in for this
    time limit: the terms' other fields (the anchor and its label) are the sentence's own,
    so one ``format`` fills both, as filling the terms and then the sentence does."""
    escaped = limit.replace("{", "{{").replace("}", "}}")
    return sentence.replace("{terms}", DEADLINE_TERMS.replace("{limit}", escaped))


register_many(deadline_said, deadline_said_many)
register_text_many(deadline_said, functools.partial(deadline_said_many, as_text=True))


def _filled(
    at: npt.NDArray[np.intp],
    said: Sequence[tuple[str, Any, str | None] | None],
    reasons: list[str],
    evidence: list[Any],
    labels: list[str | None],
) -> list[int]:
    """Put the words ``said`` of the answers ``at`` (one each; ``None``: not worded) in
    their places (the evidence, as items or as lines, in ``evidence``); which answers they
    worded (marked by the caller at once: one numpy write per answer costs more)."""
    done: list[int] = []
    for i, words in zip(at.tolist(), said, strict=True):
        if words is not None:
            reasons[i], evidence[i], labels[i] = words
            done.append(i)
    return done


@attrs.frozen
class RuleColumns:
    """One rule's answers for a chunk of cases, as columns.

    One row per case, or for a rule that answers per unit one per unit, ``row``
    giving the case. ``trigger``, ``due`` and ``done`` are day numbers
    (:data:`~casework.columnar.columns.NO_DAY` where there is none); ``late_by``
    counts in ``late_unit`` (codes of :data:`LATE_UNITS`), -1 and 0 when not late.
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
    row: npt.NDArray[np.intp] = attrs.field(repr=False)
    """The case row of each answer."""
    unit: tuple[str | None, ...] = attrs.field(repr=False)
    """Each answer's unit (``None`` for a rule that answers once per case)."""
    wording: Wording | None = attrs.field(default=None, repr=False)
    """How the kernel's answers are worded from plain values, if it says."""
    origin: npt.NDArray[np.intp] | None = attrs.field(default=None, repr=False)
    """Each answer's position among the kernel's own answers (-1: the scalar rule's)."""
    found: tuple[Finding, ...] | None = attrs.field(default=None, repr=False)
    """The findings themselves, for a rule answered case by case."""

    def __len__(self) -> int:
        return len(self.outcome)

    def outcomes(self) -> list[Outcome]:
        """The outcome of each answer."""
        return [OUTCOMES[code] for code in self.outcome]

    def bases(self) -> list[Basis]:
        """The basis of each answer's outcome."""
        return [BASES[code] for code in self.basis]

    def mask(self, outcome: Outcome, basis: Basis | None = None) -> Mask:
        """Answers with this outcome (and basis)."""
        chosen: Mask = self.outcome == OUTCOME_CODE[outcome]
        if basis is not None:
            chosen &= self.basis == BASIS_CODE[basis]
        return chosen

    def finding(self, index: int) -> Finding:
        """One answer's finding, explained: the scalar rule's own, word for word."""
        if self.found is not None:
            return self.found[index]
        case_row = int(self.row[index])
        only = self.ruleset.only([self.rule.id])
        found = evaluate_case(
            asked_case(self.columns, case_row, self.context.as_of),
            only,
            as_of=self.context.as_of,
            calendar=self.context.calendar,
            options=self.context.options,
        )
        first = int(np.searchsorted(self.row, case_row, side="left"))
        return found[index - first]

    def answer(self, i: int) -> Answer:
        """The ``i``-th answer as plain values, as a :class:`Wording` is given it."""
        late_by = int(self.late_by[i])
        return Answer(
            outcome=OUTCOMES[self.outcome[i]],
            basis=BASES[self.basis[i]],
            trigger=from_day_number(self.trigger[i]),
            due=from_day_number(self.due[i]),
            done=from_day_number(self.done[i]),
            late_by=None if late_by < 0 else late_by,
            late_unit=LATE_UNITS[self.late_unit[i]],
            as_of=self.context.as_of,
            record_as_of=from_day_number(self.columns.record_as_of[self.row[i]]),
        )

    def answers(self, at: npt.NDArray[np.intp]) -> list[Answer]:
        """:meth:`answer` of each answer ``at``, each distinct day made a date once."""
        if not at.size:
            return []
        days = np.concatenate(
            [self.trigger[at], self.due[at], self.done[at], self.columns.record_as_of[self.row[at]]]
        )
        distinct, inverse = unique_days(days)
        dates = from_day_numbers(distinct.tolist())
        picks = inverse.reshape(4, -1).tolist()
        as_of = self.context.as_of
        return [
            Answer(
                outcome=OUTCOMES[outcome],
                basis=BASES[basis],
                trigger=dates[trigger],
                due=dates[due],
                done=dates[done],
                late_by=None if late_by < 0 else late_by,
                late_unit=LATE_UNITS[late_unit],
                as_of=as_of,
                record_as_of=dates[record],
            )
            for outcome, basis, trigger, due, done, record, late_by, late_unit in zip(
                self.outcome[at].tolist(),
                self.basis[at].tolist(),
                *picks,
                self.late_by[at].tolist(),
                self.late_unit[at].tolist(),
                strict=True,
            )
        ]

    def findings(self) -> tuple[Finding, ...]:
        """Every answer's finding, explained, in answer order (the scalar rule's own: kept
        when the rule was answered case by case, else each case asked again now)."""
        if self.found is not None:
            return self.found
        only = self.ruleset.only([self.rule.id])
        ctx = self.context
        found: list[Finding] = []
        for case_row in np.unique(self.row):
            found.extend(
                evaluate_case(
                    asked_case(self.columns, int(case_row), ctx.as_of),
                    only,
                    as_of=ctx.as_of,
                    calendar=ctx.calendar,
                    options=ctx.options,
                )
            )
        return tuple(found)

    def explained(
        self, only: Mask | None = None
    ) -> tuple[list[str], list[tuple[Evidence, ...]], list[str | None], list[str | None]]:
        """Every answer in words: reasons, evidence, trigger labels and standards, each word
        for word the scalar engine's. ``only``: the answers to word (a mask over them); the
        others are left without words (``""``, ``()``, ``None``, ``None``). An answer's
        words are the same whichever others are worded with it.

        Nothing is asked again where the words are known from plain values: a case
        outside the rule's population gets the engine's own "not applicable" verdict
        (:func:`casework.rules.engine.out_of_scope`, with the population's detail), a
        missing parameter the engine's :func:`~casework.rules.engine.no_parameter`, and
        a kernel answer its :class:`Wording`. Every other answer (cases the scalar
        rule answered, answers the kernel does not word) is explained by the scalar
        rule, once per case.
        """
        reasons, evidence, labels, standards, _lines = self._explained(only, text=False)
        return reasons, evidence, labels, standards

    def explained_as_text(self, only: Mask | None = None) -> WordsAsText:
        """:meth:`explained`, for writers of text: also each answer's evidence line
        (:func:`~casework.rules.engine.evidence_line`) where a wording's text form
        (:data:`TEXT_MANY`) gave it as text, its items then left out (``()``); ``None``
        where the evidence is in its items."""
        return self._explained(only, text=True)

    def _explained(self, only: Mask | None, *, text: bool) -> WordsAsText:
        """The words of :meth:`explained` and, ``text``, the evidence lines of
        :meth:`explained_as_text`."""
        n = len(self)
        reasons: list[str] = [""] * n
        evidence: list[tuple[Evidence, ...]] = [()] * n
        labels: list[str | None] = [None] * n
        standards: list[str | None] = [None] * n
        lines: list[str | None] = [None] * n
        wanted = np.ones(n, dtype=bool) if only is None else np.asarray(only, dtype=bool)
        if wanted.shape != (n,):
            raise ValueError(f"only: a mask of {wanted.size} answers, for {n}")
        if self.found is not None:
            for i in np.flatnonzero(wanted).tolist():
                finding = self.found[i]
                reasons[i], evidence[i] = finding.reason, finding.evidence
                labels[i], standards[i] = finding.trigger_label, finding.standard
            return reasons, evidence, labels, standards, lines
        if not wanted.any():
            return reasons, evidence, labels, standards, lines
        ctx, columns, rule = self.context, self.columns, self.rule
        special = special_rows(columns, ctx)
        if ctx.by_assessment_date and ctx.as_of < rule.in_force_from:
            special[:] = True
        codes = population_codes(columns, rule.applies_to, ctx)
        applies, missing = codes == YES, codes >= NO_FACT
        answers = np.bincount(self.row, minlength=len(columns))
        asked = self.row
        once = ~special[asked] & (answers[asked] == 1) & wanted
        outside = once & ~missing[asked] & ~applies[asked]
        at = np.flatnonzero(outside)
        if at.size:
            said, shown = outside_words(columns, rule.applies_to, ctx, asked[at])
            for i, reason, items in zip(at.tolist(), said, shown, strict=True):
                reasons[i], evidence[i] = reason, items
        done = outside | ~wanted
        done |= self._missing_fact(once & (codes[asked] == NO_FACT), reasons, evidence)
        pending = ~done & ~special[asked] & ~missing[asked]
        # A parameter missing in the population's test or the rule's body: the engine's
        # verdict, for a rule with its own kernel (a family's rule, such as an OMI question
        # computed by another rule, may word it itself).
        no_value = ~done & ~special[asked] & (self.basis == BASIS_CODE[Basis.NO_PARAMETER])
        if _BODIES.get(rule.id) is not rule.check:
            no_value[:] = False
        pending &= ~no_value
        unset = _missing_parameter(rule, ctx) if no_value.any() else None
        if unset is not None:
            verdict = no_parameter(unset)
            for i in np.flatnonzero(no_value).tolist():
                reasons[i], evidence[i] = verdict.reason, verdict.evidence
            done |= no_value
        unbegun = self._unbegun(wanted, reasons, evidence)
        done |= unbegun
        pending &= ~unbegun
        done |= self._worded(pending, reasons, evidence, labels, lines if text else None)
        done |= self._unit_worded(pending & ~done, reasons, evidence, labels)
        self._by_scalar_rule(np.flatnonzero(~done), reasons, evidence, labels, standards)
        return reasons, evidence, labels, standards, lines

    def _missing_fact(
        self, lacking: Mask, reasons: list[str], evidence: list[tuple[Evidence, ...]]
    ) -> Mask:
        """The answers ``lacking`` (their cases lack a fact the population's test needs)
        worded as the engine words the test's :class:`MissingFactError`, where the
        population says its message (:func:`missing_facts`); which were worded."""
        worded = np.zeros(len(self), dtype=bool)
        at = np.flatnonzero(lacking & (self.basis == BASIS_CODE[Basis.MISSING_DATA]))
        if not at.size:
            return worded
        facts = missing_facts(self.columns, self.rule.applies_to, self.context, self.row[at])
        by_fact: dict[str, Verdict] = {}
        for i, fact in zip(at.tolist(), facts, strict=True):
            if fact is not None:
                verdict = by_fact.get(fact)
                if verdict is None:
                    verdict = by_fact[fact] = MissingFactError(fact).verdict()
                reasons[i], evidence[i] = verdict.reason, verdict.evidence
                worded[i] = True
        return worded

    def _unbegun(
        self, wanted: Mask, reasons: list[str], evidence: list[tuple[Evidence, ...]]
    ) -> Mask:
        """The wanted answers of cases whose sentence had not begun on ``as_of``
        (:func:`_unbegun_cases`), worded as the engine words them; which they are."""
        asked, sentenced = self.row, self.columns.sentenced
        unbegun = wanted & (day_number(self.context.as_of) < sentenced[asked])
        if unbegun.any():
            at = np.flatnonzero(unbegun)
            by_day: dict[int, Verdict] = {}  # (each sentence date in words once)
            for i, day in zip(at.tolist(), sentenced[asked[at]].tolist(), strict=True):
                unbegun_words = by_day.get(day)
                if unbegun_words is None:
                    sentenced_on = from_day_number(day)
                    assert sentenced_on is not None  # (a required date)
                    unbegun_words = by_day[day] = not_begun(sentenced_on)
                reasons[i], evidence[i] = unbegun_words.reason, unbegun_words.evidence
        return unbegun

    def _worded(
        self,
        pending: Mask,
        reasons: list[str],
        evidence: list[tuple[Evidence, ...]],
        labels: list[str | None],
        lines: list[str | None] | None = None,
    ) -> Mask:
        """Words the kernel's :class:`Wording` gives; which answers it worded. Given
        ``lines``, a wording with a text form (:data:`TEXT_MANY`) puts its evidence lines
        there."""
        worded = np.zeros(len(self), dtype=bool)
        wording, origin = self.wording, self.origin
        if wording is None or origin is None or not len(wording.at):
            return worded
        slot = np.full(max(int(origin.max(initial=-1)), int(wording.at.max())) + 1, -1, np.intp)
        slot[wording.at] = np.arange(len(wording.at))
        usable = pending & (origin >= 0)
        usable[usable] &= slot[origin[usable]] >= 0
        # Held to the rule's in-force dates (their trigger kept); a kernel's own "not
        # applicable" (no trigger) is left to its wording.
        held = usable & (self.basis == BASIS_CODE[Basis.OUT_OF_SCOPE]) & (self.trigger != NO_DAY)
        usable &= ~held
        ctx = self.context
        if held.any() and self.rule.units is None and ctx.by_clock:
            by_trigger = ctx.option(IN_FORCE_BY, ctx.in_force_by) == "trigger"
            if by_trigger:
                at = np.flatnonzero(held & (self.trigger != NO_DAY))
                out_of_force_words = self._out_of_force(
                    at, slot[origin[at]], wording, as_text=lines is not None
                )
                # (for a writer of text, each evidence as its line)
                shown: list[Any] = evidence if lines is None else lines
                for i, held_words in zip(at.tolist(), out_of_force_words, strict=True):
                    if held_words is not None:
                        reasons[i], shown[i], labels[i] = held_words
                        worded[i] = True
        as_of = self.context.as_of
        names = list(wording.values)
        columns = [wording.values[name] for name in names]
        constants = wording.constants
        record = self.columns.record_as_of
        text_many = None if lines is None else TEXT_MANY.get(wording.words)
        many = MANY.get(wording.words)
        if text_many is not None or many is not None:
            at = np.flatnonzero(usable)
            picked = slot[origin[at]].tolist()
            answers = Answers(
                outcome=self.outcome[at],
                basis=self.basis[at],
                trigger=self.trigger[at],
                due=self.due[at],
                done=self.done[at],
                late_by=self.late_by[at],
                late_unit=self.late_unit[at],
                as_of=as_of,
                record_as_of=record[self.row[at]],
            )
            values = {n: [c[j] for j in picked] for n, c in zip(names, columns, strict=True)}
            if text_many is not None and lines is not None:
                as_text = text_many(answers, **constants, **values)
                worded[_filled(at, as_text, reasons, lines, labels)] = True
                return worded
            assert many is not None
            bulk = many(answers, **constants, **values)
            worded[_filled(at, bulk, reasons, evidence, labels)] = True
            return worded
        at = np.flatnonzero(usable)
        for i, j, answer in zip(
            at.tolist(), slot[origin[at]].tolist(), self.answers(at), strict=True
        ):
            values = {n: c[j] for n, c in zip(names, columns, strict=True)}
            said = wording.words(answer, **constants, **values)
            if said is not None:
                reasons[i], evidence[i], labels[i] = said
                worded[i] = True
        return worded

    def _unit_worded(
        self,
        pending: Mask,
        reasons: list[str],
        evidence: list[tuple[Evidence, ...]],
        labels: list[str | None],
    ) -> Mask:
        """Words of a unit rule's answers its registered words give
        (:func:`register_unit_words`); which answers they worded."""
        worded = np.zeros(len(self), dtype=bool)
        registered = UNIT_WORDINGS.get(self.rule.id)
        if registered is None or registered[0] is not self.rule.check or not pending.any():
            return worded
        at = np.flatnonzero(pending)
        worded[_filled(at, registered[1](self, at), reasons, evidence, labels)] = True
        return worded

    def _out_of_force(
        self,
        at: npt.NDArray[np.intp],
        slots: npt.NDArray[np.intp],
        wording: Wording,
        *,
        as_text: bool = False,
    ) -> list[tuple[str, Any, str | None] | None]:
        """The answers ``at`` held to the rule's in-force dates on the day their clock started
        (:func:`_hold_to_in_force`), worded as :func:`~casework.rules.engine.out_of_force`
        words them (its templates), each distinct day in words once; ``None`` where the
        wording gives no trigger label (the scalar rule words those). ``as_text``: each
        evidence as its line (:func:`~casework.rules.engine.evidence_line`), no item made."""
        rule = self.rule
        n = at.size
        # each answer's trigger label, by its code among the distinct labels
        if "anchor_label" in wording.constants:
            labels = [str(wording.constants["anchor_label"])]
            codes = np.zeros(n, dtype=np.intp)
        elif "anchor_label" in wording.values:
            given = wording.values["anchor_label"]
            index: dict[str, int] = {}
            codes = np.fromiter(
                (index.setdefault(str(given[slot]), len(index)) for slot in slots.tolist()),
                dtype=np.intp,
                count=n,
            )
            labels = list(index)
        else:
            return [None] * n
        # each distinct (label, day) worded once: the same words, and the same evidence
        days, day_at = unique_days(self.trigger[at])
        pairs, pair_at = np.unique(codes * len(days) + day_at, return_inverse=True)
        listed = days[pairs % len(days)].tolist()
        whens: dict[dt.date | None, str] = {}
        in_force = in_force_evidence(rule)
        in_force_line = evidence_line(in_force)
        held: list[tuple[str, Any, str | None] | None] = []
        for code, words, day in zip(
            (pairs // len(days)).tolist(), day_words(listed), from_day_numbers(listed), strict=True
        ):
            if day is None:
                held.append(None)
                continue
            label = labels[code]
            # every day before the rule came into force is worded alike (key None)
            key = None if day < rule.in_force_from else day
            when = whens.get(key)
            if when is None:
                when = whens[key] = out_of_force_when(rule, day)
            reason = OUT_OF_FORCE_STARTED.format(label=label, day=words, when=when)
            shown = (
                f"{label}: {day.isoformat()}; {in_force_line}"
                if as_text
                else (Evidence(label, day), *in_force)
            )
            held.append((reason, shown, label))
        return [held[k] for k in pair_at.reshape(-1).tolist()]

    def _by_scalar_rule(
        self,
        chosen: npt.NDArray[np.intp],
        reasons: list[str],
        evidence: list[tuple[Evidence, ...]],
        labels: list[str | None],
        standards: list[str | None],
    ) -> None:
        """These answers explained by the scalar rule, asked once per case."""
        if not chosen.size:
            return
        only = self.ruleset.only([self.rule.id])
        ctx = self.context
        firsts = np.searchsorted(self.row, self.row[chosen], side="left")
        found: dict[int, tuple[Finding, ...]] = {}
        for i, first in zip(chosen.tolist(), firsts.tolist(), strict=True):
            row = int(self.row[i])
            if row not in found:
                found[row] = evaluate_case(
                    asked_case(self.columns, row, ctx.as_of),
                    only,
                    as_of=ctx.as_of,
                    calendar=ctx.calendar,
                    options=ctx.options,
                )
            finding = found[row][i - first]
            reasons[i], evidence[i] = finding.reason, finding.evidence
            labels[i], standards[i] = finding.trigger_label, finding.standard


Detail = tuple[str, tuple[Evidence, ...]] | None
"""What put one case outside a population, in words: the sentence and its evidence."""

DetailsFn = Callable[[CaseColumns, Context, npt.NDArray[np.intp]], list[Detail] | None]
"""A population detail's bulk form: the detail of each case at ``rows`` (each left out by the
population), equal to the detail function's; ``None`` to have each case asked."""

#: Bulk forms of population details (:func:`register_details`), by the detail function.
DETAILS: dict[Callable[..., Any], DetailsFn] = {}


def register_details(detail: Callable[..., Any], bulk: DetailsFn) -> None:
    """Make ``bulk`` the columnar form of the population detail ``detail`` (a function of a
    case and context giving a :class:`~casework.rules.engine.Verdict` or ``None``):
    :func:`outside_words` asks it instead of each case."""
    DETAILS[detail] = bulk


def missing_facts(
    columns: CaseColumns, population: Population, ctx: Context, rows: npt.NDArray[np.intp]
) -> list[str | None]:
    """For the cases at ``rows``, each of which ``population``'s test finds a fact missing
    for (:data:`NO_FACT`): the message of the :class:`MissingFactError` it raises, as
    the population says it (:attr:`Population.missing`); ``None`` where it does not say.
    Of ``&`` and ``|``, the part that raised says (the first, or the second where the
    first left the case open, as the test asks them); of ``~``, its population."""
    if population.missing is not None:
        fact = population.missing(ctx)
        return [fact] * len(rows)
    form = population.form
    if form is None or form[0] not in ("and", "or", "not"):
        return [None] * len(rows)
    if form[0] == "not":
        return missing_facts(columns, form[1], ctx, rows)
    where = np.zeros(len(columns), dtype=bool)
    where[rows] = True
    first = population_codes(columns, form[1], ctx, where)[rows]
    open_ = first == (YES if form[0] == "and" else NO)
    found: list[str | None] = [None] * len(rows)
    for part, chosen in ((form[1], first == NO_FACT), (form[2], open_)):
        at = np.flatnonzero(chosen)
        if at.size:
            for k, said in zip(
                at.tolist(), missing_facts(columns, part, ctx, rows[at]), strict=True
            ):
                found[k] = said
    return found


def outside_words(
    columns: CaseColumns, population: Population, ctx: Context, rows: npt.NDArray[np.intp]
) -> tuple[list[str], list[tuple[Evidence, ...]]]:
    """:func:`~casework.rules.engine.out_of_scope` of the cases at ``rows`` (each left out by
    ``population``): the reason and evidence of each, word for word the engine's, from the
    same templates (:func:`~casework.rules.engine.out_of_scope_reason`). A population with
    no detail gives one sentence for all; the detail of ``&`` is asked of the part that left
    each case out, and that of :func:`~casework.rules.standards.base.lasting_until` is
    worded from its day kernels; any other detail is asked of each case."""
    details = _details(columns, population, ctx, rows)
    description = population.description
    plain = out_of_scope_reason(description)
    reasons = [
        plain if detail is None else out_of_scope_reason(description, detail[0])
        for detail in details
    ]
    return reasons, [() if detail is None else detail[1] for detail in details]


def _details(
    columns: CaseColumns, population: Population, ctx: Context, rows: npt.NDArray[np.intp]
) -> list[Detail]:
    """:meth:`Population.outside` of the cases at ``rows``, in words."""
    detail = population.detail
    if detail is None:
        return [None] * len(rows)
    code = getattr(detail, "__code__", None)
    if code is _AND_DETAIL:  # the first part's detail where it left the case out, else the second's
        cells = _cells(detail)
        first, second = cells["self"], cells["other"]
        where = np.zeros(len(columns), dtype=bool)
        where[rows] = True
        by_first = population_codes(columns, first, ctx, where)[rows] != YES
        found: list[Detail] = [None] * len(rows)
        for part, chosen in ((first, by_first), (second, ~by_first)):
            at = np.flatnonzero(chosen)
            if at.size:
                said = _details(columns, part, ctx, rows[at])
                for k, words in zip(at.tolist(), said, strict=True):
                    found[k] = words
        return found
    if code is _lasting_code():
        lasting = _lasting_details(columns, _cells(detail), ctx, rows)
        if lasting is not None:
            return lasting
    bulk = DETAILS.get(detail)
    if bulk is not None:
        worded = bulk(columns, ctx, rows)
        if worded is not None:
            return worded
    asked: list[Detail] = []
    for row in rows.tolist():
        verdict = population.outside(columns.cases[row], case_context(columns, ctx, row))
        asked.append(None if verdict is None else (verdict.reason, verdict.evidence))
    return asked


def _cells(function: Callable[..., Any]) -> dict[str, Any]:
    """A function's closure variables by name."""
    closure = getattr(function, "__closure__", None) or ()
    names = function.__code__.co_freevars
    return {name: cell.cell_contents for name, cell in zip(names, closure, strict=True)}


_AND_DETAIL = getattr((EVERY_CASE & EVERY_CASE).detail, "__code__", None)


def _lasting_code() -> Any:
    """The code of a :func:`~casework.rules.standards.base.lasting_until` population's detail."""
    from casework.rules.standards import base  # noqa: PLC0415  (rules import the engine)

    made = base.lasting_until("", lambda _case, _ctx: dt.date.min, what="")
    return getattr(made.detail, "__code__", 0)


def _lasting_details(
    columns: CaseColumns, cells: dict[str, Any], ctx: Context, rows: npt.NDArray[np.intp]
) -> list[Detail] | None:
    """``lasting_until``'s detail for these cases from the day kernels of its end and due
    date (:mod:`casework.columnar.populations`): "Supervision ended on ..., before ... was
    due on ...". ``None`` when a day has no kernel or a case lacks one (asked case by case)."""
    from casework.columnar import populations  # noqa: PLC0415  (it imports this module)
    from casework.rules.standards.base import ended_before  # noqa: PLC0415

    ended = populations._day_kernel(cells["ended_on"])
    due_by = populations._day_kernel(cells["due"])
    if ended is None or due_by is None:
        return None
    end, end_missing = ended(columns, ctx)
    due, due_missing = due_by(columns, ctx)
    end, due = end[rows], due[rows]
    has_end = end != NO_DAY
    if (end_missing[rows] | (has_end & (due_missing[rows] | (due == NO_DAY)))).any():
        return None
    ending, what = cells["ending"], cells["what"]
    end_words, end_days = _dates_in_words(end)
    due_words, due_days = _dates_in_words(due)
    return [
        (
            ended_before(ending, end_words[k], what, due_words[k]),
            (Evidence("ended", end_days[k]), Evidence("due by", due_days[k])),
        )
        if known
        else None
        for k, known in enumerate(has_end.tolist())
    ]


def _dates_in_words(numbers: Days) -> tuple[list[str], list[dt.date | None]]:
    """Day numbers as :func:`~casework.text.long_date` words and as dates, each distinct day
    converted once ("" and ``None`` for :data:`NO_DAY`)."""
    distinct, inverse = unique_days(numbers)
    listed = distinct.tolist()
    dates, words = from_day_numbers(listed), day_words(listed)
    picks = inverse.reshape(-1).tolist()
    return [words[k] for k in picks], [dates[k] for k in picks]


def _missing_parameter(rule: Rule, ctx: Context) -> MissingParameterError | None:
    """The one parameter ``rule`` declares that has no value, if exactly one has none.

    The error is kept without its traceback: the traceback's frames reach back to the
    caller's (a chunk's answers and columns), and the error, its traceback and the frame
    holding it form a cycle that only the collector's rare full passes free, so every
    chunk explained at a day with a parameter unset was held until one came (65 MB more at
    100,000 cases as of 2008-03-31)."""
    unset: list[MissingParameterError] = []
    for name in rule.parameters:
        try:
            ctx.param(name)
        except MissingParameterError as missing:
            unset.append(missing.with_traceback(None))
        except LookupError:
            return None
    return unset[0] if len(unset) == 1 else None


def lateness(calendar: WorkingCalendar, due: Days, done: Days, unit: TimeUnit) -> tuple[Days, Mask]:
    """:func:`casework.rules.timing.lateness` for columns: the count, and whether it is in
    calendar days (a calendar-day limit, or late on a weekend or holiday straight after a
    working-day due date, when no working day has passed; a record that ends on the due
    day with the work not done is 0 working days late, as the scalar rule says)."""
    calendar_days = done - due
    if unit is not TimeUnit.WORKING_DAYS:
        return calendar_days, np.ones(len(due), dtype=bool)
    working = calendar.working_days_between_many(due, done)
    in_days: Mask = (working <= 0) & (done > due)
    return np.where(in_days, calendar_days, working), in_days


def late_codes(
    calendar: WorkingCalendar, due: Days, done: Days, unit: TimeUnit
) -> tuple[Days, npt.NDArray[np.int8]]:
    """:func:`lateness`, its unit as a code of :data:`LATE_UNITS`."""
    counted, in_days = lateness(calendar, due, done, unit)
    codes = np.where(in_days, LATE_CODE["days"], LATE_CODE["working days"]).astype(np.int8)
    return counted, codes


def add_duration(calendar: WorkingCalendar, days: Days, duration: Duration) -> Days:
    """:meth:`WorkingCalendar.add` for a column of day numbers."""
    if days.size == 0:
        return days.copy()
    moved = calendar.add_many(days.astype("datetime64[D]"), duration)
    result: Days = np.asarray(moved, dtype="datetime64[D]").astype(np.int64)
    return result


def deadline(
    ctx: Context, anchor: Days, done: Days, duration: Duration, record_as_of: Days
) -> dict[str, Any]:
    """:func:`casework.rules.timing.deadline_check` for a column of deadlines.

    ``anchor`` starts each clock (day 0), ``done`` is when the work was done
    (NO_DAY if not), ``record_as_of`` the day each record describes its case up to.
    Met when done on or before the due date; not yet due while the due date has
    not passed and nothing is done; cannot assess when it fell due after the
    record's own as_of; else not met, late by the count to the day done (or the
    day the record is known to).
    """
    as_of = day_number(ctx.as_of)
    due = add_duration(ctx.calendar, anchor, duration)
    has = done != NO_DAY
    met = has & (done <= due)
    pending = ~has & (as_of <= due)
    beyond = ~has & ~pending & (record_as_of < due) & (due < as_of)
    late = ~met & ~pending & ~beyond
    outcome = np.full(len(anchor), OUTCOME_CODE[Outcome.NOT_MET], dtype=np.int8)
    outcome[met] = OUTCOME_CODE[Outcome.MET]
    outcome[pending] = OUTCOME_CODE[Outcome.NOT_APPLICABLE]
    outcome[beyond] = OUTCOME_CODE[Outcome.CANNOT_ASSESS]
    basis = np.full(len(anchor), BASIS_CODE[Basis.COMPUTED], dtype=np.int8)
    basis[pending] = BASIS_CODE[Basis.NOT_YET_DUE]
    basis[beyond] = BASIS_CODE[Basis.MISSING_DATA]
    late_by = np.full(len(anchor), -1, dtype=np.int64)
    late_unit = np.zeros(len(anchor), dtype=np.int8)
    if late.any():
        at = np.where(has, done, np.minimum(as_of, record_as_of))[late]
        late_by[late], late_unit[late] = late_codes(ctx.calendar, due[late], at, duration.unit)
    return {
        "outcome": outcome,
        "basis": basis,
        "trigger": anchor,
        "due": due,
        "done": done,
        "late_by": late_by,
        "late_unit": late_unit,
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
    """One rule's answers for a chunk: by its kernel where it has one, else case by case."""
    rule = ruleset.rule(rule_id)
    columns = columns_as_at(columns, as_of)
    ctx = Context.of(ruleset, as_of=as_of, calendar=calendar, options=options)
    kernel = kernel_for(rule)
    if kernel is None:
        return _scalar_columns(columns, ruleset, rule, ctx)
    return _by_kernel(columns, ruleset, rule, ctx, kernel)


def _by_kernel(
    columns: CaseColumns, ruleset: RuleSet, rule: Rule, ctx: Context, kernel: Kernel
) -> RuleColumns:
    answered = kernel(columns, ctx)
    if "row" not in answered:
        answered["row"], answered["unit"] = _once_per_case(columns)
    else:
        answered["unit"] = tuple(answered["unit"])
    own: Mask | None = answered.pop("special", None)
    answered["origin"] = np.arange(len(answered["outcome"]), dtype=np.intp)
    if ctx.by_clock:
        _hold_to_in_force(answered, rule, ctx)
    result = RuleColumns(rule=rule, columns=columns, context=ctx, ruleset=ruleset, **answered)
    unbegun = _unbegun_cases(columns, ctx)
    if ctx.by_assessment_date and ctx.as_of < rule.in_force_from:
        # Not yet in force on the assessment date: the scalar rule says so.
        special = np.arange(len(columns), dtype=np.intp)
    else:
        special = _special_cases(columns, ctx)
        if own is not None and own.any():
            special = np.union1d(special, np.flatnonzero(own))
    if unbegun.size:  # every rule answers them alike: on columns (engine.not_begun)
        special = np.setdiff1d(special, unbegun, assume_unique=True)
        result = _answered_unbegun(result, unbegun)
    return _patched(result, special) if special.size else result


def _once_per_case(columns: CaseColumns) -> tuple[npt.NDArray[np.intp], tuple[None, ...]]:
    """``row`` and ``unit`` of a rule answering once per case: made once per chunk, shared
    by every such rule (read-only)."""
    found = columns.memo.get("core.once_per_case")
    if found is None:
        rows = np.arange(len(columns), dtype=np.intp)
        rows.flags.writeable = False
        found = columns.memo["core.once_per_case"] = (rows, (None,) * len(columns))
    shared: tuple[npt.NDArray[np.intp], tuple[None, ...]] = found
    return shared


def _hold_to_in_force(answered: dict[str, Any], rule: Rule, ctx: Context) -> None:
    """The engine's in-force check (``engine._in_force``) on columns, in place: a deadline
    whose clock started (``in_force_by="due"``: which fell due) outside the rule's
    in-force dates is not applicable, its day kept as the trigger."""
    trigger, due = answered["trigger"], answered["due"]
    day = trigger
    if ctx.option(IN_FORCE_BY, ctx.in_force_by) == "due":
        day = np.where(due != NO_DAY, due, trigger)
    first = day_number(rule.in_force_from)
    last = day_number(rule.in_force_to) if rule.in_force_to is not None else LATEST
    outside = (day != NO_DAY) & ((day < first) | (day > last))
    if not outside.any():
        return
    answered["outcome"] = np.where(
        outside, OUTCOME_CODE[Outcome.NOT_APPLICABLE], answered["outcome"]
    ).astype(np.int8)
    answered["basis"] = np.where(outside, BASIS_CODE[Basis.OUT_OF_SCOPE], answered["basis"]).astype(
        np.int8
    )
    answered["trigger"] = np.where(outside, day, trigger)
    for name in ("due", "done"):
        answered[name] = np.where(outside, NO_DAY, answered[name])
    answered["late_by"] = np.where(outside, -1, answered["late_by"])
    answered["late_unit"] = np.where(outside, 0, answered["late_unit"]).astype(np.int8)


def _scalar_columns(
    columns: CaseColumns, ruleset: RuleSet, rule: Rule, ctx: Context
) -> RuleColumns:
    only = ruleset.only([rule.id])
    rows: list[int] = []
    findings: list[Finding] = []
    for row in range(len(columns)):
        found = evaluate_case(
            asked_case(columns, row, ctx.as_of),
            only,
            as_of=ctx.as_of,
            calendar=ctx.calendar,
            options=ctx.options,
        )
        findings.extend(found)
        rows.extend([row] * len(found))
    return RuleColumns(
        rule=rule,
        columns=columns,
        context=ctx,
        ruleset=ruleset,
        row=np.asarray(rows, dtype=np.intp),
        found=tuple(findings),
        **_from_findings(findings),
    )


def _from_findings(findings: Sequence[Finding]) -> dict[str, Any]:
    """The columns of findings made case by case."""
    return {
        "outcome": np.asarray([OUTCOME_CODE[f.outcome] for f in findings], dtype=np.int8),
        "basis": np.asarray([BASIS_CODE[f.basis] for f in findings], dtype=np.int8),
        "trigger": days([day_number(f.trigger) for f in findings]),
        "due": days([day_number(f.due) for f in findings]),
        "done": days([day_number(f.done) for f in findings]),
        "late_by": days([-1 if f.late_by is None else f.late_by for f in findings]),
        "late_unit": np.asarray([LATE_CODE[f.late_unit] for f in findings], dtype=np.int8),
        "unit": tuple(f.unit for f in findings),
    }


def special_rows(columns: CaseColumns, ctx: Context) -> Mask:
    """Cases no kernel answers by its own body (one flag per case): a record read as it
    stood earlier (``Case.as_at``: left to the scalar rule) and a case sentenced after
    ``as_of`` (answered "not begun", :func:`_answered_unbegun`)."""
    flags = np.zeros(len(columns), dtype=bool)
    flags[_special_cases(columns, ctx)] = True
    return flags


def _special_cases(columns: CaseColumns, ctx: Context) -> npt.NDArray[np.intp]:
    """:func:`special_rows`' cases: their rows, ascending, found once per chunk and date."""
    as_of = day_number(ctx.as_of)
    return _rows_where(
        columns,
        ("core.special", ctx.as_of),
        lambda: (as_of < columns.record_as_of) | (as_of < columns.sentenced),
    )


def _unbegun_cases(columns: CaseColumns, ctx: Context) -> npt.NDArray[np.intp]:
    """Cases sentenced after ``as_of``: every rule answers each of them once, not applicable
    (:func:`casework.rules.engine.not_begun`). Their rows, ascending, once per chunk and
    date."""
    as_of = day_number(ctx.as_of)
    return _rows_where(columns, ("core.unbegun", ctx.as_of), lambda: as_of < columns.sentenced)


def _rows_where(
    columns: CaseColumns, key: tuple[str, dt.date], flags: Callable[[], Mask]
) -> npt.NDArray[np.intp]:
    """The rows ``flags()`` marks, ascending and read-only, kept in the chunk's memo under
    ``key``."""
    found = columns.memo.get(key)
    if found is None:
        found = np.flatnonzero(flags())
        found.flags.writeable = False
        columns.memo[key] = found
    rows: npt.NDArray[np.intp] = found
    return rows


def _answered_unbegun(answered: RuleColumns, cases: npt.NDArray[np.intp]) -> RuleColumns:
    """``answered`` with each of these cases answered once, as the engine answers a case
    sentenced after ``as_of``: not applicable, out of scope, no dates, no unit."""
    n = len(cases)
    fixed = {
        "outcome": np.full(n, OUTCOME_CODE[Outcome.NOT_APPLICABLE], dtype=np.int8),
        "basis": np.full(n, BASIS_CODE[Basis.OUT_OF_SCOPE], dtype=np.int8),
        "trigger": np.full(n, NO_DAY, dtype=np.int64),
        "due": np.full(n, NO_DAY, dtype=np.int64),
        "done": np.full(n, NO_DAY, dtype=np.int64),
        "late_by": np.full(n, -1, dtype=np.int64),
        "late_unit": np.full(n, LATE_CODE[None], dtype=np.int8),
        "unit": (None,) * n,
    }
    return _replaced(answered, cases, cases.astype(np.intp), fixed)


def _patched(answered: RuleColumns, cases: npt.NDArray[np.intp]) -> RuleColumns:
    """``answered`` with every answer of these cases given by the scalar rule instead."""
    only = answered.ruleset.only([answered.rule.id])
    ctx = answered.context
    rows: list[int] = []
    findings: list[Finding] = []
    for row in cases:
        found = evaluate_case(
            asked_case(answered.columns, int(row), ctx.as_of),
            only,
            as_of=ctx.as_of,
            calendar=ctx.calendar,
            options=ctx.options,
        )
        findings.extend(found)
        rows.extend([int(row)] * len(found))
    return _replaced(answered, cases, np.asarray(rows, dtype=np.intp), _from_findings(findings))


def _replaced(
    answered: RuleColumns,
    cases: npt.NDArray[np.intp],
    rows: npt.NDArray[np.intp],
    fixed: dict[str, Any],
) -> RuleColumns:
    """``answered`` with every answer of these cases replaced by the answers ``fixed``
    (columns by name, ``unit`` a tuple), given for the cases ``rows``; rows kept in order."""
    keep = ~np.isin(answered.row, cases)
    row = np.concatenate([answered.row[keep], rows])
    order = np.argsort(row, kind="stable")
    changes: dict[str, Any] = {"row": row[order]}
    if answered.origin is not None:
        changes["origin"] = np.concatenate(
            [answered.origin[keep], np.full(len(rows), -1, dtype=np.intp)]
        )[order]
    for name, values in fixed.items():
        if name == "unit":
            kept = [unit for unit, k in zip(answered.unit, keep, strict=True) if k]
            joined = [*kept, *values]
            changes[name] = tuple(joined[int(i)] for i in order)
        else:
            column = getattr(answered, name)
            changes[name] = np.concatenate([column[keep], values]).astype(column.dtype)[order]
    return attrs.evolve(answered, **changes)


#: What asking an unworded :class:`FindingTable` for its :class:`Finding` objects says.
UNWORDED = "these findings were explained without words (words=False): they have no reasons"
TEXT_ONLY = (
    "these findings' evidence was explained as lines of text (text=True), for CSV and "
    "Parquet: explain them without text=True for Finding objects or JSON"
)


@attrs.frozen
class FindingTable:
    """Every finding of a chunk, explained, as columns in the scalar engine's order
    (:meth:`FindingColumns.explain`): the fields of
    :data:`casework.schemas.FINDING_FIELDS`, those of the rule (question, criterion,
    source, ...) by ``rank``, the rule's place in ``rules``. Dates are day numbers
    (:data:`NO_DAY` for none), ``late_by`` is -1 when not late, ``outcome``, ``basis``
    and ``late_unit`` are codes of :data:`OUTCOMES`, :data:`BASES`, :data:`LATE_UNITS`.
    :mod:`casework.stream` writes it as Arrow, CSV or JSON Lines, byte for byte as the
    findings themselves are written.

    A table explained without words (``worded`` false: ``explain(words=False)``) has no
    reasons, evidence, trigger labels or standards (their columns hold blanks); it is
    written without those four fields (:data:`casework.stream.WORDS`) and makes no
    :class:`Finding`."""

    rules: tuple[Rule, ...]
    ruleset: RuleSet
    as_of: dt.date
    rank: npt.NDArray[np.intp]
    case_ref: list[str]
    unit: list[str | None]
    outcome: npt.NDArray[np.int8]
    basis: npt.NDArray[np.int8]
    reason: list[str]
    evidence: list[tuple[Evidence, ...]]
    trigger: Days
    trigger_label: list[str | None]
    due: Days
    done: Days
    late_by: Days
    late_unit: npt.NDArray[np.int8]
    standard: list[str | None]
    worded: bool = True
    """Whether the reasons, evidence, trigger labels and standards were written."""
    lines: list[str | None] | None = None
    """Explained for writers of text (``explain(text=True)``): each finding's evidence
    line (:func:`~casework.rules.engine.evidence_line`) where its wording gave it as text
    (its ``evidence`` is then ``()``), ``None`` where ``evidence`` holds it. ``None``:
    every evidence is in ``evidence``. Such a table is written as CSV or Parquet, not
    made :class:`Finding` objects or JSON (``ValueError``: :data:`TEXT_ONLY`)."""

    def __len__(self) -> int:
        return len(self.case_ref)

    @classmethod
    def empty(cls, ruleset: RuleSet) -> FindingTable:
        """No findings."""
        none = np.zeros(0, dtype=np.int64)
        code = np.zeros(0, dtype=np.int8)
        return cls(rules=(), ruleset=ruleset, as_of=dt.date.min, rank=np.zeros(0, np.intp),
                   case_ref=[], unit=[], outcome=code, basis=code, reason=[], evidence=[],
                   trigger=none, trigger_label=[], due=none, done=none, late_by=none,
                   late_unit=code, standard=[])  # fmt: skip

    def findings(self) -> Iterator[Finding]:
        """Each finding as a :class:`Finding` (``ValueError`` for a table without words, or
        with its evidence as text)."""
        if not self.worded:
            raise ValueError(UNWORDED)
        if self.lines is not None:
            raise ValueError(TEXT_ONLY)
        ruleset = self.ruleset
        for i, rank in enumerate(self.rank.tolist()):
            rule = self.rules[rank]
            late_by = int(self.late_by[i])
            yield Finding(
                case_ref=self.case_ref[i],
                rule_id=rule.id,
                question=rule.question,
                outcome=OUTCOMES[self.outcome[i]],
                basis=BASES[self.basis[i]],
                reason=self.reason[i],
                evidence=self.evidence[i],
                source=rule.source,
                kind=rule.kind,
                roh=rule.roh,
                criterion=rule.criterion,
                ruleset=ruleset.name,
                ruleset_version=ruleset.version,
                as_of=self.as_of,
                unit=self.unit[i],
                group=rule.group,
                trigger=from_day_number(self.trigger[i]),
                trigger_label=self.trigger_label[i],
                due=from_day_number(self.due[i]),
                done=from_day_number(self.done[i]),
                late_by=None if late_by < 0 else late_by,
                late_unit=LATE_UNITS[self.late_unit[i]],
                standard=self.standard[i],
            )

    def take(self, chosen: npt.NDArray[np.intp]) -> FindingTable:
        """These findings only, in this order."""
        picked = chosen.tolist()
        changes: dict[str, Any] = {}
        for field in attrs.fields(FindingTable):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                changes[field.name] = value[chosen]
            elif isinstance(value, list):
                changes[field.name] = [value[i] for i in picked]
        return attrs.evolve(self, **changes)


@attrs.frozen
class FindingColumns:
    """Every rule of a rule set on a chunk of cases, as columns (:func:`evaluate_columns`).

    ``by_rule`` holds each rule's :class:`RuleColumns` in rule order. Outcome, basis
    and dates are columns; sentences are written only when asked
    (:meth:`findings`, :meth:`RuleColumns.finding`).
    """

    columns: CaseColumns = attrs.field(repr=False)
    ruleset: RuleSet = attrs.field(repr=False)
    by_rule: tuple[RuleColumns, ...] = attrs.field(repr=False)

    def __len__(self) -> int:
        return sum(len(answered) for answered in self.by_rule)

    def __repr__(self) -> str:
        return (
            f"FindingColumns({len(self.columns)} cases, {len(self.by_rule)} rules, "
            f"{len(self)} findings, ruleset={self.ruleset.name!r})"
        )

    def rule(self, rule_id: str) -> RuleColumns:
        """One rule's answers."""
        for answered in self.by_rule:
            if answered.rule.id == rule_id:
                return answered
        raise KeyError(f"rule {rule_id} is not in rule set {self.ruleset.name}")

    def findings(self) -> Iterator[Finding]:
        """Every finding, explained, in the scalar engine's order (case by case, rules
        in order): each sentence written now (:meth:`explain`), word for word the scalar
        engine's."""
        yield from self.explain().findings()

    def _order(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Every answer's case row and rule rank (rules in order, each rule's answers in
        turn), and the order that puts them in the scalar engine's order: case by case,
        rules in order, units in order (a stable sort keeps them)."""
        rows = np.concatenate([answered.row for answered in self.by_rule])
        rank = np.concatenate(
            [np.full(len(a), i, dtype=np.intp) for i, a in enumerate(self.by_rule)]
        )
        return rows, rank, np.lexsort((rank, rows))

    def positions(
        self, rules: npt.NDArray[np.intp], answers: npt.NDArray[np.intp]
    ) -> npt.NDArray[np.intp]:
        """Where answers stand in the table :meth:`explain` makes (a ``where`` that keeps
        them, in this order): the ``answers[k]``-th answer of the ``rules[k]``-th rule
        (positions in its :class:`RuleColumns`)."""
        rules = np.asarray(rules, dtype=np.intp)
        answers = np.asarray(answers, dtype=np.intp)
        if rules.shape != answers.shape:
            raise ValueError(f"rules and answers: {rules.size} rules for {answers.size} answers")
        sizes = np.asarray([len(answered) for answered in self.by_rule], dtype=np.intp)
        if rules.size and not (
            rules.min() >= 0
            and rules.max() < sizes.size
            and answers.min() >= 0
            and (answers < sizes[rules]).all()
        ):
            raise ValueError("rules and answers: an answer that no rule of the chunk gave")
        if not rules.size:
            return np.zeros(0, dtype=np.intp)
        _rows, _rank, order = self._order()
        place = np.empty(order.size, dtype=np.intp)
        place[order] = np.arange(order.size, dtype=np.intp)
        first = np.cumsum(sizes) - sizes
        found: npt.NDArray[np.intp] = place[first[rules] + answers]
        return found

    def explain(
        self,
        *,
        words: bool = True,
        where: Callable[[FindingTable], npt.NDArray[np.intp]] | None = None,
        text: bool = False,
    ) -> FindingTable:
        """Every finding, explained, as columns in the scalar engine's order (case by case,
        rules in order, units in order): the reasons and evidence word for word the scalar
        engine's (:meth:`RuleColumns.explained`), no :class:`Finding` made where a rule's
        words are known from plain values.

        ``words=False`` leaves the words out (reasons, evidence, trigger labels and
        standards: :attr:`FindingTable.worded` false), the rest the same: every field of
        the rule, the outcome, basis and dates, for a fraction of the time.

        ``where`` keeps some findings: given the table without words, it gives the
        positions of those wanted (:func:`casework.report.selector` makes one from the
        filters of ``casework findings``). The table holds only them, in that order, and
        only they are put in words, each as it would be in the whole table.

        ``text=True``: for a writer of text (CSV, Parquet): evidence a wording makes as
        its line of text (:data:`TEXT_MANY`) is kept as that line
        (:attr:`FindingTable.lines`), no :class:`Evidence` made; the same text is
        written."""
        ctx = self.by_rule[0].context if self.by_rule else None
        if not self.by_rule or ctx is None:
            return FindingTable.empty(self.ruleset)
        rows, rank, order = self._order()
        ordered = order.tolist()
        blank: tuple[Any, ...] = ("", (), None, None)  # reason, evidence, label, standard

        def joined(name: str) -> npt.NDArray[Any]:
            return np.concatenate([getattr(a, name) for a in self.by_rule])[order]

        references = self.columns.references
        units = [unit for a in self.by_rule for unit in a.unit]
        table = FindingTable(
            rules=tuple(a.rule for a in self.by_rule),
            ruleset=self.ruleset,
            as_of=ctx.as_of,
            rank=rank[order],
            case_ref=[references[i] for i in rows[order].tolist()],
            unit=[units[i] for i in ordered],
            outcome=joined("outcome"),
            basis=joined("basis"),
            reason=[blank[0]] * len(ordered),
            evidence=[blank[1]] * len(ordered),
            trigger=joined("trigger"),
            trigger_label=[blank[2]] * len(ordered),
            due=joined("due"),
            done=joined("done"),
            late_by=joined("late_by"),
            late_unit=joined("late_unit"),
            standard=[blank[3]] * len(ordered),
            worded=False,
        )
        kept = None if where is None else np.asarray(where(table), dtype=np.intp)
        if kept is not None and kept.size and not (kept.min() >= 0 and kept.max() < len(table)):
            raise ValueError(f"where: positions must be in 0..{len(table) - 1}")
        if kept is not None:
            table = table.take(kept)
        if not words:
            return table
        wanted: list[Mask | None] = [None] * len(self.by_rule)
        picked = order  # (each row's answer, in the order the rules answered)
        if kept is not None:  # the answers kept, rule by rule
            chosen = np.zeros(len(ordered), dtype=bool)
            chosen[order[kept]] = True
            ends = np.cumsum([len(a) for a in self.by_rule]).tolist()
            wanted = [chosen[end - len(a) : end] for a, end in zip(self.by_rule, ends, strict=True)]
            picked = order[kept]
        worded: list[tuple[list[Any], ...]] = [
            a.explained_as_text(only) if text else a.explained(only)
            for a, only in zip(self.by_rule, wanted, strict=True)
        ]

        def joined_list(part: int) -> list[Any]:
            if all(said[part].count(None) == len(said[part]) for said in worded):
                return [None] * len(picked)  # (no rule gave one: trigger labels, standards)
            # (an array of objects: taken in order in one step)
            every = np.fromiter(
                itertools.chain.from_iterable(said[part] for said in worded),
                dtype=object,
                count=len(ordered),
            )  # (each item as it is: a tuple of evidence stays one object)
            listed: list[Any] = every[picked].tolist()
            return listed

        lines = joined_list(4) if text else None
        return attrs.evolve(
            table,
            reason=joined_list(0),
            evidence=joined_list(1),
            trigger_label=joined_list(2),
            standard=joined_list(3),
            worded=True,
            lines=None if lines is None or lines.count(None) == len(lines) else lines,
        )

    def to_arrow(self) -> pa.Table:
        """Outcome, basis and dates of every finding, in the scalar engine's order
        (case by case, rules in rule order, units in order): ``case_ref``, ``rule_id``,
        ``unit``, ``outcome``, ``basis``, ``trigger``, ``due``, ``done``, ``late_by``,
        ``late_unit``."""
        if not self.by_rule:
            return pa.table({})
        rows, rank, order = self._order()
        references = np.asarray(self.columns.references, dtype=object)

        def joined(name: str) -> npt.NDArray[Any]:
            return np.concatenate([getattr(a, name) for a in self.by_rule])[order]

        def dates(name: str) -> pa.Array:
            values = joined(name)
            missing = values == NO_DAY
            stamps = np.where(missing, 0, values).astype(np.int32)
            return pa.array(stamps, pa.int32(), mask=missing).cast(pa.date32())

        units = [unit for a in self.by_rule for unit in a.unit]
        late_by = joined("late_by")
        return pa.table(
            {
                "case_ref": pa.array(references[rows[order]], pa.string()),
                "rule_id": pa.DictionaryArray.from_arrays(
                    pa.array(rank[order].astype(np.int32)),
                    pa.array([a.rule.id for a in self.by_rule]),
                ),
                "unit": pa.array([units[int(i)] for i in order], pa.string()),
                "outcome": pa.DictionaryArray.from_arrays(
                    pa.array(joined("outcome")), pa.array([o.value for o in OUTCOMES])
                ),
                "basis": pa.DictionaryArray.from_arrays(
                    pa.array(joined("basis")), pa.array([b.value for b in BASES])
                ),
                "trigger": dates("trigger"),
                "due": dates("due"),
                "done": dates("done"),
                "late_by": pa.array(late_by.astype(np.int32), pa.int32(), mask=late_by < 0),
                "late_unit": pa.array(
                    [LATE_UNITS[code] for code in joined("late_unit")], pa.string()
                ),
            }
        )


def evaluate_columns(
    cases: Sequence[Case] | CaseColumns,
    ruleset: RuleSet | str,
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    options: dict[str, Any] | None = None,
) -> FindingColumns:
    """Every rule of ``ruleset`` (a :class:`RuleSet` or its name) on a chunk of cases, as
    columns.

    Rules with a kernel answer for the whole chunk at once; the others are asked
    case by case, all of them in one pass over each case. The answers equal
    :func:`casework.rules.evaluate`'s on outcome, basis and dates
    (tests/columnar/test_evaluate_columns.py).

    A record recorded after ``as_of`` is evaluated as it stood on ``as_of``, as the
    engine evaluates it (:meth:`Case.as_at`): the chunk is pruned on columns
    (:func:`casework.columnar.asat.columns_as_at`), so the answers'
    :attr:`FindingColumns.columns` is then the pruned chunk (same rows, same
    references), not the one passed in.
    """
    ruleset = checked_ruleset(ruleset)
    as_of, calendar = checked_day(as_of), checked_calendar(calendar)
    columns = (
        cases
        if isinstance(cases, CaseColumns)
        else CaseColumns.from_cases(
            tuple(each_case(cases, "casework.Case objects or a chunk's CaseColumns"))
        )
    )
    # Records recorded after as_of, as they stood on it (Case.as_at): pruned on columns
    # once per chunk and day, then answered by the kernels as any other.
    columns = columns_as_at(columns, as_of)
    ctx = Context.of(ruleset, as_of=as_of, calendar=calendar, options=options)
    kernels = {rule.id: kernel for rule in ruleset.rules if (kernel := kernel_for(rule))}
    scalar = [rule.id for rule in ruleset.rules if rule.id not in kernels]
    by_scalar: dict[str, list[Finding]] = {rule_id: [] for rule_id in scalar}
    rows: dict[str, list[int]] = {rule_id: [] for rule_id in scalar}
    if scalar:
        only = ruleset.only(scalar)
        for row in range(len(columns)):
            for finding in evaluate_case(
                asked_case(columns, row, as_of),
                only,
                as_of=as_of,
                calendar=calendar,
                options=options,
            ):
                by_scalar[finding.rule_id].append(finding)
                rows[finding.rule_id].append(row)
    answers = []
    for rule in ruleset.rules:
        kernel = kernels.get(rule.id)
        if kernel is not None:
            answers.append(_by_kernel(columns, ruleset, rule, ctx, kernel))
        else:
            answers.append(
                RuleColumns(
                    rule=rule,
                    columns=columns,
                    context=ctx,
                    ruleset=ruleset,
                    row=np.asarray(rows[rule.id], dtype=np.intp),
                    found=tuple(by_scalar[rule.id]),
                    **_from_findings(by_scalar[rule.id]),
                )
            )
    return FindingColumns(columns=columns, ruleset=ruleset, by_rule=tuple(answers))
