"""Inspection counts a chunk of findings at a time: scoring a caseload in flat memory.

:func:`casework.score_inspection` keeps every finding it is given until it has
seen them all. :class:`InspectionTally` takes the findings of an ``omi-2007``
evaluation a chunk at a time (as :func:`casework.stream.evaluate_chunks` yields
them) and keeps only what a scorecard is made of: per question, its wording and
one byte per case (the outcome, and whether the answer was "not evidenced");
per case, its reference and its place in the input. :meth:`InspectionTally.scorecard`
gives exactly the :class:`~casework.Scorecard` ``score_inspection`` gives for the
same findings, intervals included (tests/omi/test_inspection_tally.py).

Tallies **merge**: ``a.merge(b)`` is the tally of both parts, associative and
commutative. Every case keeps its place as ``(partition, chunk, position)``, so
a merged scorecard lists cases in input order, as one pass does; the bootstrap
draws over the cases ordered by their answers, so its intervals are the same too.

:class:`SpilledTally` counts one pass the same way but keeps its per-case state in
files (``casework score`` on a caseload: decision score-spilled-cases): memory does not
grow with the number of cases, and its scorecard equals this tally's.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from casework._caserefs import BLOCK, CaseRefs, SpilledColumn, SpilledRefs, spill_refs
from casework._seen import SeenReferences
from casework.columnar import CaseColumns, FindingColumns, RuleColumns
from casework.columnar.core import BASIS_CODE, OUTCOME_CODE, OUTCOMES
from casework.columnar.omi import not_evidenced
from casework.intervals import IntervalOptions
from casework.model.inspection import Inspection
from casework.rules.engine import Basis, Finding, Outcome, Rule, RuleKind
from casework.rules.omi2007.question import (
    ComputedCheck,
    DescriptiveCheck,
    JudgedCheck,
    area_check,
)
from casework.rules.omi2007.summary import SummaryCheck
from casework.rules.ruleset import RuleSet
from casework.scoring import (
    BandTable,
    QuestionScore,
    Scorecard,
    ScoringOptions,
    assemble_scorecard,
)

if TYPE_CHECKING:
    from casework.performance import Renaming

__all__ = ["SPILL_CASES", "InspectionTally", "SpilledTally", "countable_on_columns"]

Key = tuple[int, int, int]
"""A place in the input: (partition, chunk, position of the finding in the chunk)."""

#: One byte per case and question: the outcome (1-4, 0 when the case has no finding
#: for the question) and a flag for a "not evidenced" answer.
_CODES = {
    Outcome.MET: 1,
    Outcome.NOT_MET: 2,
    Outcome.CANNOT_ASSESS: 3,
    Outcome.NOT_APPLICABLE: 4,
}
_NOT_EVIDENCED = 8
_OUTCOME = 7
#: The tally's outcome code by the columns' outcome code.
_OUTCOME_LUT = np.zeros(len(OUTCOMES), dtype=np.uint8)
for _outcome, _code_of in _CODES.items():
    _OUTCOME_LUT[OUTCOME_CODE[_outcome]] = _code_of
_FAMILIES = (JudgedCheck, SummaryCheck, DescriptiveCheck, ComputedCheck)


#: The recorded answer that marks a finding "not evidenced" (its evidence ``answer``).
_NOT_EVIDENCED_ANSWER = "not_evidenced"


def _is_not_evidenced(finding: Finding) -> bool:
    return any(e.label == "answer" and e.value == _NOT_EVIDENCED_ANSWER for e in finding.evidence)


@attrs.frozen
class _Wording:
    """What a question's first finding says about it (the scorecard's question fields)."""

    criterion: str
    question: str
    source: tuple[str, ...]
    kind: RuleKind
    roh: bool
    group: str | None


@attrs.define
class _Question:
    first: Key
    wording: _Wording
    codes: bytearray = attrs.Factory(bytearray)
    """One code per case of the tally (cases added later than the last finding: 0)."""


@attrs.define
class InspectionTally:
    """An inspection's findings counted a chunk at a time; mergeable.

    ::

        tally = InspectionTally()
        for chunk in evaluate_chunks(cases, ruleset("omi-2007"), as_of=day, calendar=calendar):
            tally.add(chunk)
        card = tally.scorecard(inspection=inspection)

    Each chunk holds whole cases: a case's findings come together, as
    :func:`~casework.rules.evaluate` gives them (a case found again after another
    case's findings is a :class:`ValueError`, as is a second finding of one case for
    one question). ``partition`` orders this tally's cases before a later
    partition's when tallies merge.
    """

    partition: int = 0
    chunks: int = 0
    refs: list[str] = attrs.Factory(list)
    """Case references, in the order first seen by this tally."""
    keys: list[Key] = attrs.Factory(list)
    """Each case's place in the input (of its first finding)."""
    questions: dict[str, _Question] = attrs.Factory(dict)
    rulesets: dict[str, Key] = attrs.Factory(dict)
    latest: dt.date | None = None
    _index: dict[str, int] = attrs.field(factory=dict, alias="_index", repr=False)

    def add(self, findings: Iterable[Finding]) -> None:
        """Count one chunk of findings (findings with no criterion are left out)."""
        current: str | None = None
        for position, finding in enumerate(findings):
            if finding.criterion is None:
                continue
            key = (self.partition, self.chunks, position)
            case = finding.case_ref
            index = self._index.get(case)
            if index is None:
                index = self._index[case] = len(self.refs)
                self.refs.append(case)
                self.keys.append(key)
            elif case != current:
                raise ValueError(
                    f"the findings of case {case} are not together: tally a case's findings "
                    "in one chunk, as evaluate gives them"
                )
            current = case
            question = self.questions.get(finding.rule_id)
            if question is None:
                question = self.questions[finding.rule_id] = _Question(key, _wording(finding))
            codes = question.codes
            if len(codes) <= index:
                codes.extend(bytes(index + 1 - len(codes)))
            elif codes[index]:
                raise ValueError(
                    f"case {case} has two findings for question {finding.rule_id}: "
                    "score one evaluation at a time"
                )
            codes[index] = _CODES[finding.outcome] | (
                _NOT_EVIDENCED if _is_not_evidenced(finding) else 0
            )
            self.rulesets.setdefault(f"{finding.ruleset}@{finding.ruleset_version}", key)
            self.latest = finding.as_of if self.latest is None else max(self.latest, finding.as_of)
        self.chunks += 1

    def add_columns(self, answered: FindingColumns, *, renaming: Renaming | None = None) -> None:
        """Count one chunk evaluated on columns (:func:`casework.columnar.evaluate_columns`):
        the same counts, keys and wording as :meth:`add` of the same findings, with no
        :class:`Finding` made. Only rule sets whose inspection questions are the OMI
        families can be counted so (:func:`countable_on_columns`): the "not evidenced"
        flag is read from the recorded answer where the finding was judged.

        ``renaming`` (:func:`casework.report.pseudonymiser`): the cases kept under their
        new references, as :meth:`add` of the chunk's renamed findings keeps them (a
        chunk where the recorded answer ``not_evidenced`` would be renamed, being a case's
        reference, is counted from its renamed findings)."""
        if not countable_on_columns(answered.ruleset):
            raise ValueError(
                f"rule set {answered.ruleset.name} has inspection questions of its own making; "
                "count its findings with add()"
            )
        if renaming is not None and renaming.text(_NOT_EVIDENCED_ANSWER) != _NOT_EVIDENCED_ANSWER:
            self.add(map(renaming.finding, answered.findings()))
            return
        by_rule = answered.by_rule
        columns = answered.columns
        sizes = [len(a) for a in by_rule]
        starts = np.cumsum([0, *sizes])
        rows = np.concatenate([a.row for a in by_rule]) if by_rule else np.zeros(0, np.intp)
        rank = np.concatenate([np.full(n, i, dtype=np.int32) for i, n in enumerate(sizes)])
        order = np.lexsort((rank, rows))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        asked = [i for i, a in enumerate(by_rule) if a.rule.criterion is not None]
        none = np.iinfo(np.int64).max
        first = np.full(len(columns), none, dtype=np.int64)
        for i in asked:
            np.minimum.at(first, by_rule[i].row, position[starts[i] : starts[i + 1]])
        index_of = self._register(columns, first, none, renaming)
        for i in asked:
            a = by_rule[i]
            rule = a.rule
            if not len(a):
                continue
            indices = index_of[a.row]
            if np.unique(indices).size != indices.size:
                raise ValueError(
                    f"a case has two findings for question {rule.id}: "
                    "score one evaluation at a time"
                )
            question = self.questions.get(rule.id)
            if question is None:
                key = (self.partition, self.chunks, int(position[starts[i]]))
                question = self.questions[rule.id] = _Question(key, _rule_wording(rule))
            codes = question.codes
            top = int(indices.max()) + 1
            if len(codes) < top:
                codes.extend(bytes(top - len(codes)))
            view = np.frombuffer(codes, dtype=np.uint8)
            taken = np.flatnonzero(view[indices])
            if taken.size:
                del view
                raise ValueError(
                    f"case {self.refs[int(indices[taken[0]])]} has two findings for question "
                    f"{rule.id}: score one evaluation at a time"
                )
            view[indices] = _column_codes(a, columns)
            del view
        if asked and first.min() != none:
            key = (self.partition, self.chunks, int(first.min()))
            ruleset = answered.ruleset
            self.rulesets.setdefault(f"{ruleset.name}@{ruleset.version}", key)
            as_of = by_rule[0].context.as_of
            self.latest = as_of if self.latest is None else max(self.latest, as_of)
        self.chunks += 1

    def _register(self, columns: CaseColumns, first: npt.NDArray[np.int64], none: int,
                  renaming: Renaming | None) -> npt.NDArray[np.int64]:  # fmt: skip
        """Each case of the chunk with a finding to count, in order: its index in the tally
        (under its new reference when renamed)."""
        index_of = np.full(len(columns), -1, dtype=np.int64)
        for row in np.flatnonzero(first != none):
            ref = columns.references[row]
            if renaming is not None:
                ref = renaming.reference(ref)
            if ref in self._index:
                raise ValueError(
                    f"the findings of case {ref} are not together: tally a case's findings "
                    "in one chunk, as evaluate gives them"
                )
            index_of[row] = self._index[ref] = len(self.refs)
            self.refs.append(ref)
            self.keys.append((self.partition, self.chunks, int(first[row])))
        return index_of

    @property
    def cases(self) -> int:
        """Cases counted."""
        return len(self.refs)

    def merge(self, other: InspectionTally) -> InspectionTally:
        """The tally of both parts together (neither part is changed)."""
        for case in sorted(set(self._index) & set(other._index), key=self._index.__getitem__):
            mine, theirs = self._index[case], other._index[case]
            for rule_id, question in self.questions.items():
                there = other.questions.get(rule_id)
                if there is not None and _code(question.codes, mine) and _code(there.codes, theirs):
                    raise ValueError(
                        f"case {case} has two findings for question {rule_id}: "
                        "score one evaluation at a time"
                    )
            raise ValueError(
                f"the findings of case {case} are not together: tally a case's findings in one part"
            )
        keys = [*self.keys, *other.keys]
        refs = [*self.refs, *other.refs]
        order = sorted(range(len(keys)), key=keys.__getitem__)
        where = np.empty(len(keys), dtype=np.int64)
        where[order] = np.arange(len(keys))
        split = len(self.keys)
        questions: dict[str, _Question] = {}
        for rule_id in {*self.questions, *other.questions}:
            parts = [
                (tally.questions.get(rule_id), positions)
                for tally, positions in ((self, where[:split]), (other, where[split:]))
            ]
            column = np.zeros(len(keys), dtype=np.uint8)
            firsts = []
            for found, positions in parts:
                if found is None:
                    continue
                codes = np.frombuffer(bytes(found.codes), dtype=np.uint8)
                column[positions[: codes.size]] = codes
                firsts.append((found.first, found.wording))
            first, wording = min(firsts, key=lambda item: item[0])
            questions[rule_id] = _Question(first, wording, bytearray(column.tobytes()))
        rulesets = dict(self.rulesets)
        for name, key in other.rulesets.items():
            rulesets[name] = min(key, rulesets.get(name, key))
        latest = [day for day in (self.latest, other.latest) if day is not None]
        merged_refs = [refs[i] for i in order]
        return InspectionTally(
            partition=min(self.partition, other.partition),
            chunks=self.chunks + other.chunks,
            refs=merged_refs,
            keys=[keys[i] for i in order],
            questions=dict(sorted(questions.items(), key=lambda item: item[1].first)),
            rulesets=dict(sorted(rulesets.items(), key=lambda item: item[1])),
            latest=max(latest, default=None),
            _index={ref: i for i, ref in enumerate(merged_refs)},
        )

    def scorecard(
        self,
        *,
        inspection: Inspection | None = None,
        options: ScoringOptions | None = None,
        bands: BandTable | None = None,
        intervals: IntervalOptions | bool = True,
        compact: bool = False,
        **overrides: Any,
    ) -> Scorecard:
        """The scorecard of what has been tallied: exactly ``score_inspection``'s for the same
        findings (arguments as for :func:`casework.score_inspection`).

        ``compact=True`` lists each question's cases as :class:`~casework._caserefs.CaseRefs`
        (one byte per case and question, read when asked for) and the warnings as lines
        made when read: for a caseload, where tuples of references would hold eight bytes
        per case and question. The scorecard compares equal to the one with tuples; its
        ``to_dict()`` holds those sequences, written by ``json.dumps(...,
        default=casework._caserefs.plain)`` (reports do this).
        """
        chosen = attrs.evolve(options or ScoringOptions(), **overrides)
        refs = tuple(self.refs)
        unanswered = chosen.not_evidenced == "unanswered"
        questions = []
        ordered = sorted(self.questions.items(), key=lambda item: item[1].first)
        for rule_id, question in ordered:
            raw = np.frombuffer(bytes(question.codes), dtype=np.uint8)
            if raw.size < len(refs):
                raw = np.concatenate([raw, np.zeros(len(refs) - raw.size, dtype=np.uint8)])
            outcome, mask = raw, _OUTCOME
            if unanswered:
                outcome = np.where(raw & _NOT_EVIDENCED, np.uint8(3), raw & _OUTCOME)
                outcome, mask = outcome.astype(np.uint8), 0xFF
            lists = _case_lists(refs, raw, outcome, mask)
            w = question.wording
            fields: dict[str, Any] = (
                lists if compact else {name: tuple(value) for name, value in lists.items()}
            )
            questions.append(_scored(rule_id, w, fields))
        return assemble_scorecard(
            tuple(questions),
            refs,
            tuple(name for name, _ in sorted(self.rulesets.items(), key=lambda item: item[1])),
            self.latest,
            inspection=inspection,
            options=chosen,
            bands=bands,
            intervals=intervals,
        )


def _case_lists(
    refs: Sequence[str],
    raw: Any,
    outcome: Any,
    mask: int,
    *,
    counts: npt.NDArray[np.int64] | None = None,
    flagged: int | None = None,
) -> dict[str, CaseRefs]:
    """A question's cases by how they were answered (``outcome & mask``: 1 above the line,
    2 below, 3 unanswered, 4 not applicable) and those answered "not evidenced" (the flag
    in ``raw``), read from the codes when asked for; ``counts`` (by code) and ``flagged``
    when already counted."""
    lists = {
        name: CaseRefs(
            refs, outcome, (code,), mask, count=None if counts is None else int(counts[code])
        )
        for name, code in (("above", 1), ("below", 2), ("unanswered", 3), ("not_applicable", 4))
    }
    lists["not_evidenced"] = CaseRefs(refs, raw, (_NOT_EVIDENCED,), _NOT_EVIDENCED, count=flagged)
    return lists


def _scored(rule_id: str, wording: _Wording, lists: dict[str, Any]) -> QuestionScore:
    """A question's score from its wording and its lists of cases."""
    return QuestionScore(
        id=rule_id,
        criterion=wording.criterion,
        question=wording.question,
        source=wording.source,
        kind=wording.kind,
        roh=wording.roh,
        group=wording.group,
        **lists,
    )


def _code(codes: bytearray, index: int) -> int:
    return codes[index] if index < len(codes) else 0


def _column_codes(answered: RuleColumns, columns: CaseColumns) -> npt.NDArray[np.uint8]:
    """The tally's code of each answer: the outcome, and the flag for a judged answer
    recorded as "not evidenced" (what :meth:`InspectionTally.add` reads in the evidence),
    read from the chunk's answers table (no :class:`~casework.Case` built)."""
    rule = answered.rule
    recorded = (
        not_evidenced(columns, "omi.summaries", rule.check.criterion_id)
        if isinstance(rule.check, SummaryCheck)
        else not_evidenced(columns, "omi.answers", rule.id)
    )[answered.row]
    flagged = (
        (answered.basis == BASIS_CODE[Basis.JUDGED])
        & (answered.outcome == OUTCOME_CODE[Outcome.NOT_MET])
        & recorded
    )
    codes: npt.NDArray[np.uint8] = _OUTCOME_LUT[answered.outcome] | np.where(
        flagged, np.uint8(_NOT_EVIDENCED), np.uint8(0)
    )
    return codes


def _rule_wording(rule: Rule) -> _Wording:
    return _Wording(
        criterion=rule.criterion or "",
        question=rule.question,
        source=rule.source,
        kind=rule.kind,
        roh=rule.roh,
        group=rule.group,
    )


def countable_on_columns(ruleset: RuleSet) -> bool:
    """Whether every inspection question of ``ruleset`` is of an OMI family whose "not
    evidenced" answers :meth:`InspectionTally.add_columns` can tell from the record."""
    return all(
        isinstance(rule.check, _FAMILIES) or rule.check is area_check
        for rule in ruleset.rules
        if rule.criterion is not None
    )


def _wording(finding: Finding) -> _Wording:
    return _Wording(
        criterion=finding.criterion or "",
        question=finding.question,
        source=finding.source,
        kind=finding.kind,
        roh=finding.roh,
        group=finding.group,
    )


#: Cases a :class:`SpilledTally` holds in memory before writing them to its files: a
#: byte per question and about 300 bytes of reference, key and index each (~9 MB).
SPILL_CASES = 1 << 14


class SpilledTally:
    """One pass of an inspection's findings counted as :class:`InspectionTally` counts
    them, with the per-case state in files: memory does not grow with the cases.

    ::

        with SpilledTally() as tally:  # files under tempfile's directory, removed on close
            for answered in chunks:
                tally.add_columns(answered)
            card = tally.scorecard(inspection=inspection)
            ...  # read the card (its case lists and intervals read the files) before closing

    Every :data:`SPILL_CASES` cases, the cases counted so far are written out: their
    references (``refs.bin``, ``ends.bin``) and per question a byte per case
    (``q<n>.bin``, the codes of :class:`InspectionTally`). :meth:`scorecard` lists each
    question's cases as :class:`~casework._caserefs.CaseRefs` over those files, read a
    block of cases at a time, and equals :meth:`InspectionTally.scorecard` of the same
    findings (``compact=True``), intervals included. A case's findings come together in
    one chunk, as for :class:`InspectionTally`; a reference counted again is refused
    (checked in :class:`~casework._seen.SeenReferences`, 4 bytes a case), unless
    ``unique``: the caller vouches that no reference comes twice (a streamed read of a
    case file refuses a repeated reference, ``casework score`` counts what it accepts).

    ``directory``: where the files go (a new directory in it; by default ``tempfile``'s,
    which ``TMPDIR`` sets). The files are removed by :meth:`close` (or leaving the
    ``with`` block, or when the tally is collected); the scorecard cannot be read after.
    """

    def __init__(
        self, directory: str | Path | None = None, *, spill: int = SPILL_CASES, unique: bool = False
    ) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="casework-score-", dir=directory))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.root, ignore_errors=True)
        self._spill = max(1, spill)
        self._pending = InspectionTally()
        self._cases = 0
        self._questions: dict[str, tuple[int, Key, _Wording]] = {}
        self._rulesets: dict[str, Key] = {}
        self._latest: dt.date | None = None
        self._seen = None if unique else SeenReferences(self._references_of)

    def __enter__(self) -> SpilledTally:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the files (the scorecard made from them can no longer be read)."""
        self._finalizer()

    @property
    def cases(self) -> int:
        """Cases counted."""
        return self._cases + self._pending.cases

    def add(self, findings: Iterable[Finding]) -> None:
        """Count one chunk of findings (:meth:`InspectionTally.add`)."""
        self._pending.add(findings)
        self._spill_if_full()

    def add_columns(self, answered: FindingColumns, *, renaming: Renaming | None = None) -> None:
        """Count one chunk evaluated on columns (:meth:`InspectionTally.add_columns`)."""
        self._pending.add_columns(answered, renaming=renaming)
        self._spill_if_full()

    def _spill_if_full(self) -> None:
        if self._pending.cases >= self._spill:
            self._write()

    def _references_of(self, numbers: Sequence[int]) -> dict[int, str]:
        refs = SpilledRefs(self.root, self._cases)
        return {number: refs[number] for number in numbers}

    def _write(self) -> None:
        """Write the cases held in memory to the files, and start afresh."""
        pending = self._pending
        self._pending = InspectionTally(partition=pending.partition, chunks=pending.chunks)
        count = pending.cases
        if not count:
            return
        if self._seen is not None:
            numbers = range(self._cases, self._cases + count)
            firsts = self._seen.check(pending.refs, numbers)
            for ref, first in zip(pending.refs, firsts, strict=True):
                if first is not None:
                    raise ValueError(
                        f"the findings of case {ref} are not together: tally a case's findings "
                        "in one chunk, as evaluate gives them"
                    )
        data, lengths = spill_refs(pending.refs)
        ends = np.cumsum(lengths)
        if self._cases:
            last = np.fromfile(self.root / "ends.bin", dtype=np.int64, offset=8 * (self._cases - 1))
            ends += last[0]
        with (self.root / "refs.bin").open("ab") as stream:
            stream.write(data)
        with (self.root / "ends.bin").open("ab") as stream:
            stream.write(ends.tobytes())
        for rule_id, question in pending.questions.items():
            if rule_id not in self._questions:
                number = len(self._questions)
                self._questions[rule_id] = (number, question.first, question.wording)
                with self._path(number).open("wb") as stream:
                    for start in range(0, self._cases, BLOCK):
                        stream.write(bytes(min(BLOCK, self._cases - start)))
        for rule_id, (number, _first, _wording) in self._questions.items():
            found = pending.questions.get(rule_id)
            codes = bytes(found.codes) if found is not None else b""
            with self._path(number).open("ab") as stream:
                stream.write(codes[:count] + bytes(count - min(count, len(codes))))
        for name, key in pending.rulesets.items():
            self._rulesets.setdefault(name, key)
        if pending.latest is not None:
            self._latest = (
                pending.latest if self._latest is None else max(self._latest, pending.latest)
            )
        self._cases += count

    def _path(self, number: int) -> Path:
        return self.root / f"q{number}.bin"

    def scorecard(
        self,
        *,
        inspection: Inspection | None = None,
        options: ScoringOptions | None = None,
        bands: BandTable | None = None,
        intervals: IntervalOptions | bool = True,
        **overrides: Any,
    ) -> Scorecard:
        """The scorecard of what has been tallied: :meth:`InspectionTally.scorecard` with
        ``compact=True``, its case lists and references read from the files."""
        self._write()
        chosen = attrs.evolve(options or ScoringOptions(), **overrides)
        size = self._cases
        refs = SpilledRefs(self.root, size)
        unanswered = chosen.not_evidenced == "unanswered"
        questions = []
        for rule_id, (number, _first, w) in sorted(
            self._questions.items(), key=lambda item: item[1][1]
        ):
            raw = SpilledColumn(self._path(number), size)
            outcome = SpilledColumn(self._path(number), size, unanswered=unanswered)
            mask = 0xFF if unanswered else _OUTCOME
            counts = np.zeros(256, dtype=np.int64)
            flagged = 0
            for start in range(0, size, BLOCK):
                block = outcome.read(start, start + BLOCK)
                counts += np.bincount(block & mask, minlength=256)
                if unanswered:
                    block = raw.read(start, start + BLOCK)
                flagged += int(np.count_nonzero(block & _NOT_EVIDENCED))
            lists = _case_lists(refs, raw, outcome, mask, counts=counts, flagged=flagged)
            questions.append(_scored(rule_id, w, lists))
        return assemble_scorecard(
            tuple(questions),
            refs,
            tuple(name for name, _ in sorted(self._rulesets.items(), key=lambda item: item[1])),
            self._latest,
            inspection=inspection,
            options=chosen,
            bands=bands,
            intervals=intervals,
        )
