"""A chunk of case records as they stood on an earlier day, on columns (decision: as-at-on-columns).

:func:`columns_as_at` prunes a chunk's raw tables (:mod:`casework.columnar.raw`) the
way :func:`casework.model.timeline.case_as_at` prunes a :class:`~casework.Case`, so the
kernels answer a record read as it stood on an earlier evaluation date as they answer
any other (the scalar engine evaluates ``case.as_at(as_of)``):

* a date after the day that a record may leave out is left out (:data:`NO_DAY`);
* a record that cannot be without a date after the day is dropped (its row, and the
  rows of its own lists), and so is an item of a list whose every date falls after the
  day (with at least one date of its own or of its parts);
* an optional part with dates of its own, every date of it after the day, is none (its
  presence column ``False``, its columns their none value, its lists empty);
* a licence case not yet released on the day is a custody case; a review naming an
  assessment dropped no longer names it; an assessment whose parts are dated by it
  (``parts_with_assessment``) dates a part left undated (the model's validator, which
  ``case_as_at`` runs again);
* the record's ``as_of`` becomes the day.

What is a date, what is required, what is optional with a default of ``None`` and which
table holds which list are read from the model (the same walk as the raw layout), so a
new field is pruned without code here. A case sentenced after the day is left as it is
(the engine answers it "not begun", and so do the kernels), and so is
any case this module cannot prune (a part with a default other than none whose required
date falls after the day: none in today's model), and any record the model's checks would
reject once pruned (none known: ``Case.as_at`` raises, and the scalar rule raises as the
scalar engine does); ``columns.cases`` gives each pruned
record's ``case.as_at(day)``, built only when indexed.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any, overload

import attrs
import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from casework.columnar.checks import contradicted
from casework.columnar.columns import CaseColumns, Mask, day_number
from casework.columnar.raw import (
    _NONE_OF,
    NO_DAY,
    Kind,
    RawTable,
    RawTables,
    _is_model,
    _scalar_kind,
    _strip,
    code_of,
    layout,
)
from casework.model import AssessmentPurpose, Case, SentenceKind
from casework.model.risk import _PARTS, OasysAssessment

__all__ = ["AsAtCases", "columns_as_at", "prunable"]


@attrs.frozen
class _Node:
    """A model as it lies in a raw table: the row's own model, or a part flattened into it."""

    prefix: str
    """Its columns' prefix in the table (``""``, ``"screening."``)."""
    presence: str | None
    """The presence column of an optional part."""
    required: bool
    """The field holding it is required (a part that cannot be none)."""
    none_default: bool
    """Its field's default is ``None``."""
    dates: tuple[tuple[str, bool], ...]
    """Its own date columns, each with whether the date is required."""
    nested: tuple[_Node, ...]
    """Its parts flattened into the same table."""
    children: tuple[str, ...]
    """The tables of its own list and mapping fields."""
    columns: tuple[tuple[str, Kind], ...]
    """Every column under it (its parts' too), for setting it to none."""
    descendants: tuple[str, ...]
    """Every table under it (its parts' too), emptied when it is none."""


@attrs.frozen
class _Plan:
    roots: dict[str, _Node]
    """The model of each table of models, by table."""
    scalar_days: frozenset[str]
    """Tables of a list of plain dates."""
    mapping_days: frozenset[str]
    """Tables of a mapping whose values are dates (``dates_in`` sees them; never pruned)."""
    parents: dict[str, str | None]


@cache
def _plan() -> _Plan:
    """The pruning plan, walked from the model as the raw layout is (``raw._plan``)."""
    roots: dict[str, _Node] = {}
    scalar_days: set[str] = set()
    mapping_days: set[str] = set()

    def node(
        model: type[BaseModel],
        table: str,
        prefix: str,
        *,
        presence: str | None,
        required: bool,
        none_default: bool,
    ) -> _Node:
        dates: list[tuple[str, bool]] = []
        nested: list[_Node] = []
        children: list[str] = []
        columns: list[tuple[str, Kind]] = []
        for name, info in model.model_fields.items():
            annotation, optional = _strip(info.annotation)
            column = f"{prefix}{name}"
            origin = typing.get_origin(annotation)
            if table == "case" and column == "as_of":
                continue  # the day itself (case_as_at)
            if _is_model(annotation):
                part = node(
                    annotation,
                    table,
                    f"{column}.",
                    presence=column if optional else None,
                    required=info.is_required(),
                    none_default=info.default is None and info.default_factory is None,
                )
                nested.append(part)
                if optional:
                    columns.append((column, Kind.BOOL))
                columns.extend(part.columns)
            elif origin is tuple or origin is dict:
                child = column if table == "case" else f"{table}.{column}"
                children.append(child)
                args = [_strip(arg)[0] for arg in typing.get_args(annotation)]
                if origin is tuple:
                    if _is_model(args[0]):
                        roots[child] = node(
                            args[0], child, "", presence=None, required=True, none_default=False
                        )
                    elif _scalar_kind(args[0], False)[0] is Kind.DAY:
                        scalar_days.add(child)
                elif _scalar_kind(args[1], False)[0] is Kind.DAY:
                    mapping_days.add(child)
            else:
                kind, _ = _scalar_kind(annotation, optional)
                columns.append((column, kind))
                if kind is Kind.DAY:
                    if not info.is_required() and info.default is not None:
                        raise TypeError(f"{column}: a date whose default is not None")
                    dates.append((column, info.is_required()))
        descendants = [*children, *(t for part in nested for t in part.descendants)]
        return _Node(
            prefix=prefix,
            presence=presence,
            required=required,
            none_default=none_default,
            dates=tuple(dates),
            nested=tuple(nested),
            children=tuple(children),
            columns=tuple(columns),
            descendants=tuple(_below(descendants, roots)),
        )

    roots["case"] = node(Case, "case", "", presence=None, required=True, none_default=False)
    tables = layout()
    parents = {name: table.parent for name, table in tables.items()}
    for name, root in roots.items():  # the walk and the raw layout agree (no drift)
        known = {column.name for column in tables[name].columns}
        missing = {column for column, _ in root.columns} - known
        if missing:
            raise TypeError(f"raw table {name} lacks {sorted(missing)}")
    return _Plan(roots, frozenset(scalar_days), frozenset(mapping_days), parents)


def _below(names: list[str], roots: dict[str, _Node]) -> list[str]:
    """These tables and every table under them."""
    out: list[str] = []
    for name in names:
        out.append(name)
        root = roots.get(name)
        if root is not None:
            out.extend(root.descendants)
    return out


def prunable(columns: CaseColumns, day: dt.date) -> Mask:
    """Per case: read as it stood on ``day`` (recorded later, sentenced on or before it)."""
    number = day_number(day)
    chosen: Mask = (columns.sentenced <= number) & (number < columns.record_as_of)
    return chosen


class AsAtCases(Sequence[Case]):
    """A chunk's cases, each pruned one as it stood on the day (:meth:`Case.as_at`), built
    only when indexed, then kept; every other case as it is."""

    def __init__(self, cases: Sequence[Case], pruned: Mask, day: dt.date) -> None:
        self._cases = cases
        self._pruned = pruned
        self._day = day
        self._made: dict[int, Case] = {}

    def __len__(self) -> int:
        return len(self._cases)

    @overload
    def __getitem__(self, index: int) -> Case: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Case]: ...

    def __getitem__(self, index: int | slice) -> Case | Sequence[Case]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]
        if not self._pruned[index]:
            return self._cases[index]
        made = self._made.get(index)
        if made is None:
            made = self._made[index] = self._cases[index].as_at(self._day)
        return made

    def __iter__(self) -> Iterator[Case]:
        return (self[i] for i in range(len(self)))


def _any_of(owner: npt.NDArray[Any], flags: Mask, n: int) -> Mask:
    """Per parent row: whether any of its rows has ``flags``."""
    out = np.zeros(n, dtype=bool)
    out[owner[flags]] = True
    return out


@attrs.define
class _Pruning:
    """One pass of pruning over a chunk's raw tables."""

    raw: RawTables
    day: int
    scope: dict[str, Mask]
    """Per table, the rows of cases being pruned."""
    edits: dict[str, RawTable] = attrs.field(factory=dict)
    keep: dict[str, Mask] = attrs.field(factory=dict)
    """Per table, rows kept by their own dates."""
    orig_any: dict[str, Mask] = attrs.field(factory=dict)
    pruned_any: dict[str, Mask] = attrs.field(factory=dict)
    cleared: dict[str, Mask] = attrs.field(factory=dict)
    """Per table, parent rows whose part holding the table was set to none."""
    unpruned: dict[str, Mask] = attrs.field(factory=dict)
    """Per table of models, rows this module cannot prune."""

    def column(self, table: str, name: str) -> npt.NDArray[Any]:
        edited = self.edits.get(table)
        if edited is not None and name in edited:
            return edited[name]
        return self.raw[table][name]

    def set(self, table: str, name: str, values: npt.NDArray[Any]) -> None:
        self.edits.setdefault(table, {})[name] = values

    def evaluate(self, node: _Node, table: str) -> tuple[Mask, Mask, Mask]:
        """Per row of ``table``: the model (``node``) is dropped, had any date, has any
        date left (its parts and lists too)."""
        scope = self.scope[table]
        n = len(scope)
        drop = np.zeros(n, dtype=bool)
        orig_any = np.zeros(n, dtype=bool)
        pruned_any = np.zeros(n, dtype=bool)
        for name, required in node.dates:
            values = self.column(table, name)
            orig_any |= values != NO_DAY
            later = scope & (values > self.day)
            if later.any():
                if required:
                    drop |= later
                values = np.where(later, NO_DAY, values)
                self.set(table, name, values)
            pruned_any |= values != NO_DAY
        for child in node.children:
            if child not in self.keep:
                continue
            owner = self.raw[child]["owner"]
            orig_any |= _any_of(owner, self.orig_any[child], n)
            pruned_any |= _any_of(owner, self.keep[child] & self.pruned_any[child], n)
        for part in node.nested:
            part_drop, part_orig, part_left = self.evaluate(part, table)
            present = (
                self.raw[table][part.presence].astype(bool)
                if part.presence is not None
                else np.ones(n, dtype=bool)
            )
            own = np.zeros(n, dtype=bool)
            for name, _ in part.dates:
                own |= self.raw[table][name] != NO_DAY
            if part.required:
                drop |= part_drop
                clear = np.zeros(n, dtype=bool)
            else:
                if not part.none_default:
                    self.cannot(table, part_drop & present)
                    part_drop = part_drop & part.none_default
                # case_as_at: a part that cannot be is its default (none); a part whose
                # own dates are all later is none too (_not_yet).
                not_yet = present & own & ~part_left & part.none_default
                clear = scope & present & (part_drop | not_yet)
            if clear.any():
                self.clear(table, part, clear)
            orig_any |= present & part_orig
            pruned_any |= present & part_left & ~clear
        return drop, orig_any, pruned_any

    def clear(self, table: str, part: _Node, rows: Mask) -> None:
        """Set ``part`` of these rows to none."""
        names = [*part.columns, *([(part.presence, Kind.BOOL)] if part.presence else [])]
        for name, kind in names:
            values = self.column(table, name)
            self.set(table, name, np.where(rows, _NONE_OF[kind], values).astype(values.dtype))
        for child in part.descendants:
            if self._plan_parent(child) == table:
                found = self.cleared.get(child)
                self.cleared[child] = rows if found is None else found | rows

    def _plan_parent(self, child: str) -> str | None:
        return _plan().parents[child]

    def cannot(self, table: str, rows: Mask) -> None:
        found = self.unpruned.get(table)
        self.unpruned[table] = rows if found is None else found | rows


def _scopes(raw: RawTables, cases: Mask) -> dict[str, Mask]:
    parents = _plan().parents
    scope: dict[str, Mask] = {}
    for name in raw:
        parent = parents[name]
        scope[name] = cases if parent is None else scope[parent][raw[name]["owner"]]
    return scope


def _prune(raw: RawTables, day: int, cases: Mask) -> tuple[RawTables, Mask]:
    """The raw tables with these cases pruned to ``day``; the cases that could not be."""
    plan = _plan()
    work = _Pruning(raw=raw, day=day, scope=_scopes(raw, cases))
    names = list(raw)
    for name in reversed(names):  # children first: a parent reads its lists' dates
        scope = work.scope[name]
        table = raw[name]
        root = plan.roots.get(name)
        if name == "case":
            drop, _, _ = work.evaluate(plan.roots[name], name)
            work.cannot(name, drop)  # a case cannot be dropped (sentence: NotBegunError)
            continue
        if root is not None:
            drop, orig_any, pruned_any = work.evaluate(root, name)
            work.keep[name] = ~(scope & (drop | (orig_any & ~pruned_any)))
        elif name in plan.scalar_days:
            values = table["value"]
            work.keep[name] = ~(scope & (values > day))
            orig_any = np.ones(len(values), dtype=bool)
            pruned_any = work.keep[name].copy()
        else:
            n = len(table["owner"])
            work.keep[name] = np.ones(n, dtype=bool)
            orig_any = (
                table["value"] != NO_DAY if name in plan.mapping_days else np.zeros(n, dtype=bool)
            )
            pruned_any = orig_any
        work.orig_any[name] = orig_any
        work.pruned_any[name] = pruned_any
    unpruned = work.unpruned.get("case", np.zeros(len(cases), dtype=bool)).copy()
    for name, rows in work.unpruned.items():
        if name != "case":
            unpruned |= _owning_cases(raw, name, rows)
    if unpruned.any():
        return _prune(raw, day, cases & ~unpruned)[0], unpruned
    return _assembled(work, names), unpruned


def _owning_cases(raw: RawTables, name: str, rows: Mask) -> Mask:
    parents = _plan().parents
    picked = np.flatnonzero(rows)
    while (parent := parents[name]) is not None:
        picked = raw[name]["owner"][picked]
        name = parent
    out = np.zeros(len(raw), dtype=bool)
    out[picked] = True
    return out


def _assembled(work: _Pruning, names: list[str]) -> RawTables:
    """The pruned tables: edits applied, rows dropped (with every row under them), owners
    and positions renumbered."""
    parents = _plan().parents
    raw = work.raw
    final: dict[str, Mask] = {}
    index: dict[str, npt.NDArray[np.int64]] = {}
    out: dict[str, RawTable] = {}
    for name in names:
        table = {**raw[name], **work.edits.get(name, {})}
        parent = parents[name]
        if parent is None:
            kept = np.ones(len(table["reference"]), dtype=bool)
        else:
            owner = raw[name]["owner"]
            kept = work.keep[name] & final[parent][owner]
            cleared = work.cleared.get(name)
            if cleared is not None:
                kept &= ~cleared[owner]
        final[name] = kept
        index[name] = np.cumsum(kept, dtype=np.int64) - 1
        if parent is not None and not (kept.all() and final[parent].all()):
            # Items keep their order; each list's positions count the items kept.
            table = {column: values[kept] for column, values in table.items()}
            dtype = raw[name]["owner"].dtype
            owner = index[parent][raw[name]["owner"][kept]].astype(dtype)
            table["owner"] = owner
            first = np.searchsorted(owner, owner, side="left")
            table["position"] = (np.arange(len(owner)) - first).astype(dtype)
        out[name] = table
    return RawTables(out)


_LICENCE = code_of(SentenceKind.LICENCE)
_CUSTODY = code_of(SentenceKind.CUSTODY)
_REVIEW = code_of(AssessmentPurpose.REVIEW)


def _as_the_model_reads_it(tables: dict[str, RawTable], cases: Mask, day: int) -> None:
    """What ``case_as_at`` does beyond dropping dates (docs/case-model.md#as-at), and what
    the model's validators do again to a pruned record, in place on these cases."""
    case = tables["case"] = dict(tables["case"])
    case["as_of"] = np.where(cases, day, case["as_of"])
    kind = case["sentence.kind"]
    unreleased = cases & (kind == _LICENCE) & (case["sentence.released_on"] == NO_DAY)
    if unreleased.any():
        case["sentence.kind"] = np.where(unreleased, _CUSTODY, kind).astype(kind.dtype)
    items = tables["assessments"] = dict(tables["assessments"])
    mine = cases[items["owner"]]
    reviews = items["reviews"]
    naming = np.flatnonzero(mine & (items["purpose"] == _REVIEW) & (reviews != None))  # noqa: E711
    if naming.size:
        owner = items["owner"]
        kept = set(zip(owner[mine].tolist(), items["id"][mine].tolist(), strict=True))
        gone = [i for i in naming.tolist() if (int(owner[i]), reviews[i]) not in kept]
        if gone:
            reviews = reviews.copy()
            reviews[gone] = None
            items["reviews"] = reviews
    # OasysAssessment._parts_dated_by_the_assessment, run again on the pruned record: a
    # part there but left undated is dated by the assessment (unless an exemption).
    completed = items["completed_on"]
    dated = mine & items["parts_with_assessment"] & (completed != NO_DAY)
    fields = OasysAssessment.model_fields
    for part in _PARTS:
        undated = dated & items[part] & (items[f"{part}.completed_on"] == NO_DAY)
        part_type = _strip(fields[part].annotation)[0]
        if "exempted" in part_type.model_fields:
            undated &= ~items[f"{part}.exempted"]
        if undated.any():
            column = f"{part}.completed_on"
            items[column] = np.where(undated, completed, items[column])


def columns_as_at(columns: CaseColumns, day: dt.date) -> CaseColumns:
    """The chunk as it stood on ``day``: every record recorded after the day and sentenced
    on or before it pruned as :meth:`Case.as_at` prunes it, its ``as_of`` the day; every
    other record as it is. ``columns`` itself when no record is pruned. Kept in the
    chunk's memo per day."""
    key = ("asat.columns", day)
    found = columns.memo.get(key)
    if found is not None:
        pruned_columns: CaseColumns = found
        return pruned_columns
    cases = prunable(columns, day)
    if not cases.any():
        return columns
    number = day_number(day)
    unpruned = np.zeros(len(cases), dtype=bool)
    while True:
        tables, cannot = _prune(columns.raw, number, cases & ~unpruned)
        unpruned |= cannot
        edited = dict(tables.tables)
        _as_the_model_reads_it(edited, cases & ~unpruned, number)
        # A pruned record the model would reject (Case.as_at raises): left to the scalar
        # rule, which raises as the scalar engine does. None known in today's model.
        rejected = cases & ~unpruned & contradicted(RawTables(edited))
        if not rejected.any():
            break
        unpruned |= rejected
    cases = cases & ~unpruned
    pruned_columns = CaseColumns.from_raw(
        RawTables(edited), AsAtCases(columns.cases, cases | unpruned, day)
    )
    columns.memo[key] = pruned_columns
    return pruned_columns
