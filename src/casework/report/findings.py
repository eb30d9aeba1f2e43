"""Reports of findings (one row per case and question) and of case-file validation."""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import IO, Any, Self, TextIO, overload

import numpy as np
import numpy.typing as npt

from casework.columnar.core import BASES, LATE_UNITS, OUTCOMES, FindingTable
from casework.io import LoadResult
from casework.report.document import Cell, Column, Document, Facts, Paragraph, Section, Table
from casework.report.output import Report, _plain, json_text, record_counts
from casework.rules.engine import Basis, Finding, Findings, Outcome
from casework.schemas import FINDING_FIELDS
from casework.stream import (
    EvidenceJson,
    StreamedRead,
    finding_cells,
    iso_dates,
    record_columns,
    record_keys,
)
from casework.text import long_date, percent, printable

__all__ = [
    "FINDING_COLUMNS",
    "OUTCOME_WORDS",
    "FindingsDetail",
    "FindingsJson",
    "FindingsSummary",
    "findings_report",
    "late_text",
    "outcome_label",
    "select_findings",
    "select_table",
    "selector",
    "validation_report",
]

#: Each outcome in words, as reports show it.
OUTCOME_WORDS = {
    Outcome.MET: "met",
    Outcome.NOT_MET: "not met",
    Outcome.NOT_APPLICABLE: "not applicable",
    Outcome.CANNOT_ASSESS: "cannot assess",
}
_PLAIN_BASES = {Basis.COMPUTED, Basis.OUT_OF_SCOPE, Basis.MISSING_DATA}

#: Columns of the long findings table (CSV), in order: made from
#: :data:`casework.schemas.FINDING_FIELDS`. Documented in docs/json.md.
FINDING_COLUMNS: tuple[Column, ...] = tuple(
    Column(field.name, field.label) for field in FINDING_FIELDS
)


def outcome_label(finding: Finding) -> str:
    """The outcome in words, with its basis where it adds: ``not applicable (not yet due)``."""
    return _label(finding.outcome, finding.basis)


def select_findings(
    findings: Iterable[Finding],
    *,
    outcomes: Collection[Outcome | str] = (),
    rules: Collection[str] = (),
    criteria: Collection[str] = (),
    cases: Collection[str] = (),
    roh: bool | None = None,
) -> Findings:
    """The findings matching every filter given; within one filter, any value matches.

    ``rules`` are shell-style patterns (``NS07.*``); ``criteria`` match a
    criterion or any criterion under it (``1`` matches ``1.2``).
    """
    wanted = {Outcome(value) for value in outcomes}

    def keep(finding: Finding) -> bool:
        return (
            (not wanted or finding.outcome in wanted)
            and _rule_wanted(
                finding.rule_id,
                finding.criterion,
                finding.roh,
                rules=rules,
                criteria=criteria,
                roh=roh,
            )
            and (not cases or finding.case_ref in cases)
        )

    return Findings(tuple(finding for finding in findings if keep(finding)))


def select_table(
    table: FindingTable,
    *,
    outcomes: Collection[Outcome | str] = (),
    rules: Collection[str] = (),
    criteria: Collection[str] = (),
    cases: Collection[str] = (),
    roh: bool | None = None,
) -> FindingTable:
    """:func:`select_findings` for findings as columns (:class:`FindingTable`).

    To word only the findings kept, give the filters to
    :meth:`FindingColumns.explain <casework.columnar.FindingColumns.explain>` instead, as
    :func:`selector`."""
    where = selector(outcomes=outcomes, rules=rules, criteria=criteria, cases=cases, roh=roh)
    return table if where is None else table.take(where(table))


def selector(
    *,
    outcomes: Collection[Outcome | str] = (),
    rules: Collection[str] = (),
    criteria: Collection[str] = (),
    cases: Collection[str] = (),
    roh: bool | None = None,
) -> Callable[[FindingTable], npt.NDArray[np.intp]] | None:
    """The filters of :func:`select_findings` as a function of a :class:`FindingTable`
    giving the positions of the findings they keep, in order (``None`` with no filter):
    the ``where`` of :meth:`FindingColumns.explain <casework.columnar.FindingColumns.explain>`,
    which then words only the findings kept::

        answered = evaluate_columns(cases, rules, as_of=as_of, calendar=calendar)
        failed = answered.explain(where=selector(outcomes=["not_met"]))
    """
    if not (outcomes or rules or criteria or cases or roh is not None):
        return None
    codes = [OUTCOMES.index(Outcome(value)) for value in outcomes]  # (a bad outcome: now)

    def kept(table: FindingTable) -> npt.NDArray[np.intp]:
        kept_rules = np.asarray(
            [
                _rule_wanted(r.id, r.criterion, r.roh, rules=rules, criteria=criteria, roh=roh)
                for r in table.rules
            ]
            or [False],
            dtype=bool,
        )
        keep = kept_rules[table.rank]
        if codes:
            keep &= np.isin(table.outcome, codes)
        if cases:
            keep &= np.asarray([ref in cases for ref in table.case_ref], dtype=bool)
        return np.flatnonzero(keep)

    return kept


def _rule_wanted(
    rule_id: str,
    criterion: str | None,
    is_roh: bool,
    *,
    rules: Collection[str],
    criteria: Collection[str],
    roh: bool | None,
) -> bool:
    """Whether a rule's findings pass the rule, criterion and RoH filters."""
    within = criterion or ""
    return (
        (not rules or any(fnmatch.fnmatchcase(rule_id, p) for p in rules))
        and (not criteria or any(within == c or within.startswith(f"{c}.") for c in criteria))
        and (roh is None or is_roh == roh)
    )


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counted = Counter(finding.outcome for finding in findings)
    return {outcome.value: counted[outcome] for outcome in Outcome}


def _met_share(counts: Mapping[str, int]) -> str | None:
    assessed = counts[Outcome.MET] + counts[Outcome.NOT_MET]
    return percent(Fraction(counts[Outcome.MET], assessed)) if assessed else None


def _single(values: Iterable[str]) -> str | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _findings_data(
    labels: tuple[str | None, str | None, str | None],
    *,
    source: str | None,
    load: LoadResult | StreamedRead | None,
    cases: int,
    counts: dict[str, int],
    rules: list[dict[str, Any]],
) -> dict[str, Any]:
    """The data of a findings report but its findings (the last field): ``labels`` the
    rule set, its version and the assessment date each findings share (else ``None``)."""
    ruleset, version, as_of = labels
    data: dict[str, Any] = {
        "kind": "findings",
        "source": source,
        "ruleset": ruleset,
        "ruleset_version": version,
        "as_of": as_of,
    }
    if load is not None:
        data["records"] = record_counts(load)
    return data | {"cases": cases, "counts": counts, "rules": rules}


#: Findings written to the spool at once by :meth:`FindingsJson.add` of a table.
_ITEMS = 2_048


class FindingsJson:
    """The JSON of :func:`findings_report` made a chunk of findings at a time, in bounded
    memory: each finding is written (as that JSON writes it, indented as an item of its
    ``findings``) to a temporary file as it comes, and the report's totals counted; then
    :meth:`write` writes the fields before the findings, then the file's findings. The
    text is the same as ``findings_report(every_finding, ...).render("json")``.

    Use it as a context manager (the file is removed on leaving), :meth:`add` each chunk
    (``Finding`` objects or a chunk's :class:`~casework.columnar.FindingTable`), then
    :meth:`write` once."""

    #: Indent of the findings' items: two levels (the report, its ``findings``).
    _ITEM = "\n    "

    def __init__(self, directory: str | Path | None = None) -> None:
        self._spool: IO[str] = tempfile.TemporaryFile(  # noqa: SIM115 (closed on exit)
            "w+", encoding="utf-8", dir=directory, prefix="casework-findings-"
        )
        self.count = 0
        self._totals = _Totals()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._spool.close()

    def add(self, findings: Sequence[Finding] | FindingTable) -> None:
        """Count and keep one chunk's findings (the cases of a chunk are its own: a case's
        findings are never split between chunks)."""
        if isinstance(findings, FindingTable):
            self._add_table(findings)
            return
        records: Iterable[dict[str, Any]] = (finding.to_dict() for finding in findings)
        item = self._ITEM
        put = self._spool.write  # (a record at a time: a chunk's text is tens of MB)
        refs: set[str] = set()
        totals = self._totals
        rulesets, versions, dates = totals.labels
        for record in records:
            put(("," if self.count else "[") + item + json_text(record, item))
            self.count += 1
            outcome = record["outcome"]
            totals.counts[outcome] += 1
            totals.rule(record["rule_id"], record["question"])[outcome] += 1
            refs.add(record["case_ref"])
            rulesets.add(record["ruleset"])
            versions.add(record["ruleset_version"])
            dates.add(record["as_of"])
        totals.cases += len(refs)

    def _add_table(self, table: FindingTable) -> None:
        """:meth:`add` of a chunk's findings as columns: each written by one template from
        its fields in JSON (:func:`casework.stream.record_columns`; a list as
        :func:`json_text` writes it at its place), and counted on the columns."""
        if not len(table):
            return
        item = self._ITEM
        inner = item + "  "
        keys = record_keys()
        fields = ",".join(f"{inner}{json_text(key)}: {{}}" for key in keys)
        template = "{{" + fields + item + "}}"
        columns = record_columns(
            table,
            keys,
            sources=lambda listed: json_text(listed, inner),
            evidence=EvidenceJson(inner).of,
        )
        texts = map(template.format, *columns)
        put = self._spool.write
        first = "," if self.count else "["
        joined = "," + item
        while piece := list(itertools.islice(texts, _ITEMS)):
            put(first + item + joined.join(piece))
            first = ","
        self.count += len(table)
        totals = self._totals
        outcomes = table.outcome.astype(np.intp)
        for code, count in enumerate(np.bincount(outcomes, minlength=len(OUTCOMES)).tolist()):
            if count:
                totals.counts[OUTCOMES[code].value] += count
        ranks = table.rank.astype(np.intp)
        rules = table.rules
        by_rule = np.bincount(
            ranks * len(OUTCOMES) + outcomes, minlength=len(rules) * len(OUTCOMES)
        )
        firsts = np.unique(ranks, return_index=True)[1]  # each rule's first finding
        for rank in ranks[np.sort(firsts)].tolist():
            counted = totals.rule(rules[rank].id, rules[rank].question)
            for code, count in enumerate(
                by_rule[rank * len(OUTCOMES) : (rank + 1) * len(OUTCOMES)].tolist()
            ):
                if count:
                    counted[OUTCOMES[code].value] += count
        totals.cases += len(set(table.case_ref))
        rulesets, versions, dates = totals.labels
        rulesets.add(table.ruleset.name)
        versions.add(table.ruleset.version)
        dates.add(table.as_of.isoformat())

    def write(
        self,
        stream: TextIO,
        *,
        source: str | None = None,
        load: LoadResult | StreamedRead | None = None,
    ) -> None:
        """Write the report's JSON (as ``render("json")`` writes it, with its last line
        end) to ``stream``."""
        head = self._totals.data(source=source, load=load) | {"findings": []}
        text = json.dumps(head, indent=2, ensure_ascii=False, default=_plain)
        if not self.count:
            stream.write(text + "\n")
            return
        stream.write(text.removesuffix("[]\n}"))
        self._spool.seek(0)
        shutil.copyfileobj(self._spool, stream)
        stream.write("\n  ]\n}\n")


def _outcome_counts(counted: Mapping[str, int]) -> dict[str, int]:
    """:func:`_counts` of findings counted by outcome value."""
    return {outcome.value: counted.get(outcome.value, 0) for outcome in Outcome}


class _Totals:
    """What a findings report counts of its findings, a chunk at a time: the rule set,
    version and assessment date (ISO) they share, their number by outcome, each rule's
    question and counts (in the order rules first have a finding), and the cases."""

    def __init__(self) -> None:
        self.labels: tuple[set[str], set[str], set[str]] = (set(), set(), set())
        self.counts: Counter[str] = Counter()
        self.rules: dict[str, tuple[str, Counter[str]]] = {}
        self.cases = 0

    def rule(self, rule_id: str, question: str) -> Counter[str]:
        """A rule's counts by outcome (kept from its first finding)."""
        kept = self.rules.get(rule_id)
        if kept is None:
            kept = self.rules[rule_id] = (question, Counter())
        return kept[1]

    def shared(self) -> tuple[str | None, str | None, str | None]:
        """The rule set, version and assessment date every finding has (else ``None``)."""
        ruleset, version, as_of = (
            next(iter(values)) if len(values) == 1 else None for values in self.labels
        )
        return ruleset, version, as_of

    def data(self, *, source: str | None, load: LoadResult | StreamedRead | None) -> dict[str, Any]:
        """The report's data but its findings (:func:`_findings_data`)."""
        rules = [
            {"rule_id": rule_id, "question": question, "counts": _outcome_counts(counted)}
            for rule_id, (question, counted) in self.rules.items()
        ]
        return _findings_data(
            self.shared(),
            source=source,
            load=load,
            cases=self.cases,
            counts=_outcome_counts(self.counts),
            rules=rules,
        )


Row = tuple[Cell, ...]
"""A row of a table: its cells."""


#: Rows of a spooled table read from its file at a time.
_SPOOL_BATCH = 4_096


class _SpooledRows(Sequence[Row]):
    """Rows of a table kept in a temporary file as they come, read back when the table is
    written (each time it is iterated)."""

    def __init__(self, spool: IO[str]) -> None:
        self._spool = spool
        self._count = 0

    def append(self, row: Row) -> None:
        self._spool.seek(0, 2)
        self._spool.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._count += 1

    def extend(self, rows: Iterable[Row]) -> None:
        """Rows in turn, written at once."""
        lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in rows]
        self._spool.seek(0, 2)
        self._spool.write("".join(lines))
        self._count += len(lines)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Row]:
        # a batch of lines at a time from where the last ended, so that two readings (or
        # an index asked for while reading) do not move each other's place in the file
        position, left = 0, self._count
        while left:
            self._spool.seek(position)
            lines = [self._spool.readline() for _ in range(min(left, _SPOOL_BATCH))]
            position = self._spool.tell()
            left -= len(lines)
            for line in lines:
                yield tuple(json.loads(line))

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return list(self)[index]  # (not the way it is read: a table iterates)
        at = index + self._count if index < 0 else index
        if not 0 <= at < self._count:
            raise IndexError("row index out of range")
        return next(itertools.islice(self, at, None))


class FindingsSummary:
    """The short form of :func:`findings_report` (``detail=False``: the counts per rule,
    then per case the rules not met and those that cannot be assessed) made a chunk of
    findings at a time from their columns, their words not needed. The cases listed wait
    in a temporary file, so memory does not grow with them.

    Use it as a context manager (the file is removed on leaving): :meth:`add` each chunk's
    :class:`~casework.columnar.FindingTable` (with or without words), in order, then write
    :meth:`report` before leaving. Its document is the one
    ``findings_report(every_finding, ..., detail=False)`` makes (its by-case table read
    from the file as it is written); its data is that report's without the findings, and
    its table the counts per rule."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.count = 0
        self._totals = _Totals()
        self._not_yet_due: Counter[str] = Counter()  # (by rule)
        self._spool: IO[str] = tempfile.TemporaryFile(  # noqa: SIM115 (closed on exit)
            "w+", encoding="utf-8", dir=directory, prefix="casework-summary-"
        )
        self._listed = _SpooledRows(self._spool)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._spool.close()

    def add(self, table: FindingTable) -> None:
        """Count one chunk's findings (a case's findings are never split between chunks)."""
        if not len(table):
            return
        self.count += len(table)
        totals = self._totals
        rulesets, versions, dates = totals.labels
        rulesets.add(table.ruleset.name)
        versions.add(table.ruleset.version)
        dates.add(table.as_of.isoformat())
        totals.cases += len(set(table.case_ref))
        ranks, first = np.unique(table.rank, return_index=True)
        width = len(OUTCOMES)
        by_outcome = np.bincount(
            table.rank * width + table.outcome, minlength=len(table.rules) * width
        ).reshape(-1, width)
        not_yet_due = np.bincount(
            table.rank[table.basis == BASES.index(Basis.NOT_YET_DUE)],
            minlength=len(table.rules),
        )
        for rank in ranks[np.argsort(first)].tolist():
            rule = table.rules[rank]
            counted = totals.rule(rule.id, rule.question)
            for outcome, count in zip(OUTCOMES, by_outcome[rank].tolist(), strict=True):
                counted[outcome.value] += count
                totals.counts[outcome.value] += count
            self._not_yet_due[rule.id] += int(not_yet_due[rank])
        self._list_cases(table)

    def _list_cases(self, table: FindingTable) -> None:
        not_met, cannot = OUTCOMES.index(Outcome.NOT_MET), OUTCOMES.index(Outcome.CANNOT_ASSESS)
        failing = np.flatnonzero((table.outcome == not_met) | (table.outcome == cannot))
        rows: dict[str, tuple[list[str], list[str]]] = {}  # (cases in order)
        for i, code in zip(failing.tolist(), table.outcome[failing].tolist(), strict=True):
            lists = rows.get(table.case_ref[i])
            if lists is None:
                lists = rows[table.case_ref[i]] = ([], [])
            lists[code != not_met].append(table.rules[table.rank[i]].id)
        for ref, (met_not, unknown) in rows.items():
            self._listed.append((ref, ", ".join(met_not) or None, ", ".join(unknown) or None))

    def report(
        self,
        *,
        source: str | None = None,
        load: LoadResult | StreamedRead | None = None,
        title: str | None = None,
    ) -> Report:
        """The short form of the findings report of every finding added."""
        heading, facts, grouped = self._head(source, load, title)
        short = _short_form(heading, facts, grouped, _by_case_table(self._listed))
        return Report(short, self._totals.data(source=source, load=load), _grouped_summary(grouped))

    def _head(
        self, source: str | None, load: LoadResult | StreamedRead | None, title: str | None
    ) -> tuple[str, list[tuple[str, str]], dict[str, tuple[dict[str, int], int]]]:
        """The heading and facts of the report of every finding added, and each rule's
        counts by outcome with how many were not yet due."""
        totals = self._totals
        ruleset, version, day = totals.shared()
        facts = _facts(
            (ruleset, version, None if day is None else dt.date.fromisoformat(day)),
            source=source,
            load=load,
            cases=totals.cases,
            total=self.count,
            counts=_outcome_counts(totals.counts),
        )
        grouped = {
            rule_id: (_outcome_counts(counted), self._not_yet_due[rule_id])
            for rule_id, (_, counted) in totals.rules.items()
        }
        return title or (f"Findings: {ruleset}" if ruleset else "Findings"), facts, grouped


class FindingsDetail(FindingsSummary):
    """The whole form of :func:`findings_report` (``detail=True``: the counts and question
    of each rule, then every finding with its outcome, dates and reason) made a chunk of
    findings at a time from their columns, in words. Each finding's row waits in a
    temporary file, so memory does not grow with them.

    Used as :class:`FindingsSummary` is: :meth:`add` each chunk's
    :class:`~casework.columnar.FindingTable` (explained with words), in order, then write
    :meth:`report` before leaving. Its document is the one ``findings_report(every_finding,
    ..., detail=True)`` makes (its findings read from the file as it is written); its data
    is that report's without the findings, and its table the counts per rule."""

    def _list_cases(self, table: FindingTable) -> None:
        if not table.worded:
            raise ValueError("the findings' reasons are needed: explain them with words")
        labels = [
            [_label(outcome, basis) for basis in BASES] for outcome in OUTCOMES
        ]  # (by outcome and basis code)
        outcome, basis = table.outcome.tolist(), table.basis.tolist()
        dues, dones = iso_dates(table.due), iso_dates(table.done)
        late = [
            _late_text(None if by < 0 else by, LATE_UNITS[unit])
            for by, unit in zip(table.late_by.tolist(), table.late_unit.tolist(), strict=True)
        ]
        rule_ids = [rule.id for rule in table.rules]
        self._listed.extend(
            zip(
                table.case_ref,
                [rule_ids[rank] for rank in table.rank.tolist()],
                [labels[o][b] for o, b in zip(outcome, basis, strict=True)],
                dues,
                dones,
                late,
                table.reason,
                strict=True,
            )
        )

    def report(
        self,
        *,
        source: str | None = None,
        load: LoadResult | StreamedRead | None = None,
        title: str | None = None,
    ) -> Report:
        """The whole form of the findings report of every finding added."""
        heading, facts, grouped = self._head(source, load, title)
        rules = [
            {"rule_id": rule_id, "question": question, "counts": grouped[rule_id][0]}
            for rule_id, (question, _) in self._totals.rules.items()
        ]
        return Report(
            _detail_form(heading, facts, rules, self._listed),
            self._totals.data(source=source, load=load),
            _grouped_summary(grouped),
        )


def _label(outcome: Outcome, basis: Basis) -> str:
    """:func:`outcome_label` of an outcome and basis."""
    word = OUTCOME_WORDS[outcome]
    if basis in _PLAIN_BASES:
        return word
    return f"{word} ({basis.value.replace('_', ' ')})"


def findings_report(
    findings: Iterable[Finding],
    *,
    source: str | None = None,
    load: LoadResult | StreamedRead | None = None,
    title: str | None = None,
    detail: bool = True,
) -> Report:
    """Findings as a report: a summary per rule, then one row per case and question.

    With ``detail=False`` the document (text, Markdown, HTML) is the short form the
    command line prints by default: the counts per rule (not yet due apart from the other
    not applicable), then per case the rules not met and those that cannot be assessed.
    The data (JSON) and the table (CSV) are the same either way.

    Args:
        findings: findings from :func:`~casework.rules.evaluate` (pseudonymise
            them first with :func:`~casework.report.pseudonymise` if needed).
        source: the name of the case file, shown and kept in the data.
        load: the load result (or a streamed read), to say how many records were read
            and rejected.
        title: a title instead of ``Findings: <rule set>``.
        detail: every finding with its reason (``True``), or the grouped summary.
    """
    items = Findings(tuple(findings))
    ruleset = _single(f.ruleset for f in items)
    version = _single(f.ruleset_version for f in items)
    as_of = _single(f.as_of.isoformat() for f in items)
    counts = _counts(items)
    case_refs = list(dict.fromkeys(f.case_ref for f in items))

    by_rule: dict[str, list[Finding]] = {}
    for finding in items:
        by_rule.setdefault(finding.rule_id, []).append(finding)
    rules: list[dict[str, Any]] = [
        {"rule_id": rule_id, "question": group[0].question, "counts": _counts(group)}
        for rule_id, group in by_rule.items()
    ]

    data = _findings_data(
        (ruleset, version, as_of),
        source=source,
        load=load,
        cases=len(case_refs),
        counts=counts,
        rules=rules,
    ) | {"findings": items.to_records()}

    facts = _facts(
        (ruleset, version, items[0].as_of if as_of is not None else None),
        source=source,
        load=load,
        cases=len(case_refs),
        total=len(items),
        counts=counts,
    )

    heading = title or (f"Findings: {ruleset}" if ruleset else "Findings")
    if not detail:
        grouped = {
            rule_id: (_counts(group), sum(f.basis is Basis.NOT_YET_DUE for f in group))
            for rule_id, group in by_rule.items()
        }
        short = _short_form(heading, facts, grouped, _by_case(items, case_refs))
        return Report(short, data, _findings_table(items))
    rows = tuple(
        (
            f.case_ref,
            f.rule_id,
            outcome_label(f),
            _iso(f.due),
            _iso(f.done),
            late_text(f),
            f.reason,
        )
        for f in items
    )
    return Report(_detail_form(heading, facts, rules, rows), data, _findings_table(items))


def _detail_form(
    heading: str,
    facts: list[tuple[str, str]],
    rules: Sequence[Mapping[str, Any]],
    rows: Sequence[Row],
) -> Document:
    """The findings report's document with ``detail``: its facts, the counts and question
    of each rule (``rules``: ``rule_id``, ``question``, ``counts`` by outcome), then every
    finding's row (case, rule, outcome, due, done, late, reason)."""
    summary = Table(
        (
            Column("rule_id", "Rule", nowrap=True),
            Column("met", "Met", "right"),
            Column("not_met", "Not met", "right"),
            Column("not_applicable", "N/A", "right"),
            Column("cannot_assess", "Cannot assess", "right"),
            Column("met_share", "Met %", "right"),
            Column("question", "Question"),
        ),
        tuple(
            (
                rule["rule_id"],
                *(rule["counts"][o.value] for o in Outcome),
                _met_share(rule["counts"]),
                rule["question"],
            )
            for rule in rules
        ),
    )
    every = Table(
        (
            Column("case_ref", "Case", nowrap=True),
            Column("rule_id", "Rule", nowrap=True),
            Column("outcome", "Outcome"),
            Column("due", "Due", nowrap=True),
            Column("done", "Done", nowrap=True),
            Column("late", "Late", nowrap=True),
            Column("reason", "Reason"),
        ),
        rows,
    )
    blocks = (
        Facts(tuple(facts)),
        Section("Summary by rule", (summary, _MET_SHARE_NOTE)),
        Section("Findings", (every,)),
    )
    return Document(heading, blocks)


_MET_SHARE_NOTE = Paragraph(
    "Met % is met out of met and not met: findings not applicable or that cannot be "
    "assessed are left out of it."
)


def _facts(
    labels: tuple[str | None, str | None, dt.date | None],
    *,
    source: str | None,
    load: LoadResult | StreamedRead | None,
    cases: int,
    total: int,
    counts: Mapping[str, int],
) -> list[tuple[str, str]]:
    """The facts at the head of a findings report: ``labels`` the rule set, its version and
    the assessment date the findings share (else ``None``)."""
    ruleset, version, as_of = labels
    facts = [("Rule set", f"{ruleset} {version}" if ruleset else "(several)")]
    if as_of is not None:
        facts.append(("As of", long_date(as_of)))
    if source is not None:
        facts.append(("Case file", source))
    if load is not None:
        facts.append(("Records", load.summary()))
    facts.append(("Cases", str(cases)))
    facts.append(
        (
            "Findings",
            f"{total}: " + ", ".join(f"{counts[o.value]} {OUTCOME_WORDS[o]}" for o in Outcome),
        )
    )
    return facts


def _short_form(
    heading: str,
    facts: list[tuple[str, str]],
    grouped: Mapping[str, tuple[Mapping[str, int], int]],
    by_case: Table,
) -> Document:
    """The short form of a findings report (``detail=False``): its facts, the counts per
    rule (``grouped``: each rule's counts by outcome and how many were not yet due), then
    per case the rules not met and those that cannot be assessed."""
    return Document(
        heading,
        (
            Facts(tuple(facts)),
            Section("Summary by rule", (_grouped_summary(grouped), _MET_SHARE_NOTE)),
            Section(
                "Not met and cannot assess, by case",
                (
                    by_case,
                    Paragraph(
                        "Every finding with its outcome, dates and reason: casework findings "
                        "--detail (or findings_report(..., detail=True))."
                    ),
                ),
            ),
        ),
    )


def _grouped_summary(grouped: Mapping[str, tuple[Mapping[str, int], int]]) -> Table:
    """One line of counts per rule: met, not met, not yet due, other not applicable,
    cannot assess (the questions are in the detail, and in ``casework rules``)."""
    rows = [
        (
            rule_id,
            counts[Outcome.MET],
            counts[Outcome.NOT_MET],
            not_yet_due,
            counts[Outcome.NOT_APPLICABLE] - not_yet_due,
            counts[Outcome.CANNOT_ASSESS],
            _met_share(counts),
        )
        for rule_id, (counts, not_yet_due) in grouped.items()
    ]
    return Table(
        (
            Column("rule_id", "Rule", nowrap=True),
            Column("met", "Met", "right"),
            Column("not_met", "Not met", "right"),
            Column("not_yet_due", "Not yet due", "right"),
            Column("not_applicable", "N/A", "right"),
            Column("cannot_assess", "Cannot assess", "right"),
            Column("met_share", "Met %", "right"),
        ),
        tuple(rows),
    )


def _by_case(items: Findings, case_refs: list[str]) -> Table:
    """Per case, the rules not met and the rules that cannot be assessed (ids only)."""
    not_met: dict[str, list[str]] = {ref: [] for ref in case_refs}
    cannot: dict[str, list[str]] = {ref: [] for ref in case_refs}
    for finding in items:
        if finding.outcome is Outcome.NOT_MET:
            not_met[finding.case_ref].append(finding.rule_id)
        elif finding.outcome is Outcome.CANNOT_ASSESS:
            cannot[finding.case_ref].append(finding.rule_id)
    return _by_case_table(
        tuple(
            (ref, ", ".join(not_met[ref]) or None, ", ".join(cannot[ref]) or None)
            for ref in case_refs
            if not_met[ref] or cannot[ref]
        )
    )


def _by_case_table(rows: Sequence[Row]) -> Table:
    return Table(
        (
            Column("case_ref", "Case", nowrap=True),
            Column("not_met", "Not met"),
            Column("cannot_assess", "Cannot assess"),
        ),
        rows,
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def late_text(finding: Finding) -> str | None:
    """How late, with its unit ("3 working days"), or ``None``."""
    return _late_text(finding.late_by, finding.late_unit)


def _late_text(late_by: int | None, late_unit: str | None) -> str | None:
    if late_by is None:
        return None
    return f"{late_by} {late_unit or 'days'}"


def _findings_table(findings: Findings) -> Table:
    return Table(FINDING_COLUMNS, tuple(finding_cells(f) for f in findings))


def validation_report(result: LoadResult | StreamedRead, *, source: str) -> Report:
    """The outcome of reading a case file: a summary and every rejected record, located."""
    data = {
        "file": source,
        "records": result.records,
        "accepted": result.accepted,
        "rejected": len(result.errors),
        "errors": [
            {
                "record": error.record,
                "case_ref": error.case_ref,
                "problems": [
                    {"field": p.field, "expected": p.expected, "found": p.found, "code": p.code}
                    for p in error.problems
                ],
            }
            for error in result.errors
        ],
    }
    table = Table(
        (
            Column("record", "Record", "right"),
            Column("case_ref", "Case"),
            Column("field", "Field"),
            Column("expected", "Expected"),
            Column("found", "Found"),
            Column("code", "Code"),
        ),
        tuple(
            (error.record, error.case_ref, p.field, p.expected, p.found, p.code)
            for error in result.errors
            for p in error.problems
        ),
    )
    document = Document(
        f"Validation: {source}",
        (
            Facts((("Records", result.summary()),)),
            Section("Rejected records", (table,)),
        ),
    )
    lines = [f"{source}: {result.summary()}", *(f"  {e}" for e in result.errors)]
    text = "\n".join(printable(line) for line in lines) + "\n"
    return Report(document, data, table, text=text)
