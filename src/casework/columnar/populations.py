"""Populations as columns: who each rule applies to, for a whole chunk at once.

A rule's population (:class:`~casework.rules.engine.Population`) is a test asked of
one case. Here a *population kernel* answers it for every case of a chunk:
``kernel(columns, ctx) -> (applies, missing)``: a mask, and where the scalar test
would raise :class:`~casework.rules.engine.MissingFactError` or
:class:`~casework.rules.parameters.MissingParameterError`. ``missing`` is either
the codes of what is missing (:data:`Why`: 0, ``core.NO_FACT`` or
``core.NO_PARAMETER``, exactly as the test would raise) or a mask (the kind not
known: those cases are asked of the test, which says which). Kernels read the
chunk's raw tables (:attr:`CaseColumns.raw`) and fixed columns with numpy only.

Kernels are registered (:func:`register_population`) against the very population
they are the second form of, or against the *factory* that makes a family of
populations (``tiers_at_start(*tiers)``, ``roh_at_least_at_start(level)``,
``lasting_until(...)``): each population the factory makes finds its kernel,
made from the arguments it was made with. Populations combined with ``&``, ``|``,
``~`` and renamed with :meth:`Population.named`, and the across-the-change set's
populations (parameters read as at the standard's start), are taken apart and
answered part by part, with the scalar test's short-circuits: a part with no
kernel is asked case by case, and only of the cases whose answer depends on it.

:func:`population_masks` is what :func:`casework.columnar.core.population` uses.
tests/columnar/test_populations.py proves, over generated, witness and benchmark
cases, that every population of the shipped National Standards and targets sets
answers here exactly as its scalar test does.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import numpy.typing as npt

from casework.columnar.columns import _RAW, NO_DAY, CaseColumns, Days, Mask, day_number
from casework.columnar.core import (
    NO_FACT,
    NO_PARAMETER,
    Detail,
    _dates_in_words,
    case_context,
    register_details,
)
from casework.columnar.raw import code_of, codes_of
from casework.model import (
    AssessmentPurpose,
    RequirementKind,
    ReviewTrigger,
    RohLevel,
    SentenceKind,
)
from casework.rules import population as pops
from casework.rules.engine import EVERY_CASE, Context, Evidence, MissingFactError, Population
from casework.rules.parameters import MissingParameterError

__all__ = [
    "DayKernel",
    "PopulationKernel",
    "kernel_of",
    "population_masks",
    "raw_at_hand",
    "register_days",
    "register_population",
]

Why = npt.NDArray[np.int8]
"""Per case, what a test lacks: 0 nothing, ``core.NO_FACT`` (it raises
``MissingFactError``), ``core.NO_PARAMETER`` (``MissingParameterError``) or
:data:`ASK_TEST` (one of the two: the test itself is asked which)."""
ASK_TEST = 5
"""A :data:`Why` code: a fact or a parameter is missing, which one the test says."""

PopulationKernel = Callable[[CaseColumns, Context], tuple[Mask, Mask | Why]]
"""A population for a chunk: per case whether it applies, and what the scalar test
would raise for (:data:`Why` codes, or a mask where the kind is not known)."""
DayKernel = Callable[[CaseColumns, Context], tuple[Days, Mask | Why]]
"""A function of a case giving a day (a due date, an end), for a chunk: the day
numbers (NO_DAY for ``None``), and where the scalar function would raise (as for
:data:`PopulationKernel`)."""

_Leaf = Callable[[CaseColumns, Context, Mask], tuple[Mask, Mask | Why]]
"""A kernel told which cases matter (``where``); others' answers are not used."""

_KERNELS: dict[int, tuple[object, _Leaf]] = {}
"""Kernels by the id of the population test they answer (the test kept alive)."""
_FACTORIES: dict[types.CodeType, Callable[..., _Leaf | None]] = {}
"""Makers of kernels by the code of the test a factory makes; given that test's
closure variables, a maker gives its kernel, or ``None`` (then case by case)."""
_DAYS: dict[int, tuple[object, DayKernel]] = {}
_UNITS: dict[int, tuple[object, Callable[[CaseColumns], Mask]]] = {}
"""Per case, whether a targets rule's units function lists any unit, by the function."""
_UNIT_FACTORIES: dict[types.CodeType, Callable[..., Callable[[CaseColumns], Mask]]] = {}
_DAY_FACTORIES: dict[types.CodeType, Callable[..., DayKernel | None]] = {}


def why(missing: Mask | Why) -> Why:
    """A kernel's ``missing`` as :data:`Why` codes (a mask: :data:`ASK_TEST` where set)."""
    found = np.asarray(missing)
    if found.dtype == np.bool_:
        return np.where(found, ASK_TEST, 0).astype(np.int8)
    return found.astype(np.int8, copy=False)


def lacking_fact(missing: Mask) -> Why:
    """:data:`Why` codes: a missing fact where ``missing``."""
    return np.where(missing, NO_FACT, 0).astype(np.int8)


def lacking_parameter(missing: Mask) -> Why:
    """:data:`Why` codes: a parameter with no value where ``missing``."""
    return np.where(missing, NO_PARAMETER, 0).astype(np.int8)


def first_lacking(first: Mask | Why, then: Mask | Why) -> Why:
    """What is missing when ``first`` is asked before ``then``: ``first``'s where it
    lacks something, else ``then``'s."""
    before, after = why(first), why(then)
    return np.where(before != 0, before, after).astype(np.int8)


def _nested(factory: Callable[..., Any], name: str) -> types.CodeType:
    """The code of the function named ``name`` that ``factory`` makes."""
    found = [
        const
        for const in factory.__code__.co_consts
        if isinstance(const, types.CodeType) and const.co_name == name
    ]
    if len(found) != 1:
        raise ValueError(f"{factory.__qualname__} makes no single function named {name!r}")
    return found[0]


def _cells(function: Callable[..., Any]) -> dict[str, Any]:
    """A function's closure variables by name."""
    closure = getattr(function, "__closure__", None) or ()
    names = function.__code__.co_freevars
    return {name: cell.cell_contents for name, cell in zip(names, closure, strict=True)}


def _ignoring_where(kernel: PopulationKernel) -> _Leaf:
    def leaf(columns: CaseColumns, ctx: Context, _where: Mask) -> tuple[Mask, Mask | Why]:
        return kernel(columns, ctx)

    return leaf


def register_population(
    population_or_factory: Population | Callable[..., Population],
    kernel: PopulationKernel | Callable[..., PopulationKernel | None],
    *,
    made: str = "test",
) -> None:
    """Make ``kernel`` the columnar form of a population.

    For a :class:`Population`, ``kernel(columns, ctx) -> (applies, missing)``. For a
    factory of populations, ``kernel`` is a maker: called with the closure variables
    of the test the factory made (by name: ``wanted`` for ``tiers_at_start``), it
    gives that population's kernel, or ``None`` to leave it case by case. ``made``
    names the factory's inner test function.
    """
    if isinstance(population_or_factory, Population):
        test = population_or_factory.test
        if id(test) in _KERNELS:
            raise ValueError(f"population {population_or_factory.description!r} has a kernel")
        _KERNELS[id(test)] = (test, _ignoring_where(kernel))  # type: ignore[arg-type]
        return

    def maker(**cells: Any) -> _Leaf | None:
        found = kernel(**cells)  # type: ignore[call-arg]
        return None if found is None else _ignoring_where(found)  # type: ignore[arg-type]

    _register_factory(population_or_factory, maker, made)


def _register_factory(
    factory: Callable[..., Population], maker: Callable[..., _Leaf | None], made: str
) -> None:
    code = _nested(factory, made)
    if code in _FACTORIES:
        raise ValueError(f"factory {factory.__qualname__} has a kernel")
    _FACTORIES[code] = maker


def register_days(
    function_or_factory: Callable[..., Any],
    kernel: DayKernel | Callable[..., DayKernel | None],
    *,
    made: str | None = None,
) -> None:
    """Make ``kernel`` the columnar form of a function of a case giving a day (the due
    date or the end a :func:`~casework.rules.standards.base.lasting_until` population
    compares). With ``made``, ``function_or_factory`` is a factory and ``kernel`` a
    maker called with the made function's closure variables."""
    if made is None:
        _DAYS[id(function_or_factory)] = (function_or_factory, kernel)  # type: ignore[assignment]
    else:
        _DAY_FACTORIES[_nested(function_or_factory, made)] = kernel  # type: ignore[assignment]


def _day_kernel(function: Callable[..., Any]) -> DayKernel | None:
    found = _DAYS.get(id(function))
    if found is not None and found[0] is function:
        return found[1]
    code = getattr(function, "__code__", None)
    maker = _DAY_FACTORIES.get(code) if code is not None else None
    return None if maker is None else maker(**_cells(function))


# ---------------------------------------------------------------- taking populations apart

_AND = (EVERY_CASE & EVERY_CASE).test.__code__
_OR = (EVERY_CASE | EVERY_CASE).test.__code__
_NOT = (~EVERY_CASE).test.__code__


def _under_code() -> types.CodeType | None:
    """The code of the across-the-change set's population wrapper (``standards._under``)."""
    from casework.rules import standards  # noqa: PLC0415

    under = getattr(standards, "_under", None)
    if under is None:
        return None
    return next(
        (
            const
            for const in under.__code__.co_consts
            if isinstance(const, types.CodeType)
            and const.co_name == "<lambda>"
            and "local" in const.co_freevars
            and "rule" in const.co_freevars
            and const.co_argcount == 2
            and "applies_to" in const.co_names
            and "outside" not in const.co_names
        ),
        None,
    )


_UNDER = _under_code()


def _unit_rule_code() -> types.CodeType | None:
    """The code of a targets unit rule's population (``applies_to and bool(units(case))``)."""
    from casework.rules.targets import rules  # noqa: PLC0415

    return next(
        (
            const
            for const in rules.unit_rule.__code__.co_consts
            if isinstance(const, types.CodeType)
            and const.co_name == "<lambda>"
            and {"applies_to", "units"} <= set(const.co_freevars)
        ),
        None,
    )


_UNIT_RULE = _unit_rule_code()


def register_units(
    function_or_factory: Callable[..., Any],
    kernel: Callable[..., Any],
    *,
    made: str | None = None,
) -> None:
    """Make ``kernel(columns) -> Mask`` say, per case, whether a targets rule's units
    function lists any unit; with ``made``, for every function a factory makes
    (``kernel`` is then a maker called with that function's closure variables)."""
    if made is None:
        _UNITS[id(function_or_factory)] = (function_or_factory, kernel)
    else:
        _UNIT_FACTORIES[_nested(function_or_factory, made)] = kernel


def _units_kernel(function: Callable[..., Any]) -> Callable[[CaseColumns], Mask] | None:
    found = _UNITS.get(id(function))
    if found is not None and found[0] is function:
        return found[1]
    code = getattr(function, "__code__", None)
    maker = _UNIT_FACTORIES.get(code) if code is not None else None
    return None if maker is None else maker(**_cells(function))


def kernel_of(population: Population) -> _Leaf | None:
    """The registered kernel of ``population`` itself (not of its parts), if any: a
    function of the chunk, the context and the cases whose answer is used."""
    return _leaf_for(population.test)


def _leaf_for(test: Callable[..., bool]) -> _Leaf | None:
    found = _KERNELS.get(id(test))
    if found is not None and found[0] is test:
        return found[1]
    code = getattr(test, "__code__", None)
    maker = _FACTORIES.get(code) if code is not None else None
    if maker is None:
        return None
    made = maker(**_cells(test))
    if made is not None:
        _KERNELS[id(test)] = (test, made)
    return made


def population_masks(
    columns: CaseColumns, population: Population, ctx: Context, *, kernels: bool | None = None
) -> tuple[Mask, Mask]:
    """Per case of the chunk: whether ``population`` applies, and whether its scalar test
    would raise for a missing fact or parameter (then ``applies`` is False).

    By the kernels (``kernels=True``), or by the population's test asked of every case
    (``False``). By default the kernels are used when the chunk's raw tables are at hand
    (:func:`raw_at_hand`): reading them from ``Case`` objects (the reference reader)
    costs more than asking the tests, so until a chunk comes with its raw tables
    (read from the records) the tests are asked, as before (docs/decisions.md#population-kernels).
    """
    every = np.ones(len(columns), dtype=bool)
    if kernels is None:
        kernels = raw_at_hand(columns)
    if not kernels:
        applies, lacks = _scalar(columns, population.test, ctx, every)
    else:
        applies, lacks = _masks(columns, population.test, ctx, every)
    return applies, lacks != 0


def answers(population: Population) -> bool:
    """Whether the kernels answer ``population``: it has a kernel of its own or is made
    (``&``, ``|``, ``~``, a set's wrapper, a unit rule) of parts answered here."""
    test = population.test
    code = getattr(test, "__code__", None)
    if code is not None and code in (_AND, _OR, _NOT, _UNDER, _UNIT_RULE):
        return True
    return _leaf_for(test) is not None


def masks(
    columns: CaseColumns, population: Population, ctx: Context, where: Mask
) -> tuple[Mask, Why]:
    """By the kernels, exact on the cases of ``where``: per case whether ``population``
    applies, and what its test would raise for (:data:`Why`; then it does not apply)."""
    return _masks(columns, population.test, ctx, where)


def raw_at_hand(columns: CaseColumns) -> bool:
    """Whether the chunk's raw tables (:attr:`CaseColumns.raw`) are already read."""
    return _RAW in columns.memo


def _masks(
    columns: CaseColumns, test: Callable[..., bool], ctx: Context, where: Mask
) -> tuple[Mask, Why]:
    n = len(columns)
    if test is EVERY_CASE.test:
        return np.ones(n, dtype=bool), np.zeros(n, dtype=np.int8)
    code = getattr(test, "__code__", None)
    if code is _AND or code is _OR:
        cells = _cells(test)
        first, second = cells["self"].test, cells["other"].test
        a, a_lacks = _masks(columns, first, ctx, where)
        # ``a and b`` asks b only where a held; ``a or b`` only where it did not.
        asked = where & (a_lacks == 0) & (a if code is _AND else ~a)
        b, b_lacks = _masks(columns, second, ctx, asked)
        lacks = first_lacking(a_lacks, np.where(asked, b_lacks, 0))
        applies = (a & b) if code is _AND else (a | (asked & b))
        return applies & (lacks == 0), lacks
    if code is _NOT:
        a, a_lacks = _masks(columns, _cells(test)["self"].test, ctx, where)
        return ~a & (a_lacks == 0), a_lacks
    if code is not None and code is _UNDER:
        cells = _cells(test)
        return _masks(columns, cells["rule"].applies_to.test, _local(columns, cells["local"], ctx),
                      where)  # fmt: skip
    if code is not None and code is _UNIT_RULE:
        cells = _cells(test)
        a, a_lacks = _masks(columns, cells["applies_to"].test, ctx, where)
        asked = where & (a_lacks == 0) & a
        has_units = _units_kernel(cells["units"])
        if has_units is not None:
            has, has_lacks = has_units(columns), np.zeros(n, dtype=np.int8)
        else:
            has, has_lacks = _scalar(columns, lambda case, _ctx: bool(cells["units"](case)),
                                     ctx, asked)  # fmt: skip
        lacks = first_lacking(a_lacks, np.where(asked, has_lacks, 0))
        return a & has & (lacks == 0), lacks
    leaf = _leaf_for(test)
    if leaf is None:
        return _scalar(columns, test, ctx, where)
    key: Hashable = ("population-kernel", id(test), id(ctx))
    found = columns.memo.get(key)
    if found is None:
        applies, missing = leaf(columns, ctx, where)
        lacks = why(missing)
        found = (np.asarray(applies, dtype=bool) & (lacks == 0), lacks, test, ctx)
        if not _partial(leaf):
            columns.memo[key] = found  # keeps test and ctx alive, so the ids stay theirs
    return found[0], found[1]


def _partial(leaf: _Leaf) -> bool:
    """Whether a kernel answers only the cases it is told matter (not kept for others)."""
    return bool(getattr(leaf, "partial", False))


def _local(columns: CaseColumns, local: Callable[[Context], Context], ctx: Context) -> Context:
    """``local(ctx)``, made once per chunk so the answers under it are shared."""
    key: Hashable = ("population-local", id(local), id(ctx))
    found = columns.memo.get(key)
    if found is None:
        found = columns.memo[key] = (local(ctx), local, ctx)
    made: Context = found[0]
    return made


def _scalar(
    columns: CaseColumns, test: Callable[..., bool], ctx: Context, where: Mask
) -> tuple[Mask, Why]:
    """The scalar test, asked of the cases in ``where`` only."""
    n = len(columns)
    applies = np.zeros(n, dtype=bool)
    lacks = np.zeros(n, dtype=np.int8)
    rows = np.flatnonzero(where)
    for row in rows.tolist():
        own = case_context(columns, ctx, row)
        try:
            applies[row] = test(columns.cases[row], own)
        except MissingFactError:
            lacks[row] = NO_FACT
        except MissingParameterError:
            lacks[row] = NO_PARAMETER
    return applies, lacks


# ---------------------------------------------------------------- facts from the raw tables


def _case(columns: CaseColumns, name: str) -> npt.NDArray[Any]:
    return columns.raw["case"][name]


def _any_per_case(columns: CaseColumns, table: str, flag: Mask | None = None) -> Mask:
    """Per case: whether it has any row of ``table`` (with ``flag``)."""
    owner = columns.raw[table]["owner"]
    if flag is not None:
        owner = owner[flag]
    return np.bincount(owner.astype(np.intp), minlength=len(columns))[: len(columns)] > 0


def _kind_in(columns: CaseColumns, *kinds: SentenceKind) -> Mask:
    found: Mask = np.isin(_case(columns, "sentence.kind"), codes_of(*kinds))
    return found


def _fixed(applies: Mask) -> tuple[Mask, Mask]:
    return applies, np.zeros(len(applies), dtype=bool)


def start_date(columns: CaseColumns) -> Days:
    """``Sentence.start_date``: commencement, else the date of sentence."""
    starts = _case(columns, "sentence.starts_on")
    return np.where(starts != NO_DAY, starts, _case(columns, "sentence.sentenced_on"))


def _record_on(columns: CaseColumns, table: str, day: Days, value: str) -> npt.NDArray[np.int16]:
    """Per case: ``value`` of the latest ``table`` record on or before ``day`` (the first
    in record order among those of that date, as ``max`` keeps it), -1 when none."""
    found = columns.raw[table]
    owner = found["owner"].astype(np.intp)
    on = found["on"]
    keep = on <= day[owner]
    out = np.full(len(columns), -1, dtype=np.int16)
    if not keep.any():
        return out
    rows = np.flatnonzero(keep)
    # latest day first, then earliest position: the first row per owner wins.
    order = np.lexsort((found["position"][rows], -on[rows], owner[rows]))
    rows = rows[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = owner[rows][1:] != owner[rows][:-1]
    out[owner[rows][first]] = found[value][rows][first]
    return out


def _record_at_start(columns: CaseColumns, table: str, value: str) -> npt.NDArray[np.int16]:
    """``population._at_start``: the record in force at the start, else the first after it;
    -1 when the case has none."""
    out = _record_on(columns, table, columns.start, value)
    found = columns.raw[table]
    owner = found["owner"].astype(np.intp)
    after = np.flatnonzero((found["on"] > columns.start[owner]) & (out[owner] == -1))
    if after.size:
        order = np.lexsort((found["position"][after], found["on"][after], owner[after]))
        rows = after[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = owner[rows][1:] != owner[rows][:-1]
        out[owner[rows][first]] = found[value][rows][first]
    return out


def roh_at_start(columns: CaseColumns) -> npt.NDArray[np.int16]:
    """``population.roh_at_start`` as RoH level codes (rank order), -1 when none."""
    key: Hashable = ("population", "roh_at_start")
    found = columns.memo.get(key)
    if found is None:
        found = columns.memo[key] = _record_at_start(columns, "roh", "level")
    result: npt.NDArray[np.int16] = found
    return result


def _limit_days(ctx: Context, anchor: Days, limit: str) -> Days:
    """``calendar.add(anchor, ctx.param(limit).duration)`` per case (NO_DAY stays)."""
    duration = ctx.param(limit).duration
    out = np.full(len(anchor), NO_DAY, dtype=np.int64)
    known = anchor != NO_DAY
    if known.any():
        moved = ctx.calendar.add_many(anchor[known].astype("datetime64[D]"), duration)
        out[known] = np.asarray(moved, dtype="datetime64[D]").astype(np.int64)
    return out


def _param_days(columns: CaseColumns, ctx: Context, anchor: Days, limit: str) -> tuple[Days, Mask]:
    """Anchor plus a limit; every case missing when the parameter has no value."""
    n = len(columns)
    try:
        return _limit_days(ctx, anchor, limit), np.zeros(n, dtype=bool)
    except MissingParameterError:
        return np.full(n, NO_DAY, dtype=np.int64), np.ones(n, dtype=bool)


# ---------------------------------------------------------------- the populations

_LICENCE = code_of(SentenceKind.LICENCE)
_CUSTODY = code_of(SentenceKind.CUSTODY)


def _in_community(columns: CaseColumns, ctx: Context) -> tuple[Mask, Mask]:
    kind = _case(columns, "sentence.kind")
    released = _case(columns, "sentence.released_on")
    as_of = day_number(ctx.as_of)
    licence = (released != NO_DAY) & (released <= as_of)
    other = start_date(columns) <= as_of
    return _fixed((kind != _CUSTODY) & np.where(kind == _LICENCE, licence, other))


register_population(
    pops.COMMUNITY_SENTENCE,
    lambda c, _ctx: _fixed(
        _kind_in(c, SentenceKind.COMMUNITY_ORDER, SentenceKind.SUSPENDED_SENTENCE_ORDER)
    ),
)
register_population(pops.LICENCE, lambda c, _ctx: _fixed(_kind_in(c, SentenceKind.LICENCE)))
register_population(pops.CUSTODY, lambda c, _ctx: _fixed(_kind_in(c, SentenceKind.CUSTODY)))
register_population(pops.IN_COMMUNITY, _in_community)
register_population(pops.PPO_AT_START, lambda c, _ctx: _fixed(c.ppo_at_start.copy()))
register_population(pops.NOT_PPO_AT_START, lambda c, _ctx: _fixed(~c.ppo_at_start))
register_population(pops.HAS_MAPPA, lambda c, _ctx: _fixed(_case(c, "mappa").copy()))
register_population(pops.HAS_PSR, lambda c, _ctx: _fixed(_case(c, "psr").copy()))
register_population(pops.HAS_BREACH, lambda c, _ctx: _fixed(_any_per_case(c, "breaches")))
register_population(pops.TRANSFERRED_IN, lambda c, _ctx: _fixed(_case(c, "transfer_in").copy()))


def _tiers(wanted: frozenset[Any], **_: Any) -> PopulationKernel:
    codes = [int(tier) for tier in wanted]

    def kernel(columns: CaseColumns, _ctx: Context) -> tuple[Mask, Why]:
        tier = columns.tier_at_start
        return np.isin(tier, codes), lacking_fact(tier == 0)

    return kernel


def _roh_at_least(level: RohLevel, **_: Any) -> PopulationKernel:
    rank = code_of(level)

    def kernel(columns: CaseColumns, _ctx: Context) -> tuple[Mask, Why]:
        found = roh_at_start(columns)
        return found >= rank, lacking_fact(found == -1)

    return kernel


register_population(pops.tiers_at_start, _tiers)
register_population(pops.roh_at_least_at_start, _roh_at_least)


# -- lasting_until: not ended when the first one fell due


def _lasting(due: Callable[..., Any], ended_on: Callable[..., Any], **_: Any) -> _Leaf | None:
    """``lasting_until``: ``end is None or due <= end``, the due date asked only of the
    cases that ended (case by case where the due date has no kernel)."""
    ended = _day_kernel(ended_on)
    if ended is None:
        return None
    due_kernel = _day_kernel(due)

    def leaf(columns: CaseColumns, ctx: Context, where: Mask) -> tuple[Mask, Why]:
        end, end_missing = ended(columns, ctx)
        end_lacks = why(end_missing)
        asked = where & (end_lacks == 0) & (end != NO_DAY)
        if due_kernel is not None:
            due_on, due_missing = due_kernel(columns, ctx)
        else:
            due_on, due_missing = _scalar_days(columns, due, ctx, asked)
        due_lacks = why(due_missing)
        lacks = first_lacking(end_lacks, np.where(asked, due_lacks, 0))
        applies = (end_lacks == 0) & ((end == NO_DAY) | ((due_lacks == 0) & (due_on <= end)))
        return applies & (lacks == 0), lacks

    leaf.partial = due_kernel is None  # type: ignore[attr-defined]
    return leaf


def _scalar_days(
    columns: CaseColumns, function: Callable[..., Any], ctx: Context, where: Mask
) -> tuple[Days, Why]:
    n = len(columns)
    out = np.full(n, NO_DAY, dtype=np.int64)
    lacks = np.zeros(n, dtype=np.int8)
    rows = np.flatnonzero(where)
    for row in rows.tolist():
        own = case_context(columns, ctx, row)
        try:
            out[row] = day_number(function(columns.cases[row], own))
        except MissingFactError:
            lacks[row] = NO_FACT
        except MissingParameterError:
            lacks[row] = NO_PARAMETER
    return out, lacks


def _register_standards() -> None:
    """The populations and day functions of the National Standards and targets rules."""
    from casework.rules.standards import base, consistency, reviews, supervision  # noqa: PLC0415

    _register_factory(base.lasting_until, _lasting, "test")
    register_days(
        base.supervision_ended,
        lambda c, _ctx: (
            _case(c, "sentence.termination.on").copy(),
            np.zeros(len(c), dtype=bool),
        ),
    )
    register_population(
        base.CUSTODIAL,
        lambda c, _ctx: _fixed(_kind_in(c, SentenceKind.CUSTODY, SentenceKind.LICENCE)),
    )

    def significant(columns: CaseColumns, _ctx: Context) -> tuple[Mask, Mask]:
        events = columns.raw["events"]
        owner = events["owner"].astype(np.intp)
        since = events["on"] >= _case(columns, "sentence.sentenced_on")[owner]
        return _fixed(_any_per_case(columns, "events", since))

    register_population(base.HAS_SIGNIFICANT_EVENT, significant)
    register_population(
        supervision.HAS_STATUTORY_VICTIM,
        lambda c, _ctx: _fixed(_any_per_case(c, "victims", c.raw["victims"]["statutory"])),
    )

    def screened_in(columns: CaseColumns, _ctx: Context) -> tuple[Mask, Mask]:
        found = columns.raw["assessments"]
        flag = (
            found["screening"]
            & (found["screening.completed_on"] != NO_DAY)
            & found["screening.full_analysis_required"]
        )
        return _fixed(_any_per_case(columns, "assessments", flag))

    register_population(consistency.SCREENED_IN, screened_in)

    def not_low_roh(columns: CaseColumns, ctx: Context) -> tuple[Mask, Why]:
        as_of = np.full(len(columns), day_number(ctx.as_of), dtype=np.int64)
        level = _record_on(columns, "roh", as_of, "level")
        return level > code_of(RohLevel.LOW), lacking_fact(level == -1)

    register_population(consistency.NOT_LOW_ROH, not_low_roh)

    def high_roh_transfer(columns: CaseColumns, _ctx: Context) -> tuple[Mask, Why]:
        moved = _case(columns, "transfer_in")
        notified = _case(columns, "transfer_in.notified_on")
        level = _record_on(columns, "roh", notified, "level")
        level = np.where(level == -1, roh_at_start(columns), level)
        missing = moved & (level == -1)
        return moved & (level >= code_of(RohLevel.HIGH)), lacking_fact(missing)

    register_population(supervision._HIGH_ROH_TRANSFER, high_roh_transfer)

    _register_requirements(supervision)
    _register_dues(reviews, supervision)


def _upw_requirement(columns: CaseColumns) -> npt.NDArray[np.intp]:
    """Per case: the row of its first unpaid work requirement, -1 when none."""
    found = columns.raw["sentence.requirements"]
    rows = np.flatnonzero(found["kind"] == code_of(RequirementKind.UNPAID_WORK))
    out = np.full(len(columns), -1, dtype=np.intp)
    owner = found["owner"][rows].astype(np.intp)
    # rows are in record order: the first per owner is the first requirement listed.
    out[owner[::-1]] = rows[::-1]
    return out


def _pick(days: Days, row: npt.NDArray[np.intp]) -> Days:
    """``days[row]`` per case, NO_DAY where ``row`` is -1."""
    out = np.full(len(row), NO_DAY, dtype=np.int64)
    known = row >= 0
    out[known] = days[row[known]]
    return out


def _register_requirements(supervision: types.ModuleType) -> None:
    """Leaf populations of the supervision rules found in their rules' populations."""
    upw_code = code_of(RequirementKind.UNPAID_WORK)

    def upw_only(columns: CaseColumns) -> Mask:
        found = columns.raw["sentence.requirements"]
        n = len(columns)
        owner = found["owner"].astype(np.intp)
        total = np.bincount(owner, minlength=n)[:n]
        upw = np.bincount(owner[found["kind"] == upw_code], minlength=n)[:n]
        only: Mask = (total > 0) & (upw == total)
        return only

    def has_upw(columns: CaseColumns) -> Mask:
        found = columns.raw["sentence.requirements"]
        return _any_per_case(columns, "sentence.requirements", found["kind"] == upw_code)

    def premises_before_due(columns: CaseColumns, ctx: Context) -> tuple[Mask, Mask]:
        """Per approved-premises row: whether the case lived there at any time from the
        start to the home visit's due date; per case: whether that date needs a parameter
        with no value (``supervision._approved_premises_before_due``)."""
        due, missing = _param_days(columns, ctx, columns.start, "home_visit_limit")
        found = columns.raw["approved_premises"]
        owner = found["owner"].astype(np.intp)
        left = found["left_on"]
        there = (found["arrived_on"] <= due[owner]) & (
            (left == NO_DAY) | (left >= columns.start[owner])
        )
        return there, missing

    def not_in_premises(columns: CaseColumns, ctx: Context) -> tuple[Mask, Why]:
        there, missing = premises_before_due(columns, ctx)
        return ~_any_per_case(columns, "approved_premises", there), lacking_parameter(missing)

    def in_approved_premises(
        columns: CaseColumns, ctx: Context, rows: npt.NDArray[np.intp]
    ) -> list[Detail] | None:
        """``supervision._in_approved_premises`` of the cases at ``rows``, from its
        template: the first stay (in the record's order) from the start to the due date."""
        there, missing = premises_before_due(columns, ctx)
        if missing[rows].any():
            return None  # asked of each case (the due date needs a parameter)
        at = np.flatnonzero(there)
        owners, first = np.unique(columns.raw["approved_premises"]["owner"][at], return_index=True)
        arrived = np.full(len(columns), NO_DAY, dtype=np.int64)
        arrived[owners.astype(np.intp)] = columns.raw["approved_premises"]["arrived_on"][at[first]]
        days = arrived[rows]
        words, dates = _dates_in_words(days)
        return [
            (
                supervision.IN_APPROVED_PREMISES.format(arrived=words[k]),
                (Evidence("approved premises from", dates[k]),),
            )
            if day != NO_DAY
            else None
            for k, day in enumerate(days.tolist())
        ]

    register_details(supervision._in_approved_premises, in_approved_premises)

    def in_custody_when_due(columns: CaseColumns, ctx: Context) -> tuple[Mask, Why]:
        due, missing = _param_days(
            columns, ctx, _case(columns, "sentence.sentenced_on"), "roh_review_custody_limit"
        )
        released = _case(columns, "sentence.released_on")
        # ``released is None or released > due``: the due date is asked only of a release.
        return (released == NO_DAY) | (released > due), lacking_parameter(
            missing & (released != NO_DAY)
        )

    by_description: dict[str, PopulationKernel] = {
        "not unpaid work only": lambda c, _ctx: _fixed(~upw_only(c)),
        "with an unpaid work requirement": lambda c, _ctx: _fixed(has_upw(c)),
        "not in approved premises": not_in_premises,
        "still in custody": in_custody_when_due,
    }
    for rule_id in (
        "NS07.appointment-frequency",
        "NS07.upw-frequency",
        "NS07.home-visit-high-roh",
        "NS07.roh-review-custody",
    ):
        for part in _leaves(_rule(rule_id).applies_to):
            kernel = by_description.pop(part.description, None)
            if kernel is not None:
                register_population(part, kernel)
    if by_description:
        raise RuntimeError(f"populations not found to register: {sorted(by_description)}")


def _register_dues(reviews: types.ModuleType, supervision: types.ModuleType) -> None:
    """Day kernels of the due dates ``lasting_until`` compares with an end."""

    def start_date_days(columns: CaseColumns, _ctx: Context) -> tuple[Days, Mask]:
        return start_date(columns), np.zeros(len(columns), dtype=bool)

    def start_event_days(columns: CaseColumns, _ctx: Context) -> tuple[Days, Mask]:
        return columns.start.copy(), np.zeros(len(columns), dtype=bool)

    def after(anchor: DayKernel, limit: str) -> DayKernel:
        def kernel(columns: CaseColumns, ctx: Context) -> tuple[Days, Why]:
            days, missing = anchor(columns, ctx)
            lacks = why(missing)
            due, no_param = _param_days(columns, ctx, np.where(lacks != 0, NO_DAY, days), limit)
            return due, first_lacking(lacks, lacking_parameter(no_param))

        return kernel

    def due_maker(anchor: Callable[..., Any], limit: str, **_: Any) -> DayKernel | None:
        found = _day_kernel(anchor)
        return None if found is None else after(found, limit)

    register_days(reviews._due, due_maker, made="<lambda>")

    def custody_review_due(columns: CaseColumns, ctx: Context) -> tuple[Days, Why]:
        due, missing = _param_days(
            columns, ctx, _case(columns, "sentence.sentenced_on"), "roh_review_custody_limit"
        )
        return due, lacking_parameter(missing)

    register_days(reviews._custody_review_due, custody_review_due)

    def released_before_due(
        columns: CaseColumns, ctx: Context, rows: npt.NDArray[np.intp]
    ) -> list[Detail] | None:
        """``reviews._released_before_due`` of the cases at ``rows``, from its template."""
        released = _case(columns, "sentence.released_on")[rows]
        due, missing = custody_review_due(columns, ctx)
        has = released != NO_DAY
        if (has & ((missing[rows] != 0) | (due[rows] == NO_DAY))).any():
            return None  # asked of each case (the due date needs a parameter)
        release_words, release_days = _dates_in_words(released)
        due_words, _ = _dates_in_words(due[rows])
        _, sentenced = _dates_in_words(_case(columns, "sentence.sentenced_on")[rows])
        return [
            (
                reviews.RELEASED_BEFORE_DUE.format(released=release_words[k], due=due_words[k]),
                (Evidence("sentence", sentenced[k]), Evidence("release", release_days[k])),
            )
            if known
            else None
            for k, known in enumerate(has.tolist())
        ]

    register_details(reviews._released_before_due, released_before_due)

    def upw_start(columns: CaseColumns, _ctx: Context) -> tuple[Days, Why]:
        row = _upw_requirement(columns)
        found = columns.raw["sentence.requirements"]
        commenced = _pick(found["commenced_on"], row)
        start = np.where(commenced != NO_DAY, commenced, start_date(columns))
        return start, lacking_fact(row < 0)

    def upw_end(columns: CaseColumns, _ctx: Context) -> tuple[Days, Why]:
        row = _upw_requirement(columns)
        found = columns.raw["sentence.requirements"]
        completed = _pick(found["completed_on"], row)
        ended = _case(columns, "sentence.termination.on")
        both = np.where(
            (completed != NO_DAY) & (ended != NO_DAY),
            np.minimum(completed, ended),
            np.where(completed != NO_DAY, completed, ended),
        )
        return both, lacking_fact(row < 0)

    register_days(reviews._roh_cycle_anchor, lambda c, _ctx: _cycle_anchor(c, _roh_dates(c)))
    register_days(
        reviews._plan_cycle_anchor,
        lambda c, _ctx: _cycle_anchor(c, c.raw["assessments"]["sentence_plan.completed_on"]),
    )
    (leaf,) = [
        p
        for p in _leaves(_rule("NS07.roh-review-interval").applies_to)
        if p.description == "not ended"
    ]
    register_days(_cells(_cells(leaf.test)["due"])["anchor"], _after_the_first_review)

    anchors: dict[str, DayKernel] = {
        "NS07.roh-review-first": start_date_days,
        "NS07.roh-review-release": start_event_days,
    }
    for rule_id, anchor in anchors.items():
        (leaf,) = [p for p in _leaves(_rule(rule_id).applies_to) if p.description == "not ended"]
        due = _cells(leaf.test)["due"]
        register_days(_cells(due)["anchor"], anchor)
    (leaf,) = [
        p
        for p in _leaves(_rule("NS07.appointment-frequency").applies_to)
        if p.description == "not ended"
    ]
    register_days(
        _cells(leaf.test)["due"],
        after(start_event_days, "appointment_interval_limit"),
    )
    (leaf,) = [
        p for p in _leaves(_rule("NS07.upw-frequency").applies_to) if p.description == "not ended"
    ]
    cells = _cells(leaf.test)
    register_days(cells["due"], after(upw_start, "upw_session_interval_limit"))
    register_days(cells["ended_on"], upw_end)
    del supervision  # the rules are found through the rule set


_ASSESSMENT_PURPOSE = {purpose: code_of(purpose) for purpose in AssessmentPurpose}


def _release_assessments(columns: CaseColumns) -> Mask:
    """``base.is_release_assessment`` per assessment row of the raw table."""
    found = columns.raw["assessments"]
    purpose = found["purpose"]
    by_trigger = np.isin(
        found["trigger"], codes_of(ReviewTrigger.RELEASE, ReviewTrigger.PRE_RELEASE)
    )
    release: Mask = (purpose == _ASSESSMENT_PURPOSE[AssessmentPurpose.RELEASE]) | (
        (purpose == _ASSESSMENT_PURPOSE[AssessmentPurpose.REVIEW]) & by_trigger
    )
    return release


def _roh_dates(columns: CaseColumns) -> Days:
    """``base.roh_date`` per assessment: the earliest RoH part, else a review's completion."""
    found = columns.raw["assessments"]
    earliest = np.full(len(found["owner"]), np.iinfo(np.int64).max, dtype=np.int64)
    for name in ("screening.completed_on", "full_analysis.completed_on", "rmp.completed_on"):
        day = found[name]
        earliest = np.where(day != NO_DAY, np.minimum(earliest, day), earliest)
    review = found["purpose"] == _ASSESSMENT_PURPOSE[AssessmentPurpose.REVIEW]
    fallback = np.where(review, found["completed_on"], NO_DAY)
    return np.where(earliest != np.iinfo(np.int64).max, earliest, fallback)


def _first_per_case(columns: CaseColumns, days: Days, keep: Mask) -> Days:
    """Per case: the earliest of ``days`` among the kept rows of the assessments, or NO_DAY."""
    owner = columns.raw["assessments"]["owner"].astype(np.intp)
    out = np.full(len(columns), np.iinfo(np.int64).max, dtype=np.int64)
    chosen = keep & (days != NO_DAY)
    np.minimum.at(out, owner[chosen], days[chosen])
    return np.where(out == np.iinfo(np.int64).max, NO_DAY, out)


def _cycle_anchor(columns: CaseColumns, days: Days) -> tuple[Days, Mask]:
    """``reviews._cycle_anchor``: the assessment done for the sentence or release, if after
    the start, else the start."""
    purpose = columns.raw["assessments"]["purpose"]
    owner = columns.raw["assessments"]["owner"].astype(np.intp)
    at_start = np.isin(
        purpose,
        codes_of(AssessmentPurpose.PSR, AssessmentPurpose.START),
    )
    initial = _first_per_case(
        columns, days, np.where(columns.released[owner], _release_assessments(columns), at_start)
    )
    start = columns.start
    later = (initial != NO_DAY) & (initial > start)
    return np.where(later, initial, start), np.zeros(len(columns), dtype=bool)


def _after_the_first_review(columns: CaseColumns, ctx: Context) -> tuple[Days, Why]:
    """``reviews._after_the_first_review(...)[0]``: the first RoH review after the start,
    else the date the first review was due."""
    found = columns.raw["assessments"]
    owner = found["owner"].astype(np.intp)
    licence = _case(columns, "sentence.kind") == _LICENCE
    review = (found["purpose"] == _ASSESSMENT_PURPOSE[AssessmentPurpose.REVIEW]) & ~(
        licence[owner] & _release_assessments(columns)
    )
    days = _roh_dates(columns)
    first = _first_per_case(columns, days, review & (days > columns.start[owner]))
    release, release_missing = _param_days(columns, ctx, columns.start, "roh_review_release_limit")
    sentence, sentence_missing = _param_days(columns, ctx, columns.start, "roh_review_first_limit")
    due = np.where(columns.released, release, sentence)
    due_missing = np.where(columns.released, release_missing, sentence_missing)
    none = first == NO_DAY
    return np.where(none, due, first), lacking_parameter(none & due_missing)


def _rule(rule_id: str) -> Any:
    from casework.rules.standards import RULES_2005, RULES_2007  # noqa: PLC0415

    (found,) = [rule for rule in (*RULES_2005, *RULES_2007) if rule.id == rule_id]
    return found


def _leaves(population: Population) -> list[Population]:
    """The parts of a population combined with ``&``, ``|`` and ``~`` (itself if none)."""
    code = getattr(population.test, "__code__", None)
    if code is _AND or code is _OR:
        cells = _cells(population.test)
        return [*_leaves(cells["self"]), *_leaves(cells["other"])]
    if code is _NOT:
        return _leaves(_cells(population.test)["self"])
    return [population]


_register_standards()


def _register_targets() -> None:
    """Whether each case has units, for the targets rules' units functions."""
    from casework.model import Programme, ProgrammeCategory  # noqa: PLC0415
    from casework.rules.targets import rules  # noqa: PLC0415

    register_units(rules._breaches, lambda c: _any_per_case(c, "breaches"))
    register_units(
        rules._statutory_victims,
        lambda c: _any_per_case(c, "victims", c.raw["victims"]["statutory"]),
    )
    register_units(rules._reports, lambda c: _case(c, "psr").copy())
    register_units(rules._appointments, lambda c: _any_per_case(c, "contacts"))

    def requirements(columns: CaseColumns, kinds: Any, flag: Mask | None = None) -> Mask:
        found = columns.raw["sentence.requirements"]
        keep = np.isin(found["kind"], codes_of(*kinds))
        return _any_per_case(
            columns, "sentence.requirements", keep if flag is None else keep & flag
        )

    register_units(
        rules._requirements,
        lambda kinds, **_: lambda c: requirements(c, kinds),
        made="listed",
    )
    # programme_category: the recorded one, else the named programme's (None for none/other).
    named = np.full(len(Programme) + 1, -1, dtype=np.int16)  # by programme code; -1 is last
    for programme in Programme:
        if programme is not Programme.OTHER:
            category = rules._PROGRAMME_CATEGORY.get(programme, ProgrammeCategory.GENERAL)
            named[code_of(programme)] = code_of(category)

    def category_of(columns: CaseColumns) -> npt.NDArray[np.int16]:
        found = columns.raw["sentence.requirements"]
        recorded = found["programme_category"]
        return np.where(recorded != -1, recorded, named[found["programme"]])

    def in_category(category: ProgrammeCategory | None, **_: Any) -> Callable[[CaseColumns], Mask]:
        def kernel(columns: CaseColumns) -> Mask:
            if category is None:
                return requirements(columns, {RequirementKind.ACCREDITED_PROGRAMME})
            found = category_of(columns)
            flag = (found == code_of(category)) | (found == -1)
            return requirements(columns, {RequirementKind.ACCREDITED_PROGRAMME}, flag)

        return kernel

    register_units(rules._programme_completion_rule, in_category, made="units")
    commenced = {
        "TGT.programme-completion-after-start": rules._PROGRAMMES,
        "TGT.drr-retention": rules._DRUG_REQUIREMENTS,
    }
    for rule_id, listed in commenced.items():
        units = _cells(rules.target_rule(rule_id).applies_to.test)["units"]
        kinds = _cells(listed)["kinds"]
        register_units(
            units,
            lambda c, kinds=kinds: requirements(
                c, kinds, c.raw["sentence.requirements"]["commenced_on"] != NO_DAY
            ),
        )

    _register_target_populations(rules)


def _register_target_populations(rules: types.ModuleType) -> None:
    """The targets rules' own populations, found in their rules."""

    def terminated(columns: CaseColumns) -> Mask:
        found: Mask = _case(columns, "sentence.termination").copy()
        return found

    def not_neutral(columns: CaseColumns, ctx: Context) -> tuple[Mask, Mask | Why]:
        ended = terminated(columns)
        try:
            reasons = rules._reasons(ctx, "neutral_termination_reasons")
        except MissingParameterError:
            # asked of the cases that ended only: the others are not ended neutrally
            return ~ended, lacking_parameter(ended)
        reason = _case(columns, "sentence.termination.reason")
        return ~(ended & np.isin(reason, codes_of(*reasons))), np.zeros(len(columns), bool)

    def reached_six_months(columns: CaseColumns, ctx: Context) -> tuple[Mask, Why]:
        point, missing = _param_days(columns, ctx, columns.start, "breach_free_period")
        found = columns.raw["breaches"]
        owner = found["owner"].astype(np.intp)
        action = found["action_on"]
        acted = _any_per_case(columns, "breaches", (action != NO_DAY) & (action <= point[owner]))
        end = _case(columns, "sentence.termination.on")
        early = terminated(columns) & (end < point) & ~acted
        return ~early, lacking_parameter(missing)

    def started_during(kinds: Any) -> PopulationKernel:
        def kernel(columns: CaseColumns, _ctx: Context) -> tuple[Mask, Mask]:
            found = columns.raw["outcomes.employment"]
            owner = found["owner"].astype(np.intp)
            started = found["started_on"]
            end = _case(columns, "sentence.termination.on")[owner]
            flag = (
                np.isin(found["kind"], codes_of(*kinds))
                & (started >= columns.start[owner])
                & ((end == NO_DAY) | (started <= end))
            )
            return _fixed(_any_per_case(columns, "outcomes.employment", flag))

        return kernel

    by_description: dict[str, PopulationKernel] = {
        "not ended for a neutral reason": not_neutral,
        "not ended early without breach action": reached_six_months,
    }
    for rule_id in (
        "TGT.successful-completion",
        "TGT.six-months-without-breach",
        "TGT.employment-sustained",
        "TGT.employment-or-training-sustained",
    ):
        for part in _leaves(rules.target_rule(rule_id).applies_to):
            if part.description in by_description:
                register_population(part, by_description.pop(part.description))
            elif part.description.endswith("started during supervision"):
                listed = _cells(part.test)["started_during_supervision"]
                register_population(part, started_during(_cells(listed)["kinds"]))
    if by_description:
        raise RuntimeError(f"populations not found to register: {sorted(by_description)}")


_register_targets()
