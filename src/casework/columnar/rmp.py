"""Kernels for the risk management plan rules of :mod:`casework.rules.standards.oasys`
(``NS07.rmp-release-high-roh``, ``NS07.rmp-before-release``) and the consistency rules of
:mod:`casework.rules.standards.consistency` (``NS07.rmp-where-not-low``,
``NS07.mappa-level``, ``NS07.full-analysis-where-screened``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from casework.columnar.answers import Answers
from casework.columnar.columns import (
    LATEST,
    NO_DAY,
    CaseColumns,
    Days,
    Table,
    day_isos,
    day_words,
    from_day_number,
    from_day_numbers,
    raw_table,
    unique_days,
)
from casework.columnar.columns import day_number as _day
from casework.columnar.core import (
    BASES,
    BASIS_CODE,
    LATE_CODE,
    OUTCOME_CODE,
    OUTCOMES,
    Answer,
    Explained,
    ExplainedText,
    Wording,
    add_duration,
    deadline,
    deadline_wording,
    register,
    register_many,
    register_text_many,
    verdict_said,
)
from casework.columnar.core import Answers as Answers_
from casework.columnar.group import first_by_keys, take
from casework.columnar.raw import lookup
from casework.columnar.supervision import (
    LICENCE,
    ROH_RANK,
    first_of_units,
    table_of,
)
from casework.model import MappaLevel, RohLevel
from casework.rules.engine import (
    Basis,
    Context,
    Outcome,
    Verdict,
    evidence_line,
    shown_source,
)
from casework.rules.parameters import MissingParameterError
from casework.rules.standards import consistency, oasys
from casework.rules.timing import DeadlineSaid
from casework.rules.units import combined_reason, combined_words, unit_label, unit_label_words
from casework.text import long_date

__all__ = [
    "analyses",
    "full_analysis_where_screened",
    "mappa_level",
    "rmp_before_release",
    "rmp_release_high_roh",
    "rmp_where_not_low",
]


def _licence_at_least(columns: CaseColumns, answers: Answers, level: RohLevel) -> Any:
    """Licence cases whose RoH at start was ``level`` or higher (no RoH: cannot assess)."""
    found = table_of(columns, "sup.case")
    licence = found["kind"] == LICENCE
    rank = found["roh_start"]
    answers.mark(licence & (rank < 0), Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    return np.flatnonzero(licence & (rank >= ROH_RANK[level]))


def rmp_release_high_roh(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.rmp-release-high-roh: the earliest RMP counting for the release (as
    :func:`casework.rules.oasys.oasys_completion` chooses them) within the limit of release."""
    answers = Answers(len(columns))
    rows = _licence_at_least(columns, answers, RohLevel.HIGH)
    try:
        duration = ctx.param("rmp_release_limit").duration
    except MissingParameterError:
        answers.mark(rows, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
        return answers.result()
    done = columns.earliest(columns.rmp, columns.candidates())
    answers.put(
        rows,
        deadline(ctx, columns.start[rows], done[rows], duration, columns.record_as_of[rows]),
    )
    answers.word(
        rows,
        deadline_wording(
            ctx,
            "rmp_release_limit",
            anchor_label="release",
            labels=oasys.RMP_RELEASE_LABELS,
            size=len(rows),
        ),
    )
    return answers.result()


_RELEASE = {"anchor_label": "release"}


def _before_release_said(answer: Answer, *, anchor_label: str) -> Explained | None:
    """An ``NS07.rmp-before-release`` answer in words (the rule's own template)."""
    if answer.basis is not Basis.COMPUTED or answer.trigger is None:
        return None
    reason, evidence = oasys.rmp_before_release_words(
        answer.outcome, released=answer.trigger, done=answer.done
    )
    return reason, evidence, anchor_label


def rmp_before_release(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.rmp-before-release: an RMP done for the release on or before the day of release;
    else not met, late by the days to the first RMP after release (or to as_of)."""
    answers = Answers(len(columns))
    rows = _licence_at_least(columns, answers, RohLevel.MEDIUM)
    released = columns.start
    on_or_before = columns.for_release & (columns.rmp <= released[columns.owner])
    before = columns.earliest(columns.rmp, on_or_before)[rows]
    after = columns.earliest(columns.rmp, columns.rmp > released[columns.owner])[rows]
    released = released[rows]
    met = before != NO_DAY
    done = np.where(met, before, after)
    known = np.minimum(_day(ctx.as_of), columns.record_as_of[rows])
    days_late = np.where(done != NO_DAY, done, known) - released
    late = ~met & (days_late > 0)
    outcome = np.where(met, OUTCOME_CODE[Outcome.MET], OUTCOME_CODE[Outcome.NOT_MET])
    answers.put(
        rows,
        {
            "outcome": outcome,
            "basis": BASIS_CODE[Basis.COMPUTED],
            "trigger": released,
            "due": released,
            "done": done,
            "late_by": np.where(late, days_late, -1),
            "late_unit": np.where(late, LATE_CODE["days"], 0),
        },
    )
    answers.word(rows, Wording(_before_release_said, np.arange(len(rows)), {}, _RELEASE))
    return answers.result()


_WINDOWS = ("oasys_ppo_limit", "oasys_tier4_limit", "oasys_tier1to3_limit")


def rmp_where_not_low(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.rmp-where-not-low: the RoH level in force on as_of is not low; any RMP counts;
    not yet due until the OASys limit for the case (PPO, Tier 4, else Tiers 1-3) from the
    start, or from the date the level was set if later."""
    found = table_of(columns, "sup.case")
    answers = Answers(len(columns))
    rank, since = found["roh_last"], found["roh_last_on"]
    answers.mark(rank < 0, Outcome.CANNOT_ASSESS, Basis.MISSING_DATA)
    member = rank > ROH_RANK[RohLevel.LOW]
    window = np.where(columns.ppo_at_start, 0, np.where(columns.tier_at_start == 4, 1, 2))
    anchor = np.where(since > columns.start, since, columns.start)
    due = np.full(len(columns), NO_DAY, dtype=np.int64)
    for code, name in enumerate(_WINDOWS):
        chosen = np.flatnonzero(member & (window == code))
        if not chosen.size:
            continue
        try:
            duration = ctx.param(name).duration
        except MissingParameterError:
            answers.mark(chosen, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
            member[chosen] = False
            continue
        due[chosen] = add_duration(ctx.calendar, anchor[chosen], duration)
    rows = np.flatnonzero(member)
    latest = np.full(len(columns), NO_DAY, dtype=np.int64)
    np.maximum.at(latest, columns.owner, columns.rmp)
    done, due = latest[rows], due[rows]
    has = done != NO_DAY
    pending = ~has & (_day(ctx.as_of) <= due)
    outcome = np.full(len(rows), OUTCOME_CODE[Outcome.NOT_MET], dtype=np.int8)
    outcome[has] = OUTCOME_CODE[Outcome.MET]
    outcome[pending] = OUTCOME_CODE[Outcome.NOT_APPLICABLE]
    basis = np.where(pending, BASIS_CODE[Basis.NOT_YET_DUE], BASIS_CODE[Basis.COMPUTED])
    answers.put(
        rows,
        {"outcome": outcome, "basis": basis, "trigger": anchor[rows], "due": due, "done": done},
    )
    label = np.where(since > columns.start, 2, columns.released.astype(np.intp))[rows]
    answers.word(
        rows,
        Wording(
            _not_low_said,
            np.arange(len(rows), dtype=np.intp),
            _values(
                rank=rank[rows],
                since=since[rows],
                window=window[rows],
                anchor_label=_NOT_LOW_LABELS[label],
            ),
            {"limits": _limits(ctx)},
        ),
    )
    return answers.result()


#: What starts the clock of ``rmp-where-not-low``: sentence, release, or the RoH level if later.
_NOT_LOW_LABELS = np.asarray(["sentence", "release", "the RoH level"], dtype=object)
#: The RoH level of each rank.
_LEVEL_OF_RANK = {level.rank: level for level in RohLevel}
_DECIDED = frozenset({Basis.COMPUTED, Basis.NOT_YET_DUE})


def _values(**columns: npt.NDArray[Any]) -> dict[str, Sequence[Any]]:
    """A :class:`Wording`'s values: columns aligned with its answers, read one at a time."""
    return cast(dict[str, Sequence[Any]], columns)


def _limits(ctx: Context) -> tuple[tuple[str, str | None] | None, ...]:
    """Each OASys window's limit in words and its source (``None``: no value)."""
    found: list[tuple[str, str | None] | None] = []
    for name in _WINDOWS:
        try:
            parameter = ctx.param(name)
        except MissingParameterError:
            found.append(None)
        else:
            found.append((str(parameter.duration), parameter.source))
    return tuple(found)


def _not_low_said(
    answer: Answer,
    *,
    rank: int,
    since: int,
    window: int,
    anchor_label: str,
    limits: tuple[tuple[str, str | None] | None, ...],
) -> Explained | None:
    """An ``NS07.rmp-where-not-low`` answer in words (the rule's own template)."""
    limit = limits[int(window)]
    on = from_day_number(int(since))
    if answer.basis not in _DECIDED or limit is None or on is None:
        return None
    if answer.trigger is None or answer.due is None:
        return None
    verdict = consistency.rmp_where_not_low_verdict(
        level=_LEVEL_OF_RANK[int(rank)],
        since=on,
        anchor=answer.trigger,
        anchor_label=anchor_label,
        due=answer.due,
        limit=limit[0],
        source=limit[1],
        latest=answer.done,
        as_of=answer.as_of,
    )
    return verdict_said(answer, verdict, anchor_label)


def _not_low_said_many(
    answers: Answers_,
    *,
    rank: Sequence[int],
    since: Sequence[int],
    window: Sequence[int],
    anchor_label: Sequence[str],
    limits: tuple[tuple[str, str | None] | None, ...],
) -> list[Explained | None]:
    """:func:`_not_low_said` of many answers: each day made a date once, and each answer's
    words by :func:`~casework.rules.standards.consistency.rmp_where_not_low_words` (no
    verdict made), kept where they are the answer's outcome and basis."""
    n = len(answers)
    said: list[Explained | None] = [None] * n
    decided = np.isin(answers.basis, [BASIS_CODE[basis] for basis in _DECIDED])
    decided &= (answers.trigger != NO_DAY) & (answers.due != NO_DAY)
    decided &= np.asarray(since) != NO_DAY
    distinct, inverse = unique_days(
        np.concatenate([np.asarray(since), answers.trigger, answers.due, answers.done])
    )
    dates = from_day_numbers(distinct.tolist())
    on, anchor, due, done = ([dates[i] for i in picks] for picks in inverse.reshape(4, -1).tolist())
    outcomes, bases, as_of = answers.outcome.tolist(), answers.basis.tolist(), answers.as_of
    for k in np.flatnonzero(decided).tolist():
        limit = limits[int(window[k])]
        started, due_on, since_on = anchor[k], due[k], on[k]
        if limit is None or started is None or due_on is None or since_on is None:
            continue
        words = consistency.rmp_where_not_low_words(
            level=_LEVEL_OF_RANK[int(rank[k])], since=since_on, anchor=started,
            anchor_label=anchor_label[k], due=due_on, limit=limit[0], source=limit[1],
            latest=done[k], as_of=as_of,
        )  # fmt: skip
        if words.outcome is OUTCOMES[outcomes[k]] and words.basis is BASES[bases[k]]:
            said[k] = (words.reason, words.evidence, anchor_label[k])
    return said


def _not_low_text_many(
    answers: Answers_,
    *,
    rank: Sequence[int],
    since: Sequence[int],
    window: Sequence[int],
    anchor_label: Sequence[str],
    limits: tuple[tuple[str, str | None] | None, ...],
) -> list[ExplainedText | None]:
    """:func:`_not_low_said_many` for writers of text: which sentence of
    :func:`~casework.rules.standards.consistency.rmp_where_not_low_words` each answer takes
    (RMP done, not yet due, none) found for all at once, kept where it is the answer's
    outcome and basis, and its sentence and evidence line written from each day's words,
    no item made."""
    n = len(answers)
    said: list[ExplainedText | None] = [None] * n
    on = np.asarray(since, dtype=np.int64)
    windows = np.asarray(window, dtype=np.intp)
    limited = np.asarray([limit is not None for limit in limits], dtype=bool)
    known = (answers.trigger != NO_DAY) & (answers.due != NO_DAY) & (on != NO_DAY)
    known &= limited[windows]
    # rmp_where_not_low_words' branches: 0 an RMP done, 1 not yet due, 2 none
    branch = np.where(answers.done != NO_DAY, 0, np.where(answers.due >= _day(answers.as_of), 1, 2))
    outcome = np.asarray(
        [
            OUTCOME_CODE[Outcome.MET],
            OUTCOME_CODE[Outcome.NOT_APPLICABLE],
            OUTCOME_CODE[Outcome.NOT_MET],
        ]
    )[branch]
    basis = np.where(branch == 1, BASIS_CODE[Basis.NOT_YET_DUE], BASIS_CODE[Basis.COMPUTED])
    fits = known & (outcome == answers.outcome) & (basis == answers.basis)
    at = np.flatnonzero(fits)
    if not at.size:
        return said
    days = {
        name: column[at].tolist()
        for name, column in (
            ("since", on), ("anchor", answers.trigger), ("due", answers.due), ("done", answers.done)
        )
    }  # fmt: skip
    words = {name: day_words(listed) for name, listed in days.items()}
    isos = {name: day_isos(listed) for name, listed in days.items()}
    levels = [_LEVEL_OF_RANK[int(r)] for r in np.asarray(rank)[at].tolist()]
    for j, (k, b, level) in enumerate(zip(at.tolist(), branch[at].tolist(), levels, strict=True)):
        limit, source = cast("tuple[str, str | None]", limits[int(windows[k])])
        shown = shown_source(source)
        level_words = consistency.roh_level_words(level)
        if b == 0:
            reason = consistency.rmp_completed_reason(
                latest=words["done"][j], level=level_words, since=words["since"][j]
            )
        elif b == 1:
            reason = consistency.rmp_pending_reason(
                due=words["due"][j], limit=limit, anchor_label=anchor_label[k],
                anchor=words["anchor"][j], level=level_words, since=words["since"][j],
            )  # fmt: skip
        else:
            reason = consistency.rmp_missing_reason(
                level=level_words, since=words["since"][j], due=words["due"][j]
            )
        line = (
            f"RoH level: {level.value}; RoH level since: {isos['since'][j]}; time limit: "
            f"{limit}{shown}; due by: {isos['due'][j]}{shown}"
        )
        if b == 0:
            line += f"; risk management plan completed: {isos['done'][j]}"
        said[k] = (reason, line, anchor_label[k])
    return said


register_many(_not_low_said, _not_low_said_many)
register_text_many(_not_low_said, _not_low_text_many)


def mappa_level(columns: CaseColumns, _ctx: Context) -> dict[str, Any]:
    """NS07.mappa-level: a MAPPA case has a level recorded (by as_of: every record is)."""
    found = table_of(columns, "sup.case")
    answers = Answers(len(columns))
    answers.mark(found["mappa"], Outcome.NOT_MET, Basis.COMPUTED)
    answers.mark(found["mappa_levels"], Outcome.MET, Basis.COMPUTED)
    rows = np.flatnonzero(found["mappa"])
    levels = columns.raw["mappa.levels"]
    owner, on = levels["owner"], levels["on"]
    # The last level of the latest day (sorted by day, the last of equals, as the rule).
    latest = first_by_keys(len(columns), owner, -on, -np.arange(len(owner)))[rows]
    answers.word(
        rows,
        Wording(
            _mappa_said,
            np.arange(len(rows), dtype=np.intp),
            _values(
                level=take(_MAPPA_VALUE[levels["level"]], latest, 0), on=take(on, latest, NO_DAY)
            ),
        ),
    )
    return answers.result()


#: A MAPPA level's number by its raw code.
_MAPPA_VALUE = lookup(MappaLevel, int)


def _mappa_said(answer: Answer, *, level: int, on: int) -> Explained | None:
    """An ``NS07.mappa-level`` answer in words (the rule's own template)."""
    if answer.basis is not Basis.COMPUTED:
        return None
    day = from_day_number(int(on))
    verdict = consistency.mappa_level_verdict(None if day is None else int(level), day)
    return verdict_said(answer, verdict, None)


@raw_table("sup.analyses")
def analyses(columns: CaseColumns) -> Table:
    """One row per assessment (as ``CaseColumns`` orders them): whether it holds a full
    analysis, its completion, and a claimed exemption's countersignature."""
    found = columns.raw["assessments"]
    has = found["full_analysis"]
    exempted = has & found["full_analysis.exempted"]
    return {
        "owner": found["owner"].astype(np.intp, copy=False),
        "has": has,
        "completed": np.where(has, found["full_analysis.completed_on"], NO_DAY),
        "exempted": exempted,
        "countersigned": np.where(
            exempted, found["full_analysis.exemption_countersigned_on"], NO_DAY
        ),
    }


def _window_due(
    columns: CaseColumns, ctx: Context, owner: Any, anchor: Days
) -> tuple[Days, Any, Any]:
    """The OASys limit for each owner's case (PPO, Tier 4, else Tiers 1-3) after ``anchor``,
    which owners have no value for it, and which limit each has (codes of ``_WINDOWS``)."""
    window = np.where(columns.ppo_at_start, 0, np.where(columns.tier_at_start == 4, 1, 2))[owner]
    due = np.full(len(owner), NO_DAY, dtype=np.int64)
    unset = np.zeros(len(owner), dtype=bool)
    for code, name in enumerate(_WINDOWS):
        chosen = np.flatnonzero(window == code)
        if not chosen.size:
            continue
        try:
            duration = ctx.param(name).duration
        except MissingParameterError:
            unset[chosen] = True
            continue
        due[chosen] = add_duration(ctx.calendar, anchor[chosen], duration)
    return due, unset, window


def full_analysis_where_screened(columns: CaseColumns, ctx: Context) -> dict[str, Any]:
    """NS07.full-analysis-where-screened: for every screening that called for one (in date
    order), a full analysis completed (else an exemption countersigned) in its assessment or
    one done since; not yet due until the OASys limit from the screening has passed."""
    answers = Answers(len(columns))
    found = table_of(columns, "sup.analyses")
    screened = np.flatnonzero(columns.screened_in)
    if not screened.size:
        return answers.result()
    screened = screened[
        np.lexsort((screened, columns.screening[screened], columns.owner[screened]))
    ]
    owner = columns.owner[screened]
    on = columns.screening[screened]
    # Every assessment of each screening's case: (unit, assessment) pairs.
    counts = np.bincount(columns.owner, minlength=len(columns))
    firsts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    per_unit = counts[owner]
    unit = np.repeat(np.arange(len(screened)), per_unit)
    offset = np.arange(unit.size) - np.repeat(np.cumsum(per_unit) - per_unit, per_unit)
    other = firsts[owner[unit]] + offset
    relevant = found["has"][other] & (
        (other == screened[unit])
        | ((columns.latest[other] != NO_DAY) & (columns.latest[other] >= on[unit]))
    )
    completed = np.full(len(screened), LATEST, dtype=np.int64)
    take = relevant & (found["completed"][other] != NO_DAY)
    np.minimum.at(completed, unit[take], found["completed"][other][take])
    signed = np.full(len(screened), LATEST, dtype=np.int64)
    take = relevant & found["exempted"][other] & (found["countersigned"][other] != NO_DAY)
    np.minimum.at(signed, unit[take], found["countersigned"][other][take])
    claimed = np.zeros(len(screened), dtype=bool)
    claimed[unit[relevant & found["exempted"][other]]] = True
    done = np.where(completed != LATEST, completed, signed)
    met = done != LATEST
    done = np.where(met, done, NO_DAY)
    due, unset, window = _window_due(columns, ctx, owner, on)
    no_value = np.zeros(len(columns), dtype=bool)
    no_value[owner[unset]] = True
    pending = ~met & (_day(ctx.as_of) <= due)
    outcome = np.full(len(screened), OUTCOME_CODE[Outcome.NOT_MET], dtype=np.int8)
    outcome[met] = OUTCOME_CODE[Outcome.MET]
    outcome[pending] = OUTCOME_CODE[Outcome.NOT_APPLICABLE]
    basis = np.where(pending, BASIS_CODE[Basis.NOT_YET_DUE], BASIS_CODE[Basis.COMPUTED])
    keep = ~no_value[owner]
    cases, first = first_of_units(owner[keep], outcome[keep])
    chosen = np.flatnonzero(keep)[first]
    answers.put(
        cases,
        {
            "outcome": outcome[chosen],
            "basis": basis[chosen],
            "trigger": on[chosen],
            "due": due[chosen],
            "done": done[chosen],
        },
    )
    answers.mark(no_value, Outcome.CANNOT_ASSESS, Basis.NO_PARAMETER)
    # Every screening of a case answered is kept, in order: its units run from `first`.
    firsts = np.searchsorted(owner, cases, side="left")
    units = {
        "on": on,
        "assessment": columns.raw["assessments"]["id"][screened],
        "completed": completed,
        "signed": signed,
        "claimed": claimed,
        "due": due,
        "window": window,
    }
    answers.word(
        cases,
        Wording(
            _screened_said,
            np.arange(len(cases), dtype=np.intp),
            _values(first=firsts, stop=firsts + np.bincount(owner)[cases]),
            {"units": units, "limits": _limits(ctx), "anchor_label": "screening"},
        ),
    )
    return answers.result()


def _screened_said(
    answer: Answer,
    *,
    first: int,
    stop: int,
    units: dict[str, npt.NDArray[Any]],
    limits: tuple[tuple[str, str | None] | None, ...],
    anchor_label: str,
) -> Explained | None:
    """An ``NS07.full-analysis-where-screened`` answer in words: each screening of the
    case (units ``first`` to ``stop``) by the rule's own template, combined as the rule."""
    if answer.basis not in _DECIDED:
        return None
    screenings: list[tuple[dt.date, Verdict]] = []
    for u in range(int(first), int(stop)):
        limit = limits[int(units["window"][u])]
        on, due = from_day_number(int(units["on"][u])), from_day_number(int(units["due"][u]))
        if limit is None or on is None or due is None:
            return None
        completed, signed = int(units["completed"][u]), int(units["signed"][u])
        verdict = consistency.analysis_verdict(
            on=on,
            assessment=str(units["assessment"][u]),
            completed=None if completed == LATEST else from_day_number(completed),
            countersigned=None if signed == LATEST else from_day_number(signed),
            claimed=bool(units["claimed"][u]),
            due=due,
            limit=limit[0],
            source=limit[1],
            as_of=answer.as_of,
        )
        screenings.append((on, verdict))
    return verdict_said(answer, consistency.screenings_verdict(screenings), anchor_label)


def _screenings_of(
    answers: Answers_, first: Sequence[int], stop: Sequence[int]
) -> tuple[list[int], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The screenings of the decided answers (units ``first`` to ``stop`` of each): the
    decided answers with none (worded one by one), each answer's count (none for the
    others), and each screening's answer (``owner``) and row among the units (``unit``),
    in order."""
    n = len(answers)
    decided = np.isin(answers.basis, [BASIS_CODE[basis] for basis in _DECIDED])
    starts = np.asarray(first, dtype=np.intp)
    counts = np.asarray(stop, dtype=np.intp) - starts
    none: list[int] = np.flatnonzero(decided & (counts <= 0)).tolist()
    counts = np.where(decided, np.maximum(counts, 0), 0)
    owner = np.repeat(np.arange(n, dtype=np.intp), counts)
    unit = starts[owner] + (
        np.arange(owner.size, dtype=np.intp) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    return none, counts, owner, unit


def _screened_said_many(
    answers: Answers_,
    *,
    first: Sequence[int],
    stop: Sequence[int],
    units: dict[str, npt.NDArray[Any]],
    limits: tuple[tuple[str, str | None] | None, ...],
    anchor_label: str,
) -> list[Explained | None]:
    """:func:`_screened_said` of many answers: every screening's words made by
    :func:`~casework.rules.standards.consistency.analysis_words` (no verdict per screening),
    each day made a date once, each answer's screenings combined by
    :func:`~casework.rules.units.combined_words` (the words of
    :func:`~casework.rules.standards.consistency.screenings_verdict`). An answer with no
    screening is asked one by one."""
    n = len(answers)
    said: list[Explained | None] = [None] * n
    none, counts, owner, unit = _screenings_of(answers, first, stop)
    for k in none:
        said[k] = _screened_said(
            answers.answer(k), first=int(first[k]), stop=int(stop[k]), units=units,
            limits=limits, anchor_label=anchor_label,
        )  # fmt: skip
    distinct, inverse = unique_days(
        np.concatenate([units["on"][unit], units["due"][unit], units["completed"][unit],
                        units["signed"][unit]]),
    )  # fmt: skip
    # LATEST: no analysis completed or exemption countersigned (a screening and its due
    # day are never LATEST)
    dates = [None if day == LATEST else from_day_number(day) for day in distinct.tolist()]
    picks = inverse.reshape(4, -1).tolist()
    labelled: dict[int, str] = {}
    as_of = answers.as_of
    screenings: list[list[tuple[str, DeadlineSaid]] | None] = [[] for _ in range(n)]
    for k, on_at, due_at, completed_at, signed_at, window, assessment, claimed in zip(
        owner.tolist(),
        *picks,
        units["window"][unit].tolist(),
        units["assessment"][unit].tolist(),
        units["claimed"][unit].tolist(),
        strict=True,
    ):
        listed = screenings[k]
        if listed is None:
            continue
        limit, on, due = limits[window], dates[on_at], dates[due_at]
        if limit is None or on is None or due is None:
            screenings[k] = None
            continue
        words = consistency.analysis_words(
            on=on,
            assessment=str(assessment),
            completed=dates[completed_at],
            countersigned=dates[signed_at],
            claimed=bool(claimed),
            due=due,
            limit=limit[0],
            source=limit[1],
            as_of=as_of,
        )
        label = labelled.get(on_at)
        if label is None:
            label = labelled[on_at] = unit_label("Screening", on)
        listed.append((label, words))
    for k in np.flatnonzero(counts > 0).tolist():
        listed = screenings[k]
        if listed is None:
            continue
        combined = combined_words(listed)
        if (
            combined.outcome is OUTCOMES[answers.outcome[k]]
            and combined.basis is BASES[answers.basis[k]]
        ):
            said[k] = (combined.reason, combined.evidence, anchor_label)
    return said


def _screened_text_many(
    answers: Answers_,
    *,
    first: Sequence[int],
    stop: Sequence[int],
    units: dict[str, npt.NDArray[Any]],
    limits: tuple[tuple[str, str | None] | None, ...],
    anchor_label: str,
) -> list[ExplainedText | None]:
    """:func:`_screened_said_many` for writers of text: each screening's sentence and
    evidence line (what :func:`~casework.rules.standards.consistency.analysis_words` says
    and lists) chosen for all screenings at once and written in one comprehension a
    branch, each answer's screenings combined as
    :func:`~casework.rules.units.combined_words` combines them, with no item made. An
    answer with no screening is worded by :func:`_screened_said`."""
    n = len(answers)
    said: list[ExplainedText | None] = [None] * n
    none, counts, owner, unit = _screenings_of(answers, first, stop)
    for k in none:
        one = _screened_said(
            answers.answer(k), first=int(first[k]), stop=int(stop[k]), units=units,
            limits=limits, anchor_label=anchor_label,
        )  # fmt: skip
        said[k] = None if one is None else (one[0], evidence_line(one[1]), one[2])
    on, due = units["on"][unit], units["due"][unit]
    completed, signed = units["completed"][unit], units["signed"][unit]
    claimed = units["claimed"][unit].astype(bool)
    window = units["window"][unit]
    limited = np.asarray([limit is not None for limit in limits], dtype=bool)
    # an answer with a screening it cannot word (no time limit, no date) is left unworded
    unworded = ~limited[window] | (on == NO_DAY) | (due == NO_DAY)
    bad = np.zeros(n, dtype=bool)
    bad[owner[unworded]] = True
    # each screening's branch of analysis_words, in its order
    branch = np.select(
        [completed != LATEST, signed != LATEST, due >= _day(answers.as_of), claimed],
        [0, 1, 2, 3],
        4,
    )
    # the answer those branches give (combined_words: not met, else met, else not yet due)
    not_met = np.zeros(n, dtype=bool)
    not_met[owner[branch >= 3]] = True
    met = np.zeros(n, dtype=bool)
    met[owner[branch <= 1]] = True
    outcome = np.where(
        not_met,
        OUTCOME_CODE[Outcome.NOT_MET],
        np.where(met, OUTCOME_CODE[Outcome.MET], OUTCOME_CODE[Outcome.NOT_APPLICABLE]),
    )
    basis = np.where(not_met | met, BASIS_CODE[Basis.COMPUTED], BASIS_CODE[Basis.NOT_YET_DUE])
    fits = (counts > 0) & ~bad & (outcome == answers.outcome) & (basis == answers.basis)
    if not fits.any():
        return said
    kept = fits[owner]
    owner, branch, window, claimed = owner[kept], branch[kept], window[kept], claimed[kept]
    on, due, completed, signed = on[kept], due[kept], completed[kept], signed[kept]
    done = np.where(branch == 0, completed, np.where(branch == 1, signed, NO_DAY))
    reasons, lines = _screening_texts(
        branch, on, due, done, units["assessment"][unit[kept]], window, claimed,
        limits=limits, as_of=answers.as_of,
    )  # fmt: skip
    ends = np.searchsorted(owner, np.arange(n + 1)).tolist()
    for k in np.flatnonzero(fits).tolist():
        begin, end = ends[k], ends[k + 1]
        said[k] = (combined_reason(reasons[begin:end]), "; ".join(lines[begin:end]), anchor_label)
    return said


def _screening_texts(  # noqa: PLR0917
    branch: npt.NDArray[Any],
    on: Days,
    due: Days,
    done: Days,
    assessment: npt.NDArray[Any],
    window: npt.NDArray[Any],
    claimed: npt.NDArray[np.bool_],
    *,
    limits: tuple[tuple[str, str | None] | None, ...],
    as_of: dt.date,
) -> tuple[list[tuple[str, str]], list[str]]:
    """Each screening's label and sentence, and its evidence line (:func:`_screened_text_many`),
    by its ``branch`` of :func:`~casework.rules.standards.consistency.analysis_words` (0:
    analysis completed, 1: exemption countersigned, 2: not yet due, 3: exemption claimed
    only, 4: neither); ``done`` the day of the analysis or exemption."""
    on_words, due_words, done_words = (day_words(days.tolist()) for days in (on, due, done))
    on_isos, due_isos, done_isos = (day_isos(days.tolist()) for days in (on, due, done))
    as_of_words = long_date(as_of)
    exemption = f"exemption countersigned: None ({consistency.EXEMPTION_SOURCE})"
    shown_limits = [
        None if limit is None else (limit[0], shown_source(limit[1])) for limit in limits
    ]
    reasons: list[tuple[str, str]] = []
    lines: list[str] = []
    for b, at_on, at_due, at_done, on_iso, due_iso, done_iso, what, w, asked in zip(
        branch.tolist(), on_words, due_words, done_words, on_isos, due_isos, done_isos,
        assessment.tolist(), window.tolist(), claimed.tolist(), strict=True,
    ):  # fmt: skip
        line = f"screening: {on_iso}; assessment: {what}"
        if b == 0:
            reason = consistency.analysis_completed_reason(at_done)
            line += f"; full analysis completed: {done_iso}"
        elif b == 1:
            reason = consistency.analysis_exempted_reason(at_done)
            line += f"; exemption countersigned: {done_iso} ({consistency.EXEMPTION_SOURCE})"
        elif b == 2:
            limit, source = cast("tuple[str, str]", shown_limits[w])
            reason = consistency.analysis_pending_reason(
                due=at_due, limit=limit, on=at_on, as_of=as_of_words
            )
            line += ("; " + exemption if asked else "") + (
                f"; time limit: {limit}{source}; due by: {due_iso}{source}"
            )
        elif b == 3:
            reason = consistency.ANALYSIS_CLAIMED_REASON
            line += "; " + exemption
        else:
            reason = consistency.ANALYSIS_MISSING_REASON
        reasons.append((unit_label_words("Screening", at_on), reason))
        lines.append(line)
    return reasons, lines


register_many(_screened_said, _screened_said_many)
register_text_many(_screened_said, _screened_text_many)


for _rule, _kernel in (
    (oasys.rmp_release_high_roh_2007, rmp_release_high_roh),
    (oasys.rmp_release_high_roh_2005, rmp_release_high_roh),
    (oasys.rmp_before_release_2007, rmp_before_release),
    (consistency.rmp_where_not_low_2007, rmp_where_not_low),
    (consistency.mappa_level_2007, mappa_level),
    (consistency.mappa_level_2005, mappa_level),
    (consistency.full_analysis_where_screened_2007, full_analysis_where_screened),
):
    register(_rule, _kernel)
